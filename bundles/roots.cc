#include "bundles/roots.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace policyd::bundles {
namespace {

// True when `prefix` is a segment-wise prefix of `path`.
bool IsPrefix(const DataPath& prefix, const DataPath& path) {
  if (prefix.size() > path.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (prefix[i] != path[i]) return false;
  }
  return true;
}

}  // namespace

DataPath SplitRoot(std::string_view root) {
  return absl::StrSplit(absl::string_view(root.data(), root.size()), '/',
                        absl::SkipEmpty());
}

std::string DataPathText(const DataPath& path) {
  return path.empty() ? "data" : absl::StrCat("data.", absl::StrJoin(path, "."));
}

bool PathWithinRoots(const DataPath& path,
                     const std::vector<std::string>& roots) {
  for (const std::string& root : roots) {
    if (IsPrefix(SplitRoot(root), path)) return true;
  }
  return false;
}

bool RootsOverlap(std::string_view a, std::string_view b) {
  DataPath pa = SplitRoot(a), pb = SplitRoot(b);
  return IsPrefix(pa, pb) || IsPrefix(pb, pa);
}

absl::Status CheckDataWithinRoots(const DataPath& path, const Value& value,
                                  const std::vector<std::string>& roots) {
  if (PathWithinRoots(path, roots)) return absl::OkStatus();
  bool leads_to_root = false;
  for (const std::string& root : roots) {
    if (IsPrefix(path, SplitRoot(root))) leads_to_root = true;
  }
  if (leads_to_root && value.is_object()) {
    DataPath child = path;
    child.emplace_back();
    for (const auto& [key, v] : value.entries()) {
      child.back() = key.is_string() ? std::string(key.string()) : key.ToJson();
      if (absl::Status s = CheckDataWithinRoots(child, v, roots); !s.ok()) {
        return s;
      }
    }
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrCat(DataPathText(path), " is outside the bundle's roots [\"",
                   absl::StrJoin(roots, "\", \""), "\"]"));
}

}  // namespace policyd::bundles

#include "bundles/bundle_dir.h"

#include <algorithm>
#include <filesystem>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "bundles/reader.h"

namespace policyd::bundles {
namespace fs = std::filesystem;

absl::StatusOr<std::vector<BundleSource>> ListBundleSources(
    const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return absl::NotFoundError(
        absl::StrCat(dir, ": not a directory of bundles"));
  }
  std::vector<BundleSource> out;
  if (fs::exists(fs::path(dir) / ".manifest", ec)) {
    std::string name = fs::path(dir).lexically_normal().filename().string();
    if (name.empty()) {
      name = fs::path(dir).lexically_normal().parent_path().filename().string();
    }
    out.push_back({name.empty() ? "bundle" : name, dir});
    return out;
  }
  fs::directory_iterator it(dir, ec);
  if (ec) {
    return absl::UnavailableError(
        absl::StrCat(dir, ": cannot list: ", ec.message()));
  }
  for (const fs::directory_entry& entry : it) {
    std::string name = entry.path().filename().string();
    if (absl::StartsWith(name, ".")) continue;
    std::string path = entry.path().string();
    if (entry.is_directory(ec)) {
      out.push_back({name, path});
    } else if (entry.is_regular_file(ec) && IsTarballPath(name)) {
      absl::string_view stem = name;
      if (!absl::ConsumeSuffix(&stem, ".tar.gz")) {
        absl::ConsumeSuffix(&stem, ".tgz");
      }
      out.push_back({std::string(stem), path});
    }
  }
  std::sort(out.begin(), out.end(),
            [](const BundleSource& a, const BundleSource& b) {
              return a.name < b.name;
            });
  for (size_t i = 1; i < out.size(); ++i) {
    if (out[i].name == out[i - 1].name) {
      return absl::InvalidArgumentError(absl::StrCat(
          dir, ": two bundles are named \"", out[i].name, "\" (",
          out[i - 1].path, " and ", out[i].path, "); remove one"));
    }
  }
  return out;
}

}  // namespace policyd::bundles

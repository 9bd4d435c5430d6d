#include "bundles/module_cache.h"

#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_join.h"
#include "engine/syntax/parser.h"

namespace policyd::bundles {

absl::Status ModuleCache::ParseBundle(
    const std::shared_ptr<const Bundle>& bundle, const Entry* previous,
    Entry* out) {
  out->bundle = bundle;
  out->modules.clear();
  out->modules.reserve(bundle->modules.size());
  // File name -> index in the previous version of the bundle.
  absl::flat_hash_map<std::string_view, size_t> before;
  if (previous != nullptr) {
    for (size_t i = 0; i < previous->bundle->modules.size(); ++i) {
      before[previous->bundle->modules[i].filename] = i;
    }
  }
  std::vector<std::string> errors;
  for (const SourceModule& m : bundle->modules) {
    auto it = before.find(m.filename);
    if (it != before.end()) {
      const SourceModule& old = previous->bundle->modules[it->second];
      if (old.version == m.version && old.text == m.text) {
        out->modules.push_back(previous->modules[it->second]);
        ++reused_;
        continue;
      }
    }
    absl::StatusOr<ast::Module> parsed =
        ast::ParseModule(m.filename, m.text, m.version);
    ++parsed_;
    if (!parsed.ok()) {
      errors.emplace_back(parsed.status().message());
      continue;
    }
    out->modules.push_back(*std::move(parsed));
  }
  if (!errors.empty()) {
    return absl::InvalidArgumentError(absl::StrJoin(errors, "\n"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<ast::Module>> ModuleCache::Parse(
    const std::vector<std::shared_ptr<const Bundle>>& bundles) {
  parsed_ = 0;
  reused_ = 0;
  std::map<std::string, Entry> next;
  std::vector<std::string> errors;
  for (const auto& bundle : bundles) {
    auto it = by_name_.find(bundle->name);
    const Entry* previous = it == by_name_.end() ? nullptr : &it->second;
    if (previous != nullptr && previous->bundle == bundle) {
      reused_ += previous->modules.size();
      next[bundle->name] = std::move(it->second);
      continue;
    }
    Entry entry;
    if (absl::Status s = ParseBundle(bundle, previous, &entry); !s.ok()) {
      errors.emplace_back(s.message());
      // Keep the last good parse: most of its modules are likely to be
      // unchanged once the error is fixed.
      if (previous != nullptr) next[bundle->name] = std::move(it->second);
      continue;
    }
    next[bundle->name] = std::move(entry);
  }
  by_name_ = std::move(next);
  if (!errors.empty()) {
    return absl::InvalidArgumentError(absl::StrJoin(errors, "\n"));
  }
  std::vector<ast::Module> out;
  out.reserve(parsed_ + reused_);
  for (const auto& bundle : bundles) {
    const std::vector<ast::Module>& modules = by_name_[bundle->name].modules;
    out.insert(out.end(), modules.begin(), modules.end());
  }
  return out;
}

}  // namespace policyd::bundles

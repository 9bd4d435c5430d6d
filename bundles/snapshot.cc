#include "bundles/snapshot.h"

#include <algorithm>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "bundles/data_tree.h"
#include "util/status_macros.h"

namespace policyd::bundles {

Snapshot::Snapshot(std::shared_ptr<const Engine> engine,
                   std::vector<std::shared_ptr<const Bundle>> bundles,
                   uint64_t generation,
                   std::shared_ptr<const SnapshotExtension> extension,
                   std::shared_ptr<const Overlay> overlay)
    : engine_(std::move(engine)),
      bundles_(std::move(bundles)),
      overlay_(overlay != nullptr ? std::move(overlay)
                                  : std::make_shared<const Overlay>()),
      generation_(generation),
      created_(absl::Now()),
      extension_(std::move(extension)) {}

std::shared_ptr<const Snapshot> Snapshot::Build(
    std::vector<std::shared_ptr<const Bundle>> bundles, uint64_t generation,
    std::vector<BundleError>* errors, const ExtensionBuilder* extension,
    std::shared_ptr<const Overlay> overlay) {
  std::sort(bundles.begin(), bundles.end(),
            [](const auto& a, const auto& b) { return a->name < b->name; });
  for (size_t i = 0; i < bundles.size(); ++i) {
    for (size_t j = i + 1; j < bundles.size(); ++j) {
      for (const std::string& ra : bundles[i]->manifest.roots) {
        for (const std::string& rb : bundles[j]->manifest.roots) {
          if (!RootsOverlap(ra, rb)) continue;
          std::string message = absl::StrCat(
              "bundles \"", bundles[i]->name, "\" and \"", bundles[j]->name,
              "\" have overlapping roots \"", ra, "\" and \"", rb,
              "\"; give each bundle its own roots in its .manifest");
          errors->push_back({bundles[i]->name, ".manifest", 0, 0, message});
          errors->push_back({bundles[j]->name, ".manifest", 0, 0, message});
        }
      }
    }
  }
  if (!errors->empty()) return nullptr;

  DataTree tree;
  for (const auto& bundle : bundles) {
    for (const DataDocument& doc : bundle->data) {
      if (absl::Status s = tree.Insert(doc.path, doc.value,
                                       absl::StrCat(bundle->name, "/", doc.file));
          !s.ok()) {
        errors->push_back({bundle->name, doc.file, 0, 0, std::string(s.message())});
        return nullptr;
      }
    }
  }
  if (overlay != nullptr) {
    if (absl::Status s = tree.Insert({}, overlay->data, "data written through the API");
        !s.ok()) {
      errors->push_back({"", "", 0, 0, std::string(s.message())});
      return nullptr;
    }
  }
  std::vector<SourceModule> modules;
  for (const auto& bundle : bundles) {
    modules.insert(modules.end(), bundle->modules.begin(), bundle->modules.end());
  }
  if (overlay != nullptr) {
    for (const auto& [id, text] : overlay->policies) {
      modules.push_back({id, text, ast::RegoVersion::kV1});
    }
  }
  absl::StatusOr<std::shared_ptr<const Engine>> engine =
      Engine::Compile(modules, tree.Build());
  if (!engine.ok()) {
    *errors = ErrorsFromCompileStatus(engine.status());
    return nullptr;
  }
  std::shared_ptr<const SnapshotExtension> built;
  if (extension != nullptr && *extension) {
    built = (*extension)(bundles, (*engine)->data(), errors);
    if (built == nullptr) return nullptr;
  }
  return std::make_shared<const Snapshot>(*std::move(engine), std::move(bundles),
                                          generation, std::move(built),
                                          std::move(overlay));
}

absl::StatusOr<std::shared_ptr<const PreparedQuery>> Snapshot::Query(
    std::string_view query) const {
  {
    std::shared_lock lock(mu_);
    auto it = queries_.find(absl::string_view(query.data(), query.size()));
    if (it != queries_.end()) return it->second;
  }
  POLICYD_ASSIGN_OR_RETURN(PreparedQuery prepared, engine_->Prepare(query));
  auto shared = std::make_shared<const PreparedQuery>(std::move(prepared));
  std::unique_lock lock(mu_);
  if (queries_.size() >= kMaxCachedQueries) return shared;
  // Another thread may have prepared the same query meanwhile; keep one.
  return queries_.try_emplace(std::string(query), shared).first->second;
}

}  // namespace policyd::bundles

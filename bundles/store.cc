#include "bundles/store.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "bundles/fingerprint.h"

namespace policyd::bundles {
namespace {

// Nothing was read: no manifest (or an empty one), modules, data or other
// files. A bundle that loses all its files while it is rewritten looks so.
bool HasNoFiles(const Bundle& bundle) {
  return bundle.modules.empty() && bundle.data.empty() &&
         bundle.yaml_files.empty() && bundle.manifest.revision.empty() &&
         bundle.manifest.roots == std::vector<std::string>{""};
}

}  // namespace

Store::Store(std::string dir, StoreOptions options)
    : dir_(std::move(dir)), options_(std::move(options)) {
  absl::StatusOr<std::shared_ptr<const Engine>> empty =
      Engine::Compile({}, Value::Object({}));
  current_.store(std::make_shared<const Snapshot>(
      empty.ok() ? *std::move(empty) : nullptr,
      std::vector<std::shared_ptr<const Bundle>>{}, 0));
}

absl::StatusOr<std::unique_ptr<Store>> Store::Open(std::string dir,
                                                   StoreOptions options) {
  auto store = std::make_unique<Store>(std::move(dir), std::move(options));
  if (absl::Status s = store->Reload(); !s.ok()) return s;
  return store;
}

void Store::AddListener(std::function<void(const ReloadEvent&)> listener) {
  absl::MutexLock lock(&reload_mu_);
  listeners_.push_back(std::move(listener));
}

absl::Status Store::Reload() {
  coalesce_mu_.Lock();
  const uint64_t call = ++calls_;
  while (answered_ < call && reloading_) {
    coalesce_mu_.Await(absl::Condition(
        +[](bool* reloading) { return !*reloading; }, &reloading_));
  }
  if (answered_ >= call) {
    absl::Status answer = answer_;
    coalesce_mu_.Unlock();
    return answer;
  }
  reloading_ = true;
  const uint64_t covers = calls_;
  coalesce_mu_.Unlock();
  absl::Status result = ReloadNow();
  absl::MutexLock lock(&coalesce_mu_);
  reloading_ = false;
  answered_ = covers;
  answer_ = result;
  return result;
}

absl::Status Store::ReloadNow() {
  absl::MutexLock lock(&reload_mu_);
  absl::Time start = absl::Now();
  ReloadEvent event;
  absl::StatusOr<std::vector<BundleSource>> listed =
      dir_.empty() ? std::vector<BundleSource>{} : ListBundleSources(dir_);
  if (!listed.ok()) {
    event.result = listed.status();
    event.errors.push_back({"", "", 0, 0, std::string(listed.status().message())});
    return Finish(std::move(event), start, {});
  }

  if (listed->empty() && !options_.allow_empty) {
    event.result = absl::FailedPreconditionError(
        "no bundle in the bundles directory");
    event.errors.push_back(
        {"", "", 0, 0,
         absl::StrCat("the bundles directory ", dir_,
                      " is empty; the last good bundles keep serving "
                      "(--allow-empty activates an empty policy set)")});
    return Finish(std::move(event), start, {});
  }
  // Read the bundles that changed; reuse the others. A bundle that changes
  // while it is read is being written: refuse this attempt (the watcher
  // tries again once the writer is done) rather than activate half of it.
  std::map<std::string, Cached> next_cache;
  std::vector<std::shared_ptr<const Bundle>> bundles;
  for (const BundleSource& source : *listed) {
    uint64_t before = TreeFingerprint(source.path);
    auto it = cache_.find(source.name);
    if (it != cache_.end() && it->second.path == source.path &&
        it->second.fingerprint == before) {
      next_cache.insert(*it);
      if (it->second.bundle == nullptr) {
        event.errors.push_back(it->second.error);
      } else {
        bundles.push_back(it->second.bundle);
      }
      continue;
    }
    absl::StatusOr<Bundle> bundle =
        LoadBundle(source.name, source.path, options_);
    if (bundle.ok() && TreeFingerprint(source.path) != before) {
      bundle = absl::UnavailableError(
          "the bundle changed while it was read; it will be read again");
    }
    if (bundle.ok() && HasNoFiles(*bundle) && !options_.allow_empty) {
      bundle = absl::FailedPreconditionError(
          "the bundle has no files; its last good version keeps serving "
          "(--allow-empty activates it)");
    }
    if (!bundle.ok()) {
      BundleError error = ErrorFromLoadStatus(source.name, bundle.status());
      // Not read again until it changes (a bundle that changed while it
      // was read has a new fingerprint by now).
      next_cache[source.name] = {source.path, before, nullptr, error};
      event.errors.push_back(std::move(error));
      continue;
    }
    auto shared = std::make_shared<const Bundle>(*std::move(bundle));
    next_cache[source.name] = {source.path, before, shared, {}};
    bundles.push_back(std::move(shared));
  }
  // Keep what did read well, so that only the failing bundles are re-read
  // next time.
  cache_ = std::move(next_cache);
  last_listed_ = *listed;
  for (const auto& [name, bundle] : activated_) {
    if (cache_.count(name)) {
      event.errors.push_back({name, "", 0, 0,
                              "a bundle of the directory has the name of a "
                              "downloaded bundle; rename one"});
      continue;
    }
    bundles.push_back(bundle);
  }
  if (!event.errors.empty()) {
    event.result = absl::InvalidArgumentError("bundles not activated");
    return Finish(std::move(event), start, *listed);
  }
  Swap(std::move(bundles), &event);
  return Finish(std::move(event), start, *listed);
}

void Store::Swap(std::vector<std::shared_ptr<const Bundle>> bundles,
                 ReloadEvent* event) {
  std::sort(bundles.begin(), bundles.end(),
            [](const auto& a, const auto& b) { return a->name < b->name; });
  std::shared_ptr<const Snapshot> current = current_.load();
  if (current->generation() > 0 && current->bundles() == bundles) {
    return;  // nothing changed
  }
  if (!failed_build_.empty() && failed_build_ == bundles) {
    event->errors = failed_build_errors_;  // the same bundles fail the same way
    event->result = absl::InvalidArgumentError("bundles not activated");
    return;
  }
  std::shared_ptr<const Snapshot> next =
      Snapshot::Build(bundles, current->generation() + 1, &event->errors,
                      &options_.extension, overlay_);
  if (next == nullptr) {
    failed_build_ = std::move(bundles);
    failed_build_errors_ = event->errors;
    event->result = absl::InvalidArgumentError("bundles not activated");
    return;
  }
  failed_build_.clear();
  failed_build_errors_.clear();
  current_.store(next);
  event->swapped = true;
}

absl::Status Store::Activate(const std::string& name,
                             absl::StatusOr<Bundle> bundle) {
  absl::MutexLock lock(&reload_mu_);
  absl::Time start = absl::Now();
  ReloadEvent event;
  if (!bundle.ok()) {
    event.errors.push_back(ErrorFromLoadStatus(name, bundle.status()));
    event.result = absl::InvalidArgumentError("bundles not activated");
    return Finish(std::move(event), start, last_listed_);
  }
  for (const BundleSource& source : last_listed_) {
    if (source.name == name) {
      event.errors.push_back({name, "", 0, 0,
                              absl::StrCat("the bundles directory also has a bundle "
                                           "named \"", name, "\" (", source.path,
                                           "); rename one")});
      event.result = absl::InvalidArgumentError("bundles not activated");
      return Finish(std::move(event), start, last_listed_);
    }
  }
  auto next = std::make_shared<const Bundle>(*std::move(bundle));
  std::vector<std::shared_ptr<const Bundle>> bundles;
  for (const auto& b : current_.load()->bundles()) {
    if (b->name != name) bundles.push_back(b);
  }
  bundles.push_back(next);
  Swap(std::move(bundles), &event);
  if (event.result.ok()) activated_[name] = std::move(next);
  return Finish(std::move(event), start, last_listed_);
}

void Store::Expect(std::vector<std::string> names) {
  absl::MutexLock lock(&status_mu_);
  expected_ = std::move(names);
}

bool Store::Ready() const {
  std::shared_ptr<const Snapshot> current = current_.load();
  if (current->bundles().empty()) return false;
  absl::MutexLock lock(&status_mu_);
  for (const std::string& name : expected_) {
    bool found = false;
    for (const auto& b : current->bundles()) found = found || b->name == name;
    if (!found) return false;
  }
  return true;
}

absl::Status Store::Finish(ReloadEvent event, absl::Time start,
                           const std::vector<BundleSource>& listed) {
  event.took = absl::Now() - start;
  event.current = current_.load();
  if (!event.errors.empty()) {
    std::vector<std::string> lines;
    for (const BundleError& e : event.errors) lines.push_back(e.ToString());
    event.result = absl::Status(
        event.result.ok() ? absl::StatusCode::kInvalidArgument
                          : event.result.code(),
        absl::StrCat("bundles not activated (the previous ones keep "
                     "serving):\n",
                     absl::StrJoin(lines, "\n")));
  }
  {
    absl::MutexLock lock(&status_mu_);
    last_attempt_ = start;
    last_result_ = event.result;
    if (event.swapped) ++reloads_succeeded_;
    if (!event.result.ok()) ++reloads_failed_;
    listed_.clear();
    for (const BundleSource& s : listed) listed_[s.name] = s.path;
    errors_ = event.errors;
  }
  for (const auto& listener : listeners_) listener(event);
  return event.result;
}

absl::Status Store::UpdateOverlay(
    const std::function<absl::Status(Overlay&, const Snapshot&)>& change) {
  absl::MutexLock lock(&reload_mu_);
  std::shared_ptr<const Snapshot> current = current_.load();
  auto next_overlay =
      std::make_shared<Overlay>(overlay_ != nullptr ? *overlay_ : Overlay());
  if (absl::Status s = change(*next_overlay, *current); !s.ok()) return s;
  std::vector<BundleError> errors;
  std::shared_ptr<const Snapshot> next =
      Snapshot::Build(current->bundles(), current->generation() + 1, &errors,
                      &options_.extension, next_overlay);
  if (next == nullptr) {
    std::vector<std::string> lines;
    for (const BundleError& e : errors) lines.push_back(e.ToString());
    return absl::InvalidArgumentError(absl::StrJoin(lines, "\n"));
  }
  overlay_ = std::move(next_overlay);
  failed_build_.clear();  // the same bundles may build over other data
  current_.store(std::move(next));
  return absl::OkStatus();
}

StoreStatus Store::Status() const {
  StoreStatus out;
  out.current = current_.load();
  absl::MutexLock lock(&status_mu_);
  out.last_attempt = last_attempt_;
  out.last_result = last_result_;
  out.reloads_succeeded = reloads_succeeded_;
  out.reloads_failed = reloads_failed_;
  std::map<std::string, BundleStatus> by_name;
  for (const std::string& name : expected_) by_name[name].name = name;
  for (const auto& [name, path] : listed_) {
    by_name[name].name = name;
    by_name[name].path = path;
  }
  for (const auto& bundle : out.current->bundles()) {
    BundleStatus& s = by_name[bundle->name];
    s.name = bundle->name;
    s.active = true;
    s.revision = bundle->manifest.revision;
    s.loaded = bundle->loaded;
  }
  out.errors = errors_;
  for (const BundleError& e : errors_) {
    if (e.bundle.empty()) continue;
    by_name[e.bundle].name = e.bundle;
    by_name[e.bundle].errors.push_back(e);
  }
  for (auto& [name, s] : by_name) out.bundles.push_back(std::move(s));
  return out;
}

}  // namespace policyd::bundles

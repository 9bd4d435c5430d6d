#include "bundles/watcher.h"

#include <atomic>
#include <filesystem>
#include <thread>

#include "gtest/gtest.h"
#include "tests/bundles/bundle_test_util.h"

namespace policyd::bundles {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;
using testing::WriteFile;

std::string Eval(const Snapshot& s, const std::string& query) {
  absl::StatusOr<std::shared_ptr<const PreparedQuery>> q = s.Query(query);
  if (!q.ok()) return q.status().ToString();
  absl::StatusOr<std::optional<Value>> v = (*q)->EvalValue(EvalOptions());
  if (!v.ok()) return v.status().ToString();
  return v->has_value() ? (*v)->ToJson() : "undefined";
}

// Polls until `pred` holds; false after a generous deadline (the test then
// fails on correctness, not speed).
template <typename Pred>
bool Eventually(Pred pred) {
  absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (absl::Now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return pred();
}

std::string Revision(const Store& store) {
  auto s = store.Current();
  return s->bundles().empty() ? "" : s->bundles()[0]->manifest.revision;
}

// A bundle's files at revision `rev` in `dir` (module and data agree).
void WriteRevision(const std::string& dir, const std::string& rev) {
  WriteFile(dir + "/.manifest",
            R"({"revision": ")" + rev + R"(", "roots": ["authz"]})");
  WriteFile(dir + "/authz/policy.rego",
            "package authz\nrev := \"" + rev +
                "\"\npair := [rev, data.authz.d.rev]\n");
  WriteFile(dir + "/authz/d/data.json", R"({"rev": ")" + rev + R"("})");
}

WatcherOptions FastOptions(bool inotify) {
  WatcherOptions options;
  // Well above the writer's pauses below, even on a loaded machine.
  options.quiet = absl::Milliseconds(500);
  options.poll_interval = inotify ? absl::Seconds(5) : absl::Milliseconds(50);
  options.use_inotify = inotify;
  return options;
}

class WatcherTest : public ::testing::TestWithParam<bool> {};

// A Kubernetes ConfigMap volume: the files live in a timestamped directory,
// `..data` links to it, and each visible entry links through `..data`. An
// update writes a new directory and renames a new link over `..data`.
TEST_P(WatcherTest, ConfigMapSymlinkSwap) {
  TempDir dir;
  WriteRevision(dir / "..2024_01_01_00_00_00.1/authz", "v1");
  fs::create_directory_symlink("..2024_01_01_00_00_00.1", dir / "..data");
  fs::create_directory_symlink("..data/authz", dir / "authz");
  auto store = *Store::Open(dir.path(), StoreOptions());
  ASSERT_EQ(Revision(*store), "v1");
  Watcher watcher(store.get(), FastOptions(GetParam()));
  EXPECT_EQ(watcher.using_inotify(), GetParam());

  WriteRevision(dir / "..2024_01_01_00_00_05.2/authz", "v2");
  fs::create_directory_symlink("..2024_01_01_00_00_05.2", dir / "..data_tmp");
  fs::rename(dir / "..data_tmp", dir / "..data");
  fs::remove_all(dir / "..2024_01_01_00_00_00.1");

  ASSERT_TRUE(Eventually([&] { return Revision(*store) == "v2"; }));
  EXPECT_EQ(Eval(*store->Current(), "data.authz.pair"), R"(["v2","v2"])");
  EXPECT_TRUE(store->Status().last_result.ok());
}

// A writer copies a new revision file by file with pauses shorter than the
// quiet period; readers must never see a half-copied bundle.
TEST_P(WatcherTest, FileByFileCopyIsActivatedWhole) {
  TempDir dir;
  WriteRevision(dir / "authz", "v1");
  auto store = *Store::Open(dir.path(), StoreOptions());
  Watcher watcher(store.get(), FastOptions(GetParam()));

  std::atomic<bool> done{false};
  std::atomic<int> bad{0};
  std::thread reader([&] {
    while (!done.load()) {
      auto s = store->Current();
      std::string rev = s->bundles()[0]->manifest.revision;
      if (Eval(*s, "data.authz.pair") != "[\"" + rev + "\",\"" + rev + "\"]") {
        bad.fetch_add(1);
      }
    }
  });
  TempDir staging;
  WriteRevision(staging.path(), "v2");
  for (const char* rel : {"authz/policy.rego", ".manifest", "authz/d/data.json"}) {
    std::ifstream in(staging / rel);
    std::string content((std::istreambuf_iterator<char>(in)),
                        std::istreambuf_iterator<char>());
    // Written in place (same file, truncated then filled), as `cp` does.
    std::ofstream out(dir / ("authz/" + std::string(rel)), std::ios::trunc);
    out << content.substr(0, content.size() / 2) << std::flush;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    out << content.substr(content.size() / 2);
    out.close();
    std::this_thread::sleep_for(std::chrono::milliseconds(40));
  }
  bool activated = Eventually([&] { return Revision(*store) == "v2"; });
  done.store(true);
  reader.join();
  ASSERT_TRUE(activated);
  EXPECT_EQ(bad.load(), 0);
  EXPECT_EQ(Eval(*store->Current(), "data.authz.pair"), R"(["v2","v2"])");
}

TEST_P(WatcherTest, NewBundleDirectoryIsPickedUp) {
  TempDir dir;
  WriteRevision(dir / "authz", "v1");
  auto store = *Store::Open(dir.path(), StoreOptions());
  Watcher watcher(store.get(), FastOptions(GetParam()));
  WriteFile(dir / "lib/.manifest", R"({"revision": "l1", "roots": ["lib"]})");
  WriteFile(dir / "lib/lib/data.json", R"({"x": 1})");
  ASSERT_TRUE(Eventually([&] { return store->Current()->bundles().size() == 2; }));
  EXPECT_EQ(Eval(*store->Current(), "data.lib.x"), "1");
  EXPECT_GE(watcher.reloads(), 1u);
}

TEST_P(WatcherTest, BrokenRevisionIsReportedAndFixIsPickedUp) {
  TempDir dir;
  WriteRevision(dir / "authz", "v1");
  auto store = *Store::Open(dir.path(), StoreOptions());
  Watcher watcher(store.get(), FastOptions(GetParam()));
  WriteFile(dir / "authz/authz/policy.rego", "package authz\npair := [\n");
  ASSERT_TRUE(Eventually([&] { return !store->Status().last_result.ok(); }));
  EXPECT_EQ(Revision(*store), "v1");
  EXPECT_EQ(Eval(*store->Current(), "data.authz.pair"), R"(["v1","v1"])");
  WriteRevision(dir / "authz", "v3");
  ASSERT_TRUE(Eventually([&] { return Revision(*store) == "v3"; }));
}

INSTANTIATE_TEST_SUITE_P(InotifyAndPolling, WatcherTest,
                         ::testing::Values(true, false),
                         [](const auto& info) {
                           return info.param ? "Inotify" : "Polling";
                         });

}  // namespace
}  // namespace policyd::bundles

#include "bundles/store.h"

#include <atomic>
#include <filesystem>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/bundles/bundle_test_util.h"

namespace policyd::bundles {
namespace {

using ::testing::HasSubstr;
using testing::TempDir;
using testing::WriteFile;

std::string Eval(const Snapshot& s, const std::string& query) {
  absl::StatusOr<std::shared_ptr<const PreparedQuery>> q = s.Query(query);
  if (!q.ok()) return q.status().ToString();
  absl::StatusOr<std::optional<Value>> v = (*q)->EvalValue(EvalOptions());
  if (!v.ok()) return v.status().ToString();
  return v->has_value() ? (*v)->ToJson() : "undefined";
}

// Bundle `name` at revision `rev`: a module and a data file that both carry
// the revision, under the root `name`.
void WriteBundle(const std::string& dir, const std::string& name,
                 const std::string& rev) {
  WriteFile(dir + "/" + name + "/.manifest",
            R"({"revision": ")" + rev + R"(", "roots": [")" + name + R"("]})");
  WriteFile(dir + "/" + name + "/" + name + "/policy.rego",
            "package " + name + "\nrev := \"" + rev +
                "\"\npair := [rev, data." + name + ".d.rev]\n");
  WriteFile(dir + "/" + name + "/" + name + "/d/data.json",
            R"({"rev": ")" + rev + R"("})");
}

TEST(StoreTest, OpenLoadsDirectoryAndTarballBundles) {
  TempDir dir;
  WriteBundle(dir.path(), "authz", "a1");
  testing::WriteTarGz(
      dir / "lib.tar.gz",
      {{"/.manifest", R"({"revision": "l1", "roots": ["lib"]})"},
       {"/lib/data.yaml", "admins:\n  - alice\n"}});
  absl::StatusOr<std::unique_ptr<Store>> store =
      Store::Open(dir.path(), StoreOptions());
  ASSERT_TRUE(store.ok()) << store.status();
  std::shared_ptr<const Snapshot> s = (*store)->Current();
  EXPECT_EQ(s->generation(), 1u);
  EXPECT_EQ(Eval(*s, "data.authz.pair"), R"(["a1","a1"])");
  EXPECT_EQ(Eval(*s, "data.lib.admins"), R"(["alice"])");

  StoreStatus status = (*store)->Status();
  ASSERT_EQ(status.bundles.size(), 2u);
  EXPECT_EQ(status.bundles[0].name, "authz");
  EXPECT_EQ(status.bundles[0].revision, "a1");
  EXPECT_TRUE(status.bundles[0].active);
  EXPECT_EQ(status.bundles[1].name, "lib");
  EXPECT_EQ(status.bundles[1].revision, "l1");
  EXPECT_TRUE(status.last_result.ok());
  EXPECT_EQ(status.reloads_succeeded, 1u);
}

TEST(StoreTest, OpenFailsOnABrokenBundle) {
  TempDir dir;
  WriteFile(dir / "b/p.rego", "package p\nallow if {");
  absl::StatusOr<std::unique_ptr<Store>> store =
      Store::Open(dir.path(), StoreOptions());
  ASSERT_FALSE(store.ok());
  EXPECT_THAT(store.status().message(), HasSubstr("bundle b: p.rego:"));
}

TEST(StoreTest, SyntaxErrorInNewRevisionKeepsTheOldOne) {
  TempDir dir;
  WriteBundle(dir.path(), "authz", "r1");
  auto store = *Store::Open(dir.path(), StoreOptions());
  std::vector<ReloadEvent> events;
  store->AddListener([&](const ReloadEvent& e) { events.push_back(e); });

  WriteFile(dir / "authz/.manifest", R"({"revision": "r2", "roots": ["authz"]})");
  WriteFile(dir / "authz/authz/policy.rego",
            "package authz\n\nrev := \"r2\"\npair := [rev,\n");
  absl::Status result = store->Reload();
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.message(), HasSubstr("bundle authz: authz/policy.rego:"));

  // The old revision still answers.
  EXPECT_EQ(Eval(*store->Current(), "data.authz.pair"), R"(["r1","r1"])");
  StoreStatus status = store->Status();
  ASSERT_EQ(status.bundles.size(), 1u);
  EXPECT_EQ(status.bundles[0].revision, "r1");
  ASSERT_FALSE(status.bundles[0].errors.empty());
  const BundleError& e = status.bundles[0].errors[0];
  EXPECT_EQ(e.bundle, "authz");
  EXPECT_EQ(e.file, "authz/policy.rego");
  EXPECT_GT(e.line, 0);
  EXPECT_GT(e.col, 0);
  EXPECT_THAT(e.message, HasSubstr("rego_parse_error"));
  EXPECT_EQ(status.reloads_failed, 1u);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_FALSE(events[0].swapped);
  EXPECT_FALSE(events[0].result.ok());

  // Fixing it activates the new revision and clears the error.
  WriteBundle(dir.path(), "authz", "r2");
  ASSERT_TRUE(store->Reload().ok());
  EXPECT_EQ(Eval(*store->Current(), "data.authz.pair"), R"(["r2","r2"])");
  EXPECT_TRUE(store->Status().bundles[0].errors.empty());
  EXPECT_TRUE(events.back().swapped);
}

TEST(StoreTest, BadDataFileIsReportedWithItsPlace) {
  TempDir dir;
  WriteBundle(dir.path(), "authz", "r1");
  auto store = *Store::Open(dir.path(), StoreOptions());
  WriteFile(dir / "authz/authz/d/data.json", "{\n  \"rev\": }");
  ASSERT_FALSE(store->Reload().ok());
  StoreStatus status = store->Status();
  ASSERT_EQ(status.bundles.size(), 1u);
  ASSERT_EQ(status.bundles[0].errors.size(), 1u);
  const BundleError& e = status.bundles[0].errors[0];
  EXPECT_EQ(e.file, "authz/d/data.json");
  EXPECT_EQ(e.line, 2);
  EXPECT_GT(e.col, 0);
  EXPECT_EQ(Eval(*store->Current(), "data.authz.pair"), R"(["r1","r1"])");
}

TEST(StoreTest, BadSignatureKeepsTheOldRevision) {
  TempDir dir;
  WriteBundle(dir.path(), "authz", "r1");
  StoreOptions options;
  options.signatures.keys["k1"] = {"HS256", "secret"};
  auto store = *Store::Open(dir.path(), options);
  WriteBundle(dir.path(), "authz", "r2");
  WriteFile(dir / "authz/.signatures.json",
            testing::SignaturesJson(
                R"({"alg": "HS256", "kid": "k1"})", R"({"files": []})",
                [](const std::string& in) {
                  return testing::HmacSha256("wrong", in);
                }));
  absl::Status result = store->Reload();
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.message(), HasSubstr("bundle signature"));
  EXPECT_EQ(Eval(*store->Current(), "data.authz.pair"), R"(["r1","r1"])");
  ASSERT_EQ(store->Status().bundles[0].errors.size(), 1u);
}

TEST(StoreTest, OverlappingRootsAreRefused) {
  TempDir dir;
  WriteBundle(dir.path(), "authz", "r1");
  auto store = *Store::Open(dir.path(), StoreOptions());
  WriteFile(dir / "other/.manifest", R"({"roots": ["authz/extra"]})");
  absl::Status result = store->Reload();
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.message(),
              HasSubstr("bundles \"authz\" and \"other\" have overlapping "
                        "roots \"authz\" and \"authz/extra\""));
  StoreStatus status = store->Status();
  ASSERT_EQ(status.bundles.size(), 2u);
  EXPECT_FALSE(status.bundles[0].errors.empty());
  EXPECT_FALSE(status.bundles[1].errors.empty());
  EXPECT_FALSE(status.bundles[1].active);
}

TEST(StoreTest, TruncatedTarballKeepsTheOldRevision) {
  TempDir staging;
  TempDir dir;
  testing::WriteTarGz(staging / "b.tar.gz",
                      {{"/.manifest", R"({"revision": "t1"})"},
                       {"/p.rego", "package p\nx := 1\n"}});
  std::filesystem::copy_file(staging / "b.tar.gz", dir / "b.tar.gz");
  auto store = *Store::Open(dir.path(), StoreOptions());
  std::string big(100000, ' ');
  for (size_t i = 0; i < big.size(); ++i) big[i] = 'a' + (i * 7919) % 26;
  testing::WriteTarGz(staging / "b2.tar.gz",
                      {{"/.manifest", R"({"revision": "t2"})"},
                       {"/p.rego", "package p\nx := 2\n# " + big + "\n"}});
  std::filesystem::copy_file(staging / "b2.tar.gz", dir / "b.tar.gz",
                             std::filesystem::copy_options::overwrite_existing);
  std::filesystem::resize_file(dir / "b.tar.gz",
                               std::filesystem::file_size(dir / "b.tar.gz") / 2);
  absl::Status result = store->Reload();
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(std::string(result.message()), HasSubstr("truncated or corrupt"));
  EXPECT_EQ(Eval(*store->Current(), "data.p.x"), "1");
}

TEST(StoreTest, UnchangedBundlesAreReused) {
  TempDir dir;
  WriteBundle(dir.path(), "a", "1");
  WriteBundle(dir.path(), "b", "1");
  auto store = *Store::Open(dir.path(), StoreOptions());
  auto before = store->Current();
  // Nothing changed: no new snapshot.
  ASSERT_TRUE(store->Reload().ok());
  EXPECT_EQ(store->Current(), before);

  WriteBundle(dir.path(), "b", "2");
  ASSERT_TRUE(store->Reload().ok());
  auto after = store->Current();
  EXPECT_EQ(after->generation(), before->generation() + 1);
  EXPECT_EQ(after->bundles()[0], before->bundles()[0]);  // "a", same object
  EXPECT_NE(after->bundles()[1], before->bundles()[1]);
  EXPECT_EQ(Eval(*after, "data.b.pair"), R"(["2","2"])");
}

TEST(StoreTest, ReloadCompilesChangedAndUnchangedModulesTogether) {
  TempDir dir;
  WriteBundle(dir.path(), "a", "1");
  WriteBundle(dir.path(), "b", "1");
  // A second module of b that stays as it is, and uses a's rules.
  WriteFile(dir / "b/b/lib.rego",
            "package b\nboth := [rev, data.a.rev]\n");
  auto store = *Store::Open(dir.path(), StoreOptions());
  EXPECT_EQ(Eval(*store->Current(), "data.b.both"), R"(["1","1"])");

  std::vector<ReloadEvent> events;
  store->AddListener([&](const ReloadEvent& e) { events.push_back(e); });
  WriteBundle(dir.path(), "b", "2");  // rewrites b's policy.rego only
  ASSERT_TRUE(store->Reload().ok());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(events[0].swapped);
  EXPECT_EQ(Eval(*store->Current(), "data.b.both"), R"(["2","1"])");
  EXPECT_EQ(Eval(*store->Current(), "data.b.pair"), R"(["2","2"])");

  WriteBundle(dir.path(), "a", "3");
  ASSERT_TRUE(store->Reload().ok());
  EXPECT_EQ(Eval(*store->Current(), "data.b.both"), R"(["2","3"])");
}

TEST(StoreTest, RemovedBundleIsDeactivated) {
  TempDir dir;
  WriteBundle(dir.path(), "a", "1");
  WriteBundle(dir.path(), "b", "1");
  auto store = *Store::Open(dir.path(), StoreOptions());
  std::filesystem::remove_all(dir / "b");
  ASSERT_TRUE(store->Reload().ok());
  EXPECT_EQ(store->Current()->bundles().size(), 1u);
  EXPECT_EQ(Eval(*store->Current(), "data.b.pair"), "undefined");
}

TEST(StoreTest, SingleBundleDirectory) {
  TempDir dir;
  WriteBundle(dir.path(), "authz", "s1");
  auto store = Store::Open(dir / "authz", StoreOptions());
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ(Eval(*(*store)->Current(), "data.authz.pair"), R"(["s1","s1"])");
  EXPECT_EQ((*store)->Current()->bundles()[0]->name, "authz");
}

// Decisions run on several threads while the bundles go through 100
// revisions; every decision must see one complete snapshot: the module and
// the data of each bundle, and the two bundles, all at the same revision.
TEST(StoreTest, ConcurrentReadersAlwaysSeeCompleteSnapshots) {
  TempDir dir;
  WriteBundle(dir.path(), "a", "0");
  WriteBundle(dir.path(), "b", "0");
  auto store = *Store::Open(dir.path(), StoreOptions());
  std::atomic<bool> done{false};
  std::atomic<int> decisions{0};
  std::atomic<int> bad{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      while (!done.load()) {
        std::shared_ptr<const Snapshot> s = store->Current();
        std::string a = Eval(*s, "data.a.pair");
        std::string b = Eval(*s, "data.b.pair");
        std::string rev = s->bundles()[0]->manifest.revision;
        std::string want = "[\"" + rev + "\",\"" + rev + "\"]";
        if (a != want || b != want) bad.fetch_add(1);
        decisions.fetch_add(1);
      }
    });
  }
  int reloads = 0;
  for (int rev = 1; rev <= 100; ++rev) {
    WriteBundle(dir.path(), "a", std::to_string(rev));
    WriteBundle(dir.path(), "b", std::to_string(rev));
    if (store->Reload().ok()) ++reloads;
  }
  done.store(true);
  for (std::thread& t : readers) t.join();
  EXPECT_EQ(reloads, 100);
  EXPECT_EQ(bad.load(), 0);
  EXPECT_GT(decisions.load(), 0);
  EXPECT_EQ(Eval(*store->Current(), "data.a.pair"), R"(["100","100"])");
  EXPECT_EQ(store->Current()->generation(), 101u);
}

TEST(StoreTest, OverlayJoinsTheSnapshotAndSurvivesReloads) {
  TempDir dir;
  WriteBundle(dir.path(), "authz", "a1");
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(dir.path(), StoreOptions());
  ASSERT_TRUE(store.ok()) << store.status();
  uint64_t generation = (*store)->Current()->generation();
  absl::Status status = (*store)->UpdateOverlay([](Overlay& overlay, const Snapshot& current) {
    EXPECT_EQ(current.bundles().size(), 1u);
    overlay.policies["extra"] = "package extra\nn := count(data.users)\n";
    overlay.data = Value::Object({{Value::String("users"),
                                   Value::Array({Value::String("alice")})}});
    return absl::OkStatus();
  });
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ((*store)->Current()->generation(), generation + 1);
  EXPECT_EQ(Eval(*(*store)->Current(), "data.extra.n"), "1");
  EXPECT_EQ((*store)->Current()->overlay().policies.size(), 1u);

  WriteBundle(dir.path(), "authz", "a2");
  ASSERT_TRUE((*store)->Reload().ok());
  EXPECT_EQ(Eval(*(*store)->Current(), "data.authz.rev"), "\"a2\"");
  EXPECT_EQ(Eval(*(*store)->Current(), "data.extra.n"), "1");
}

TEST(StoreTest, OverlayThatFailsToCompileChangesNothing) {
  TempDir dir;
  WriteBundle(dir.path(), "authz", "a1");
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(dir.path(), StoreOptions());
  ASSERT_TRUE(store.ok()) << store.status();
  std::shared_ptr<const Snapshot> before = (*store)->Current();
  absl::Status status = (*store)->UpdateOverlay([](Overlay& overlay, const Snapshot&) {
    overlay.policies["broken"] = "package broken\n\nx := y\n";
    return absl::OkStatus();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("broken:3"));
  EXPECT_EQ((*store)->Current(), before);
  // A refusal by the change itself is returned as is.
  status = (*store)->UpdateOverlay([](Overlay&, const Snapshot&) {
    return absl::FailedPreconditionError("owned");
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ((*store)->Current(), before);
}

TEST(StoreTest, ActivatedBundlesServeBesideTheDirectoryAndBadOnesKeepTheOld) {
  TempDir dir, remote;
  WriteBundle(dir.path(), "authz", "a1");
  WriteBundle(remote.path(), "lib", "l1");
  WriteBundle(remote.path(), "lib2", "l2");
  Store store(dir.path(), StoreOptions());
  store.Expect({"lib"});
  ASSERT_TRUE(store.Reload().ok());
  EXPECT_FALSE(store.Ready());  // lib was never activated

  ASSERT_TRUE(store.Activate("lib", LoadBundle("lib", remote / "lib", LoadOptions())).ok());
  EXPECT_TRUE(store.Ready());
  EXPECT_EQ(Eval(*store.Current(), "data.lib.pair"), R"(["l1","l1"])");
  EXPECT_EQ(Eval(*store.Current(), "data.authz.pair"), R"(["a1","a1"])");

  // A download that did not read, or whose roots overlap the directory's
  // bundle, changes nothing.
  uint64_t generation = store.Current()->generation();
  EXPECT_FALSE(store.Activate("lib", absl::InvalidArgumentError("not a tarball")).ok());
  WriteFile(remote / "lib/.manifest", R"({"revision": "l9", "roots": ["authz"]})");
  EXPECT_FALSE(store.Activate("lib", LoadBundle("lib", remote / "lib", LoadOptions())).ok());
  EXPECT_EQ(store.Current()->generation(), generation);
  EXPECT_EQ(Eval(*store.Current(), "data.lib.pair"), R"(["l1","l1"])");
  // A name the directory has is refused.
  EXPECT_THAT(
      store.Activate("authz", LoadBundle("lib2", remote / "lib2", LoadOptions())).message(),
      HasSubstr("also has a bundle named \"authz\""));

  // A reload of the directory keeps the activated bundle.
  WriteBundle(dir.path(), "authz", "a2");
  ASSERT_TRUE(store.Reload().ok());
  EXPECT_EQ(Eval(*store.Current(), "data.authz.pair"), R"(["a2","a2"])");
  EXPECT_EQ(Eval(*store.Current(), "data.lib.pair"), R"(["l1","l1"])");
}

}  // namespace
}  // namespace policyd::bundles

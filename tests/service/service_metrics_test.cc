#include "service/service_metrics.h"

#include <filesystem>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace policyd {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
namespace fs = std::filesystem;

void WriteBundle(const fs::path& dir, const std::string& revision) {
  fs::create_directories(dir);
  std::ofstream(dir / ".manifest") << "{\"revision\": \"" << revision << "\"}";
  std::ofstream(dir / "p.rego") << "package p\n\nx := \"" << revision << "\"\n";
}

TEST(ServiceMetricsTest, DecisionsByApiAndOutcome) {
  ServiceMetrics metrics;
  metrics.ObserveDecision("grpc", Outcome::kAllow, absl::Microseconds(3));
  metrics.ObserveDecision("grpc", Outcome::kAllow, absl::Microseconds(3));
  metrics.ObserveDecision("other", Outcome::kError, absl::Milliseconds(2));
  metrics.CountError("rest", "resource_exhausted");
  std::string text = metrics.Render();
  EXPECT_THAT(text, HasSubstr(
      "policyd_decisions_total{api=\"grpc\",outcome=\"allow\"} 2\n"));
  EXPECT_THAT(text, HasSubstr(
      "policyd_decisions_total{api=\"other\",outcome=\"error\"} 1\n"));
  EXPECT_THAT(text, HasSubstr(
      "policyd_decision_duration_seconds_bucket{api=\"grpc\",outcome=\"allow\","
      "le=\"5e-06\"} 2\n"));
  EXPECT_THAT(text, HasSubstr(
      "policyd_request_errors_total{api=\"rest\",reason=\"resource_exhausted\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("policyd_build_info{version=\""));
}

TEST(ServiceMetricsTest, BucketBoundsPrintAsShortDecimals) {
  // The Grafana dashboard (deploy/grafana/) selects buckets by these `le`
  // values: each must print as the short decimal it was written as.
  ServiceMetrics metrics;
  metrics.ObserveDecision("rest", Outcome::kAllow, absl::Microseconds(30));
  std::string text = metrics.Render();
  const std::string prefix =
      "policyd_decision_duration_seconds_bucket{api=\"rest\",outcome=\"allow\",le=\"";
  std::vector<std::string> les;
  for (size_t at = text.find(prefix); at != std::string::npos;
       at = text.find(prefix, at + 1)) {
    size_t start = at + prefix.size();
    les.push_back(text.substr(start, text.find('"', start) - start));
  }
  EXPECT_EQ(les, (std::vector<std::string>{
                     "1e-06", "2.5e-06", "5e-06", "1e-05", "2.5e-05", "5e-05",
                     "0.0001", "0.00025", "0.0005", "0.001", "0.0025", "0.005",
                     "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5",
                     "5", "10", "+Inf"}));
  EXPECT_THAT(text, HasSubstr(prefix + "2.5e-05\"} 0\n"));
  EXPECT_THAT(text, HasSubstr(prefix + "5e-05\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE policyd_decision_duration_seconds histogram\n"));
}

TEST(ServiceMetricsTest, CollectorsRunBeforeEachRender) {
  ServiceMetrics metrics;
  int runs = 0;
  metrics.AddCollector([&] {
    ++runs;
    metrics.queue_depth()->Set(runs * 10);
  });
  metrics.Render();
  std::string text = metrics.Render();
  EXPECT_EQ(runs, 2);
  EXPECT_THAT(text, HasSubstr("policyd_worker_queue_depth 20\n"));
}

TEST(ServiceMetricsTest, BundleActivationsAndActiveRevision) {
  fs::path dir = fs::path(::testing::TempDir()) / "service_metrics_test";
  fs::remove_all(dir);
  WriteBundle(dir / "b", "r1");
  bundles::Store store(dir.string(), bundles::StoreOptions());
  ServiceMetrics metrics;
  store.AddListener([&](const bundles::ReloadEvent& event) {
    metrics.ObserveReload(event, store.Status());
  });
  ASSERT_TRUE(store.Reload().ok());
  std::string text = metrics.Render();
  EXPECT_THAT(text, HasSubstr("policyd_bundle_activations_total{bundle=\"b\"} 1\n"));
  EXPECT_THAT(text, HasSubstr(
      "policyd_bundle_active_revision{bundle=\"b\",revision=\"r1\"} 1\n"));

  WriteBundle(dir / "b", "r2");
  ASSERT_TRUE(store.Reload().ok());
  text = metrics.Render();
  EXPECT_THAT(text, HasSubstr("policyd_bundle_activations_total{bundle=\"b\"} 2\n"));
  EXPECT_THAT(text, HasSubstr(
      "policyd_bundle_active_revision{bundle=\"b\",revision=\"r2\"} 1\n"));
  EXPECT_THAT(text, Not(HasSubstr("revision=\"r1\"")));

  std::ofstream(dir / "b" / "p.rego") << "package p\nx :=";
  EXPECT_FALSE(store.Reload().ok());
  text = metrics.Render();
  EXPECT_THAT(text, HasSubstr("policyd_bundle_failures_total{bundle=\"b\"} 1\n"));
  EXPECT_THAT(text, HasSubstr(
      "policyd_bundle_active_revision{bundle=\"b\",revision=\"r2\"} 1\n"));
}

}  // namespace
}  // namespace policyd

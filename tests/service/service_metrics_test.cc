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
  std::string text = metrics.registry().Render();
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
  std::string text = metrics.registry().Render();
  EXPECT_THAT(text, HasSubstr("policyd_bundle_activations_total{bundle=\"b\"} 1\n"));
  EXPECT_THAT(text, HasSubstr(
      "policyd_bundle_active_revision{bundle=\"b\",revision=\"r1\"} 1\n"));

  WriteBundle(dir / "b", "r2");
  ASSERT_TRUE(store.Reload().ok());
  text = metrics.registry().Render();
  EXPECT_THAT(text, HasSubstr("policyd_bundle_activations_total{bundle=\"b\"} 2\n"));
  EXPECT_THAT(text, HasSubstr(
      "policyd_bundle_active_revision{bundle=\"b\",revision=\"r2\"} 1\n"));
  EXPECT_THAT(text, Not(HasSubstr("revision=\"r1\"")));

  std::ofstream(dir / "b" / "p.rego") << "package p\nx :=";
  EXPECT_FALSE(store.Reload().ok());
  text = metrics.registry().Render();
  EXPECT_THAT(text, HasSubstr("policyd_bundle_failures_total{bundle=\"b\"} 1\n"));
  EXPECT_THAT(text, HasSubstr(
      "policyd_bundle_active_revision{bundle=\"b\",revision=\"r2\"} 1\n"));
}

}  // namespace
}  // namespace policyd

#include "service/metrics.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace policyd::metrics {
namespace {

using ::testing::HasSubstr;

TEST(MetricsTest, CounterAndGaugeRender) {
  Registry registry;
  auto* counter = registry.AddCounter("x_total", "Things.", {"kind"});
  counter->Get({"a"})->Inc();
  counter->Get({"a"})->Inc(2);
  counter->Get({"b"})->Inc();
  registry.AddGauge("depth", "Depth.")->Get({})->Set(2.5);
  std::string text = registry.Render();
  EXPECT_THAT(text, HasSubstr("# HELP x_total Things.\n# TYPE x_total counter\n"
                              "x_total{kind=\"a\"} 3\nx_total{kind=\"b\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE depth gauge\ndepth 2.5\n"));
}

TEST(MetricsTest, HistogramBucketsAreCumulativeAndUpperInclusive) {
  Registry registry;
  auto* h = registry.AddHistogram("lat_seconds", "Latency.", {"api"},
                                  {0.001, 0.01})->Get({"grpc"});
  h->Observe(0.001);   // on the bound: first bucket
  h->Observe(0.005);
  h->Observe(5);
  std::string text = registry.Render();
  EXPECT_THAT(text, HasSubstr("lat_seconds_bucket{api=\"grpc\",le=\"0.001\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("lat_seconds_bucket{api=\"grpc\",le=\"0.01\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("lat_seconds_bucket{api=\"grpc\",le=\"+Inf\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("lat_seconds_sum{api=\"grpc\"} 5.006\n"));
  EXPECT_THAT(text, HasSubstr("lat_seconds_count{api=\"grpc\"} 3\n"));
}

TEST(MetricsTest, LatencyBucketsStartAtOneMicrosecond) {
  std::vector<double> b = LatencyBuckets();
  ASSERT_FALSE(b.empty());
  EXPECT_DOUBLE_EQ(b.front(), 1e-6);
  EXPECT_DOUBLE_EQ(b.back(), 10);
  for (size_t i = 1; i < b.size(); ++i) EXPECT_LT(b[i - 1], b[i]);
}

TEST(MetricsTest, LabelValuesAreEscaped) {
  EXPECT_EQ(EscapeLabelValue("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
}

TEST(MetricsTest, ClearDropsSeriesAndCollectorsRun) {
  Registry registry;
  auto* g = registry.AddGauge("rev", "Revision.", {"r"});
  g->Get({"one"})->Set(1);
  g->Clear();
  g->Get({"two"})->Set(1);
  int collected = 0;
  registry.AddCollector([&] { ++collected; });
  std::string text = registry.Render();
  EXPECT_THAT(text, HasSubstr("rev{r=\"two\"} 1"));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("one")));
  EXPECT_EQ(collected, 1);
}

}  // namespace
}  // namespace policyd::metrics

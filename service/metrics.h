// A small Prometheus client: counters, gauges and histograms in labelled
// families, rendered in the Prometheus text exposition format (version
// 0.0.4). prometheus-cpp is not packaged in Debian 12, hence this.
//
//   Registry registry;
//   auto* decisions = registry.AddCounter("policyd_decisions_total",
//                                         "Decisions made.", {"api"});
//   decisions->Get({"grpc"})->Inc();
//   std::string text = registry.Render();
//
// Series pointers stay valid for the registry's life unless their family is
// Clear()ed. Updates are lock-free; only creating a series and rendering
// take a lock. Label values must come from small, known sets (never from
// raw request data): every distinct value is a series kept forever.
#ifndef POLICYD_SERVICE_METRICS_H_
#define POLICYD_SERVICE_METRICS_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace policyd::metrics {

class Counter {
 public:
  void Inc(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

class Gauge {
 public:
  void Set(double v) { value_.store(v, std::memory_order_relaxed); }
  void Add(double d);
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Histogram {
 public:
  // `bounds`: the upper bounds of the buckets, increasing; +Inf is implied.
  explicit Histogram(std::vector<double> bounds);
  void Observe(double v);

  const std::vector<double>& bounds() const { return bounds_; }
  // Cumulative counts per bound, then +Inf (== count()).
  std::vector<uint64_t> CumulativeCounts() const;
  uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  double sum() const { return sum_.load(std::memory_order_relaxed); }

 private:
  const std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // bounds_.size() + 1
  std::atomic<uint64_t> count_{0};
  std::atomic<double> sum_{0};
};

// Latency buckets in seconds: 1 µs up to 10 s, 1-2.5-5 per decade.
std::vector<double> LatencyBuckets();

enum class Type { kCounter, kGauge, kHistogram };

template <typename T>
class Family {
 public:
  Family(std::string name, std::string help, std::vector<std::string> labels,
         std::function<std::unique_ptr<T>()> make)
      : name_(std::move(name)),
        help_(std::move(help)),
        labels_(std::move(labels)),
        make_(std::move(make)) {}

  // The series with these label values (one per label name), created on
  // first use.
  T* Get(const std::vector<std::string>& values) {
    absl::MutexLock lock(&mu_);
    std::unique_ptr<T>& slot = series_[values];
    if (slot == nullptr) slot = make_();
    return slot.get();
  }
  // Drops every series (e.g. a gauge whose label value changed).
  void Clear() {
    absl::MutexLock lock(&mu_);
    series_.clear();
  }

  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  const std::vector<std::string>& labels() const { return labels_; }
  template <typename F>
  void ForEach(F f) const {
    absl::MutexLock lock(&mu_);
    for (const auto& [values, series] : series_) f(values, *series);
  }

 private:
  const std::string name_;
  const std::string help_;
  const std::vector<std::string> labels_;
  const std::function<std::unique_ptr<T>()> make_;
  mutable absl::Mutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<T>> series_
      ABSL_GUARDED_BY(mu_);
};

class Registry {
 public:
  Family<Counter>* AddCounter(std::string name, std::string help,
                              std::vector<std::string> labels = {});
  Family<Gauge>* AddGauge(std::string name, std::string help,
                          std::vector<std::string> labels = {});
  Family<Histogram>* AddHistogram(std::string name, std::string help,
                                  std::vector<std::string> labels,
                                  std::vector<double> bounds);
  // Runs before each Render(), to refresh gauges that are cheaper to read
  // on demand (queue depth).
  void AddCollector(std::function<void()> collect);

  // The text exposition format, families in the order they were added.
  std::string Render() const;

 private:
  mutable absl::Mutex mu_;
  std::vector<std::unique_ptr<Family<Counter>>> counters_ ABSL_GUARDED_BY(mu_);
  std::vector<std::unique_ptr<Family<Gauge>>> gauges_ ABSL_GUARDED_BY(mu_);
  std::vector<std::unique_ptr<Family<Histogram>>> histograms_
      ABSL_GUARDED_BY(mu_);
  // (type, index into the vector of that type), in order of addition.
  std::vector<std::pair<Type, size_t>> order_ ABSL_GUARDED_BY(mu_);
  std::vector<std::function<void()>> collectors_ ABSL_GUARDED_BY(mu_);
};

// Escapes a label value for the text format (\\, \" and \n).
std::string EscapeLabelValue(std::string_view value);

}  // namespace policyd::metrics

#endif  // POLICYD_SERVICE_METRICS_H_

#include "service/metrics.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace policyd::metrics {
namespace {

void AtomicAdd(std::atomic<double>& target, double d) {
  double old = target.load(std::memory_order_relaxed);
  while (!target.compare_exchange_weak(old, old + d,
                                       std::memory_order_relaxed)) {
  }
}

std::string FormatNumber(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (std::isnan(v)) return "NaN";
  if (v == std::floor(v) && std::fabs(v) < 9007199254740992.0) {
    return absl::StrFormat("%.0f", v);
  }
  return absl::StrFormat("%.9g", v);
}

std::string EscapeHelp(std::string_view help) {
  std::string out;
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// `{a="x",b="y"}` (plus `extra`, e.g. le="0.5"), or "" without labels.
std::string Labels(const std::vector<std::string>& names,
                   const std::vector<std::string>& values,
                   std::string_view extra = "") {
  if (names.empty() && extra.empty()) return "";
  std::string out = "{";
  for (size_t i = 0; i < names.size() && i < values.size(); ++i) {
    if (i > 0) out += ",";
    absl::StrAppend(&out, names[i], "=\"", EscapeLabelValue(values[i]), "\"");
  }
  if (!extra.empty()) {
    if (!names.empty()) out += ",";
    out += extra;
  }
  out += "}";
  return out;
}

void Header(std::string* out, const std::string& name, const std::string& help,
            const char* type) {
  absl::StrAppend(out, "# HELP ", name, " ", EscapeHelp(help), "\n# TYPE ",
                  name, " ", type, "\n");
}

}  // namespace

std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void Gauge::Add(double d) { AtomicAdd(value_, d); }

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      buckets_(new std::atomic<uint64_t>[bounds_.size() + 1]) {
  for (size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0);
}

void Histogram::Observe(double v) {
  // Prometheus buckets are upper-inclusive: v lands in the first bound >= v.
  size_t i = std::lower_bound(bounds_.begin(), bounds_.end(), v) -
             bounds_.begin();
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  AtomicAdd(sum_, v);
  count_.fetch_add(1, std::memory_order_relaxed);
}

std::vector<uint64_t> Histogram::CumulativeCounts() const {
  std::vector<uint64_t> out(bounds_.size() + 1);
  uint64_t total = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    total += buckets_[i].load(std::memory_order_relaxed);
    out[i] = total;
  }
  return out;
}

std::vector<double> LatencyBuckets() {
  std::vector<double> bounds;
  for (double decade = 1e-6; decade < 10; decade *= 10) {
    for (double m : {1.0, 2.5, 5.0}) bounds.push_back(decade * m);
  }
  bounds.push_back(10);
  return bounds;
}

Family<Counter>* Registry::AddCounter(std::string name, std::string help,
                                      std::vector<std::string> labels) {
  absl::MutexLock lock(&mu_);
  counters_.push_back(std::make_unique<Family<Counter>>(
      std::move(name), std::move(help), std::move(labels),
      [] { return std::make_unique<Counter>(); }));
  order_.emplace_back(Type::kCounter, counters_.size() - 1);
  return counters_.back().get();
}

Family<Gauge>* Registry::AddGauge(std::string name, std::string help,
                                  std::vector<std::string> labels) {
  absl::MutexLock lock(&mu_);
  gauges_.push_back(std::make_unique<Family<Gauge>>(
      std::move(name), std::move(help), std::move(labels),
      [] { return std::make_unique<Gauge>(); }));
  order_.emplace_back(Type::kGauge, gauges_.size() - 1);
  return gauges_.back().get();
}

Family<Histogram>* Registry::AddHistogram(std::string name, std::string help,
                                          std::vector<std::string> labels,
                                          std::vector<double> bounds) {
  absl::MutexLock lock(&mu_);
  histograms_.push_back(std::make_unique<Family<Histogram>>(
      std::move(name), std::move(help), std::move(labels),
      [bounds] { return std::make_unique<Histogram>(bounds); }));
  order_.emplace_back(Type::kHistogram, histograms_.size() - 1);
  return histograms_.back().get();
}

void Registry::AddCollector(std::function<void()> collect) {
  absl::MutexLock lock(&mu_);
  collectors_.push_back(std::move(collect));
}

std::string Registry::Render() const {
  absl::MutexLock lock(&mu_);
  for (const auto& collect : collectors_) collect();
  std::string out;
  for (const auto& [type, index] : order_) {
    switch (type) {
      case Type::kCounter: {
        const Family<Counter>& f = *counters_[index];
        Header(&out, f.name(), f.help(), "counter");
        f.ForEach([&](const std::vector<std::string>& values, const Counter& c) {
          absl::StrAppend(&out, f.name(), Labels(f.labels(), values), " ",
                          c.value(), "\n");
        });
        break;
      }
      case Type::kGauge: {
        const Family<Gauge>& f = *gauges_[index];
        Header(&out, f.name(), f.help(), "gauge");
        f.ForEach([&](const std::vector<std::string>& values, const Gauge& g) {
          absl::StrAppend(&out, f.name(), Labels(f.labels(), values), " ",
                          FormatNumber(g.value()), "\n");
        });
        break;
      }
      case Type::kHistogram: {
        const Family<Histogram>& f = *histograms_[index];
        Header(&out, f.name(), f.help(), "histogram");
        f.ForEach([&](const std::vector<std::string>& values,
                      const Histogram& h) {
          // _count is the +Inf bucket of the same read, so the two agree
          // even while other threads observe.
          std::vector<uint64_t> counts = h.CumulativeCounts();
          for (size_t i = 0; i < h.bounds().size(); ++i) {
            absl::StrAppend(
                &out, f.name(), "_bucket",
                Labels(f.labels(), values,
                       absl::StrCat("le=\"", FormatNumber(h.bounds()[i]), "\"")),
                " ", counts[i], "\n");
          }
          absl::StrAppend(&out, f.name(), "_bucket",
                          Labels(f.labels(), values, "le=\"+Inf\""), " ",
                          counts.back(), "\n");
          absl::StrAppend(&out, f.name(), "_sum", Labels(f.labels(), values),
                          " ", FormatNumber(h.sum()), "\n");
          absl::StrAppend(&out, f.name(), "_count", Labels(f.labels(), values),
                          " ", counts.back(), "\n");
        });
        break;
      }
    }
  }
  return out;
}

}  // namespace policyd::metrics

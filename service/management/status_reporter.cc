#include "service/management/status_reporter.h"

#include <iostream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "service/management/decision_log_uploader.h"

namespace policyd {
namespace {

constexpr absl::Duration kFirstRetry = absl::Milliseconds(500);

Value Time(absl::Time t) {
  if (t == absl::InfinitePast()) t = absl::UnixEpoch();
  return Value::String(absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ", t, absl::UTCTimeZone()));
}

Value Str(std::string s) { return Value::String(std::move(s)); }

}  // namespace

StatusReporter::StatusReporter(const HttpClient* client, bool console,
                               std::map<std::string, std::string> labels,
                               const bundles::Store* store,
                               std::vector<const BundleDownloader*> downloaders,
                               absl::Duration period)
    : client_(client),
      console_(console),
      labels_(ManagementLabels(labels)),
      store_(store),
      downloaders_(std::move(downloaders)),
      period_(period) {}

StatusReporter::~StatusReporter() { loop_.reset(); }

void StatusReporter::Start() {
  loop_ = std::make_unique<BackgroundLoop>([this] { return Report(); });
}

void StatusReporter::Notify() {
  if (loop_ != nullptr) loop_->Wake();
}

Value StatusReporter::Payload() const {
  std::map<std::string, Value> bundles;
  bundles::StoreStatus store = store_->Status();
  for (const bundles::BundleStatus& b : store.bundles) {
    std::vector<ObjectEntry> e;
    e.emplace_back(Str("name"), Str(b.name));
    e.emplace_back(Str("active_revision"), Str(b.active ? b.revision : ""));
    e.emplace_back(Str("last_successful_activation"),
                   Time(b.active ? b.loaded : absl::InfinitePast()));
    if (!b.errors.empty()) {
      std::vector<Value> errors;
      for (const bundles::BundleError& err : b.errors) errors.push_back(Str(err.ToString()));
      e.emplace_back(Str("code"), Str("bundle_error"));
      e.emplace_back(Str("message"), Str(b.errors.front().ToString()));
      e.emplace_back(Str("errors"), Value::Array(std::move(errors)));
    }
    bundles[b.name] = Value::Object(std::move(e));
  }
  for (const BundleDownloader* d : downloaders_) {
    BundleDownloadStatus s = d->Status();
    std::vector<ObjectEntry> e;
    e.emplace_back(Str("name"), Str(s.name));
    e.emplace_back(Str("active_revision"), Str(s.active_revision));
    e.emplace_back(Str("last_request"), Time(s.last_request));
    e.emplace_back(Str("last_successful_request"), Time(s.last_successful_request));
    e.emplace_back(Str("last_successful_download"), Time(s.last_successful_download));
    e.emplace_back(Str("last_successful_activation"), Time(s.last_successful_activation));
    if (s.http_code != 0) e.emplace_back(Str("http_code"), Value::Int(s.http_code));
    if (s.size != 0) e.emplace_back(Str("size"), Value::Int(static_cast<int64_t>(s.size)));
    if (!s.error.empty()) {
      e.emplace_back(Str("code"), Str("bundle_error"));
      e.emplace_back(Str("message"), Str(s.error));
    }
    bundles[s.name] = Value::Object(std::move(e));
  }
  std::vector<ObjectEntry> by_name;
  for (auto& [name, v] : bundles) by_name.emplace_back(Str(name), std::move(v));
  return Value::Object({{Str("labels"), labels_},
                        {Str("bundles"), Value::Object(std::move(by_name))}});
}

absl::Duration StatusReporter::Report() {
  std::string payload;
  Payload().AppendJson(&payload);
  absl::Time now = absl::Now();
  if (payload == last_sent_ && now - last_time_ < period_) {
    return period_ - (now - last_time_);
  }
  // One write, so that the line does not interleave with the server's.
  if (console_) std::cerr << absl::StrCat("policyd: status ", payload, "\n") << std::flush;
  if (client_ != nullptr) {
    HttpClientRequest request;
    request.method = "POST";
    request.resource = "status";
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = payload;
    absl::StatusOr<HttpClientResponse> response = client_->Send(request);
    if (!response.ok() || response->status < 200 || response->status >= 300) {
      ++failures_;
      return BackoffDelay(failures_, kFirstRetry, period_);
    }
  }
  failures_ = 0;
  last_sent_ = std::move(payload);
  last_time_ = now;
  return period_;
}

}  // namespace policyd

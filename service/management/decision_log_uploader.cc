#include "service/management/decision_log_uploader.h"

#include <algorithm>
#include <random>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "service/decider.h"
#include "util/gzip.h"

namespace policyd {
namespace {

constexpr absl::Duration kFirstRetry = absl::Milliseconds(500);

// A random version 4 UUID, OPA's instance id.
std::string NewInstanceId() {
  std::random_device rd;
  std::mt19937_64 rng(rd());
  uint64_t hi = rng(), lo = rng();
  hi = (hi & ~uint64_t{0xF000}) | 0x4000;
  lo = (lo & ~(uint64_t{0xC} << 60)) | (uint64_t{0x8} << 60);
  char out[37];
  std::snprintf(out, sizeof(out), "%08x-%04x-%04x-%04x-%012llx",
                static_cast<unsigned>(hi >> 32), static_cast<unsigned>((hi >> 16) & 0xFFFF),
                static_cast<unsigned>(hi & 0xFFFF), static_cast<unsigned>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFull));
  return out;
}

Value WithEntry(const Value& object, const char* key, Value value) {
  std::vector<ObjectEntry> entries = object.entries().ToVector();
  entries.emplace_back(Value::String(key), std::move(value));
  return Value::Object(std::move(entries));
}

}  // namespace

Value ManagementLabels(const std::map<std::string, std::string>& configured) {
  static const std::string* const id = new std::string(NewInstanceId());
  std::vector<ObjectEntry> labels;
  labels.emplace_back(Value::String("id"), Value::String(*id));
  labels.emplace_back(Value::String("version"), Value::String(POLICYD_VERSION));
  for (const auto& [k, v] : configured) {
    if (k != "id" && k != "version") labels.emplace_back(Value::String(k), Value::String(v));
  }
  return Value::Object(std::move(labels));
}

DecisionLogUploader::DecisionLogUploader(const HttpClient* client,
                                         DecisionLogsConfig config,
                                         std::map<std::string, std::string> labels,
                                         const bundles::Store* store,
                                         ServiceMetrics* metrics, DecisionLogSink* also)
    : client_(client),
      config_(std::move(config)),
      labels_(ManagementLabels(labels)),
      store_(store),
      metrics_(metrics),
      also_(also) {
  absl::string_view path = config_.mask_decision;
  absl::ConsumePrefix(&path, "/");
  absl::StatusOr<std::string> query = QueryForPath(std::string_view(path.data(), path.size()));
  if (query.ok()) mask_query_ = *query;
}

DecisionLogUploader::~DecisionLogUploader() {
  loop_.reset();
  if (client_ != nullptr) (void)Upload();
}

void DecisionLogUploader::Start() {
  if (client_ == nullptr) return;
  loop_ = std::make_unique<BackgroundLoop>([this] { return Upload(); });
}

std::string DecisionLogUploader::Encode(const DecisionLogEntry& entry) const {
  Value event = WithEntry(DecisionLogEvent(entry), "labels", labels_);
  event = WithEntry(event, "requested_by", Value::String(""));
  // The mask policy sees the event and answers the paths to erase
  // ("/input/password") or operations ({"op": "upsert", "path": ...,
  // "value": ...}, {"op": "remove", "path": ...}).
  std::vector<Value> erased, masked;
  if (!mask_query_.empty()) {
    std::shared_ptr<const bundles::Snapshot> snapshot = store_->Current();
    absl::StatusOr<std::shared_ptr<const PreparedQuery>> query =
        snapshot->Query(mask_query_);
    std::optional<Value> ops;
    if (query.ok()) {
      EvalOptions options;
      options.input = &event;
      options.deadline = absl::Now() + absl::Seconds(1);
      absl::StatusOr<std::optional<Value>> result = (*query)->EvalValue(options);
      if (result.ok()) ops = *std::move(*result);
    }
    if (ops.has_value() && (ops->is_set() || ops->is_array())) {
      Value original = event;
      for (const Value& op : ops->elements()) {
        const Value* path = op.is_string() ? &op : op.Find("path");
        if (path == nullptr || !path->is_string()) continue;
        absl::StatusOr<std::vector<std::string>> keys =
            ParseMaskPath(std::string(path->string()), {"input", "result"});
        if (!keys.ok()) continue;
        const Value* kind = op.Find("op");
        bool upsert = kind != nullptr && kind->is_string() && kind->string() == "upsert";
        const Value* value = op.Find("value");
        bool changed = false;
        event = ReplaceAtPath(event, *keys,
                              upsert && value != nullptr ? std::optional<Value>(*value)
                                                         : std::nullopt,
                              &changed);
        if (changed) (upsert ? masked : erased).push_back(*path);
      }
    }
  }
  if (!erased.empty()) event = WithEntry(event, "erased", Value::Array(std::move(erased)));
  if (!masked.empty()) event = WithEntry(event, "masked", Value::Array(std::move(masked)));
  std::string json;
  event.AppendJson(&json);
  return json;
}

void DecisionLogUploader::Log(DecisionLogEntry entry) {
  if (also_ != nullptr) also_->Log(entry);
  if (client_ == nullptr) return;
  std::string json = Encode(entry);
  uint64_t dropped = 0;
  {
    absl::MutexLock lock(&mu_);
    const size_t limit = static_cast<size_t>(config_.buffer_size_limit_bytes);
    while (!buffer_.empty() && bytes_ + json.size() > limit) {
      bytes_ -= buffer_.front().json.size();
      buffer_.pop_front();
      ++dropped;
    }
    if (json.size() > limit) {
      ++dropped;
    } else {
      bytes_ += json.size();
      buffer_.push_back({next_seq_++, std::move(json)});
    }
    dropped_ += dropped;
  }
  if (dropped > 0) metrics_->CountDroppedLogEvents(dropped);
}

bool DecisionLogUploader::UploadOne(bool* more) {
  const size_t limit = static_cast<size_t>(config_.upload_size_limit_bytes);
  std::vector<Event> chunk;
  {
    absl::MutexLock lock(&mu_);
    // The uncompressed size that should compress to the limit, with room.
    size_t target = static_cast<size_t>(static_cast<double>(limit) * ratio_ * 0.8);
    size_t size = 2;
    for (const Event& e : buffer_) {
      if (!chunk.empty() && size + e.json.size() + 1 > target) break;
      chunk.push_back(e);
      size += e.json.size() + 1;
    }
  }
  if (chunk.empty()) {
    *more = false;
    return true;
  }
  // Fewer events while the compressed array is over the limit.
  std::string body, compressed;
  size_t count = chunk.size();
  while (true) {
    body = "[";
    for (size_t i = 0; i < count; ++i) {
      if (i > 0) body += ',';
      body += chunk[i].json;
    }
    body += ']';
    compressed = Gzip(body);
    if (compressed.size() <= limit || count == 1) break;
    count = std::max<size_t>(1, count / 2);
  }
  ratio_ = std::max(1.0, static_cast<double>(body.size()) /
                             static_cast<double>(std::max<size_t>(1, compressed.size())));
  uint64_t last_seq = chunk[count - 1].seq;
  if (compressed.size() > limit) {
    // One event alone is over the limit: it can never be sent (as OPA).
    absl::MutexLock lock(&mu_);
    while (!buffer_.empty() && buffer_.front().seq <= last_seq) {
      bytes_ -= buffer_.front().json.size();
      buffer_.pop_front();
      ++dropped_;
    }
    *more = !buffer_.empty();
    metrics_->CountDroppedLogEvents(1);
    return true;
  }
  HttpClientRequest request;
  request.method = "POST";
  request.resource = config_.resource;
  request.headers.emplace_back("Content-Type", "application/json");
  request.headers.emplace_back("Content-Encoding", "gzip");
  request.body = std::move(compressed);
  absl::StatusOr<HttpClientResponse> response = client_->Send(request);
  if (!response.ok() || response->status < 200 || response->status >= 300) {
    metrics_->CountLogUploadFailure();
    return false;
  }
  metrics_->CountUploadedLogEvents(count);
  absl::MutexLock lock(&mu_);
  // Events dropped meanwhile from the front were sent all the same.
  while (!buffer_.empty() && buffer_.front().seq <= last_seq) {
    bytes_ -= buffer_.front().json.size();
    buffer_.pop_front();
  }
  *more = !buffer_.empty();
  return true;
}

absl::Duration DecisionLogUploader::Upload() {
  bool more = true;
  while (more) {
    if (!UploadOne(&more)) {
      ++failures_;
      return BackoffDelay(failures_, kFirstRetry, config_.max_delay);
    }
  }
  failures_ = 0;
  return RandomDelay(config_.min_delay, config_.max_delay);
}

uint64_t DecisionLogUploader::dropped() const {
  absl::MutexLock lock(&mu_);
  return dropped_;
}

size_t DecisionLogUploader::buffered_bytes() const {
  absl::MutexLock lock(&mu_);
  return bytes_;
}

}  // namespace policyd

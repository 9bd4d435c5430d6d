#include "service/decision_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace policyd {
namespace {

Value ReplaceAt(const Value& value, const std::vector<std::string>& keys,
                size_t depth, const std::optional<Value>& replacement, bool* changed) {
  if (!value.is_object() || depth >= keys.size()) return value;
  std::vector<ObjectEntry> entries;
  entries.reserve(value.size() + 1);
  bool found = false;
  for (const auto& [key, v] : value.entries()) {
    if (!key.is_string() || key.string() != keys[depth]) {
      entries.emplace_back(key, v);
      continue;
    }
    found = true;
    if (depth + 1 < keys.size()) {
      entries.emplace_back(key, ReplaceAt(v, keys, depth + 1, replacement, changed));
    } else if (replacement.has_value()) {
      entries.emplace_back(key, *replacement);
      *changed = true;
    } else {
      *changed = true;
    }
  }
  if (!found && depth + 1 == keys.size() && replacement.has_value()) {
    entries.emplace_back(Value::String(keys[depth]), *replacement);
    *changed = true;
    return Value::Object(std::move(entries));
  }
  return Value::ObjectFromSorted(std::move(entries));
}

}  // namespace

Value ReplaceAtPath(const Value& value, const std::vector<std::string>& keys,
                    const std::optional<Value>& replacement, bool* changed) {
  return ReplaceAt(value, keys, 0, replacement, changed);
}

absl::StatusOr<std::vector<std::string>> ParseMaskPath(
    absl::string_view path, const std::vector<std::string>& roots) {
  std::vector<std::string> parts = absl::StrSplit(path, '/');
  // "/input/a/b" splits into "", "input", "a", "b".
  if (parts.size() < 2 || !parts[0].empty() ||
      std::find(roots.begin(), roots.end(), parts[1]) == roots.end()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "decision log mask \"", path, "\": expected a path under /",
        absl::StrJoin(roots, " or /"), ", e.g. /input/password"));
  }
  for (size_t i = 2; i < parts.size(); ++i) {
    if (parts[i].empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "decision log mask \"", path, "\": empty path segment"));
    }
  }
  parts.erase(parts.begin());
  return parts;
}

absl::StatusOr<std::unique_ptr<DecisionLog>> DecisionLog::Open(
    DecisionLogOptions options) {
  std::vector<std::vector<std::string>> masks;
  for (const std::string& mask : options.mask) {
    absl::StatusOr<std::vector<std::string>> keys = ParseMaskPath(mask, {"input"});
    if (!keys.ok()) return keys.status();
    if (keys->size() < 2) {
      return absl::InvalidArgumentError(absl::StrCat(
          "decision log mask \"", mask, "\": expected a path under /input, e.g. /input/password"));
    }
    masks.push_back(*std::move(keys));
  }
  FILE* out = stdout;
  bool owns = false;
  if (options.output != "stdout") {
    // Decisions carry request data: readable by the owner only.
    int fd = ::open(options.output.c_str(),
                    O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    out = fd < 0 ? nullptr : ::fdopen(fd, "a");
    if (out == nullptr) {
      if (fd >= 0) ::close(fd);
      return absl::InvalidArgumentError(
          absl::StrCat("decision log: cannot open ", options.output, ": ",
                       std::strerror(errno)));
    }
    owns = true;
  }
  return std::unique_ptr<DecisionLog>(
      new DecisionLog(std::move(options), out, owns, std::move(masks)));
}

DecisionLog::DecisionLog(DecisionLogOptions options, FILE* out, bool owns_out,
                         std::vector<std::vector<std::string>> masks)
    : options_(std::move(options)),
      out_(out),
      owns_out_(owns_out),
      masks_(std::move(masks)) {
  thread_ = std::thread([this] { Run(); });
}

DecisionLog::~DecisionLog() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
  if (owns_out_) {
    std::fclose(out_);
  } else {
    std::fflush(out_);
  }
}

void DecisionLog::Log(DecisionLogEntry entry) {
  absl::MutexLock lock(&mu_);
  if (queue_.size() >= options_.buffer) {
    ++dropped_;
    return;
  }
  queue_.push_back(std::move(entry));
}

uint64_t DecisionLog::dropped() const {
  absl::MutexLock lock(&mu_);
  return dropped_;
}

Value DecisionLogEvent(const DecisionLogEntry& entry) {
  std::vector<ObjectEntry> event;
  event.emplace_back(Value::String("decision_id"), Value::String(entry.decision_id));
  event.emplace_back(Value::String("timestamp"),
                     Value::String(absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ", entry.time,
                                                    absl::UTCTimeZone())));
  event.emplace_back(Value::String("api"), Value::String(entry.api));
  event.emplace_back(Value::String("path"), Value::String(entry.path));
  if (entry.input.has_value()) event.emplace_back(Value::String("input"), *entry.input);
  if (entry.result.has_value()) event.emplace_back(Value::String("result"), *entry.result);
  if (!entry.error.empty()) {
    event.emplace_back(Value::String("error"), Value::String(entry.error));
  }
  std::vector<ObjectEntry> bundles;
  for (const auto& [name, revision] : entry.revisions) {
    bundles.emplace_back(
        Value::String(name),
        Value::Object({{Value::String("revision"), Value::String(revision)}}));
  }
  event.emplace_back(Value::String("bundles"), Value::Object(std::move(bundles)));
  event.emplace_back(
      Value::String("metrics"),
      Value::Object({{Value::String("timer_server_handler_ns"),
                      Value::Int(absl::ToInt64Nanoseconds(entry.duration))}}));
  return Value::Object(std::move(event));
}

std::string DecisionLog::Format(const DecisionLogEntry& entry) const {
  Value event = DecisionLogEvent(entry);
  std::vector<Value> erased;
  for (const auto& keys : masks_) {
    bool was_erased = false;
    event = ReplaceAtPath(event, keys, std::nullopt, &was_erased);
    if (was_erased) erased.push_back(Value::String(absl::StrCat("/", absl::StrJoin(keys, "/"))));
  }
  if (!erased.empty()) {
    std::vector<ObjectEntry> entries = event.entries().ToVector();
    entries.emplace_back(Value::String("erased"), Value::Array(std::move(erased)));
    event = Value::Object(std::move(entries));
  }
  std::string line;
  event.AppendJson(&line);
  return line;
}

void DecisionLog::Run() {
  auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return stopping_ || !queue_.empty();
  };
  while (true) {
    std::deque<DecisionLogEntry> batch;
    {
      absl::MutexLock lock(&mu_, absl::Condition(&ready));
      if (queue_.empty()) return;  // stopping and drained
      batch.swap(queue_);
    }
    std::string text;
    for (const DecisionLogEntry& entry : batch) {
      text += Format(entry);
      text += '\n';
    }
    std::fwrite(text.data(), 1, text.size(), out_);
    std::fflush(out_);
  }
}

}  // namespace policyd

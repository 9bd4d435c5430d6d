#include "service/decision_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace policyd {
namespace {

// `value` without the entry at `keys` (objects only); `erased` tells
// whether anything was there.
Value Erase(const Value& value, const std::vector<std::string>& keys,
            size_t depth, bool* erased) {
  if (!value.is_object() || depth >= keys.size()) return value;
  std::vector<ObjectEntry> entries;
  entries.reserve(value.size());
  for (const auto& [key, v] : value.entries()) {
    if (key.is_string() && key.string() == keys[depth]) {
      if (depth + 1 == keys.size()) {
        *erased = true;
        continue;
      }
      entries.emplace_back(key, Erase(v, keys, depth + 1, erased));
    } else {
      entries.emplace_back(key, v);
    }
  }
  return Value::ObjectFromSorted(std::move(entries));
}

void AppendJsonString(std::string* out, std::string_view s) {
  Value::String(s).AppendJson(out);
}

}  // namespace

absl::StatusOr<std::unique_ptr<DecisionLog>> DecisionLog::Open(
    DecisionLogOptions options) {
  std::vector<std::vector<std::string>> masks;
  for (const std::string& mask : options.mask) {
    std::vector<std::string> parts = absl::StrSplit(mask, '/');
    // "/input/a/b" splits into "", "input", "a", "b".
    if (parts.size() < 3 || !parts[0].empty() || parts[1] != "input") {
      return absl::InvalidArgumentError(absl::StrCat(
          "decision log mask \"", mask,
          "\": expected a path under /input, e.g. /input/password"));
    }
    for (size_t i = 2; i < parts.size(); ++i) {
      if (parts[i].empty()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "decision log mask \"", mask, "\": empty path segment"));
      }
    }
    masks.emplace_back(parts.begin() + 2, parts.end());
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

std::string DecisionLog::Format(const DecisionLogEntry& entry) const {
  std::string line = "{\"decision_id\":";
  AppendJsonString(&line, entry.decision_id);
  line += ",\"timestamp\":";
  AppendJsonString(&line, absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ", entry.time,
                                           absl::UTCTimeZone()));
  line += ",\"api\":";
  AppendJsonString(&line, entry.api);
  line += ",\"path\":";
  AppendJsonString(&line, entry.path);
  std::vector<std::string> erased;
  if (entry.input.has_value()) {
    Value input = *entry.input;
    for (const auto& keys : masks_) {
      bool was_erased = false;
      input = Erase(input, keys, 0, &was_erased);
      if (was_erased) {
        erased.push_back(absl::StrCat("/input/", absl::StrJoin(keys, "/")));
      }
    }
    line += ",\"input\":";
    input.AppendJson(&line);
  }
  if (entry.result.has_value()) {
    line += ",\"result\":";
    entry.result->AppendJson(&line);
  }
  if (!entry.error.empty()) {
    line += ",\"error\":";
    AppendJsonString(&line, entry.error);
  }
  line += ",\"bundles\":{";
  for (size_t i = 0; i < entry.revisions.size(); ++i) {
    if (i > 0) line += ",";
    AppendJsonString(&line, entry.revisions[i].first);
    line += ":{\"revision\":";
    AppendJsonString(&line, entry.revisions[i].second);
    line += "}";
  }
  line += "}";
  if (!erased.empty()) {
    line += ",\"erased\":[";
    for (size_t i = 0; i < erased.size(); ++i) {
      if (i > 0) line += ",";
      AppendJsonString(&line, erased[i]);
    }
    line += "]";
  }
  absl::StrAppend(&line, ",\"metrics\":{\"timer_server_handler_ns\":",
                  absl::ToInt64Nanoseconds(entry.duration), "}}");
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

// The decision log: one JSON line per decision (OPA's decision log shape:
// decision_id, timestamp, path, input, result, bundles with revisions,
// erased, metrics; plus the api that asked), written to stdout or a file by
// a thread of its own. Logging never blocks a decision: when the writer
// falls behind and its buffer is full, lines are dropped and counted.
#ifndef POLICYD_SERVICE_DECISION_LOG_H_
#define POLICYD_SERVICE_DECISION_LOG_H_

#include <cstdint>
#include <cstdio>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "engine/value/value.h"

namespace policyd {

struct DecisionLogOptions {
  // "stdout", or a file appended to.
  std::string output = "stdout";
  // Input paths to erase before logging, as OPA's masks write them:
  // "/input/password", "/input/user/token".
  std::vector<std::string> mask;
  // Lines buffered for the writer; beyond that they are dropped.
  size_t buffer = 10000;
};

struct DecisionLogEntry {
  std::string decision_id;
  absl::Time time;
  std::string api;
  std::string path;
  std::optional<Value> input;
  std::optional<Value> result;  // nullopt: undefined
  std::string error;            // "" when none
  std::vector<std::pair<std::string, std::string>> revisions;
  absl::Duration duration;
};

// Where decisions are logged; Log() never blocks on output.
class DecisionLogSink {
 public:
  virtual ~DecisionLogSink() = default;
  virtual void Log(DecisionLogEntry entry) = 0;
};

// The event of `entry` in OPA's decision log format, before masking.
Value DecisionLogEvent(const DecisionLogEntry& entry);

// `value` with the entry at `keys` (a path through objects) replaced by
// `replacement`, or removed when it is nullopt; `changed` tells whether
// anything was done. A missing parent object is left alone.
Value ReplaceAtPath(const Value& value, const std::vector<std::string>& keys,
                    const std::optional<Value>& replacement, bool* changed);

// Splits OPA's mask path "/input/a/b" into {"input", "a", "b"}; the first
// segment must be one of `roots`.
absl::StatusOr<std::vector<std::string>> ParseMaskPath(
    absl::string_view path, const std::vector<std::string>& roots);

class DecisionLog : public DecisionLogSink {
 public:
  // Fails when the file cannot be opened or a mask is malformed.
  static absl::StatusOr<std::unique_ptr<DecisionLog>> Open(
      DecisionLogOptions options);
  ~DecisionLog();  // writes what is buffered, then closes

  // Never blocks on the writer.
  void Log(DecisionLogEntry entry) override;
  // Lines dropped so far.
  uint64_t dropped() const;

  // The line for `entry` (without the newline), masks applied.
  std::string Format(const DecisionLogEntry& entry) const;

 private:
  DecisionLog(DecisionLogOptions options, FILE* out, bool owns_out,
              std::vector<std::vector<std::string>> masks);
  void Run();

  const DecisionLogOptions options_;
  FILE* const out_;
  const bool owns_out_;
  // Each mask as its keys from the top of the event ("input", ...).
  const std::vector<std::vector<std::string>> masks_;

  mutable absl::Mutex mu_;
  std::deque<DecisionLogEntry> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t dropped_ ABSL_GUARDED_BY(mu_) = 0;
  std::thread thread_;
};

}  // namespace policyd

#endif  // POLICYD_SERVICE_DECISION_LOG_H_

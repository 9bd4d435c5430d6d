#include "service/decider.h"

#include <cstdint>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "engine/engine.h"
#include "util/hex.h"

namespace policyd {
namespace {

bool IsIdentifier(absl::string_view s) {
  if (s.empty() || absl::ascii_isdigit(s[0])) return false;
  for (char c : s) {
    if (!absl::ascii_isalnum(c) && c != '_') return false;
  }
  return true;
}

absl::Status UnknownPath(absl::string_view path, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown path syntax \"", path, "\": ", why,
      " (write a/b/c or data.a.b.c)"));
}

}  // namespace

absl::StatusOr<std::string> QueryForPath(std::string_view std_path) {
  absl::string_view path(std_path.data(), std_path.size());
  std::string query = "data";
  if (path == "data" || absl::StartsWith(path, "data.")) {
    if (path.size() > 4) {
      for (absl::string_view part : absl::StrSplit(path.substr(5), '.')) {
        if (!IsIdentifier(part)) {
          return UnknownPath(path, absl::StrCat("\"", part,
                                                "\" is not an identifier"));
        }
        absl::StrAppend(&query, ".", part);
      }
    }
    return query;
  }
  absl::string_view rest = path;
  if (absl::StartsWith(rest, "/")) rest.remove_prefix(1);
  if (absl::EndsWith(rest, "/")) rest.remove_suffix(1);
  if (rest.empty()) return query;
  for (absl::string_view part : absl::StrSplit(rest, '/')) {
    if (part.empty()) return UnknownPath(path, "empty path segment");
    if (IsIdentifier(part)) {
      absl::StrAppend(&query, ".", part);
    } else {
      query += "[";
      Value::String(std::string(part)).AppendJson(&query);
      query += "]";
    }
  }
  return query;
}

std::string NewDecisionId() {
  thread_local absl::BitGen gen;
  uint64_t hi = absl::Uniform<uint64_t>(gen);
  uint64_t lo = absl::Uniform<uint64_t>(gen);
  hi = (hi & ~uint64_t{0xF000}) | 0x4000;                    // version 4
  lo = (lo & ~(uint64_t{0xC} << 60)) | (uint64_t{0x8} << 60);  // variant
  // By hand rather than StrFormat: one id per decision, on the hot path.
  std::string id(36, '-');
  int pos = 0;
  for (int i = 0; i < 32; ++i) {
    if (pos == 8 || pos == 13 || pos == 18 || pos == 23) ++pos;
    uint64_t word = i < 16 ? hi : lo;
    id[pos++] = kHexLower[(word >> (60 - 4 * (i % 16))) & 0xF];
  }
  return id;
}

std::vector<std::pair<std::string, std::string>> Decision::Revisions() const {
  std::vector<std::pair<std::string, std::string>> out;
  if (snapshot == nullptr) return out;
  for (const auto& bundle : snapshot->bundles()) {
    out.emplace_back(bundle->name, bundle->manifest.revision);
  }
  return out;
}

Outcome ClassifyDecision(const Decision& decision) {
  if (!decision.status.ok()) return Outcome::kError;
  if (!decision.result.has_value()) return Outcome::kUndefined;
  const Value& v = *decision.result;
  if (v.is_bool()) return v.boolean() ? Outcome::kAllow : Outcome::kDeny;
  if (v.is_object()) {
    const Value* allowed = v.Find("allowed");
    if (allowed != nullptr && allowed->is_bool() && !allowed->boolean()) {
      return Outcome::kDeny;
    }
  }
  return Outcome::kAllow;
}

bool HasActiveBundles(const bundles::Snapshot& snapshot) {
  return snapshot.generation() > 0 && !snapshot.bundles().empty();
}

Decider::Decider(const bundles::Store* store, ServiceMetrics* metrics,
                 DecisionLogSink* log, Options options)
    : store_(store), metrics_(metrics), log_(log), options_(options) {}

EvalOptions Decider::Limits(absl::Time start, absl::Time deadline) const {
  EvalOptions eval;
  eval.deadline = deadline == absl::InfiniteFuture()
                      ? start + options_.default_timeout
                      : deadline;
  eval.cancel = options_.cancel;
  eval.max_steps = options_.max_steps;
  eval.max_memory_bytes = options_.max_memory_bytes;
  return eval;
}

Decision Decider::Decide(std::string_view path, const Value* input,
                         absl::Time deadline,
                         const DecisionRequestOptions& request) const {
  Decision decision;
  decision.decision_id = NewDecisionId();
  absl::Time start = absl::Now();
  decision.snapshot = store_->Current();
  if (!HasActiveBundles(*decision.snapshot) &&
      decision.snapshot->overlay().empty()) {
    decision.status = absl::FailedPreconditionError(
        "no bundle is active yet (see GetStatus or GET /health?bundles)");
    return decision;
  }
  absl::StatusOr<std::string> query = QueryForPath(path);
  if (!query.ok()) {
    decision.status = query.status();
    return decision;
  }
  absl::StatusOr<std::shared_ptr<const PreparedQuery>> prepared =
      decision.snapshot->Query(*query);
  if (!prepared.ok()) {
    decision.status = prepared.status();
    return decision;
  }
  EvalOptions eval = Limits(start, deadline);
  eval.input = input;
  if (request.cancelled != nullptr) eval.cancel = request.cancelled;
  eval.strict_builtin_errors =
      request.strict_builtin_errors.value_or(options_.strict_builtin_errors);
  eval.tracer = request.tracer;
  absl::StatusOr<std::optional<Value>> value = (*prepared)->EvalValue(eval);
  decision.eval_time = absl::Now() - start;
  if (!value.ok()) {
    decision.status = value.status();
  } else {
    decision.result = *std::move(value);
  }
  return decision;
}

void Decider::Record(std::string_view api, std::string_view path,
                     const Value* input, const Decision& decision,
                     Outcome outcome, absl::Time start) const {
  absl::Time now = absl::Now();
  metrics_->ObserveDecision(api, outcome, now - start);
  if (log_ == nullptr) return;
  DecisionLogEntry entry;
  entry.decision_id = decision.decision_id;
  entry.time = start;
  entry.api = std::string(api);
  entry.path = std::string(path);
  if (input != nullptr) entry.input = *input;
  entry.result = decision.result;
  if (!decision.status.ok()) entry.error = decision.status.ToString();
  entry.revisions = decision.Revisions();
  entry.duration = now - start;
  log_->Log(std::move(entry));
}

}  // namespace policyd

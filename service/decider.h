// Makes one decision: takes the store's current snapshot, evaluates the
// prepared query for a decision path with an input under a deadline, and
// records the outcome (latency histogram, counters, decision log). Every API
// (Decision API, ext_authz, REST) goes through here, on a thread holding one
// of the WorkerPool's evaluation slots.
#ifndef POLICYD_SERVICE_DECIDER_H_
#define POLICYD_SERVICE_DECIDER_H_

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bundles/store.h"
#include "engine/engine.h"
#include "engine/value/value.h"
#include "service/decision_log.h"
#include "service/service_metrics.h"

namespace policyd {

// The Rego query of a decision path: "authz/allow", "/authz/allow" and
// "data.authz.allow" all give `data.authz.allow`; segments that are not
// identifiers are quoted (`data.x["a-b"]`); "" and "/" give `data`.
// InvalidArgument ("unknown path syntax") for empty segments or a
// malformed reference.
absl::StatusOr<std::string> QueryForPath(std::string_view path);

// A random RFC 4122 version 4 UUID.
std::string NewDecisionId();

struct Decision {
  std::optional<Value> result;  // nullopt: undefined (or an error)
  // Not OK for an error: FailedPrecondition when no bundle is active,
  // InvalidArgument for a bad path, the engine's error otherwise (its OPA
  // code via ErrorCode()).
  absl::Status status;
  std::string decision_id;
  std::shared_ptr<const bundles::Snapshot> snapshot;
  absl::Duration eval_time;

  // Bundle name -> revision of the snapshot, sorted by name.
  std::vector<std::pair<std::string, std::string>> Revisions() const;
};

// allow: defined and neither `false` nor an object with `"allowed": false`;
// deny: those two; undefined; error.
Outcome ClassifyDecision(const Decision& decision);

// True when `snapshot` holds at least one active bundle.
bool HasActiveBundles(const bundles::Snapshot& snapshot);

// What one request (OPA's REST API parameters) may change of a decision.
struct DecisionRequestOptions {
  std::optional<bool> strict_builtin_errors;  // unset: the server's
  EvalTracer* tracer = nullptr;               // explanations
  // Turns true when the caller's call is cancelled (unset: the server's
  // flag): the evaluation stops.
  const std::atomic<bool>* cancelled = nullptr;
};

class Decider {
 public:
  struct Options {
    bool strict_builtin_errors = false;
    int64_t max_steps = 0;  // 0: no limit
    // Bytes builtins may allocate for one decision's values (0: no limit).
    int64_t max_memory_bytes = EvalOptions().max_memory_bytes;
    // The deadline of a decision whose caller set none (a gRPC call without
    // a deadline): every decision is bounded.
    absl::Duration default_timeout = absl::Seconds(5);
    // When set and true, evaluations stop (the server's grace period ended).
    const std::atomic<bool>* cancel = nullptr;
  };
  // `log` may be null (decision log off). All must outlive the decider.
  Decider(const bundles::Store* store, ServiceMetrics* metrics,
          DecisionLogSink* log, Options options);

  // Evaluates `path` for `input` (nullptr: no input) by `deadline`
  // (InfiniteFuture: the default timeout).
  Decision Decide(std::string_view path, const Value* input,
                  absl::Time deadline,
                  const DecisionRequestOptions& request = {}) const;

  // The limits every evaluation runs under: `deadline`, or `start` plus the
  // default timeout when it is InfiniteFuture; the step and memory budgets;
  // the server's cancel flag. For callers that evaluate on their own (the
  // admission webhook) as Decide does.
  EvalOptions Limits(absl::Time start, absl::Time deadline) const;

  // Observes the decision's latency (since `start`) under `api` and
  // `outcome`, and logs it.
  void Record(std::string_view api, std::string_view path, const Value* input,
              const Decision& decision, Outcome outcome,
              absl::Time start) const;

  ServiceMetrics* metrics() const { return metrics_; }
  const bundles::Store* store() const { return store_; }

 private:
  const bundles::Store* const store_;
  ServiceMetrics* const metrics_;
  DecisionLogSink* const log_;
  const Options options_;
};

}  // namespace policyd

#endif  // POLICYD_SERVICE_DECIDER_H_

// OPA's REST API on the HTTP listener, so that OPA's client SDKs work
// unchanged:
//   POST /v1/data/{path}        {"input": ...} -> {"result": ..., "decision_id": ...}
//   GET  /v1/data/{path}        the same without input
//   POST /v1/batch/data/{path}  {"inputs": {id: input}} -> {"responses": {id: ...}}
//   POST /                      the body is the input of the default decision;
//                               answers its value alone
//   GET  /health[?bundles]      200, or (with ?bundles) 500 until every
//                               bundle is active
//   GET  /metrics               Prometheus text format
// Decisions run in the worker pool's evaluation slots: the HTTP server hands
// each request to Dispatch, which runs it in a slot (or refuses it, 429);
// /health and /metrics run at once, so probes answer under load.
// No `result` key when the decision is undefined. Errors are OPA's shape,
// {"code": ..., "message": ...}: 400 invalid_parameter, 404
// resource_not_found / undefined_document, 405 method_not_allowed, 429
// too_many_requests (queue full), 500 internal_error (policy errors), 503
// unavailable (no bundle active yet).
#ifndef POLICYD_SERVICE_API_REST_API_H_
#define POLICYD_SERVICE_API_REST_API_H_

#include <atomic>
#include <string>

#include "service/decider.h"
#include "service/transport/http_server.h"
#include "service/transport/worker_pool.h"

namespace policyd {

class RestApi {
 public:
  // All must outlive the API. Each decision must finish within `timeout`
  // of the request's arrival.
  RestApi(const Decider* decider, WorkerPool* pool,
          std::string default_decision, absl::Duration timeout);

  HttpResponse Handle(const HttpRequest& request) const;

  // HttpServerOptions::dispatch: runs `task` (which calls Handle) in an
  // evaluation slot of the pool when `request` asks for a decision, at once
  // otherwise. False when the pool's queue is full.
  bool Dispatch(const HttpRequest& request,
                absl::AnyInvocable<void() &&> task) const;

  void SetShuttingDown() { shutting_down_.store(true); }

 private:
  HttpResponse Data(const HttpRequest& request, std::string_view path) const;
  HttpResponse Batch(const HttpRequest& request, std::string_view path) const;
  HttpResponse DefaultDecision(const HttpRequest& request) const;
  HttpResponse Health(const HttpRequest& request) const;

  // Decides `path` for `input` on the calling thread, which holds an
  // evaluation slot (see Dispatch), and records the decision.
  Decision Run(std::string_view path, const Value* input,
               absl::Time start) const;

  const Decider* const decider_;
  WorkerPool* const pool_;
  const std::string default_decision_;
  const absl::Duration timeout_;
  std::atomic<bool> shutting_down_{false};
};

}  // namespace policyd

#endif  // POLICYD_SERVICE_API_REST_API_H_

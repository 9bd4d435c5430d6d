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
//   POST /v1/admit              Kubernetes AdmissionReview (admission_webhook.h)
// With writes enabled (RestOptions::store), also OPA's Policy API
// (policies_api.h), data writes (data_write_api.h), and
//   POST /v1/query {"query": Q, "input": I} and GET /v1/query?q=Q[&input=I]
//                               -> {"result": [bindings, ...]}
//   GET  /v1/config, GET /v1/status   (status_api.h)
// Query parameters of /v1/data (GET and POST): pretty, metrics (OPA's
// timer names), provenance, instrument (the same timers), strict-builtin-
// errors, explain=notes|fails|full (explain.h), and for GET, input=JSON.
// Every call is first checked by RestAccess (rest_access.h).
// No `result` key when the decision is undefined. Errors are OPA's shape,
// {"code": ..., "message": ...}: 400 invalid_parameter, 404
// resource_not_found / undefined_document, 405 method_not_allowed, 429
// too_many_requests (queue full), 500 internal_error (policy errors), 503
// unavailable (no bundle active yet).
#ifndef POLICYD_SERVICE_API_REST_API_H_
#define POLICYD_SERVICE_API_REST_API_H_

#include <atomic>
#include <string>

#include "service/api/admission_webhook.h"
#include "bundles/store.h"
#include "service/api/rest_access.h"
#include "service/decider.h"
#include "service/transport/http_server.h"
#include "service/transport/worker_pool.h"

namespace policyd {

struct RestOptions {
  // Set: the Policy API, data writes and ad-hoc queries go to this store
  // (the decider's). Unset: they answer 405/404 as before.
  bundles::Store* store = nullptr;
  RestAccess access;
  // What GET /v1/config answers, and the labels of GET /v1/status.
  Value config = Value::Object({});
  Value labels = Value::Object({});
  // Set: POST /v1/admit answers Kubernetes AdmissionReviews.
  const AdmissionWebhook* admission = nullptr;
};

class RestApi {
 public:
  // All must outlive the API. Each decision must finish within `timeout`
  // of the request's arrival.
  RestApi(const Decider* decider, WorkerPool* pool,
          std::string default_decision, absl::Duration timeout,
          RestOptions options = RestOptions());

  HttpResponse Handle(const HttpRequest& request) const;
  // Handle() after the access check.
  HttpResponse Route(const HttpRequest& request) const;

  void SetShuttingDown() { shutting_down_.store(true); }

 private:
  HttpResponse Data(const HttpRequest& request, std::string_view path) const;
  HttpResponse Batch(const HttpRequest& request, std::string_view path) const;
  HttpResponse DefaultDecision(const HttpRequest& request) const;
  HttpResponse Health(const HttpRequest& request) const;
  HttpResponse Admit(const HttpRequest& request) const;
  HttpResponse Query(const HttpRequest& request) const;

  // Runs `path` for `input` on the worker pool and waits for it; nullopt
  // when the queue is full.
  std::optional<Decision> Run(
      std::string_view path, const Value* input, absl::Time start,
      const DecisionRequestOptions& request = DecisionRequestOptions()) const;

  const Decider* const decider_;
  WorkerPool* const pool_;
  const std::string default_decision_;
  const absl::Duration timeout_;
  const RestOptions options_;
  std::atomic<bool> shutting_down_{false};
};

}  // namespace policyd

#endif  // POLICYD_SERVICE_API_REST_API_H_

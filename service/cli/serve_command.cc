#include "service/cli/serve_command.h"

#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <memory>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/synchronization/mutex.h"
#include "admission/bundle_extension.h"
#include "bundles/store.h"
#include "bundles/watcher.h"
#include "grpc/grpc.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/security/server_credentials.h"
#include "service/transport/completion_queue_threads.h"
#include "service/decider.h"
#include "service/decision_log.h"
#include "service/management.h"
#include "service/api/admission_webhook.h"
#include "service/api/decision_service.h"
#include "service/api/ext_authz_service.h"
#include "service/api/health_service.h"
#include "service/transport/http_server.h"
#include "service/api/rest_api.h"
#include "service/cli/serve_config.h"
#include "service/service_metrics.h"
#include "service/transport/worker_pool.h"
#include "util/files.h"
#include "util/status_macros.h"

namespace policyd {
namespace {

// Time given to answers already handed to gRPC to reach their clients before
// shutdown cuts the connections.
constexpr absl::Duration kFlushTime = absl::Milliseconds(200);

// Calls of each decision method kept requested per completion queue thread,
// so that a burst finds calls to match without waiting for re-requests.
constexpr int kRequestsPerThread = 4;

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> GrpcCredentials(
    const TlsFiles& tls) {
  if (!tls.enabled()) return grpc::InsecureServerCredentials();
  grpc::SslServerCredentialsOptions options(
      tls.client_ca_file.empty()
          ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
          : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  POLICYD_ASSIGN_OR_RETURN(std::string cert, ReadFile(tls.cert_file));
  POLICYD_ASSIGN_OR_RETURN(std::string key, ReadFile(tls.key_file));
  options.pem_key_cert_pairs.push_back({key, cert});
  if (!tls.client_ca_file.empty()) {
    POLICYD_ASSIGN_OR_RETURN(options.pem_root_certs, ReadFile(tls.client_ca_file));
  }
  return grpc::SslServerCredentials(options);
}

void LogReload(const bundles::ReloadEvent& event, std::ostream& err) {
  if (event.swapped) {
    err << "policyd: bundles activated (generation "
        << event.current->generation() << ", "
        << absl::FormatDuration(event.took) << "):";
    for (const auto& bundle : event.current->bundles()) {
      err << " " << bundle->name << "@"
          << (bundle->manifest.revision.empty() ? "-" : bundle->manifest.revision);
    }
    err << std::endl;
    if (auto policies = admission::AdmissionPolicies(*event.current)) {
      err << "policyd: admission: " << policies->template_count()
          << " templates, " << policies->constraint_count() << " constraints"
          << std::endl;
      for (const std::string& w : policies->warnings()) {
        err << "policyd: admission: warning: " << w << std::endl;
      }
    }
  } else if (!event.result.ok()) {
    err << "policyd: reload failed, the previous bundles keep serving: "
        << event.result.message() << std::endl;
  }
}

// The REST API's settings: writes to `store`, access control, and what
// GET /v1/config and /v1/status show (key material left out, as OPA).
RestOptions RestOptionsFor(const ServeConfig& config, bundles::Store* store,
                           const AdmissionWebhook* admission) {
  RestOptions options;
  options.store = store;
  options.admission = admission;
  options.access.token_authentication = config.authentication == "token";
  options.access.basic_authorization = config.authorization == "basic";
  options.labels = Value::Object({
      {Value::String("id"), Value::String(NewDecisionId())},
      {Value::String("version"), Value::String(POLICYD_VERSION)},
  });
  std::vector<ObjectEntry> keys;
  for (const auto& [id, key] : config.bundle_signatures.keys) {
    keys.emplace_back(Value::String(id),
                      Value::Object({{Value::String("algorithm"), Value::String(key.algorithm)}}));
  }
  options.config = Value::Object({
      {Value::String("labels"), options.labels},
      {Value::String("default_decision"), Value::String("/" + config.default_decision)},
      {Value::String("default_authorization_decision"), Value::String("/system/authz/allow")},
      {Value::String("keys"), Value::Object(std::move(keys))},
  });
  return options;
}

int RunServe(const std::vector<std::string>& args, std::ostream& out,
             std::ostream& err) {
  bool help = false;
  absl::StatusOr<ServeConfig> parsed = ParseServeArgs(args, &help);
  if (help) {
    out << ServeUsage();
    return 0;
  }
  if (!parsed.ok()) {
    err << "policyd serve: " << parsed.status().message() << "\n";
    return 2;
  }
  const ServeConfig& config = *parsed;
  // absl's deadlock detection (on in Debian's build) costs every lock a
  // graph lookup; the server's lock order is fixed and tested.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

  // Signals are taken by sigwait below; every thread started from here on
  // inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // A client that hangs up mid-response (TLS writes cannot ask for
  // MSG_NOSIGNAL) must not end the server.
  signal(SIGPIPE, SIG_IGN);

  std::unique_ptr<DecisionLog> log;
  if (!config.decision_log.empty()) {
    DecisionLogOptions options;
    options.output = config.decision_log;
    options.mask = config.decision_log_mask;
    options.buffer = config.decision_log_buffer;
    absl::StatusOr<std::unique_ptr<DecisionLog>> opened =
        DecisionLog::Open(options);
    if (!opened.ok()) {
      err << "policyd serve: " << opened.status().message() << "\n";
      return 1;
    }
    log = *std::move(opened);
  }

  ServiceMetrics metrics;
  bundles::StoreOptions store_options;
  store_options.signatures = config.bundle_signatures;
  store_options.extension =
      admission::AdmissionExtensionBuilder(config.inventory);
  if (store_options.signatures.required && store_options.signatures.keys.empty()) {
    err << "policyd serve: bundle_signatures_required needs a bundle_verification_key\n";
    return 1;
  }
  bundles::Store store(config.bundles, store_options);
  store.AddListener([&](const bundles::ReloadEvent& event) {
    metrics.ObserveReload(event, store.Status());
    LogReload(event, err);
  });
  absl::Status first = store.Reload();
  if (!first.ok()) {
    err << "policyd: serving without policy until the bundles load "
           "(health is NOT_SERVING)\n";
  }
  absl::StatusOr<std::unique_ptr<Management>> management = Management::Start(
      config.management, &store, store_options, &metrics, log.get());
  if (!management.ok()) {
    err << "policyd serve: " << management.status().message() << "\n";
    return 1;
  }
  std::unique_ptr<bundles::Watcher> watcher;
  if (config.watch && !config.bundles.empty()) {
    bundles::WatcherOptions options;
    options.poll_interval = config.watch_poll_interval;
    watcher = std::make_unique<bundles::Watcher>(&store, options);
  }

  WorkerPool pool(config.workers, config.queue_size);
  Decider::Options decider_options;
  decider_options.max_steps = config.max_steps;
  decider_options.strict_builtin_errors = config.strict_builtin_errors;
  Decider decider(&store, &metrics, (*management)->log_sink(), decider_options);
  uint64_t dropped_seen = 0;
  metrics.registry().AddCollector([&] {
    metrics.queue_depth()->Set(static_cast<double>(pool.queue_depth()));
    if (log != nullptr) {
      uint64_t dropped = log->dropped();
      if (dropped > dropped_seen) metrics.CountDroppedLogLines(dropped - dropped_seen);
      dropped_seen = dropped;
    }
  });

  DecisionService decision_service(&store, &decider, &pool);
  ExtAuthzService ext_authz(&decider, &pool, config.envoy_decision,
                            config.envoy_dry_run);
  HealthService health(&store);
  store.AddListener([&health](const bundles::ReloadEvent&) { health.Notify(); });

  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      GrpcCredentials(config.tls);
  if (!credentials.ok()) {
    err << "policyd serve: TLS: " << credentials.status().message() << "\n";
    return 1;
  }
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  std::vector<int> grpc_ports(config.grpc_addr.size(), 0);
  for (size_t i = 0; i < config.grpc_addr.size(); ++i) {
    builder.AddListeningPort(config.grpc_addr[i].GrpcTarget(), *credentials,
                             &grpc_ports[i]);
  }
  builder.RegisterService(&decision_service);
  builder.RegisterService(&ext_authz);
  builder.RegisterService(&health);
  std::unique_ptr<grpc::ServerCompletionQueue> cq =
      builder.AddCompletionQueue();
  std::unique_ptr<grpc::Server> grpc_server = builder.BuildAndStart();
  if (grpc_server == nullptr) {
    err << "policyd serve: cannot listen for gRPC on";
    for (const ListenAddress& a : config.grpc_addr) err << " " << a.ToString();
    err << "\n";
    return 1;
  }
  // One thread more than the pool has evaluation slots: with every slot
  // taken, one thread still takes new calls and queues or refuses them at
  // once.
  const int cq_thread_count = pool.threads() + 1;
  CompletionQueueThreads cq_threads(std::move(cq), cq_thread_count);
  const int requests = kRequestsPerThread * cq_thread_count;
  decision_service.Start(cq_threads.cq(), requests);
  ext_authz.Start(cq_threads.cq(), requests);
  health.Start(cq_threads.cq());
  for (size_t i = 0; i < config.grpc_addr.size(); ++i) {
    const ListenAddress& a = config.grpc_addr[i];
    if (a.is_unix) {
      ::chmod(a.path.c_str(), config.unix_socket_mode);
      err << "policyd: gRPC listening on " << a.ToString() << std::endl;
    } else {
      err << "policyd: gRPC listening on " << a.host << ":" << grpc_ports[i]
          << std::endl;
    }
  }

  AdmissionWebhook admission(&decider, config.decision_timeout,
                             config.max_steps);
  RestApi rest(&decider, &pool, config.default_decision,
               config.decision_timeout, RestOptionsFor(config, &store, &admission));
  std::vector<std::unique_ptr<HttpServer>> http_servers;
  for (const ListenAddress& a : config.http_addr) {
    HttpServerOptions options;
    options.unix_socket_mode = config.unix_socket_mode;
    options.tls = config.tls;
    absl::StatusOr<std::unique_ptr<HttpServer>> server = HttpServer::Start(
        a, [&rest](const HttpRequest& r) { return rest.Handle(r); }, options);
    if (!server.ok()) {
      err << "policyd serve: HTTP: " << server.status().message() << "\n";
      grpc_server->Shutdown();
      pool.Shutdown();  // before the completion queue goes
      return 1;
    }
    if (a.is_unix) {
      err << "policyd: HTTP listening on " << a.ToString() << std::endl;
    } else {
      err << "policyd: HTTP listening on " << a.host << ":" << (*server)->port()
          << std::endl;
    }
    http_servers.push_back(*std::move(server));
  }

  while (true) {
    int signal = 0;
    if (sigwait(&signals, &signal) != 0) continue;
    if (signal == SIGHUP) {
      err << "policyd: SIGHUP, reloading bundles" << std::endl;
      (void)store.Reload();
      continue;
    }
    break;
  }

  err << "policyd: shutting down (grace " << absl::FormatDuration(config.shutdown_grace)
      << ")" << std::endl;
  health.SetShuttingDown();
  rest.SetShuttingDown();
  absl::Time deadline = absl::Now() + config.shutdown_grace;
  // Both listeners drain at once.
  std::thread http_stop([&] {
    for (auto& server : http_servers) server->Stop(deadline - absl::Now());
  });
  std::thread grpc_stop(
      [&] { grpc_server->Shutdown(absl::ToChronoTime(deadline)); });
  // gRPC's graceful shutdown also waits for every client to close its
  // connection, so one that keeps an idle connection open would hold the
  // process for the whole grace period. Once no decision is queued or
  // running and the last answers have had a moment to be written, the
  // remaining calls and connections are cut.
  if (pool.WaitIdle(deadline)) {
    absl::SleepFor(std::min(kFlushTime, deadline - absl::Now()));
  }
  grpc_server_cancel_all_calls(grpc_server->c_server());
  grpc_stop.join();
  http_stop.join();
  // Decisions still queued or running answer their (cancelled) calls, so
  // the completion queue must outlive them.
  pool.Shutdown();
  cq_threads.Shutdown();
  watcher.reset();
  management->reset();  // after the last decision: flushes the upload
  err << "policyd: stopped" << std::endl;
  return 0;
}

}  // namespace

Command ServeCommand() {
  return {"serve", "Serve decisions over gRPC (Decision API, Envoy ext_authz) and HTTP",
          RunServe};
}

}  // namespace policyd

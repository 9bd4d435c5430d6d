#include "service/server.h"

#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <algorithm>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "admission/bundle_extension.h"
#include "grpc/grpc.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/security/server_credentials.h"
#include "service/api/admission_webhook.h"
#include "service/api/decision_service.h"
#include "service/api/ext_authz_service.h"
#include "service/api/health_service.h"
#include "service/api/rest_api.h"
#include "service/management/management.h"
#include "service/transport/completion_queue_threads.h"
#include "service/transport/http_server.h"
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

sigset_t ServerSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  return signals;
}

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

// A listener may replace a socket left over from an earlier run, never a
// file of another kind (a typo in a path must not delete data).
absl::Status CheckUnixPaths(const std::vector<ListenAddress>& addresses) {
  for (const ListenAddress& a : addresses) {
    struct stat st;
    if (!a.is_unix || ::lstat(a.path.c_str(), &st) != 0) continue;
    if (!S_ISSOCK(st.st_mode)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "refusing to listen on ", a.ToString(), ": ", a.path,
          " exists and is not a socket (remove it if it is not needed)"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

Server::Server(ServeConfig config, std::ostream& log)
    : config_(std::move(config)),
      log_(log),
      request_bytes_(config_.max_request_bytes_in_flight) {}

Server::~Server() { Shutdown(absl::ZeroDuration()); }

void Server::BlockSignals() {
  sigset_t signals = ServerSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // A client that hangs up mid-response (TLS writes cannot ask for
  // MSG_NOSIGNAL) must not end the server.
  signal(SIGPIPE, SIG_IGN);
}

void Server::Log(absl::string_view message) {
  // One write per line: reloads log from the watcher's thread while the
  // main thread logs, and lines written piecemeal would interleave.
  std::string line = absl::StrCat("policyd: ", message, "\n");
  std::lock_guard<std::mutex> lock(log_mu_);
  log_.write(line.data(), static_cast<std::streamsize>(line.size()));
  log_.flush();
}

void Server::LogReload(const bundles::ReloadEvent& event) {
  if (event.swapped) {
    std::string line = absl::StrCat(
        "bundles activated (generation ", event.current->generation(), ", ",
        absl::FormatDuration(event.took), "):");
    for (const auto& bundle : event.current->bundles()) {
      absl::StrAppend(&line, " ", bundle->name, "@",
                      bundle->manifest.revision.empty()
                          ? "-"
                          : bundle->manifest.revision);
    }
    Log(line);
    if (auto policies = admission::AdmissionPolicies(*event.current)) {
      Log(absl::StrCat("admission: ", policies->template_count(),
                       " templates, ", policies->constraint_count(),
                       " constraints"));
      for (const std::string& w : policies->warnings()) {
        Log(absl::StrCat("admission: warning: ", w));
      }
    }
  } else if (!event.result.ok()) {
    Log(absl::StrCat("reload failed, the previous bundles keep serving: ",
                     event.result.message()));
  }
}

absl::Status Server::Start() {
  // Each HTTP connection holds a descriptor: allow as many as the hard
  // limit does (the soft default, often 1024, is below the connection cap).
  rlimit files;
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
  }
  started_ = true;
  if (absl::Status s = CheckUnixPaths(config_.grpc_addr); !s.ok()) return s;
  if (absl::Status s = CheckUnixPaths(config_.http_addr); !s.ok()) return s;
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      GrpcCredentials(config_.tls);
  if (!credentials.ok()) {
    return absl::Status(credentials.status().code(),
                        absl::StrCat("TLS: ", credentials.status().message()));
  }

  if (!config_.decision_log.empty()) {
    DecisionLogOptions options;
    options.output = config_.decision_log;
    options.mask = config_.decision_log_mask;
    options.buffer = config_.decision_log_buffer;
    absl::StatusOr<std::unique_ptr<DecisionLog>> opened =
        DecisionLog::Open(options);
    if (!opened.ok()) return opened.status();
    decision_log_ = *std::move(opened);
  }

  bundles::StoreOptions store_options;
  store_options.signatures = config_.bundle_signatures;
  store_options.allow_empty = config_.allow_empty;
  store_options.extension =
      admission::AdmissionExtensionBuilder(config_.inventory);
  if (store_options.signatures.required &&
      store_options.signatures.keys.empty()) {
    return absl::InvalidArgumentError(
        "bundle_signatures_required needs a bundle_verification_key");
  }
  store_ = std::make_unique<bundles::Store>(config_.bundles, store_options);
  store_->AddListener([this](const bundles::ReloadEvent& event) {
    metrics_.ObserveReload(event, store_->Status());
    LogReload(event);
  });
  if (!store_->Reload().ok()) {
    Log("serving without policy until the bundles load (health is "
        "NOT_SERVING)");
  }
  POLICYD_ASSIGN_OR_RETURN(
      management_, Management::Start(config_.management, store_.get(),
                                     store_options, &metrics_,
                                     decision_log_.get()));
  if (config_.watch && !config_.bundles.empty()) {
    bundles::WatcherOptions options;
    options.poll_interval = config_.watch_poll_interval;
    options.quiet = config_.watch_quiet_period;
    watcher_ = std::make_unique<bundles::Watcher>(store_.get(), options);
  }

  pool_ = std::make_unique<WorkerPool>(config_.workers, config_.queue_size);
  Decider::Options decider_options;
  decider_options.max_steps = config_.max_steps;
  decider_options.max_memory_bytes = config_.max_decision_memory;
  decider_options.strict_builtin_errors = config_.strict_builtin_errors;
  decider_options.default_timeout = config_.decision_timeout;
  decider_options.cancel = &cancel_;
  decider_ = std::make_unique<Decider>(store_.get(), &metrics_,
                                       management_->log_sink(), decider_options);
  metrics_.AddCollector([this] {
    if (pool_ == nullptr) return;
    metrics_.queue_depth()->Set(static_cast<double>(pool_->queue_depth()));
    if (decision_log_ != nullptr) {
      uint64_t dropped = decision_log_->dropped();
      if (dropped > log_lines_dropped_seen_) {
        metrics_.CountDroppedLogLines(dropped - log_lines_dropped_seen_);
      }
      log_lines_dropped_seen_ = dropped;
    }
  });

  decision_service_ = std::make_unique<DecisionService>(
      store_.get(), decider_.get(), pool_.get());
  ext_authz_ = std::make_unique<ExtAuthzService>(
      decider_.get(), pool_.get(), config_.envoy_decision,
      config_.envoy_dry_run);
  health_ = std::make_unique<HealthService>(store_.get());
  store_->AddListener(
      [this](const bundles::ReloadEvent&) { health_->Notify(); });

  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  grpc_ports_.assign(config_.grpc_addr.size(), 0);
  for (size_t i = 0; i < config_.grpc_addr.size(); ++i) {
    builder.AddListeningPort(config_.grpc_addr[i].GrpcTarget(), *credentials,
                             &grpc_ports_[i]);
  }
  builder.RegisterService(decision_service_.get());
  builder.RegisterService(ext_authz_.get());
  builder.RegisterService(health_.get());
  std::unique_ptr<grpc::ServerCompletionQueue> cq =
      builder.AddCompletionQueue();
  grpc_server_ = builder.BuildAndStart();
  if (grpc_server_ == nullptr) {
    std::string addresses;
    for (const ListenAddress& a : config_.grpc_addr) {
      absl::StrAppend(&addresses, " ", a.ToString());
    }
    Shutdown(absl::ZeroDuration());
    return absl::UnavailableError(
        absl::StrCat("cannot listen for gRPC on", addresses));
  }
  // One thread more than the pool has evaluation slots: with every slot
  // taken, one thread still takes new calls and queues or refuses them at
  // once.
  const int cq_thread_count = pool_->threads() + 1;
  cq_threads_ =
      std::make_unique<CompletionQueueThreads>(std::move(cq), cq_thread_count);
  const int requests = kRequestsPerThread * cq_thread_count;
  decision_service_->Start(cq_threads_->cq(), requests);
  ext_authz_->Start(cq_threads_->cq(), requests);
  health_->Start(cq_threads_->cq());
  for (size_t i = 0; i < config_.grpc_addr.size(); ++i) {
    const ListenAddress& a = config_.grpc_addr[i];
    if (a.is_unix) {
      ::chmod(a.path.c_str(), config_.unix_socket_mode);
      Log(absl::StrCat("gRPC listening on ", a.ToString()));
    } else {
      Log(absl::StrCat("gRPC listening on ", a.host, ":", grpc_ports_[i]));
    }
  }

  admission_ = std::make_unique<AdmissionWebhook>(decider_.get());
  rest_ = std::make_unique<RestApi>(
      decider_.get(), pool_.get(), config_.default_decision,
      config_.decision_timeout,
      RestOptionsFor(config_, store_.get(), admission_.get()));
  for (const ListenAddress& a : config_.http_addr) {
    HttpServerOptions options;
    options.unix_socket_mode = config_.unix_socket_mode;
    options.tls = config_.tls;
    options.bytes_in_flight = &request_bytes_;
    options.max_connections = config_.http_max_connections;
    options.max_header_bytes = config_.http_max_header_bytes;
    options.max_body_bytes = config_.http_max_body_bytes;
    options.request_timeout = config_.http_request_timeout;
    options.idle_timeout = config_.http_idle_timeout;
    options.send_timeout = config_.http_send_timeout;
    // As for gRPC: one I/O thread more than there are evaluation slots, so
    // that with every slot busy one still reads, queues and refuses.
    options.threads = pool_->threads() + 1;
    options.dispatch = [this](const HttpRequest& r,
                              absl::AnyInvocable<void() &&> task) {
      return rest_->Dispatch(r, std::move(task));
    };
    absl::StatusOr<std::unique_ptr<HttpServer>> server = HttpServer::Start(
        a, [this](const HttpRequest& r) { return rest_->Handle(r); },
        options);
    if (!server.ok()) {
      Shutdown(absl::ZeroDuration());
      return absl::Status(server.status().code(),
                          absl::StrCat("HTTP: ", server.status().message()));
    }
    http_ports_.push_back((*server)->port());
    if (a.is_unix) {
      Log(absl::StrCat("HTTP listening on ", a.ToString()));
    } else {
      Log(absl::StrCat("HTTP listening on ", a.host, ":", (*server)->port()));
    }
    http_servers_.push_back(*std::move(server));
  }
  return absl::OkStatus();
}

int Server::WaitForSignals() {
  BlockSignals();
  sigset_t signals = ServerSignals();
  while (true) {
    int signal = 0;
    if (sigwait(&signals, &signal) != 0) continue;
    if (signal != SIGHUP) return signal;
    Log("SIGHUP, reloading bundles");
    if (store_ != nullptr) store_->Reload().IgnoreError();  // in the status
  }
}

void Server::Shutdown(absl::Duration grace) {
  if (!started_ || stopped_) return;
  stopped_ = true;
  Log(absl::StrCat("shutting down (grace ", absl::FormatDuration(grace), ")"));
  const absl::Time deadline = absl::Now() + grace;
  // Reloads stop first: their listeners reach the parts torn down below.
  watcher_.reset();
  if (health_ != nullptr) health_->SetShuttingDown();
  if (rest_ != nullptr) rest_->SetShuttingDown();
  // Both listeners drain at once.
  std::thread http_stop([this, deadline] {
    for (auto& server : http_servers_) server->Stop(deadline - absl::Now());
  });
  std::thread grpc_stop([this, deadline] {
    if (grpc_server_ != nullptr) {
      grpc_server_->Shutdown(absl::ToChronoTime(deadline));
    }
  });
  // gRPC's graceful shutdown also waits for every client to close its
  // connection, so one that keeps an idle connection open would hold the
  // process for the whole grace period. Once no decision is queued or
  // running and the last answers have had a moment to be written, the
  // remaining calls and connections are cut. Evaluations still running at
  // the deadline are cancelled, so that the process ends in time.
  if (pool_ != nullptr && pool_->WaitIdle(deadline)) {
    absl::SleepFor(std::min(kFlushTime, deadline - absl::Now()));
  }
  cancel_.store(true);
  if (grpc_server_ != nullptr) {
    grpc_server_cancel_all_calls(grpc_server_->c_server());
  }
  grpc_stop.join();
  http_stop.join();
  http_servers_.clear();
  rest_.reset();
  admission_.reset();
  // Decisions still queued or running answer their (cancelled) calls, so
  // the completion queue must outlive them.
  if (pool_ != nullptr) pool_->Shutdown();
  if (cq_threads_ != nullptr) cq_threads_->Shutdown();
  cq_threads_.reset();
  grpc_server_.reset();
  health_.reset();
  ext_authz_.reset();
  decision_service_.reset();
  decider_.reset();
  pool_.reset();
  management_.reset();  // after the last decision: flushes the uploads
  decision_log_.reset();  // flushes
  Log("stopped");
}

}  // namespace policyd

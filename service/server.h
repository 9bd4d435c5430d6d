// The decision service of `policyd serve` as one object: Start builds and
// starts every part in dependency order (decision log, bundle store and
// watcher, worker pool and decider, gRPC services and threads, HTTP
// listeners), WaitForSignals serves until SIGTERM/SIGINT (SIGHUP reloads),
// Shutdown(grace) drains and tears the parts down in reverse order.
//
//   Server server(config, std::cerr);
//   Server::BlockSignals();          // before any thread starts
//   if (absl::Status s = server.Start(); !s.ok()) ...
//   server.WaitForSignals();
//   server.Shutdown(config.shutdown_grace);
//
// A part added later (another listener, a fleet client) is a member built in
// Start after what it uses and reset in Shutdown before it.
#ifndef POLICYD_SERVICE_SERVER_H_
#define POLICYD_SERVICE_SERVER_H_

#include <atomic>
#include <memory>
#include <mutex>
#include <ostream>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bundles/store.h"
#include "bundles/watcher.h"
#include "service/cli/serve_config.h"
#include "service/decider.h"
#include "service/decision_log.h"
#include "service/service_metrics.h"
#include "service/transport/byte_budget.h"
#include "service/transport/worker_pool.h"

namespace grpc {
class Server;
}

namespace policyd {

class AdmissionWebhook;
class CompletionQueueThreads;
class DecisionService;
class ExtAuthzService;
class HealthService;
class HttpServer;
class Management;
class RestApi;

class Server {
 public:
  // `log` receives the one-line status messages (listening, reloads,
  // shutting down); it must outlive the server.
  Server(ServeConfig config, std::ostream& log);
  ~Server();  // Shutdown(absl::ZeroDuration()) when still running

  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Blocks SIGTERM, SIGINT and SIGHUP in the calling thread (and in every
  // thread it starts later), so that WaitForSignals takes them; ignores
  // SIGPIPE. Call before Start in the thread that will wait.
  static void BlockSignals();

  // Opens the decision log, loads the bundles (a failed first load is not
  // an error: the server answers "no bundle active" until one loads), binds
  // the listeners and starts serving. On error nothing keeps running. Call
  // once.
  absl::Status Start();

  // Serves until SIGTERM or SIGINT arrives for this thread or the process
  // (SIGHUP reloads the bundles meanwhile); returns that signal.
  int WaitForSignals();

  // Stops taking calls, lets the decisions in flight finish and answer for
  // up to `grace`, then cancels what still runs and tears everything down.
  // Returns within `grace` plus the time a cancelled evaluation takes to
  // notice (one step check). Safe to call more than once.
  void Shutdown(absl::Duration grace);

  // The bound ports, in the order of the config's addresses (0 for Unix
  // sockets); valid after Start.
  const std::vector<int>& grpc_ports() const { return grpc_ports_; }
  const std::vector<int>& http_ports() const { return http_ports_; }

  // Valid after Start.
  bundles::Store& store() { return *store_; }
  // Decisions being evaluated now (each holds a worker pool slot).
  int decisions_running() const { return pool_ ? pool_->running() : 0; }

 private:
  // Writes "policyd: MESSAGE" as one line.
  void Log(absl::string_view message);
  void LogReload(const bundles::ReloadEvent& event);

  const ServeConfig config_;
  std::ostream& log_;
  std::mutex log_mu_;
  bool started_ = false;
  bool stopped_ = false;
  // Set when the grace period ends: evaluations still running stop.
  std::atomic<bool> cancel_{false};
  ByteBudget request_bytes_;

  // In dependency order; Shutdown resets them in reverse.
  std::unique_ptr<DecisionLog> decision_log_;
  std::unique_ptr<Management> management_;  // remote bundles, log upload, status
  ServiceMetrics metrics_;
  std::unique_ptr<bundles::Store> store_;
  std::unique_ptr<bundles::Watcher> watcher_;
  std::unique_ptr<WorkerPool> pool_;
  std::unique_ptr<Decider> decider_;
  std::unique_ptr<DecisionService> decision_service_;
  std::unique_ptr<ExtAuthzService> ext_authz_;
  std::unique_ptr<HealthService> health_;
  std::unique_ptr<grpc::Server> grpc_server_;
  std::unique_ptr<CompletionQueueThreads> cq_threads_;
  std::unique_ptr<AdmissionWebhook> admission_;
  std::unique_ptr<RestApi> rest_;
  std::vector<std::unique_ptr<HttpServer>> http_servers_;

  std::vector<int> grpc_ports_;
  std::vector<int> http_ports_;
  uint64_t log_lines_dropped_seen_ = 0;
};

}  // namespace policyd

#endif  // POLICYD_SERVICE_SERVER_H_

#include "service/cli/serve_command.h"

#include "absl/synchronization/mutex.h"
#include "service/cli/serve_config.h"
#include "service/server.h"

namespace policyd {
namespace {

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
  // absl's deadlock detection (on in Debian's build) costs every lock a
  // graph lookup; the server's lock order is fixed and tested.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  // Before any thread starts, so that every thread inherits the mask.
  Server::BlockSignals();
  const absl::Duration grace = parsed->shutdown_grace;
  Server server(*std::move(parsed), err);
  if (absl::Status s = server.Start(); !s.ok()) {
    err << "policyd serve: " << s.message() << "\n";
    return 1;
  }
  server.WaitForSignals();
  server.Shutdown(grace);
  return 0;
}

}  // namespace

Command ServeCommand() {
  return {"serve", "Serve decisions over gRPC (Decision API, Envoy ext_authz) and HTTP",
          RunServe};
}

}  // namespace policyd

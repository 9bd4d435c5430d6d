// What the client subcommands (`policyd decide`, `policyd check`) share:
// --addr, --timeout and TLS flags, and the gRPC channel they describe.
#ifndef POLICYD_SERVICE_CLI_CLIENT_FLAGS_H_
#define POLICYD_SERVICE_CLI_CLIENT_FLAGS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"

namespace policyd {

struct ClientFlags {
  std::string addr = "localhost:9191";  // host:port or unix:///path
  absl::Duration timeout = absl::Seconds(5);
  std::string tls_ca_file;    // set: use TLS, trusting these CAs
  std::string tls_cert_file;  // client certificate for mutual TLS
  std::string tls_key_file;
};

// Takes the flag at args[*i] (and its value) when it is one of ClientFlags;
// false when it is not. InvalidArgument for a bad value.
absl::StatusOr<bool> TakeClientFlag(const std::vector<std::string>& args,
                                    size_t* i, ClientFlags* flags);

absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeChannel(
    const ClientFlags& flags);

inline constexpr char kClientFlagsUsage[] =
    "  --addr ADDR          server, host:port or unix:///path (default\n"
    "                       localhost:9191)\n"
    "  --timeout DURATION   deadline of the call (default 5s)\n"
    "  --tls-ca-file FILE   use TLS, trusting the CAs in FILE (PEM)\n"
    "  --tls-cert-file FILE, --tls-key-file FILE\n"
    "                       client certificate and key for mutual TLS\n";

}  // namespace policyd

#endif  // POLICYD_SERVICE_CLI_CLIENT_FLAGS_H_

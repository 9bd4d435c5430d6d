// A listener address as flags and the config file spell it: `host:port`
// (`:port` for every interface) or `unix:///absolute/path`.
#ifndef POLICYD_SERVICE_TRANSPORT_LISTEN_ADDRESS_H_
#define POLICYD_SERVICE_TRANSPORT_LISTEN_ADDRESS_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace policyd {

struct ListenAddress {
  bool is_unix = false;
  std::string host;  // "" for every interface; IPv6 without brackets
  int port = 0;      // 0: any free port
  std::string path;  // of the Unix socket

  // The form gRPC takes: "0.0.0.0:9191", "[::1]:9191", "unix:///run/x.sock".
  std::string GrpcTarget() const;
  // As written by the user, normalised.
  std::string ToString() const;
};

// InvalidArgument naming what is wrong ("missing port", ...).
absl::StatusOr<ListenAddress> ParseListenAddress(std::string_view text);

}  // namespace policyd

#endif  // POLICYD_SERVICE_TRANSPORT_LISTEN_ADDRESS_H_

#include "service/transport/listen_address.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace policyd {

absl::StatusOr<ListenAddress> ParseListenAddress(std::string_view std_text) {
  absl::string_view text(std_text.data(), std_text.size());
  ListenAddress address;
  if (absl::StartsWith(text, "unix://")) {
    address.is_unix = true;
    address.path = std::string(text.substr(7));
    if (address.path.empty() || address.path[0] != '/') {
      return absl::InvalidArgumentError(absl::StrCat(
          "address \"", text,
          "\": a Unix socket needs an absolute path (unix:///run/x.sock)"));
    }
    return address;
  }
  size_t colon = text.rfind(':');
  if (colon == absl::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "address \"", text,
        "\": expected host:port, :port or unix:///path"));
  }
  absl::string_view host = text.substr(0, colon);
  if (absl::StartsWith(host, "[") && absl::EndsWith(host, "]")) {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != absl::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "address \"", text, "\": write an IPv6 host in brackets ([::1]:9191)"));
  }
  int port = 0;
  if (!absl::SimpleAtoi(text.substr(colon + 1), &port) || port < 0 ||
      port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("address \"", text, "\": the port must be 0..65535"));
  }
  address.host = std::string(host);
  address.port = port;
  return address;
}

std::string ListenAddress::GrpcTarget() const {
  if (is_unix) return absl::StrCat("unix://", path);
  if (host.empty()) return absl::StrCat("0.0.0.0:", port);
  if (host.find(':') != std::string::npos) {
    return absl::StrCat("[", host, "]:", port);
  }
  return absl::StrCat(host, ":", port);
}

std::string ListenAddress::ToString() const {
  if (is_unix) return absl::StrCat("unix://", path);
  if (host.find(':') != std::string::npos) {
    return absl::StrCat("[", host, "]:", port);
  }
  return absl::StrCat(host, ":", port);
}

}  // namespace policyd

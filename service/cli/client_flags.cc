#include "service/cli/client_flags.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "util/files.h"
#include "util/status_macros.h"

namespace policyd {
absl::StatusOr<bool> TakeClientFlag(const std::vector<std::string>& args,
                                    size_t* i, ClientFlags* flags) {
  std::string name = args[*i];
  std::string value;
  bool has_value = false;
  if (size_t eq = name.find('='); absl::StartsWith(name, "--") &&
                                  eq != std::string::npos) {
    value = name.substr(eq + 1);
    name = name.substr(0, eq);
    has_value = true;
  }
  std::string* target = nullptr;
  if (name == "--addr") target = &flags->addr;
  if (name == "--tls-ca-file") target = &flags->tls_ca_file;
  if (name == "--tls-cert-file") target = &flags->tls_cert_file;
  if (name == "--tls-key-file") target = &flags->tls_key_file;
  if (target == nullptr && name != "--timeout") return false;
  if (!has_value) {
    if (*i + 1 >= args.size()) {
      return absl::InvalidArgumentError(absl::StrCat(name, " needs a value"));
    }
    value = args[++*i];
  }
  if (target != nullptr) {
    *target = value;
  } else if (!absl::ParseDuration(value, &flags->timeout) ||
             flags->timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--timeout \"", value, "\": expected e.g. 5s or 200ms"));
  }
  return true;
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeChannel(
    const ClientFlags& flags) {
  std::shared_ptr<grpc::ChannelCredentials> credentials =
      grpc::InsecureChannelCredentials();
  if (!flags.tls_ca_file.empty() || !flags.tls_cert_file.empty()) {
    grpc::SslCredentialsOptions options;
    if (!flags.tls_ca_file.empty()) {
      POLICYD_ASSIGN_OR_RETURN(options.pem_root_certs, ReadFile(flags.tls_ca_file));
    }
    if (!flags.tls_cert_file.empty()) {
      POLICYD_ASSIGN_OR_RETURN(options.pem_cert_chain, ReadFile(flags.tls_cert_file));
      POLICYD_ASSIGN_OR_RETURN(options.pem_private_key, ReadFile(flags.tls_key_file));
    }
    credentials = grpc::SslCredentials(options);
  }
  return grpc::CreateChannel(flags.addr, credentials);
}

}  // namespace policyd

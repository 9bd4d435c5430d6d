#include "service/cli/client_flags.h"

#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace policyd {
namespace {

absl::StatusOr<std::string> ReadPem(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::InvalidArgumentError(absl::StrCat("cannot read ", path));
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

}  // namespace

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
      absl::StatusOr<std::string> ca = ReadPem(flags.tls_ca_file);
      if (!ca.ok()) return ca.status();
      options.pem_root_certs = *ca;
    }
    if (!flags.tls_cert_file.empty()) {
      absl::StatusOr<std::string> cert = ReadPem(flags.tls_cert_file);
      if (!cert.ok()) return cert.status();
      absl::StatusOr<std::string> key = ReadPem(flags.tls_key_file);
      if (!key.ok()) return key.status();
      options.pem_cert_chain = *cert;
      options.pem_private_key = *key;
    }
    credentials = grpc::SslCredentials(options);
  }
  return grpc::CreateChannel(flags.addr, credentials);
}

}  // namespace policyd

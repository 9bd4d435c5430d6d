#include "service/cli/check_command.h"

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/ascii.h"
#include "envoy/service/auth/v3/external_auth.grpc.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/client_context.h"
#include "service/cli/client_flags.h"

namespace policyd {
namespace {

constexpr char kUsage[] =
    "Usage: policyd check [--addr ADDR] --method M --path P [--header k=v]...\n"
    "                     [--body TEXT] [--host H]\n"
    "\n"
    "Sends an Envoy ext_authz Check for the HTTP request to a running policyd\n"
    "and prints the CheckResponse as JSON. Exit status 0 when allowed, 3 when\n"
    "denied.\n"
    "\n"
    "  --method M           HTTP method (GET, POST, ...)\n"
    "  --path P             request path with query (/api/x?y=1)\n"
    "  --header k=v         request header; may repeat\n"
    "  --body TEXT          request body\n"
    "  --host H             :authority (default localhost)\n";

int RunCheck(const std::vector<std::string>& args, std::ostream& out,
             std::ostream& err) {
  ClientFlags flags;
  envoy::service::auth::v3::CheckRequest request;
  auto* http = request.mutable_attributes()->mutable_request()->mutable_http();
  http->set_host("localhost");
  http->set_scheme("http");
  http->set_protocol("HTTP/1.1");
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "-h" || arg == "--help") {
      out << kUsage << kClientFlagsUsage;
      return 0;
    }
    absl::StatusOr<bool> taken = TakeClientFlag(args, &i, &flags);
    if (!taken.ok()) {
      err << "policyd check: " << taken.status().message() << "\n";
      return 2;
    }
    if (*taken) continue;
    if (arg != "--method" && arg != "--path" && arg != "--header" &&
        arg != "--body" && arg != "--host") {
      err << "policyd check: unexpected argument " << arg << "\n\n" << kUsage;
      return 2;
    }
    if (i + 1 >= args.size()) {
      err << "policyd check: " << arg << " needs a value\n";
      return 2;
    }
    const std::string& value = args[++i];
    if (arg == "--method") {
      http->set_method(value);
    } else if (arg == "--path") {
      http->set_path(value);
    } else if (arg == "--body") {
      http->set_body(value);
      http->set_size(static_cast<int64_t>(value.size()));
    } else if (arg == "--host") {
      http->set_host(value);
    } else {
      size_t eq = value.find('=');
      if (eq == std::string::npos || eq == 0) {
        err << "policyd check: --header expects name=value, got " << value
            << "\n";
        return 2;
      }
      (*http->mutable_headers())[absl::AsciiStrToLower(value.substr(0, eq))] =
          value.substr(eq + 1);
    }
  }
  if (http->method().empty() || http->path().empty()) {
    err << "policyd check: --method and --path are required\n\n" << kUsage;
    return 2;
  }
  auto& headers = *http->mutable_headers();
  headers[":method"] = http->method();
  headers[":path"] = http->path();
  headers[":authority"] = http->host();
  if (!http->body().empty() && !headers.contains("content-length")) {
    headers["content-length"] = std::to_string(http->body().size());
  }
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = MakeChannel(flags);
  if (!channel.ok()) {
    err << "policyd check: " << channel.status().message() << "\n";
    return 2;
  }
  auto stub = envoy::service::auth::v3::Authorization::NewStub(*channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + flags.timeout));
  envoy::service::auth::v3::CheckResponse response;
  grpc::Status status = stub->Check(&context, request, &response);
  if (!status.ok()) {
    err << "policyd check: "
        << absl::StatusCodeToString(
               static_cast<absl::StatusCode>(status.error_code()))
        << ": "
        << status.error_message() << "\n";
    return 1;
  }
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  (void)google::protobuf::util::MessageToJsonString(response, &json, options);
  out << json;
  return response.status().code() == 0 ? 0 : 3;
}

}  // namespace

Command CheckCommand() {
  return {"check", "Send an Envoy ext_authz Check to a running policyd",
          RunCheck};
}

}  // namespace policyd

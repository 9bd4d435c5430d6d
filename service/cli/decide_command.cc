#include "service/cli/decide_command.h"

#include <iostream>
#include <map>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "engine/value/value.h"
#include "grpcpp/client_context.h"
#include "policyd/v1/decision.grpc.pb.h"
#include "service/cli/client_flags.h"
#include "service/api/proto_value.h"
#include "util/files.h"

namespace policyd {
namespace {

constexpr char kUsage[] =
    "Usage: policyd decide [--addr ADDR] PATH [INPUT.json]\n"
    "\n"
    "Asks a running policyd for the decision at PATH (e.g. envoy/authz/allow)\n"
    "with the input in INPUT.json (- for stdin; no input when omitted).\n"
    "\n";

std::string Quoted(const std::string& s) { return Value::String(s).ToJson(); }

int RunDecide(const std::vector<std::string>& args, std::ostream& out,
              std::ostream& err) {
  ClientFlags flags;
  std::vector<std::string> positional;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "-h" || args[i] == "--help") {
      out << kUsage << kClientFlagsUsage;
      return 0;
    }
    absl::StatusOr<bool> taken = TakeClientFlag(args, &i, &flags);
    if (!taken.ok()) {
      err << "policyd decide: " << taken.status().message() << "\n";
      return 2;
    }
    if (*taken) continue;
    if (absl::StartsWith(args[i], "--")) {
      err << "policyd decide: unknown flag " << args[i] << "\n\n" << kUsage;
      return 2;
    }
    positional.push_back(args[i]);
  }
  if (positional.empty() || positional.size() > 2) {
    err << kUsage << kClientFlagsUsage;
    return 2;
  }
  v1::DecideRequest request;
  request.set_path(positional[0]);
  if (positional.size() == 2) {
    if (positional[1] == "-") {
      std::stringstream buf;
      buf << std::cin.rdbuf();
      request.mutable_input()->set_json(buf.str());
    } else {
      absl::StatusOr<std::string> text = ReadFile(positional[1]);
      if (!text.ok()) {
        err << "policyd decide: " << text.status().message() << "\n";
        return 1;
      }
      request.mutable_input()->set_json(*std::move(text));
    }
  }
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = MakeChannel(flags);
  if (!channel.ok()) {
    err << "policyd decide: " << channel.status().message() << "\n";
    return 2;
  }
  auto stub = v1::DecisionService::NewStub(*channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + flags.timeout));
  v1::DecideResponse response;
  grpc::Status status = stub->Decide(&context, request, &response);
  if (!status.ok()) {
    err << "policyd decide: "
        << absl::StatusCodeToString(
               static_cast<absl::StatusCode>(status.error_code()))
        << ": "
        << status.error_message() << "\n";
    return 1;
  }
  std::string text = "{";
  if (!response.undefined()) {
    absl::StatusOr<Value> result = ValueFromProto(response.result());
    text += "\"result\": ";
    text += result.ok() ? result->ToJson() : "null";
    text += ", ";
  }
  text += "\"decision_id\": " + Quoted(response.decision_id()) +
          ", \"revisions\": {";
  std::map<std::string, std::string> revisions(response.revisions().begin(),
                                               response.revisions().end());
  bool first = true;
  for (const auto& [name, revision] : revisions) {
    if (!first) text += ", ";
    first = false;
    text += Quoted(name) + ": " + Quoted(revision);
  }
  text += "}}";
  out << text << "\n";
  return 0;
}

}  // namespace

Command DecideCommand() {
  return {"decide", "Ask a running policyd for a decision (Decision API)",
          RunDecide};
}

}  // namespace policyd

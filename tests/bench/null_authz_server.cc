// The null ext_authz server: envoy.service.auth.v3.Authorization/Check that
// allows every request without evaluating anything, answered on the gRPC
// thread. The load generator's figure against it is the ceiling policyd's
// ext_authz throughput is measured against.
//
//   null_authz_server [--addr 127.0.0.1:9292]
#include <csignal>
#include <cstdio>
#include <string>

#include "envoy/service/auth/v3/external_auth.grpc.pb.h"
#include "grpcpp/grpcpp.h"

namespace {

namespace auth = envoy::service::auth::v3;

class NullAuthz final : public auth::Authorization::CallbackService {
 public:
  grpc::ServerUnaryReactor* Check(grpc::CallbackServerContext* context,
                                  const auth::CheckRequest* request,
                                  auth::CheckResponse* response) override {
    response->mutable_status()->set_code(0);
    response->mutable_ok_response();
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

}  // namespace

int main(int argc, char** argv) {
  std::string addr = "127.0.0.1:9292";
  if (argc == 3 && std::string(argv[1]) == "--addr") addr = argv[2];
  NullAuthz service;
  grpc::ServerBuilder builder;
  builder.AddListeningPort(addr, grpc::InsecureServerCredentials());
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr) {
    std::fprintf(stderr, "null_authz_server: cannot listen on %s\n", addr.c_str());
    return 1;
  }
  std::fprintf(stderr, "null_authz_server: listening on %s\n", addr.c_str());
  server->Wait();
  return 0;
}

// TLS and mutual TLS on both listeners of the real `policyd serve`, with a
// throwaway CA, server and client certificates made here.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "policyd/v1/decision.grpc.pb.h"
#include "tests/integration/policyd_process.h"
#include "tests/integration/test_certs.h"

namespace policyd {
namespace {

using ::policyd::testing::FreshDir;
using ::policyd::testing::PolicydProcess;
using ::policyd::testing::WriteBundle;
using ::testing::HasSubstr;
using ::policyd::testing::KeyCert;
using ::policyd::testing::Make;
using ::policyd::testing::Pem;

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = FreshDir("tls");
    ca_ = Make("test-ca", nullptr, nullptr);
    server_ = Make("localhost", &ca_, "DNS:localhost,IP:127.0.0.1");
    client_ = Make("client", &ca_, nullptr);
    ::policyd::testing::WriteFile(dir_ + "/ca.pem", Pem(ca_.cert));
    ::policyd::testing::WriteFile(dir_ + "/server.pem", Pem(server_.cert));
    ::policyd::testing::WriteFile(dir_ + "/server.key", Pem(server_.key));
    WriteBundle(dir_ + "/bundles", "main", "r1",
                {{"app/policy.rego", "package app\n\nallow := input.user == \"alice\"\n"}},
                "[\"app\"]");
  }
  void TearDown() override {
    for (KeyCert* kc : {&ca_, &server_, &client_}) {
      X509_free(kc->cert);
      EVP_PKEY_free(kc->key);
    }
  }

  grpc::Status Decide(int port, bool with_client_cert) {
    grpc::SslCredentialsOptions options;
    options.pem_root_certs = Pem(ca_.cert);
    if (with_client_cert) {
      options.pem_cert_chain = Pem(client_.cert);
      options.pem_private_key = Pem(client_.key);
    }
    auto channel = grpc::CreateChannel("localhost:" + std::to_string(port),
                                       grpc::SslCredentials(options));
    auto stub = v1::DecisionService::NewStub(channel);
    v1::DecideRequest request;
    request.set_path("app/allow");
    request.mutable_input()->set_json(R"({"user": "alice"})");
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    v1::DecideResponse response;
    grpc::Status status = stub->Decide(&context, request, &response);
    if (status.ok()) {
      EXPECT_TRUE(response.result().bool_value());
    }
    return status;
  }

  // One HTTPS GET; "" when the handshake or the exchange failed.
  std::string HttpsGet(int port, const std::string& path, bool with_client_cert) {
    return Https(port, "GET", path, "", with_client_cert);
  }

  std::string Https(int port, const std::string& method, const std::string& path,
                    const std::string& body, bool with_client_cert) {
    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx), ca_.cert);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    if (with_client_cert) {
      SSL_CTX_use_certificate(ctx, client_.cert);
      SSL_CTX_use_PrivateKey(ctx, client_.key);
    }
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::string response;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
      SSL* ssl = SSL_new(ctx);
      SSL_set_fd(ssl, fd);
      SSL_set_tlsext_host_name(ssl, "localhost");
      if (SSL_connect(ssl) == 1) {
        std::string request = method + " " + path +
                              " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                              "Content-Length: " + std::to_string(body.size()) +
                              "\r\n\r\n" + body;
        SSL_write(ssl, request.data(), static_cast<int>(request.size()));
        char buf[4096];
        int n;
        while ((n = SSL_read(ssl, buf, sizeof buf)) > 0) response.append(buf, n);
      }
      SSL_free(ssl);
    }
    ::close(fd);
    SSL_CTX_free(ctx);
    return response;
  }

  std::string dir_;
  KeyCert ca_, server_, client_;
};

TEST_F(TlsTest, ServerTlsOnBothListeners) {
  std::string log;
  auto server = PolicydProcess::Start(
      {"--bundles", dir_ + "/bundles", "--tls-cert-file", dir_ + "/server.pem",
       "--tls-key-file", dir_ + "/server.key"},
      &log);
  ASSERT_NE(server, nullptr) << log;
  grpc::Status status = Decide(server->grpc_port, false);
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_THAT(HttpsGet(server->http_port, "/health", false), HasSubstr("200 OK"));
}

TEST_F(TlsTest, MutualTlsRequiresClientCertificates) {
  std::string log;
  auto server = PolicydProcess::Start(
      {"--bundles", dir_ + "/bundles", "--tls-cert-file", dir_ + "/server.pem",
       "--tls-key-file", dir_ + "/server.key", "--tls-client-ca-file",
       dir_ + "/ca.pem"},
      &log);
  ASSERT_NE(server, nullptr) << log;
  grpc::Status with = Decide(server->grpc_port, true);
  EXPECT_TRUE(with.ok()) << with.error_message();
  EXPECT_FALSE(Decide(server->grpc_port, false).ok());
  EXPECT_THAT(HttpsGet(server->http_port, "/health", true), HasSubstr("200 OK"));
  EXPECT_THAT(HttpsGet(server->http_port, "/health", false),
              ::testing::Not(HasSubstr("200 OK")));
}

// Kubernetes calls admission webhooks over TLS only.
TEST_F(TlsTest, AdmissionReviewRoundTrip) {
  ::policyd::testing::WriteFile(dir_ + "/bundles/main/k8s/required-labels.yaml", R"(
apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata: {name: k8srequiredlabels}
spec:
  crd: {spec: {names: {kind: K8sRequiredLabels}}}
  targets:
  - target: admission.k8s.gatekeeper.sh
    rego: |
      package k8srequiredlabels
      violation[{"msg": msg}] {
        not input.review.object.metadata.labels.test
        msg := "label test is required"
      }
---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sRequiredLabels
metadata: {name: ns-must-have-test}
spec:
  match: {kinds: [{apiGroups: [""], kinds: [Namespace]}]}
)");
  auto server = PolicydProcess::Start(
      {"--bundles", dir_ + "/bundles", "--tls-cert-file", dir_ + "/server.pem",
       "--tls-key-file", dir_ + "/server.key"});
  ASSERT_NE(server, nullptr);
  auto review = [](const std::string& labels) {
    return R"({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
      "request": {"uid": "b2c3", "operation": "CREATE", "name": "team-a",
        "kind": {"group": "", "version": "v1", "kind": "Namespace"},
        "object": {"apiVersion": "v1", "kind": "Namespace",
                   "metadata": {"name": "team-a", "labels": )" + labels + "}}}}";
  };
  std::string refused = Https(server->http_port, "POST", "/v1/admit",
                              review("{}"), false);
  EXPECT_THAT(refused, HasSubstr("200 OK"));
  EXPECT_THAT(refused, HasSubstr(
      R"("response":{"allowed":false,"status":{"code":403,"message":"[ns-must-have-test] label test is required","reason":"Forbidden"},"uid":"b2c3"})"));
  std::string admitted = Https(server->http_port, "POST", "/v1/admit",
                               review(R"({"test": "x"})"), false);
  EXPECT_THAT(admitted, HasSubstr(R"("response":{"allowed":true,"uid":"b2c3"})"));
  std::string malformed = Https(server->http_port, "POST", "/v1/admit",
                                R"({"kind": "AdmissionReview"})", false);
  EXPECT_THAT(malformed, HasSubstr("400 Bad Request"));
  EXPECT_THAT(malformed, HasSubstr("malformed AdmissionReview: apiVersion must be "
                                   "admission.k8s.io/v1"));
}

}  // namespace
}  // namespace policyd

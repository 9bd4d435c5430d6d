// libFuzzer target: the HTTP request path. Bytes as a client sends them are
// parsed by Beast with the server's header limit, read into an HttpRequest
// as the server reads them (HEAD, query, headers, gzip bodies) and handled
// by the REST API (routing, query parameters, JSON input, a decision on a
// small policy). Any input must give an answer or be refused, never crash.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "bundles/store.h"
#include "service/api/rest_api.h"
#include "service/decider.h"
#include "service/service_metrics.h"
#include "service/transport/http_request_reader.h"
#include "service/transport/worker_pool.h"

namespace {

namespace http = boost::beast::http;

constexpr size_t kMaxBodyBytes = 1 << 20;

// A store with one bundle, a decider and the REST API over them, built once
// per fuzzing process.
struct Service {
  Service() {
    const std::string dir =
        "/tmp/policyd_http_fuzz_" + std::to_string(::getpid());
    std::filesystem::create_directories(dir + "/main/app");
    std::ofstream(dir + "/main/app/policy.rego")
        << "package app\n"
           "default allow := false\n"
           "allow if input.user == \"alice\"\n"
           "roles := {r | some r in data.app.roles[input.user]}\n";
    std::ofstream(dir + "/main/app/data.json") << R"({"roles": {"alice": ["admin"]}})";
    store = std::make_unique<policyd::bundles::Store>(dir, policyd::bundles::StoreOptions());
    (void)store->Reload();
    pool = std::make_unique<policyd::WorkerPool>(1, 16);
    decider = std::make_unique<policyd::Decider>(store.get(), &metrics, nullptr,
                                                 policyd::Decider::Options());
    api = std::make_unique<policyd::RestApi>(decider.get(), pool.get(), "app/allow",
                                             absl::Seconds(1));
  }
  policyd::ServiceMetrics metrics;
  std::unique_ptr<policyd::bundles::Store> store;
  std::unique_ptr<policyd::WorkerPool> pool;
  std::unique_ptr<policyd::Decider> decider;
  std::unique_ptr<policyd::RestApi> api;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Service* const service = new Service;
  http::request_parser<http::string_body> parser;
  parser.header_limit(64 << 10);
  parser.body_limit(kMaxBodyBytes);
  parser.eager(true);
  boost::asio::const_buffer rest(data, size);
  while (!parser.is_done() && rest.size() > 0) {
    boost::system::error_code ec;
    size_t used = parser.put(rest, ec);
    if (ec || used == 0) return 0;
    rest += used;
  }
  if (!parser.is_done()) return 0;
  http::request<http::string_body> message = parser.release();
  absl::StatusOr<policyd::ReadRequest> read =
      policyd::ReadHttpRequest(message, kMaxBodyBytes);
  if (read.ok()) (void)service->api->Handle(read->request);
  return 0;
}

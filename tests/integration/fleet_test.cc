// Running a fleet: the real `policyd serve` pulls bundles from a real
// bundle server (Debian's nginx) and pushes decision logs and status to a
// collector (tests/integration/log_collector.py), configured with OPA's keys.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/bundles/bundle_test_util.h"
#include "tests/integration/nginx_process.h"
#include "tests/integration/policyd_process.h"
#include "tests/integration/test_certs.h"

namespace policyd {
namespace {

namespace fs = std::filesystem;
using ::policyd::bundles::Sha256Hex;
using ::policyd::bundles::testing::HmacSha256;
using ::policyd::bundles::testing::SignaturesJson;
using ::policyd::bundles::testing::TarEntry;
using ::policyd::bundles::testing::WriteTarGz;
using ::policyd::testing::FreePort;
using ::policyd::testing::FreshDir;
using ::policyd::testing::Http;
using ::policyd::testing::NginxOptions;
using ::policyd::testing::NginxProcess;
using ::policyd::testing::PolicydProcess;
using ::policyd::testing::WriteFile;
using ::testing::HasSubstr;

constexpr char kSecret[] = "bundle-signing-secret";

// Waits up to `seconds` for `done`; the deadline is generous, never a
// measurement.
bool Eventually(const std::function<bool()>& done, int seconds = 30) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return done();
}

// The value of one series in a /metrics text, or -1 when absent.
double Sample(const std::string& text, const std::string& series) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  }
  return -1;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A decision-log collector process (log_collector.py), stopped by its PID.
class Collector {
 public:
  Collector(const std::string& dir, int port) : dir_(dir), port_(port) { Start(); }
  ~Collector() { Stop(); }
  void Start() {
    pid_ = ::fork();
    if (pid_ == 0) {
      std::string script = std::string(POLICYD_SOURCE_DIR) + "/tests/integration/log_collector.py";
      std::string port = std::to_string(port_);
      std::string events = dir_ + "/events.jsonl", status = dir_ + "/status.json";
      ::execlp("python3", "python3", script.c_str(), port.c_str(), events.c_str(),
               status.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    Eventually([&] { return Http(port_, "POST", "/ping", "[]").status != 0; }, 10);
  }
  void Stop() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
  }
  std::vector<nlohmann::json> Events() const {
    std::vector<nlohmann::json> out;
    std::istringstream in(Slurp(dir_ + "/events.jsonl"));
    std::string line;
    while (std::getline(in, line)) out.push_back(nlohmann::json::parse(line));
    return out;
  }
  std::string Status() const { return Slurp(dir_ + "/status.json"); }
  int port() const { return port_; }

 private:
  std::string dir_;
  int port_;
  pid_t pid_ = -1;
};

class FleetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (testing::NginxBinary().empty()) GTEST_SKIP() << "nginx is not installed";
    dir_ = FreshDir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    www_ = dir_ + "/www";
    fs::create_directories(www_ + "/bundles");
  }

  // Publishes bundle `name` at revision `rev` on the bundle server (written
  // aside, then renamed into place, as a real publisher would). The policy
  // answers its revision at data.app.rev and masks /input/password in the
  // decision log.
  void Publish(const std::string& name, const std::string& rev,
               const std::string& secret = "") {
    std::vector<std::pair<std::string, std::string>> files = {
        {".manifest", "{\"revision\": \"" + rev + "\", \"roots\": [\"app\", \"system\"]}"},
        {"app/policy.rego",
         "package app\n\nrev := data.app.info.rev\n\nallow if input.user == \"alice\"\n"},
        {"app/info/data.json", "{\"rev\": \"" + rev + "\"}"},
        {"system/log/mask.rego",
         "package system.log\n\nmask contains \"/input/password\"\n"},
    };
    std::vector<TarEntry> entries;
    std::string listed;
    for (const auto& [path, text] : files) {
      entries.emplace_back("/" + path, text);
      if (!listed.empty()) listed += ",";
      listed += "{\"name\":\"" + path + "\",\"hash\":\"" + Sha256Hex(text) +
                "\",\"algorithm\":\"SHA-256\"}";
    }
    if (!secret.empty()) {
      std::string sig = SignaturesJson(
          R"({"alg":"HS256","kid":"global"})", "{\"files\":[" + listed + "]}",
          [&](const std::string& input) { return HmacSha256(secret, input); });
      entries.emplace_back("/.signatures.json", sig);
    }
    std::string tmp = www_ + "/.tmp.tar.gz";
    WriteTarGz(tmp, entries);
    fs::rename(tmp, www_ + "/bundles/" + name + ".tar.gz");
  }

  std::string Config(const std::string& url, const std::string& extra,
                     const std::string& credentials = "") {
    std::string path = dir_ + "/config.yaml";
    WriteFile(path, "services:\n  hub:\n    url: " + url +
                        "\n    response_header_timeout_seconds: 5\n" + credentials +
                        "bundles:\n  authz:\n    service: hub\n    resource: "
                        "bundles/authz.tar.gz\n    persist: true\n    polling:\n"
                        "      min_delay_seconds: 1\n      max_delay_seconds: 1\n" +
                        extra + "persistence_directory: " + dir_ + "/persist\n");
    return path;
  }

  void StartPolicyd(const std::string& config) {
    std::string log;
    server_ = PolicydProcess::Start({"--config", config}, &log);
    ASSERT_NE(server_, nullptr) << log;
  }

  std::string Revision() {
    testing::HttpResult r = Http(server_->http_port, "GET", "/v1/data/app/rev");
    if (r.status != 200) return "";
    nlohmann::json body = nlohmann::json::parse(r.body, nullptr, false);
    return body.contains("result") ? body["result"].get<std::string>() : "";
  }
  bool Ready() { return Http(server_->http_port, "GET", "/health?bundles").status == 200; }
  double Metric(const std::string& series) {
    return Sample(Http(server_->http_port, "GET", "/metrics").body, series);
  }

  std::string dir_, www_;
  std::unique_ptr<PolicydProcess> server_;
};

TEST_F(FleetTest, ActivatesThenCostsA304ThenPicksUpANewRevision) {
  Publish("authz", "r1");
  auto nginx = NginxProcess::Start(dir_, {www_});
  ASSERT_NE(nginx, nullptr) << Slurp(dir_ + "/error.log");
  ASSERT_NO_FATAL_FAILURE(StartPolicyd(Config("http://127.0.0.1:" + std::to_string(nginx->port()), "")));
  ASSERT_TRUE(Eventually([&] { return Ready(); })) << server_->Stderr();
  EXPECT_EQ(Revision(), "r1");

  // Unchanged: the next polls are answered 304 by nginx.
  const std::string not_modified =
      R"(policyd_bundle_downloads_total{bundle="authz",outcome="not_modified"})";
  ASSERT_TRUE(Eventually([&] { return Metric(not_modified) >= 2; })) << server_->Stderr();
  EXPECT_THAT(Slurp(dir_ + "/access.log"), HasSubstr("\" 304 "));
  EXPECT_EQ(Metric(R"(policyd_bundle_downloads_total{bundle="authz",outcome="activated"})"), 1);

  Publish("authz", "r2");
  EXPECT_TRUE(Eventually([&] { return Revision() == "r2"; })) << server_->Stderr();
}

TEST_F(FleetTest, CorruptOrBadlySignedDownloadKeepsTheServingRevision) {
  Publish("authz", "r1", kSecret);
  WriteFile(dir_ + "/secret", kSecret);
  auto nginx = NginxProcess::Start(dir_, {www_});
  ASSERT_NE(nginx, nullptr);
  std::string signing =
      "    signing:\n      keyid: global\nkeys:\n  global:\n    algorithm: HS256\n"
      "    key: " + std::string(kSecret) + "\n";
  ASSERT_NO_FATAL_FAILURE(StartPolicyd(Config("http://127.0.0.1:" + std::to_string(nginx->port()), signing)));
  ASSERT_TRUE(Eventually([&] { return Ready(); })) << server_->Stderr();
  EXPECT_EQ(Revision(), "r1");

  const std::string rejected =
      R"(policyd_bundle_downloads_total{bundle="authz",outcome="rejected"})";
  // Not a tarball at all.
  WriteFile(www_ + "/bundles/.tmp", "this is not a bundle");
  fs::rename(www_ + "/bundles/.tmp", www_ + "/bundles/authz.tar.gz");
  ASSERT_TRUE(Eventually([&] { return Metric(rejected) >= 1; })) << server_->Stderr();
  EXPECT_EQ(Revision(), "r1");
  // Signed with another key.
  Publish("authz", "r2", "not-the-secret");
  ASSERT_TRUE(Eventually([&] { return Metric(rejected) >= 3; })) << server_->Stderr();
  EXPECT_EQ(Revision(), "r1");
  // Unsigned.
  Publish("authz", "r3");
  double before = Metric(rejected);
  ASSERT_TRUE(Eventually([&] { return Metric(rejected) >= before + 2; }));
  EXPECT_EQ(Revision(), "r1");
  EXPECT_THAT(server_->Stderr(), HasSubstr("authz"));
  // r1 serves, but health says the newest revision failed, with the error
  // (as for a directory bundle).
  auto health = Http(server_->http_port, "GET", "/health?bundles");
  EXPECT_EQ(health.status, 503);
  EXPECT_THAT(health.body, HasSubstr("authz"));
}

TEST_F(FleetTest, ServerDownAtStartServesThePersistedBundle) {
  Publish("authz", "r1");
  {
    auto nginx = NginxProcess::Start(dir_, {www_});
    ASSERT_NE(nginx, nullptr);
    ASSERT_NO_FATAL_FAILURE(StartPolicyd(Config("http://127.0.0.1:" + std::to_string(nginx->port()), "")));
    ASSERT_TRUE(Eventually([&] { return Ready(); })) << server_->Stderr();
    server_->Signal(SIGTERM);
    EXPECT_EQ(server_->Wait(), 0);
  }
  EXPECT_TRUE(fs::exists(dir_ + "/persist/bundles/authz/bundle.tar.gz"));
  // nginx is gone; the configured URL refuses connections.
  ASSERT_NO_FATAL_FAILURE(StartPolicyd(dir_ + "/config.yaml"));
  ASSERT_TRUE(Eventually([&] { return Ready(); })) << server_->Stderr();
  EXPECT_EQ(Revision(), "r1");
  EXPECT_TRUE(Eventually([&] {
    return Metric(R"(policyd_bundle_downloads_total{bundle="authz",outcome="failed"})") >= 1;
  }));
}

TEST_F(FleetTest, NotReadyUntilTheRemoteBundleActivates) {
  int port = FreePort();  // nothing listens yet
  ASSERT_NO_FATAL_FAILURE(StartPolicyd(Config("http://127.0.0.1:" + std::to_string(port), "")));
  std::this_thread::sleep_for(std::chrono::seconds(1));
  EXPECT_EQ(Http(server_->http_port, "GET", "/health?bundles").status, 503);
  Publish("authz", "r1");
  auto nginx = NginxProcess::Start(dir_, {www_}, port);
  ASSERT_NE(nginx, nullptr);
  EXPECT_TRUE(Eventually([&] { return Ready(); })) << server_->Stderr();
  EXPECT_EQ(Revision(), "r1");
}

TEST_F(FleetTest, BearerTokenAndClientTlsReachTheServer) {
  using testing::KeyCert;
  KeyCert ca = testing::Make("fleet-ca", nullptr, nullptr);
  KeyCert server = testing::Make("localhost", &ca, "DNS:localhost,IP:127.0.0.1");
  KeyCert client = testing::Make("policyd", &ca, nullptr);
  WriteFile(dir_ + "/ca.pem", testing::Pem(ca.cert));
  WriteFile(dir_ + "/server.pem", testing::Pem(server.cert));
  WriteFile(dir_ + "/server.key", testing::Pem(server.key));
  WriteFile(dir_ + "/client.pem", testing::Pem(client.cert));
  WriteFile(dir_ + "/client.key", testing::Pem(client.key));
  WriteFile(dir_ + "/token", "s3cr3t\n");
  Publish("authz", "r1");
  NginxOptions options{www_, "s3cr3t", dir_ + "/server.pem", dir_ + "/server.key",
                       dir_ + "/ca.pem"};
  auto nginx = NginxProcess::Start(dir_, options);
  ASSERT_NE(nginx, nullptr) << Slurp(dir_ + "/error.log");
  std::string url = "https://127.0.0.1:" + std::to_string(nginx->port());
  std::string credentials =
      "    tls:\n      ca_cert: " + dir_ + "/ca.pem\n    credentials:\n"
      "      bearer:\n        token_path: " + dir_ + "/token\n"
      "      client_tls:\n        cert: " + dir_ + "/client.pem\n"
      "        private_key: " + dir_ + "/client.key\n";
  ASSERT_NO_FATAL_FAILURE(StartPolicyd(Config(url, "", credentials)));
  EXPECT_TRUE(Eventually([&] { return Ready(); })) << server_->Stderr();
  EXPECT_EQ(Revision(), "r1");
  server_.reset();

  // A wrong token gets 401: nothing activates.
  WriteFile(dir_ + "/token", "wrong\n");
  fs::remove_all(dir_ + "/persist");
  ASSERT_NO_FATAL_FAILURE(StartPolicyd(Config(url, "", credentials)));
  EXPECT_TRUE(Eventually([&] {
    return Metric(R"(policyd_bundle_downloads_total{bundle="authz",outcome="failed"})") >= 1;
  }));
  EXPECT_FALSE(Ready());
  for (KeyCert* kc : {&ca, &server, &client}) {
    X509_free(kc->cert);
    EVP_PKEY_free(kc->key);
  }
}

class DecisionLogTest : public FleetTest {
 protected:
  // Serves the bundle, starts the collector and policyd with decision logs
  // and status reported to the collector.
  void StartAll(const std::string& reporting) {
    Publish("authz", "r1");
    nginx_ = NginxProcess::Start(dir_, {www_});
    ASSERT_NE(nginx_, nullptr);
    collector_ = std::make_unique<Collector>(dir_, FreePort());
    std::string path = dir_ + "/config.yaml";
    WriteFile(path,
              "services:\n  hub:\n    url: http://127.0.0.1:" +
                  std::to_string(nginx_->port()) +
                  "\n  logs:\n    url: http://127.0.0.1:" + std::to_string(collector_->port()) +
                  "\nlabels:\n  region: test\n"
                  "bundles:\n  authz:\n    service: hub\n    resource: bundles/authz.tar.gz\n"
                  "decision_logs:\n  service: logs\n  reporting:\n" + reporting +
                  "status:\n  service: logs\n");
    ASSERT_NO_FATAL_FAILURE(StartPolicyd(path));
    ASSERT_TRUE(Eventually([&] { return Ready(); })) << server_->Stderr();
  }

  // `n` decisions from 8 client threads; user i is "u<first+i>".
  void Decide(int first, int n) {
    std::atomic<int> next{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&] {
        for (int i = next++; i < n; i = next++) {
          std::string body = "{\"input\": {\"user\": \"u" + std::to_string(first + i) +
                             "\", \"password\": \"hunter2\"}}";
          EXPECT_EQ(Http(server_->http_port, "POST", "/v1/data/app/allow", body).status, 200);
        }
      });
    }
    for (auto& t : threads) t.join();
  }

  std::unique_ptr<NginxProcess> nginx_;
  std::unique_ptr<Collector> collector_;
};

TEST_F(DecisionLogTest, EveryDecisionArrivesOnceMaskedEvenWhenTheCollectorIsDown) {
  ASSERT_NO_FATAL_FAILURE(StartAll("    min_delay_seconds: 1\n    max_delay_seconds: 1\n"));
  Decide(0, 9000);
  // Stopped with no upload in flight: one killed between storing a batch and
  // answering would be retried, and arrive twice (OPA's protocol is at least
  // once).
  ASSERT_TRUE(Eventually([&] { return collector_->Events().size() >= 9000; }, 60));
  collector_->Stop();
  Decide(9000, 1000);  // buffered while the collector is down
  std::this_thread::sleep_for(std::chrono::seconds(3));
  collector_->Start();
  ASSERT_TRUE(Eventually([&] { return collector_->Events().size() >= 10000; }, 60))
      << collector_->Events().size();
  std::this_thread::sleep_for(std::chrono::seconds(2));  // nothing more comes
  std::vector<nlohmann::json> events = collector_->Events();
  EXPECT_EQ(events.size(), 10000u);
  std::set<std::string> ids, users;
  for (const nlohmann::json& e : events) {
    ids.insert(e["decision_id"].get<std::string>());
    users.insert(e["input"]["user"].get<std::string>());
    ASSERT_FALSE(e["input"].contains("password")) << e.dump();
    EXPECT_EQ(e["erased"], nlohmann::json::parse(R"(["/input/password"])"));
    EXPECT_EQ(e["path"], "app/allow");
    EXPECT_EQ(e["bundles"]["authz"]["revision"], "r1");
    EXPECT_EQ(e["labels"]["region"], "test");
    EXPECT_TRUE(e["labels"].contains("id"));
    EXPECT_TRUE(e.contains("timestamp"));
  }
  EXPECT_EQ(ids.size(), 10000u);
  EXPECT_EQ(users.size(), 10000u);
  EXPECT_EQ(Metric(R"(policyd_decision_log_events_total{outcome="uploaded"})"), 10000);
  EXPECT_GE(Metric("policyd_decision_log_upload_failures_total"), 1);

  // The status report names the bundle and its revision.
  ASSERT_TRUE(Eventually([&] { return !collector_->Status().empty(); }));
  nlohmann::json status = nlohmann::json::parse(collector_->Status());
  EXPECT_EQ(status["bundles"]["authz"]["active_revision"], "r1");
  EXPECT_EQ(status["labels"]["region"], "test");
}

TEST_F(DecisionLogTest, AFullBufferDropsTheOldestAndCountsThem) {
  ASSERT_NO_FATAL_FAILURE(StartAll("    min_delay_seconds: 1\n    max_delay_seconds: 1\n"
           "    buffer_size_limit_bytes: 20000\n"));
  collector_->Stop();
  Decide(0, 500);  // some 150 KB of events into a 20 KB buffer
  const std::string dropped_series =
      R"(policyd_decision_log_events_total{outcome="dropped"})";
  EXPECT_GT(Metric(dropped_series), 300);
  collector_->Start();
  // Every decision is delivered once or counted as dropped (a batch whose
  // upload failed while the collector was down goes back into the buffer
  // and may push more out, so the count is read once all has arrived).
  double dropped = 0;
  ASSERT_TRUE(Eventually([&] {
    dropped = Metric(dropped_series);
    return collector_->Events().size() == 500 - dropped;
  }));
  std::vector<nlohmann::json> events = collector_->Events();
  EXPECT_EQ(events.size(), 500 - dropped);
  // The newest were kept.
  std::set<std::string> users;
  for (const nlohmann::json& e : events) users.insert(e["input"]["user"].get<std::string>());
  EXPECT_EQ(events.size(), users.size());
}

}  // namespace
}  // namespace policyd

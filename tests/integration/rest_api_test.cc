// OPA's REST API beyond decisions, against the real binary: the Policy API,
// data writes, ad-hoc queries, the /v1/data parameters, config and status,
// and token authentication with basic authorization.
#include <string>

#include "engine/value/json.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/policyd_process.h"

namespace policyd {
namespace {

using ::policyd::testing::FreshDir;
using ::policyd::testing::Http;
using ::policyd::testing::HttpResult;
using ::policyd::testing::PolicydProcess;
using ::policyd::testing::WriteBundle;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kAppPolicy[] = R"(package app

allow if input.user in data.users

notes if {
	trace("checking the user")
	input.user == "alice"
}

divide := 1 / input.d
)";

class RestApiTest : public ::testing::Test {
 protected:
  void Start(std::vector<std::string> extra = {},
             const std::string& authz = "") {
    dir_ = FreshDir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::vector<std::pair<std::string, std::string>> files = {
        {"app/policy.rego", kAppPolicy}};
    if (!authz.empty()) files.emplace_back("system/authz.rego", authz);
    WriteBundle(dir_, "main", "r1", files, R"(["app", "system"])");
    std::vector<std::string> args = {"--bundles", dir_};
    args.insert(args.end(), extra.begin(), extra.end());
    std::string log;
    server_ = PolicydProcess::Start(args, &log);
    ASSERT_NE(server_, nullptr) << log;
  }

  HttpResult Call(const std::string& method, const std::string& target,
                  const std::string& body = "", const std::string& headers = "") {
    return Http(server_->http_port, method, target, body, "", headers);
  }

  Value Json(const HttpResult& r) {
    absl::StatusOr<Value> v = ParseJson(r.body);
    EXPECT_TRUE(v.ok()) << r.body;
    return v.ok() ? *v : Value();
  }

  std::string dir_;
  std::unique_ptr<PolicydProcess> server_;
};

TEST_F(RestApiTest, DataWritesOutsideBundleRoots) {
  Start();
  EXPECT_EQ(Call("PUT", "/v1/data/users", R"(["alice"])").status, 204);
  auto allow = Call("POST", "/v1/data/app/allow", R"({"input": {"user": "alice"}})");
  EXPECT_THAT(allow.body, HasSubstr(R"("result":true)"));

  // If-None-Match: * leaves an existing document alone.
  EXPECT_EQ(Call("PUT", "/v1/data/users", R"(["bob"])", "If-None-Match: *\r\n").status, 304);
  EXPECT_THAT(Call("GET", "/v1/data/users").body, HasSubstr(R"("result":["alice"])"));

  // JSON Patch below the path.
  EXPECT_EQ(Call("PATCH", "/v1/data/users",
                 R"([{"op": "add", "path": "/-", "value": "bob"},
                     {"op": "replace", "path": "/0", "value": "carol"}])")
                .status,
            204);
  EXPECT_THAT(Call("GET", "/v1/data/users").body, HasSubstr(R"("result":["carol","bob"])"));
  EXPECT_EQ(Call("PATCH", "/v1/data/users", R"([{"op": "move", "path": "/0"}])").status, 400);
  EXPECT_EQ(Call("PATCH", "/v1/data/users", R"([{"op": "remove", "path": "/9"}])").status, 404);

  EXPECT_EQ(Call("DELETE", "/v1/data/users").status, 204);
  EXPECT_THAT(Call("GET", "/v1/data/users").body, Not(HasSubstr("result")));
  EXPECT_EQ(Call("DELETE", "/v1/data/users").status, 404);

  // Inside a bundle's roots (or above them): refused as OPA refuses.
  auto owned = Call("PUT", "/v1/data/app/x", "1");
  EXPECT_EQ(owned.status, 400);
  EXPECT_THAT(owned.body, HasSubstr("owned by bundle \\\"main\\\""));
  EXPECT_EQ(Call("PUT", "/v1/data", "{}").status, 400);
  EXPECT_EQ(Call("DELETE", "/v1/data/app").status, 400);
  EXPECT_EQ(Call("PUT", "/v1/data/users", "{nope").status, 400);
}

TEST_F(RestApiTest, DataWritesSurviveBundleReloads) {
  Start({"--watch-poll-interval", "200ms"});
  ASSERT_EQ(Call("PUT", "/v1/data/users", R"(["alice"])").status, 204);
  WriteBundle(dir_, "main", "r2", {{"app/policy.rego", kAppPolicy}}, R"(["app", "system"])");
  for (int i = 0; i < 200; ++i) {
    auto r = Call("GET", "/v1/data/app/allow?provenance=true&input=%7B%22user%22%3A%22alice%22%7D");
    if (r.body.find("\"r2\"") != std::string::npos) {
      EXPECT_THAT(r.body, HasSubstr(R"("result":true)"));
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ADD_FAILURE() << "revision r2 never became active";
}

TEST_F(RestApiTest, PolicyApi) {
  Start();
  auto list = Json(Call("GET", "/v1/policies"));
  ASSERT_TRUE(list.Find("result") != nullptr);
  EXPECT_EQ(list.Find("result")->elements().size(), 1u);
  EXPECT_EQ(list.Find("result")->elements()[0].Find("id")->string(), "main/app/policy.rego");

  EXPECT_EQ(Call("PUT", "/v1/policies/extra",
                 "package extra\n\nhello := sprintf(\"hi %s\", [input.name])\n")
                .status,
            200);
  auto hello = Call("POST", "/v1/data/extra/hello", R"({"input": {"name": "ann"}})");
  EXPECT_THAT(hello.body, HasSubstr(R"("result":"hi ann")"));
  auto one = Json(Call("GET", "/v1/policies/extra"));
  EXPECT_THAT(std::string(one.Find("result")->Find("raw")->string()), HasSubstr("package extra"));
  EXPECT_EQ(Json(Call("GET", "/v1/policies")).Find("result")->elements().size(), 2u);

  // A compile error changes nothing and lists the errors.
  auto broken = Call("PUT", "/v1/policies/extra", "package extra\n\nhello := y\n");
  EXPECT_EQ(broken.status, 400);
  Value errors = Json(broken);
  ASSERT_NE(errors.Find("errors"), nullptr) << broken.body;
  EXPECT_EQ(errors.Find("errors")->elements()[0].Find("location")->Find("row")->ToJson(), "3");
  EXPECT_THAT(Call("POST", "/v1/data/extra/hello", R"({"input": {"name": "ann"}})").body,
              HasSubstr("hi ann"));
  EXPECT_EQ(Call("PUT", "/v1/policies/extra", "package extra\nx :=").status, 400);

  // A package under a bundle's roots is refused.
  auto owned = Call("PUT", "/v1/policies/mine", "package app.more\n\nx := 1\n");
  EXPECT_EQ(owned.status, 400);
  EXPECT_THAT(owned.body, HasSubstr("owned by bundle"));

  EXPECT_EQ(Call("DELETE", "/v1/policies/extra").status, 200);
  EXPECT_EQ(Call("GET", "/v1/policies/extra").status, 404);
  EXPECT_EQ(Call("DELETE", "/v1/policies/extra").status, 404);
  EXPECT_THAT(Call("POST", "/v1/data/extra/hello", "{}").body, Not(HasSubstr("result")));
}

TEST_F(RestApiTest, AdHocQueries) {
  Start();
  ASSERT_EQ(Call("PUT", "/v1/data/users", R"(["alice", "bob"])").status, 204);
  auto get = Json(Call("GET", "/v1/query?q=data.users%5Bi%5D%20%3D%3D%20%22bob%22"));
  EXPECT_EQ(get.Find("result")->ToJson(), R"([{"i":1}])");
  auto post = Json(Call("POST", "/v1/query",
                        R"({"query": "x := input.n + 1", "input": {"n": 41}})"));
  EXPECT_EQ(post.Find("result")->ToJson(), R"([{"x":42}])");
  auto undefined = Call("POST", "/v1/query", R"({"query": "data.users[_] == \"zed\""})");
  EXPECT_EQ(undefined.status, 200);
  EXPECT_THAT(undefined.body, Not(HasSubstr("result")));
  auto bad = Call("GET", "/v1/query?q=x%20%3A%3D");
  EXPECT_EQ(bad.status, 400);
  EXPECT_THAT(bad.body, HasSubstr("rego_parse_error"));
  EXPECT_EQ(Call("GET", "/v1/query").status, 400);
}

TEST_F(RestApiTest, DataQueryParameters) {
  Start();
  ASSERT_EQ(Call("PUT", "/v1/data/users", R"(["alice"])").status, 204);
  // input in the query string of a GET.
  auto get = Call("GET", "/v1/data/app/allow?input=%7B%22user%22%3A%22alice%22%7D");
  EXPECT_THAT(get.body, HasSubstr(R"("result":true)"));
  EXPECT_EQ(Call("GET", "/v1/data/app/allow?input=%7Bnope").status, 400);

  auto pretty = Call("GET", "/v1/data/users?pretty=true");
  EXPECT_THAT(pretty.body, HasSubstr("{\n  \"decision_id\""));
  EXPECT_THAT(pretty.body, HasSubstr("\"result\": [\n    \"alice\"\n  ]"));

  for (const char* param : {"metrics", "instrument"}) {
    Value m = Json(Call("POST", std::string("/v1/data/app/allow?") + param + "=true",
                        R"({"input": {"user": "alice"}})"));
    ASSERT_NE(m.Find("metrics"), nullptr) << param;
    EXPECT_NE(m.Find("metrics")->Find("timer_rego_query_eval_ns"), nullptr);
    EXPECT_NE(m.Find("metrics")->Find("timer_server_handler_ns"), nullptr);
  }

  Value provenance = Json(Call("GET", "/v1/data/users?provenance=true"));
  ASSERT_NE(provenance.Find("provenance"), nullptr);
  EXPECT_NE(provenance.Find("provenance")->Find("version"), nullptr);
  EXPECT_EQ(provenance.Find("provenance")->Find("bundles")->ToJson(),
            R"({"main":{"revision":"r1"}})");

  // Builtin errors: undefined by default, an error when strict.
  EXPECT_THAT(Call("POST", "/v1/data/app/divide", R"({"input": {"d": 0}})").body,
              Not(HasSubstr("result")));
  auto strict = Call("POST", "/v1/data/app/divide?strict-builtin-errors=true",
                     R"({"input": {"d": 0}})");
  EXPECT_EQ(strict.status, 500);
  EXPECT_THAT(strict.body, HasSubstr("divide by zero"));
}

TEST_F(RestApiTest, Explanations) {
  Start();
  Value notes = Json(Call("POST", "/v1/data/app/notes?explain=notes",
                          R"({"input": {"user": "alice"}})"));
  ASSERT_NE(notes.Find("explanation"), nullptr);
  ASSERT_EQ(notes.Find("explanation")->elements().size(), 1u);
  const Value& note = notes.Find("explanation")->elements()[0];
  EXPECT_EQ(note.Find("op")->string(), "Note");
  EXPECT_EQ(note.Find("message")->string(), "checking the user");
  EXPECT_EQ(note.Find("location")->Find("file")->string(), "main/app/policy.rego");

  Value fails = Json(Call("POST", "/v1/data/app/notes?explain=fails",
                          R"({"input": {"user": "bob"}})"));
  bool failed_compare = false;
  for (const Value& e : fails.Find("explanation")->elements()) {
    EXPECT_EQ(e.Find("op")->string(), "Fail");
    if (e.Find("node")->string() == "input.user == \"alice\"") failed_compare = true;
  }
  EXPECT_TRUE(failed_compare) << fails.ToJson();

  auto full = Call("POST", "/v1/data/app/notes?explain=full&pretty=true",
                   R"({"input": {"user": "alice"}})");
  EXPECT_THAT(full.body, HasSubstr("main/app/policy.rego:5  Enter notes if {"));
  EXPECT_THAT(full.body, HasSubstr("main/app/policy.rego:7  | Eval input.user == \\\"alice\\\""));
  EXPECT_THAT(full.body, HasSubstr("main/app/policy.rego:5  Exit notes if {"));
  EXPECT_EQ(Call("GET", "/v1/data/app/notes?explain=everything").status, 400);
}

TEST_F(RestApiTest, ConfigAndStatus) {
  Start();
  Value config = Json(Call("GET", "/v1/config"));
  ASSERT_NE(config.Find("result"), nullptr);
  EXPECT_EQ(config.Find("result")->Find("default_decision")->string(), "/system/main");
  EXPECT_NE(config.Find("result")->Find("labels")->Find("id"), nullptr);
  Value status = Json(Call("GET", "/v1/status"));
  const Value* main = status.Find("result")->Find("bundles")->Find("main");
  ASSERT_NE(main, nullptr) << status.ToJson();
  EXPECT_EQ(main->Find("active_revision")->string(), "r1");
  EXPECT_NE(main->Find("last_successful_activation"), nullptr);
  EXPECT_EQ(status.Find("result")->Find("plugins")->Find("bundle")->Find("state")->string(),
            "OK");
  EXPECT_EQ(Call("POST", "/v1/config").status, 405);
}

constexpr char kAuthzPolicy[] = R"(package system.authz

default allow := false

# Health for everyone; the rest for the admin token, and reads of
# data for the reader token.
allow if input.path == ["health"]
allow if input.identity == "admin-token"
allow if {
	input.identity == "reader-token"
	input.method == "GET"
	input.path[0] == "v1"
	input.path[1] == "data"
}
)";

TEST_F(RestApiTest, TokenAuthenticationAndBasicAuthorization) {
  Start({"--authentication", "token", "--authorization", "basic"}, kAuthzPolicy);
  EXPECT_EQ(Call("GET", "/health").status, 200);
  auto anonymous = Call("GET", "/v1/data/app/allow");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_THAT(anonymous.body, HasSubstr(R"("code":"unauthorized")"));
  EXPECT_EQ(Call("GET", "/v1/data/app/allow", "", "Authorization: Bearer reader-token\r\n").status,
            200);
  EXPECT_EQ(Call("PUT", "/v1/data/users", "[]", "Authorization: Bearer reader-token\r\n").status,
            401);
  EXPECT_EQ(Call("PUT", "/v1/data/users", "[]", "Authorization: Bearer admin-token\r\n").status,
            204);
  EXPECT_EQ(Call("GET", "/v1/policies", "", "Authorization: Bearer wrong\r\n").status, 401);
}

TEST_F(RestApiTest, AccessControlIsOffByDefault) {
  Start({}, kAuthzPolicy);
  EXPECT_EQ(Call("GET", "/v1/data/app/allow").status, 200);
  EXPECT_EQ(Call("GET", "/v1/policies").status, 200);
}

}  // namespace
}  // namespace policyd

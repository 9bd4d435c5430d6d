#include <string>
#include <string_view>

#include "gtest/gtest.h"
#include "tests/engine/builtins/core_test_util.h"

namespace policyd {
namespace {

using ::policyd::core_testing::Eval;
using ::policyd::core_testing::V;

constexpr std::string_view kName = "providers.aws.sign_req";
// 2015-08-30T12:36:00Z.
constexpr std::string_view kTime = "1440938160000000000";
constexpr std::string_view kConfig =
    R"({"aws_access_key": "AKIDEXAMPLE",
        "aws_secret_access_key": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        "aws_service": "service", "aws_region": "us-east-1"})";
constexpr std::string_view kS3Config =
    R"({"aws_access_key": "AKIDEXAMPLE",
        "aws_secret_access_key": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        "aws_service": "s3", "aws_region": "eu-west-1",
        "aws_session_token": "TOKEN"})";

// The signed request's headers, or the error text.
std::string SignedHeaders(std::string_view request, std::string_view config) {
  std::string out = Eval(kName, request, config, kTime);
  if (out.rfind("type error", 0) == 0 || out.rfind("builtin error", 0) == 0) return out;
  const Value signed_request = V(out);
  const Value* headers = signed_request.Find("headers");
  return headers == nullptr ? "no headers in " + out : headers->ToRego();
}

TEST(AwsSignReqTest, SignsPlainRequest) {
  // Expected signatures were computed independently from the SigV4
  // specification (canonical request, string to sign, derived key).
  EXPECT_EQ(SignedHeaders(R"({"method": "GET", "url": "https://example.amazon.com/"})", kConfig),
            R"({"Authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/)"
            R"(service/aws4_request,SignedHeaders=host;x-amz-date,Signature=)"
            R"(7ab4567ae243ee168f6bf18206b2b40b61ce08277323168138fa113ed23c538e", )"
            R"("host": "example.amazon.com", "x-amz-date": "20150830T123600Z"})");
}

TEST(AwsSignReqTest, SignsS3RequestWithBodyQueryTokenAndHeaders) {
  std::string expected =
      R"({"Authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/s3/)"
      R"(aws4_request,SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;)"
      R"(x-amz-security-token,Signature=)"
      R"(ccaf6265e384be4f105a8b54f18422e6b7fe0952087bf217645a6b93b353ca03", )"
      R"("User-Agent": "test", "content-type": "text/plain", "host": "s3.amazonaws.com:8443", )"
      R"("x-amz-content-sha256": )"
      R"("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", )"
      R"("x-amz-date": "20150830T123600Z", "x-amz-security-token": "TOKEN"})";
  // User-Agent is returned but not signed; raw_body wins over body; the
  // path is signed in its escaped form, whether written escaped or not.
  EXPECT_EQ(SignedHeaders(R"({"method": "PUT",
                              "url": "https://s3.amazonaws.com:8443/my%20bucket/key?a=1&b=2",
                              "headers": {"content-type": "text/plain", "User-Agent": "test"},
                              "raw_body": "hello", "body": {"x": 1}})",
                          kS3Config),
            expected);
  EXPECT_EQ(SignedHeaders(R"({"method": "PUT",
                              "url": "https://s3.amazonaws.com:8443/my bucket/key?a=1&b=2",
                              "headers": {"content-type": "text/plain", "User-Agent": "test"},
                              "raw_body": "hello"})",
                          kS3Config),
            expected);
}

TEST(AwsSignReqTest, KeepsTheRestOfTheRequest) {
  std::string out = Eval(kName, R"({"method": "GET", "url": "https://h/", "body": {"a": {1, 2}}})",
                         kConfig, kTime);
  const Value signed_request = V(out);
  EXPECT_EQ(signed_request.Find("body")->ToRego(), R"({"a": {1, 2}})");
  EXPECT_EQ(signed_request.Find("method")->ToRego(), R"("GET")");
}

TEST(AwsSignReqTest, UnsignedPayload) {
  std::string config = R"({"aws_access_key": "A", "aws_secret_access_key": "S",
                           "aws_service": "s3", "aws_region": "r",
                           "disable_payload_signing": true})";
  const Value headers =
      *V(Eval(kName, R"({"method": "GET", "url": "https://h/", "raw_body": "x"})", config, kTime))
           .Find("headers");
  EXPECT_EQ(headers.Find("x-amz-content-sha256")->ToRego(), R"("UNSIGNED-PAYLOAD")");
}

TEST(AwsSignReqTest, ConfigErrors) {
  const std::string req = R"({"method": "get", "url": "http://example.com"})";
  EXPECT_EQ(Eval(kName, req, R"({"aws_service": "s3"})", kTime),
            "type error: providers.aws.sign_req: operand 2 missing required AWS config "
            R"(parameters(s): {"aws_access_key", "aws_region", "aws_secret_access_key"})");
  EXPECT_EQ(Eval(kName, req,
                 R"({"aws_access_key": 1, "aws_secret_access_key": "s", "aws_service": "s3",
                     "aws_region": null})",
                 kTime),
            "type error: providers.aws.sign_req: operand 2 invalid values for required AWS "
            R"(config parameters(s): {"aws_access_key", "aws_region"})");
  EXPECT_EQ(Eval(kName, req,
                 R"({"aws_access_key": "a", "aws_secret_access_key": "s", "aws_service": "s3",
                     "aws_region": "r", "disable_payload_signing": "false"})",
                 kTime),
            "type error: providers.aws.sign_req: operand 2 invalid value for "
            "'disable_payload_signing' in AWS config");
  // OPA reports a non-object config as operand 1.
  EXPECT_EQ(Eval(kName, req, "[]", kTime),
            "type error: providers.aws.sign_req: operand 1 must be object but got array");
}

TEST(AwsSignReqTest, TimestampMustBeAnIntegerLiteral) {
  const std::string req = R"({"method": "get", "url": "http://example.com"})";
  for (std::string_view t : {"-1e9", "1.5", "1.0", "99999999999999999999"}) {
    EXPECT_EQ(Eval(kName, req, kConfig, t),
              "type error: providers.aws.sign_req: operand 3 could not convert time_ns value "
              "into a unix timestamp")
        << t;
  }
  EXPECT_EQ(Eval(kName, req, kConfig, R"("1")"),
            "type error: providers.aws.sign_req: operand 1 must be number but got string");
}

TEST(AwsSignReqTest, RequestErrors) {
  EXPECT_EQ(Eval(kName, "{}", kConfig, kTime),
            "type error: providers.aws.sign_req: operand 1 missing required request "
            R"(parameters(s): {"method", "url"})");
  EXPECT_EQ(Eval(kName, R"({"method": set(), "url": 1})", kConfig, kTime),
            "type error: providers.aws.sign_req: operand 1 invalid values for required request "
            R"(parameters(s): {"method", "url"})");
  EXPECT_EQ(Eval(kName, R"({"method": "get", "url": "http://h", "nope": 1, "x": 2})", kConfig,
                 kTime),
            "type error: providers.aws.sign_req: operand 1 invalid request parameters(s): "
            R"({"nope", "x"})");
  EXPECT_EQ(Eval(kName, R"({"method": "get", "url": "http://h", "headers": []})", kConfig, kTime),
            "type error: providers.aws.sign_req: operand 0 must be object but got array");
  EXPECT_EQ(Eval(kName, R"({"method": "get", "url": "http://h/%zz"})", kConfig, kTime),
            "builtin error: providers.aws.sign_req: parse \"http://h/%zz\": invalid URL escape "
            "\"%zz\"");
  EXPECT_EQ(Eval(kName, R"({"method": "get", "url": "http://h:x/"})", kConfig, kTime),
            "builtin error: providers.aws.sign_req: parse \"http://h:x/\": invalid port \":x\" "
            "after host");
  EXPECT_EQ(Eval(kName, R"({"method": "get", "url": ":x"})", kConfig, kTime),
            "builtin error: providers.aws.sign_req: parse \":x\": missing protocol scheme");
}

}  // namespace
}  // namespace policyd

#include "service/api/rest_access.h"

#include "gtest/gtest.h"

namespace policyd {
namespace {

TEST(RestAccessTest, AuthorizationInputHasOpasShape) {
  HttpRequest request;
  request.method = "GET";
  request.path = "/v1/data/a%2Fb/c";
  request.query = "pretty=true&x=1&x=2";
  request.headers = {{"authorization", "Bearer t"}, {"x-request-id", "7"}};
  Value input = AuthorizationInput(request, std::string("t"));
  EXPECT_EQ(input.Find("method")->string(), "GET");
  EXPECT_EQ(input.Find("path")->ToJson(), R"(["v1","data","a","b","c"])");
  EXPECT_EQ(input.Find("params")->ToJson(), R"({"pretty":["true"],"x":["1","2"]})");
  EXPECT_EQ(input.Find("headers")->ToJson(),
            R"({"Authorization":["Bearer t"],"X-Request-Id":["7"]})");
  EXPECT_EQ(input.Find("identity")->string(), "t");
  EXPECT_EQ(AuthorizationInput(request, std::nullopt).Find("identity"), nullptr);
}

}  // namespace
}  // namespace policyd

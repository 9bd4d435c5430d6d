#include "gtest/gtest.h"
#include "tests/engine/builtins/text_test_util.h"

namespace policyd {
namespace {

using ::policyd::testing::Error;
using ::policyd::testing::J;
using ::policyd::testing::S;

// sprintf(format, args) with args written as JSON; the result string.
std::string F(std::string_view format, std::string_view args_json) {
  auto r = testing::Call("sprintf", {S(format), J(args_json)});
  EXPECT_TRUE(r.ok()) << r.status();
  if (!r.ok() || !r->has_value()) return "<none>";
  return std::string((*r)->string());
}

TEST(SprintfTest, Basics) {
  EXPECT_EQ(F("hi", "[]"), "hi");
  EXPECT_EQ(F("hi %s", R"(["there"])"), "hi there");
  EXPECT_EQ(F("hi %02d", "[5]"), "hi 05");
  EXPECT_EQ(F("hi %02X.%02X", "[127, 1]"), "hi 7F.01");
  EXPECT_EQ(F("hi %.2f", "[3.1415]"), "hi 3.14");
  EXPECT_EQ(F("hi %v", "[2e308]"), "hi 2e308");
  EXPECT_EQ(F("hi %s", "[true]"), "hi true");
  EXPECT_EQ(F("hi %v", R"([["there", 5, 3.14]])"), R"(hi ["there", 5, 3.14])");
  EXPECT_EQ(F("%v", R"([{"a": [null, {"b": "c"}]}])"),
            R"({"a": [null, {"b": "c"}]})");
  EXPECT_EQ(F("100%%", "[]"), "100%");
  EXPECT_EQ(F("%d", "[-42]"), "-42");
}

TEST(SprintfTest, SetsPrintInRegoSyntax) {
  auto r = testing::Call(
      "sprintf", {S("%v %v"), Value::Array({Value::Set({J("2"), J("1")}),
                                            Value::Set({})})});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)->string(), "{1, 2} set()");
}

TEST(SprintfTest, BigIntegers) {
  EXPECT_EQ(F("%s", "[123456789123456789123]"), "123456789123456789123");
  EXPECT_EQ(F("%d", "[1208925819614629174706175]"),
            "1208925819614629174706175");
  EXPECT_EQ(F("%x", "[1208925819614629174706175]"), "ffffffffffffffffffff");
  EXPECT_EQ(F("%v", "[-123456789123456789123]"), "-123456789123456789123");
  EXPECT_EQ(F("%30d|", "[123456789123456789123]"),
            "         123456789123456789123|");
  EXPECT_EQ(F("%f", "[123456789123456789123]"),
            "%!f(big.Int=123456789123456789123)");
}

TEST(SprintfTest, Integers) {
  EXPECT_EQ(F("%5d|%-5d|%05d", "[42, 42, -42]"), "   42|42   |-0042");
  EXPECT_EQ(F("%+d % d", "[5, 5]"), "+5  5");
  EXPECT_EQ(F("%b %o %O %x %X", "[5, 8, 8, 255, 255]"), "101 10 0o10 ff FF");
  EXPECT_EQ(F("%#x %#o %#b", "[255, 8, 5]"), "0xff 010 0b101");
  EXPECT_EQ(F("%c%c", "[72, 229]"), "Hå");
  EXPECT_EQ(F("%q", "[97]"), "'a'");
  EXPECT_EQ(F("%U", "[65]"), "U+0041");
  EXPECT_EQ(F("%.3d", "[7]"), "007");
  EXPECT_EQ(F("%s", "[5]"), "%!s(int=5)");
  EXPECT_EQ(F("%t", "[5]"), "%!t(int=5)");
}

TEST(SprintfTest, Floats) {
  EXPECT_EQ(F("%v", "[3.14]"), "3.14");
  EXPECT_EQ(F("%v", "[1.0]"), "1");
  EXPECT_EQ(F("%v", "[1000000.5]"), "1.0000005e+06");
  EXPECT_EQ(F("%v", "[0.00001]"), "1e-05");
  EXPECT_EQ(F("%v", "[0.0001]"), "0.0001");
  EXPECT_EQ(F("%f", "[2.5]"), "2.500000");
  EXPECT_EQ(F("%e", "[1234.5678]"), "1.234568e+03");
  EXPECT_EQ(F("%E", "[1234.5678]"), "1.234568E+03");
  EXPECT_EQ(F("%g", "[1234.5678]"), "1234.5678");
  EXPECT_EQ(F("%.3g", "[1234.5678]"), "1.23e+03");
  EXPECT_EQ(F("%8.3f|%-8.2f|%08.3f", "[3.14159, 2.5, -3.14159]"),
            "   3.142|2.50    |-003.142");
  EXPECT_EQ(F("%+.1f", "[2.25]"), "+2.2");
  EXPECT_EQ(F("%d", "[1.5]"), "%!d(float64=1.5)");
  EXPECT_EQ(F("%x", "[1.5]"), "0x1.8p+00");
}

TEST(SprintfTest, Strings) {
  EXPECT_EQ(F("%5s|%-5s|%.2s", R"(["ab", "ab", "åäö"])"), "   ab|ab   |åä");
  EXPECT_EQ(F("%q", R"(["a\"b\n"])"), R"("a\"b\n")");
  EXPECT_EQ(F("%#q", R"(["ab"])"), "`ab`");
  EXPECT_EQ(F("%x %X", R"(["hi", "hi"])"), "6869 6869");
  EXPECT_EQ(F("% x", R"(["hi"])"), "68 69");
  EXPECT_EQ(F("%d", R"(["x"])"), "%!d(string=x)");
  EXPECT_EQ(F("%t", "[true]"), "%!t(string=true)");
  EXPECT_EQ(F("%v", "[null]"), "null");
  EXPECT_EQ(F("%T %T %T %T", R"([1, 1.5, "s", 123456789123456789123])"),
            "int float64 string *big.Int");
}

TEST(SprintfTest, ArgumentErrors) {
  EXPECT_EQ(F("%d %d", "[1]"), "1 %!d(MISSING)");
  EXPECT_EQ(F("%d", R"([1, "a", 2.5])"), "1%!(EXTRA string=a, float64=2.5)");
  EXPECT_EQ(F("%", "[]"), "%!(NOVERB)");
  EXPECT_EQ(F("%[2]d %[1]d", "[1, 2]"), "2 1");
  EXPECT_EQ(F("%[3]d", "[1, 2]"), "%!d(BADINDEX)");
  EXPECT_EQ(F("%*d|", "[4, 7]"), "   7|");
  EXPECT_EQ(F("%-*d|", "[4, 7]"), "7   |");
  EXPECT_EQ(F("%.*f", "[2, 3.14159]"), "3.14");
}

TEST(SprintfTest, OperandTypes) {
  EXPECT_EQ(Error("sprintf", {S("%d"), J("1")},
                  absl::StatusCode::kInvalidArgument),
            "sprintf: operand 2 must be array but got number");
  EXPECT_EQ(Error("sprintf", {J("1"), J("[]")},
                  absl::StatusCode::kInvalidArgument),
            "sprintf: operand 1 must be string but got number");
}

}  // namespace
}  // namespace policyd

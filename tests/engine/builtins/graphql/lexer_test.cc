#include "engine/builtins/graphql/lexer.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace policyd::graphql {
namespace {

// Every token up to and including the end, as "Describe()@line:col".
std::vector<std::string> Lex(std::string_view text) {
  Lexer lexer(text);
  std::vector<std::string> out;
  for (;;) {
    Token t = lexer.Next();
    out.push_back(t.Describe() + "@" + std::to_string(t.pos.line) + ":" +
                  std::to_string(t.pos.column));
    if (t.kind == TokenKind::kEof || t.kind == TokenKind::kInvalid) return out;
  }
}

using Tokens = std::vector<std::string>;

TEST(GraphqlLexerTest, PunctuationNamesAndNumbers) {
  EXPECT_EQ(Lex("{ a(x: -1.5e3, y: 0) ... }"),
            (Tokens{"{@1:1", "Name \"a\"@1:3", "(@1:4", "Name \"x\"@1:5", ":@1:6",
                    "Float \"-1.5e3\"@1:8", "Name \"y\"@1:16", ":@1:17", "Int \"0\"@1:19",
                    ")@1:20", "...@1:22", "}@1:26", "<EOF>@1:27"}));
  EXPECT_EQ(Lex("$v! & | = @d [ ]"),
            (Tokens{"$@1:1", "Name \"v\"@1:2", "!@1:3", "&@1:5", "|@1:7", "=@1:9", "@@1:11",
                    "Name \"d\"@1:12", "[@1:14", "]@1:16", "<EOF>@1:17"}));
}

TEST(GraphqlLexerTest, CommentsAndLinesAreSkipped) {
  EXPECT_EQ(Lex("# ਊ comment\r\n  a,\n\tb"),
            (Tokens{"Name \"a\"@2:3", "Name \"b\"@3:2", "<EOF>@3:3"}));
}

TEST(GraphqlLexerTest, StringsArePositionedAfterTheQuote) {
  EXPECT_EQ(Lex("  \"a\\n\\u0041ਊ\" x"),
            (Tokens{"String \"a\\nAਊ\"@1:4", "Name \"x\"@1:16", "<EOF>@1:17"}));
  EXPECT_EQ(Lex(" \"\"\"x\"\"\" y"),
            (Tokens{"BlockString \"x\"@1:5", "Name \"y\"@1:10", "<EOF>@1:11"}));
  Token block = Lexer("\"\"\"\n    block \\\"\"\"\n      more\n  \"\"\"").Next();
  EXPECT_EQ(block.kind, TokenKind::kBlockString);
  EXPECT_EQ(block.value, "block \"\"\"\n  more");
}

TEST(GraphqlLexerTest, MalformedInputIsInvalidAtTheStoppingPoint) {
  EXPECT_EQ(Lex("a ?"), (Tokens{"Name \"a\"@1:1", "<Invalid>@1:3"}));
  EXPECT_EQ(Lex("\"open"), (Tokens{"<Invalid>@1:6"}));
  EXPECT_EQ(Lex("\"\"\"\r"), (Tokens{"<Invalid>@2:1"}));
  EXPECT_EQ(Lex("007"), (Tokens{"<Invalid>@1:2"}));
  EXPECT_EQ(Lex("1."), (Tokens{"<Invalid>@1:3"}));
  EXPECT_EQ(Lex(".."), (Tokens{"<Invalid>@1:1"}));
  EXPECT_EQ(Lex("\"\\q\""), (Tokens{"<Invalid>@1:3"}));
}

TEST(GraphqlLexerTest, BlockStringValue) {
  EXPECT_EQ(BlockStringValue("\n    Hello,\n      World!\n\n    Yours\n  "),
            "Hello,\n  World!\n\nYours");
  EXPECT_EQ(BlockStringValue("  first\n  second"), "  first\nsecond");
  EXPECT_EQ(BlockStringValue("   \n\t\n"), "");
}

}  // namespace
}  // namespace policyd::graphql

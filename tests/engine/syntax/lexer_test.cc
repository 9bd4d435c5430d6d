#include "engine/syntax/lexer.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace policyd::ast {
namespace {

std::vector<Tok> Kinds(std::string_view text) {
  std::vector<Tok> kinds;
  for (const Token& t : Lex(text)) kinds.push_back(t.kind);
  return kinds;
}

TEST(LexerTest, OperatorsAndPunctuation) {
  EXPECT_EQ(Kinds(":= = == != < <= > >= + - * / % & | { } [ ] ( ) , ; . :"),
            (std::vector<Tok>{Tok::kAssign, Tok::kUnify, Tok::kEqual, Tok::kNotEqual,
                              Tok::kLt, Tok::kLte, Tok::kGt, Tok::kGte, Tok::kPlus,
                              Tok::kMinus, Tok::kMul, Tok::kQuo, Tok::kRem, Tok::kAnd,
                              Tok::kOr, Tok::kLBrace, Tok::kRBrace, Tok::kLBrack,
                              Tok::kRBrack, Tok::kLParen, Tok::kRParen, Tok::kComma,
                              Tok::kSemicolon, Tok::kDot, Tok::kColon, Tok::kEof}));
}

TEST(LexerTest, CommentsAreRecordedWhenAsked) {
  std::string_view src = "# METADATA\np := \"#not\" # tail\n";
  std::vector<Comment> comments;
  std::vector<Token> toks = Lex(src, 0, src.size(), Location{1, 1}, &comments);
  ASSERT_EQ(comments.size(), 2u);
  EXPECT_EQ(comments[0].text, " METADATA");
  EXPECT_EQ(comments[0].loc.line, 1);
  EXPECT_EQ(comments[0].loc.col, 1);
  EXPECT_EQ(comments[1].text, " tail");
  EXPECT_EQ(comments[1].loc.line, 2);
  EXPECT_EQ(comments[1].loc.col, 13);
  EXPECT_EQ(toks[2].text, "#not");
}

TEST(LexerTest, WordsNumbersAndPositions) {
  std::vector<Token> toks = Lex("foo_1 12.5e-3\n  # note\n  x1 7");
  ASSERT_EQ(toks.size(), 5u);
  EXPECT_EQ(toks[0].kind, Tok::kIdent);
  EXPECT_EQ(toks[0].text, "foo_1");
  EXPECT_EQ(toks[1].kind, Tok::kNumber);
  EXPECT_EQ(toks[1].text, "12.5e-3");
  EXPECT_TRUE(toks[1].space_before);
  EXPECT_FALSE(toks[1].nl_before);
  EXPECT_EQ(toks[2].text, "x1");
  EXPECT_EQ(toks[2].loc.line, 3);
  EXPECT_EQ(toks[2].loc.col, 3);
  EXPECT_TRUE(toks[2].nl_before);
  EXPECT_EQ(toks[2].begin, 25u);
  EXPECT_EQ(toks[2].end, 27u);
  EXPECT_FALSE(toks[0].space_before);
}

TEST(LexerTest, Adjacency) {
  std::vector<Token> toks = Lex("a[0] b [0]");
  EXPECT_FALSE(toks[1].space_before);
  EXPECT_TRUE(toks[5].space_before);
  EXPECT_EQ(toks[5].kind, Tok::kLBrack);
}

TEST(LexerTest, Strings) {
  std::vector<Token> toks = Lex("\"a\\tb\\u0041\\uD834\\uDD1E\" `x\\n\ny`");
  ASSERT_EQ(toks[0].kind, Tok::kString);
  EXPECT_EQ(toks[0].text, "a\tbA\xf0\x9d\x84\x9e");
  ASSERT_EQ(toks[1].kind, Tok::kString);
  EXPECT_EQ(toks[1].text, "x\\n\ny");
  // A lone surrogate becomes U+FFFD.
  EXPECT_EQ(Lex("\"\\ud800\"")[0].text, "\xef\xbf\xbd");
}

TEST(LexerTest, Errors) {
  std::vector<Token> toks = Lex("x \"abc\ny");
  ASSERT_EQ(toks.size(), 3u);
  EXPECT_EQ(toks[1].kind, Tok::kIllegal);
  EXPECT_EQ(toks[1].text, "non-terminated string");
  EXPECT_EQ(toks[2].kind, Tok::kEof);
  EXPECT_EQ(Lex("`abc")[0].text, "non-terminated raw string");
  EXPECT_EQ(Lex("\"\\x\"")[0].text, "illegal escape sequence");
  EXPECT_EQ(Lex("\"\\u12\"")[0].text, "illegal escape sequence");
  EXPECT_EQ(Lex("@")[0].text, "illegal token");
  EXPECT_EQ(Lex("!")[0].kind, Tok::kIllegal);
  EXPECT_EQ(Lex("$x")[0].kind, Tok::kIllegal);
}

TEST(LexerTest, TemplateParts) {
  std::string src = "$\"a\\{b} {x[\"}\"]} c\\n\"";
  std::vector<Token> toks = Lex(src);
  ASSERT_EQ(toks[0].kind, Tok::kTemplate);
  const std::vector<TemplatePart>& parts = toks[0].parts;
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_FALSE(parts[0].is_expr);
  EXPECT_EQ(parts[0].text, "a{b} ");
  EXPECT_TRUE(parts[1].is_expr);
  EXPECT_EQ(src.substr(parts[1].begin, parts[1].end - parts[1].begin), "x[\"}\"]");
  EXPECT_EQ(parts[1].loc.col, 10);
  EXPECT_EQ(parts[2].text, " c\n");

  toks = Lex("$`{{1}}\n\\{y}`");
  ASSERT_EQ(toks[0].kind, Tok::kTemplate);
  ASSERT_EQ(toks[0].parts.size(), 3u);
  EXPECT_EQ(toks[0].parts[0].text, "");
  EXPECT_EQ(toks[0].parts[2].text, "\n{y}");
  EXPECT_EQ(Lex("$\"{x\"")[0].kind, Tok::kIllegal);
  EXPECT_EQ(Lex("$\"a\nb\"")[0].text, "non-terminated string");
}

}  // namespace
}  // namespace policyd::ast

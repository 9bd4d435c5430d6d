// GraphQL source text to tokens (GraphQL spec, "Lexical Tokens"), with token
// positions as vektah/gqlparser reports them, since OPA's error messages show
// them: 1-based lines, columns in code points; a string token's column is
// that of its first character after the opening quote(s).
#ifndef POLICYD_ENGINE_BUILTINS_GRAPHQL_LEXER_H_
#define POLICYD_ENGINE_BUILTINS_GRAPHQL_LEXER_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "engine/builtins/graphql/ast.h"

namespace policyd::graphql {

enum class TokenKind {
  kInvalid,  // malformed input; the position is where scanning stopped
  kEof,
  kBang,
  kDollar,
  kAmp,
  kParenL,
  kParenR,
  kSpread,
  kColon,
  kEquals,
  kAt,
  kBracketL,
  kBracketR,
  kBraceL,
  kPipe,
  kBraceR,
  kName,
  kInt,
  kFloat,
  kString,
  kBlockString,
};

// gqlparser's name of a kind in messages: "Name", "<EOF>", "{", "...".
std::string_view TokenKindName(TokenKind kind);

struct Token {
  TokenKind kind = TokenKind::kInvalid;
  // Names and numbers: their text; strings: the decoded value; else empty.
  std::string value;
  Position pos;

  // "Name \"foo\"" when there is a value, else the kind's name ("}").
  std::string Describe() const;
};

class Lexer {
 public:
  explicit Lexer(std::string_view input) : input_(input) {}

  // The next token, skipping white space, commas and comments. After the
  // end of input, kEof again and again.
  Token Next();

 private:
  void SkipIgnored();
  Token Make(TokenKind kind, std::string value) const;
  Token Invalid() const;
  Token ReadName();
  Token ReadNumber();
  Token ReadString();
  Token ReadBlockString();
  // Consumes ASCII digits; returns how many.
  size_t AcceptDigits();
  bool AcceptByte(char c);
  void NewLine() {
    ++line_;
    line_start_runes_ = end_runes_;
  }

  std::string_view input_;
  size_t start_ = 0;       // byte offset where the current token starts
  size_t end_ = 0;         // byte offset of the scanner
  int start_runes_ = 0;    // the same two in code points
  int end_runes_ = 0;
  int line_ = 1;
  int line_start_runes_ = 0;
};

// The value of a block string from its raw text between the triple quotes:
// common indentation and blank first/last lines removed (GraphQL spec,
// BlockStringValue).
std::string BlockStringValue(std::string_view raw);

}  // namespace policyd::graphql

#endif  // POLICYD_ENGINE_BUILTINS_GRAPHQL_LEXER_H_

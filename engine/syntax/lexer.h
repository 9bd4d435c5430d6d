// Rego source text to tokens. The lexer knows no keywords (which words are
// keywords depends on the Rego version and the module's imports, so the
// parser decides); it records, per token, whether whitespace or a newline
// precedes it, because refs (`a[0]`, `f(x)`) need adjacency and newlines
// separate expressions in bodies.
#ifndef POLICYD_ENGINE_SYNTAX_LEXER_H_
#define POLICYD_ENGINE_SYNTAX_LEXER_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "engine/syntax/ast.h"

namespace policyd::ast {

enum class Tok {
  kEof,
  kIllegal,   // `text` holds the error message
  kIdent,     // `text` is the name
  kNumber,    // `text` is the literal text
  kString,    // `text` is the decoded string ("...", `...`)
  kTemplate,  // $"..." or $`...`: `parts`
  kLBrace,
  kRBrace,
  kLBrack,
  kRBrack,
  kLParen,
  kRParen,
  kComma,
  kSemicolon,
  kDot,
  kColon,
  kAssign,  // :=
  kUnify,   // =
  kEqual,   // ==
  kNotEqual,
  kLt,
  kLte,
  kGt,
  kGte,
  kPlus,
  kMinus,
  kMul,
  kQuo,
  kRem,
  kAnd,
  kOr,
};

// A piece of a template string: a decoded literal, or the source range of an
// embedded expression (between the braces) for the parser to parse.
struct TemplatePart {
  bool is_expr = false;
  std::string text;         // literal pieces
  size_t begin = 0;         // expression pieces: byte range in the source
  size_t end = 0;
  Location loc;             // where the piece starts
};

struct Token {
  Tok kind = Tok::kEof;
  Location loc;
  size_t begin = 0;  // byte range in the source
  size_t end = 0;
  bool space_before = false;  // any whitespace or comment before the token
  bool nl_before = false;     // a newline before the token (since the last)
  std::string text;
  std::vector<TemplatePart> parts;
};

// OPA's name for a token in "unexpected X token" messages.
std::string_view TokenName(Tok kind);

// Tokens of source[begin, end), the first one at `start`; always ends with one
// kEof token. Lexical errors become kIllegal tokens (the lexer stops there).
// Comments are skipped, and appended to `*comments` when it is given.
std::vector<Token> Lex(std::string_view source, size_t begin, size_t end,
                       Location start,
                       std::vector<Comment>* comments = nullptr);
inline std::vector<Token> Lex(std::string_view source) {
  return Lex(source, 0, source.size(), Location{1, 1});
}

}  // namespace policyd::ast

#endif  // POLICYD_ENGINE_SYNTAX_LEXER_H_

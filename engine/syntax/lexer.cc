#include "engine/syntax/lexer.h"

#include "engine/value/utf8.h"
#include "util/hex.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace policyd::ast {
namespace {

bool IsLetter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

class Lexer {
 public:
  Lexer(std::string_view src, size_t begin, size_t end, Location start,
        std::vector<Comment>* comments)
      : src_(src.substr(0, end)), pos_(begin), line_(start.line),
        col_(start.col), comments_(comments) {}

  std::vector<Token> Run() {
    std::vector<Token> out;
    while (true) {
      Token tok = Next();
      Tok kind = tok.kind;
      out.push_back(std::move(tok));
      if (kind == Tok::kEof || kind == Tok::kIllegal) break;
    }
    if (out.back().kind == Tok::kIllegal) {
      Token eof;
      eof.kind = Tok::kEof;
      eof.loc = out.back().loc;
      eof.begin = eof.end = out.back().end;
      out.push_back(std::move(eof));
    }
    return out;
  }

 private:
  bool AtEnd() const { return pos_ >= src_.size(); }
  char Peek(size_t ahead = 0) const {
    return pos_ + ahead < src_.size() ? src_[pos_ + ahead] : '\0';
  }
  void Advance() {
    if (AtEnd()) return;
    if (src_[pos_] == '\n') {
      ++line_;
      col_ = 1;
    } else {
      ++col_;
    }
    ++pos_;
  }
  Location Here() const { return Location{line_, col_}; }

  // Skips whitespace and comments; notes what was skipped in `tok`.
  void SkipSpace(Token* tok) {
    while (!AtEnd()) {
      char c = Peek();
      if (c == '\n') {
        tok->nl_before = true;
        tok->space_before = true;
        Advance();
      } else if (c == ' ' || c == '\t' || c == '\r') {
        tok->space_before = true;
        Advance();
      } else if (c == '#') {
        tok->space_before = true;
        Location loc = Here();
        size_t start = pos_ + 1;
        while (!AtEnd() && Peek() != '\n') Advance();
        if (comments_) {
          comments_->push_back(
              Comment{loc, std::string(src_.substr(start, pos_ - start))});
        }
      } else {
        break;
      }
    }
  }

  Token Illegal(Token tok, std::string message) {
    tok.kind = Tok::kIllegal;
    tok.text = std::move(message);
    tok.end = pos_;
    return tok;
  }

  Token Next() {
    Token tok;
    SkipSpace(&tok);
    tok.loc = Here();
    tok.begin = pos_;
    if (AtEnd()) {
      tok.kind = Tok::kEof;
      tok.end = pos_;
      return tok;
    }
    char c = Peek();
    if (IsLetter(c)) {
      while (!AtEnd() && (IsLetter(Peek()) || IsDigit(Peek()))) Advance();
      tok.kind = Tok::kIdent;
      tok.text = std::string(src_.substr(tok.begin, pos_ - tok.begin));
      tok.end = pos_;
      return tok;
    }
    if (IsDigit(c)) return Number(std::move(tok));
    if (c == '"') {
      Advance();
      if (!QuotedString(&tok.text, nullptr)) {
        return Illegal(std::move(tok), error_);
      }
      tok.kind = Tok::kString;
      tok.end = pos_;
      return tok;
    }
    if (c == '`') {
      Advance();
      while (!AtEnd() && Peek() != '`') {
        tok.text.push_back(Peek());
        Advance();
      }
      if (AtEnd()) return Illegal(std::move(tok), "non-terminated raw string");
      Advance();
      tok.kind = Tok::kString;
      tok.end = pos_;
      return tok;
    }
    if (c == '$' && (Peek(1) == '"' || Peek(1) == '`')) {
      return Template(std::move(tok));
    }
    Advance();
    tok.kind = Tok::kIllegal;
    switch (c) {
      case '{': tok.kind = Tok::kLBrace; break;
      case '}': tok.kind = Tok::kRBrace; break;
      case '[': tok.kind = Tok::kLBrack; break;
      case ']': tok.kind = Tok::kRBrack; break;
      case '(': tok.kind = Tok::kLParen; break;
      case ')': tok.kind = Tok::kRParen; break;
      case ',': tok.kind = Tok::kComma; break;
      case ';': tok.kind = Tok::kSemicolon; break;
      case '.': tok.kind = Tok::kDot; break;
      case '+': tok.kind = Tok::kPlus; break;
      case '-': tok.kind = Tok::kMinus; break;
      case '*': tok.kind = Tok::kMul; break;
      case '/': tok.kind = Tok::kQuo; break;
      case '%': tok.kind = Tok::kRem; break;
      case '&': tok.kind = Tok::kAnd; break;
      case '|': tok.kind = Tok::kOr; break;
      case ':':
        tok.kind = Tok::kColon;
        if (Peek() == '=') {
          Advance();
          tok.kind = Tok::kAssign;
        }
        break;
      case '=':
        tok.kind = Tok::kUnify;
        if (Peek() == '=') {
          Advance();
          tok.kind = Tok::kEqual;
        }
        break;
      case '!':
        if (Peek() == '=') {
          Advance();
          tok.kind = Tok::kNotEqual;
        }
        break;
      case '<':
        tok.kind = Tok::kLt;
        if (Peek() == '=') {
          Advance();
          tok.kind = Tok::kLte;
        }
        break;
      case '>':
        tok.kind = Tok::kGt;
        if (Peek() == '=') {
          Advance();
          tok.kind = Tok::kGte;
        }
        break;
      default:
        break;
    }
    if (tok.kind == Tok::kIllegal) return Illegal(std::move(tok), "illegal token");
    tok.end = pos_;
    return tok;
  }

  Token Number(Token tok) {
    while (IsDigit(Peek())) Advance();
    if (Peek() == '.' && IsDigit(Peek(1))) {
      Advance();
      while (IsDigit(Peek())) Advance();
    }
    if (Peek() == 'e' || Peek() == 'E') {
      size_t ahead = (Peek(1) == '+' || Peek(1) == '-') ? 2 : 1;
      if (IsDigit(Peek(ahead))) {
        for (size_t i = 0; i < ahead; ++i) Advance();
        while (IsDigit(Peek())) Advance();
      }
    }
    tok.kind = Tok::kNumber;
    tok.text = std::string(src_.substr(tok.begin, pos_ - tok.begin));
    tok.end = pos_;
    return tok;
  }

  // Decodes one escape after the backslash (already consumed) into `out`.
  // `template_brace` allows `\{` (template strings).
  bool Escape(std::string* out, bool template_brace) {
    if (AtEnd()) {
      error_ = "non-terminated string";
      return false;
    }
    char c = Peek();
    Advance();
    switch (c) {
      case '"': out->push_back('"'); return true;
      case '\\': out->push_back('\\'); return true;
      case '/': out->push_back('/'); return true;
      case 'b': out->push_back('\b'); return true;
      case 'f': out->push_back('\f'); return true;
      case 'n': out->push_back('\n'); return true;
      case 'r': out->push_back('\r'); return true;
      case 't': out->push_back('\t'); return true;
      case 'u': {
        uint32_t cp = 0;
        if (!Hex4(&cp)) return false;
        if (cp >= 0xD800 && cp < 0xDC00 && Peek() == '\\' && Peek(1) == 'u') {
          size_t save_pos = pos_;
          int save_col = col_;
          Advance();
          Advance();
          uint32_t low = 0;
          if (!Hex4(&low)) return false;
          if (low >= 0xDC00 && low < 0xE000) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else {
            pos_ = save_pos;  // not a pair: leave the second escape
            col_ = save_col;
            cp = 0xFFFD;
          }
        } else if (cp >= 0xD800 && cp < 0xE000) {
          cp = 0xFFFD;
        }
        utf8::Append(cp, out);
        return true;
      }
      case '{':
        if (template_brace) {
          out->push_back('{');
          return true;
        }
        [[fallthrough]];
      default:
        error_ = "illegal escape sequence";
        return false;
    }
  }

  bool Hex4(uint32_t* cp) {
    for (int i = 0; i < 4; ++i) {
      int h = HexDigitValue(Peek());
      if (h < 0) {
        error_ = "illegal escape sequence";
        return false;
      }
      *cp = *cp * 16 + static_cast<uint32_t>(h);
      Advance();
    }
    return true;
  }

  // Reads the rest of a "..." string (opening quote consumed). With `parts`,
  // reads a template string: `{expr}` pieces are recorded, `\{` is a brace.
  bool QuotedString(std::string* text, std::vector<TemplatePart>* parts) {
    TemplatePart lit;
    lit.loc = Here();
    while (true) {
      if (AtEnd() || Peek() == '\n') {
        error_ = "non-terminated string";
        return false;
      }
      char c = Peek();
      if (c == '"') {
        Advance();
        break;
      }
      if (c == '\\') {
        Advance();
        if (!Escape(parts ? &lit.text : text, parts != nullptr)) return false;
        continue;
      }
      if (parts && c == '{') {
        if (!Embedded(&lit, parts)) return false;
        continue;
      }
      (parts ? &lit.text : text)->push_back(c);
      Advance();
    }
    if (parts) parts->push_back(std::move(lit));
    return true;
  }

  // At `{` in a template: records the literal so far and the expression up to
  // the matching `}`, skipping braces inside nested strings.
  bool Embedded(TemplatePart* lit, std::vector<TemplatePart>* parts) {
    parts->push_back(std::move(*lit));
    *lit = TemplatePart();
    Advance();  // {
    TemplatePart expr;
    expr.is_expr = true;
    expr.loc = Here();
    expr.begin = pos_;
    int depth = 0;
    while (true) {
      if (AtEnd()) {
        error_ = "non-terminated string";
        return false;
      }
      char c = Peek();
      if (c == '}' && depth == 0) break;
      if (c == '{') ++depth;
      if (c == '}') --depth;
      if (c == '"') {
        Advance();
        while (!AtEnd() && Peek() != '"' && Peek() != '\n') {
          if (Peek() == '\\') Advance();
          Advance();
        }
      } else if (c == '`') {
        Advance();
        while (!AtEnd() && Peek() != '`') Advance();
      }
      Advance();
    }
    expr.end = pos_;
    Advance();  // }
    parts->push_back(std::move(expr));
    lit->loc = Here();
    return true;
  }

  Token Template(Token tok) {
    Advance();  // $
    char quote = Peek();
    Advance();
    if (quote == '"') {
      if (!QuotedString(nullptr, &tok.parts)) {
        return Illegal(std::move(tok), error_);
      }
    } else {
      TemplatePart lit;
      lit.loc = Here();
      while (true) {
        if (AtEnd()) return Illegal(std::move(tok), "non-terminated raw string");
        char c = Peek();
        if (c == '`') {
          Advance();
          break;
        }
        if (c == '\\' && Peek(1) == '{') {
          Advance();
          Advance();
          lit.text.push_back('{');
          continue;
        }
        if (c == '{') {
          if (!Embedded(&lit, &tok.parts)) return Illegal(std::move(tok), error_);
          continue;
        }
        lit.text.push_back(c);
        Advance();
      }
      tok.parts.push_back(std::move(lit));
    }
    tok.kind = Tok::kTemplate;
    tok.end = pos_;
    return tok;
  }

  std::string_view src_;
  size_t pos_;
  int line_;
  int col_;
  std::vector<Comment>* comments_;  // may be null
  std::string error_;
};

}  // namespace

std::string_view TokenName(Tok kind) {
  switch (kind) {
    case Tok::kEof: return "eof";
    case Tok::kIllegal: return "illegal";
    case Tok::kIdent: return "identifier";
    case Tok::kNumber: return "number";
    case Tok::kString: return "string";
    case Tok::kTemplate: return "template-string-part";
    case Tok::kLBrace: return "{";
    case Tok::kRBrace: return "}";
    case Tok::kLBrack: return "[";
    case Tok::kRBrack: return "]";
    case Tok::kLParen: return "(";
    case Tok::kRParen: return ")";
    case Tok::kComma: return ",";
    case Tok::kSemicolon: return ";";
    case Tok::kDot: return ".";
    case Tok::kColon: return ":";
    case Tok::kAssign: return "assign";
    case Tok::kUnify: return "eq";
    case Tok::kEqual: return "equal";
    case Tok::kNotEqual: return "neq";
    case Tok::kLt: return "lt";
    case Tok::kLte: return "lte";
    case Tok::kGt: return "gt";
    case Tok::kGte: return "gte";
    case Tok::kPlus: return "plus";
    case Tok::kMinus: return "minus";
    case Tok::kMul: return "mul";
    case Tok::kQuo: return "div";
    case Tok::kRem: return "rem";
    case Tok::kAnd: return "and";
    case Tok::kOr: return "or";
  }
  return "?";
}

std::vector<Token> Lex(std::string_view source, size_t begin, size_t end,
                       Location start, std::vector<Comment>* comments) {
  return Lexer(source, begin, end, start, comments).Run();
}

}  // namespace policyd::ast

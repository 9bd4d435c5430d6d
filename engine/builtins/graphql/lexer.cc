#include "engine/builtins/graphql/lexer.h"

#include <string>
#include <string_view>
#include <vector>

#include "engine/builtins/go/quote.h"
#include "engine/value/utf8.h"
#include "util/hex.h"

namespace policyd::graphql {

namespace {

bool IsNameStart(char c) {
  return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }


bool IsBlank(std::string_view line) {
  for (char c : line) {
    if (c != ' ' && c != '\t') return false;
  }
  return true;
}

size_t LeadingWhitespace(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  return i;
}

}  // namespace

std::string_view TokenKindName(TokenKind kind) {
  switch (kind) {
    case TokenKind::kInvalid: return "<Invalid>";
    case TokenKind::kEof: return "<EOF>";
    case TokenKind::kBang: return "!";
    case TokenKind::kDollar: return "$";
    case TokenKind::kAmp: return "&";
    case TokenKind::kParenL: return "(";
    case TokenKind::kParenR: return ")";
    case TokenKind::kSpread: return "...";
    case TokenKind::kColon: return ":";
    case TokenKind::kEquals: return "=";
    case TokenKind::kAt: return "@";
    case TokenKind::kBracketL: return "[";
    case TokenKind::kBracketR: return "]";
    case TokenKind::kBraceL: return "{";
    case TokenKind::kPipe: return "|";
    case TokenKind::kBraceR: return "}";
    case TokenKind::kName: return "Name";
    case TokenKind::kInt: return "Int";
    case TokenKind::kFloat: return "Float";
    case TokenKind::kString: return "String";
    case TokenKind::kBlockString: return "BlockString";
  }
  return "<Invalid>";
}

std::string Token::Describe() const {
  std::string out(TokenKindName(kind));
  if (!value.empty()) out.append(" ").append(GoQuote(value));
  return out;
}

Token Lexer::Make(TokenKind kind, std::string value) const {
  Token t;
  t.kind = kind;
  t.value = std::move(value);
  t.pos = {line_, start_runes_ - line_start_runes_ + 1};
  return t;
}

Token Lexer::Invalid() const {
  Token t;
  t.pos = {line_, end_runes_ - line_start_runes_ + 1};
  return t;
}

void Lexer::SkipIgnored() {
  while (end_ < input_.size()) {
    char c = input_[end_];
    if (c == ' ' || c == '\t' || c == ',') {
      ++end_;
      ++end_runes_;
    } else if (c == '\n' || c == '\r') {
      ++end_;
      ++end_runes_;
      if (c == '\r' && end_ < input_.size() && input_[end_] == '\n') {
        ++end_;
        ++end_runes_;
      }
      NewLine();
    } else if (input_.substr(end_, 3) == "\xEF\xBB\xBF") {  // byte order mark
      end_ += 3;
      ++end_runes_;
    } else if (c == '#') {  // a comment runs to the end of the line
      while (end_ < input_.size() && input_[end_] != '\n' && input_[end_] != '\r') {
        end_ += utf8::Width(input_, end_);
        ++end_runes_;
      }
    } else {
      return;
    }
  }
}

Token Lexer::Next() {
  SkipIgnored();
  start_ = end_;
  start_runes_ = end_runes_;
  if (end_ >= input_.size()) return Make(TokenKind::kEof, "");
  char c = input_[end_];
  ++end_;
  ++end_runes_;
  switch (c) {
    case '!': return Make(TokenKind::kBang, "");
    case '$': return Make(TokenKind::kDollar, "");
    case '&': return Make(TokenKind::kAmp, "");
    case '(': return Make(TokenKind::kParenL, "");
    case ')': return Make(TokenKind::kParenR, "");
    case ':': return Make(TokenKind::kColon, "");
    case '=': return Make(TokenKind::kEquals, "");
    case '@': return Make(TokenKind::kAt, "");
    case '[': return Make(TokenKind::kBracketL, "");
    case ']': return Make(TokenKind::kBracketR, "");
    case '{': return Make(TokenKind::kBraceL, "");
    case '|': return Make(TokenKind::kPipe, "");
    case '}': return Make(TokenKind::kBraceR, "");
    case '.':
      if (input_.substr(start_, 3) == "...") {
        end_ += 2;
        end_runes_ += 2;
        return Make(TokenKind::kSpread, "");
      }
      break;
    case '"':
      if (input_.substr(start_, 3) == "\"\"\"") return ReadBlockString();
      return ReadString();
    default:
      if (IsNameStart(c)) return ReadName();
      if (c == '-' || IsDigit(c)) return ReadNumber();
      break;
  }
  --end_;
  --end_runes_;
  return Invalid();
}

Token Lexer::ReadName() {
  while (end_ < input_.size() && (IsNameStart(input_[end_]) || IsDigit(input_[end_]))) {
    ++end_;
    ++end_runes_;
  }
  return Make(TokenKind::kName, std::string(input_.substr(start_, end_ - start_)));
}

size_t Lexer::AcceptDigits() {
  size_t n = 0;
  while (end_ < input_.size() && IsDigit(input_[end_])) {
    ++end_;
    ++end_runes_;
    ++n;
  }
  return n;
}

bool Lexer::AcceptByte(char c) {
  if (end_ < input_.size() && input_[end_] == c) {
    ++end_;
    ++end_runes_;
    return true;
  }
  return false;
}

Token Lexer::ReadNumber() {
  // Back up to the sign or first digit, then scan the whole literal.
  --end_;
  --end_runes_;
  bool is_float = false;
  AcceptByte('-');
  if (AcceptByte('0')) {
    if (size_t n = AcceptDigits(); n != 0) {  // no leading zeros
      end_ -= n;
      end_runes_ -= static_cast<int>(n);
      return Invalid();
    }
  } else if (AcceptDigits() == 0) {
    return Invalid();
  }
  if (AcceptByte('.')) {
    is_float = true;
    if (AcceptDigits() == 0) return Invalid();
  }
  if (AcceptByte('e') || AcceptByte('E')) {
    is_float = true;
    if (!AcceptByte('-')) AcceptByte('+');
    if (AcceptDigits() == 0) return Invalid();
  }
  return Make(is_float ? TokenKind::kFloat : TokenKind::kInt,
              std::string(input_.substr(start_, end_ - start_)));
}

Token Lexer::ReadString() {
  // The token's position is that of its first character after the quote.
  ++start_;
  ++start_runes_;
  std::string value;
  while (end_ < input_.size()) {
    char c = input_[end_];
    if (c == '\n' || c == '\r') break;
    if (static_cast<unsigned char>(c) < 0x20 && c != '\t') return Invalid();
    if (c == '"') {
      Token t = Make(TokenKind::kString, std::move(value));
      ++end_;
      ++end_runes_;
      return t;
    }
    if (c != '\\') {
      size_t w = utf8::Width(input_, end_);
      value.append(input_.substr(end_, w));
      end_ += w;
      ++end_runes_;
      continue;
    }
    if (end_ + 1 >= input_.size()) {
      ++end_;
      ++end_runes_;
      return Invalid();
    }
    char e = input_[end_ + 1];
    switch (e) {
      case 'b': value.push_back('\b'); break;
      case 'f': value.push_back('\f'); break;
      case 'n': value.push_back('\n'); break;
      case 'r': value.push_back('\r'); break;
      case 't': value.push_back('\t'); break;
      case '"': value.push_back('"'); break;
      case '\\': value.push_back('\\'); break;
      case '/': value.push_back('/'); break;
      case 'u': {
        char32_t r = 0;
        bool ok = end_ + 6 <= input_.size();
        for (size_t i = 2; ok && i < 6; ++i) {
          int d = HexDigitValue(input_[end_ + i]);
          ok = d >= 0;
          r = r * 16 + static_cast<char32_t>(d);
        }
        if (!ok) {
          ++end_;
          ++end_runes_;
          return Invalid();
        }
        utf8::Append(r, &value);
        end_ += 6;
        end_runes_ += 6;
        continue;
      }
      default:
        ++end_;
        ++end_runes_;
        return Invalid();
    }
    end_ += 2;
    end_runes_ += 2;
  }
  return Invalid();
}

Token Lexer::ReadBlockString() {
  start_ += 3;
  start_runes_ += 3;
  end_ += 2;
  end_runes_ += 2;
  std::string raw;
  while (end_ < input_.size()) {
    char c = input_[end_];
    if (input_.substr(end_, 3) == "\"\"\"") {
      Token t = Make(TokenKind::kBlockString, BlockStringValue(raw));
      end_ += 3;
      end_runes_ += 3;
      return t;
    }
    if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') {
      return Invalid();
    }
    if (input_.substr(end_, 4) == "\\\"\"\"") {
      raw.append("\"\"\"");
      end_ += 4;
      end_runes_ += 4;
    } else if (c == '\r') {
      if (end_ + 1 < input_.size() && input_[end_ + 1] == '\n') {
        ++end_;
        ++end_runes_;
      }
      raw.push_back('\n');
      ++end_;
      ++end_runes_;
      NewLine();
    } else {
      size_t w = utf8::Width(input_, end_);
      raw.append(input_.substr(end_, w));
      end_ += w;
      ++end_runes_;
      if (c == '\n') NewLine();
    }
  }
  return Invalid();
}

std::string BlockStringValue(std::string_view raw) {
  std::vector<std::string_view> lines;
  size_t from = 0;
  for (size_t i = 0; i <= raw.size(); ++i) {
    if (i == raw.size() || raw[i] == '\n') {
      lines.push_back(raw.substr(from, i - from));
      from = i + 1;
    }
  }
  size_t common = std::string_view::npos;
  for (size_t i = 1; i < lines.size(); ++i) {
    size_t indent = LeadingWhitespace(lines[i]);
    if (indent < lines[i].size() && indent < common) common = indent;
  }
  if (common != std::string_view::npos) {
    for (size_t i = 1; i < lines.size(); ++i) {
      lines[i] = lines[i].size() < common ? std::string_view() : lines[i].substr(common);
    }
  }
  size_t first = 0;
  size_t last = lines.size();
  while (first < last && IsBlank(lines[first])) ++first;
  while (last > first && IsBlank(lines[last - 1])) --last;
  std::string out;
  for (size_t i = first; i < last; ++i) {
    if (i > first) out.push_back('\n');
    out.append(lines[i]);
  }
  return out;
}

}  // namespace policyd::graphql

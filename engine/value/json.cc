#include "engine/value/json.h"

#include "engine/value/document_builder.h"
#include "engine/value/rep.h"
#include "engine/value/utf8.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "util/hex.h"

namespace policyd {

namespace {

// Deeper nesting is refused so that hostile input cannot exhaust the stack.
constexpr int kMaxDepth = 1000;

// Index of the first byte at or after `pos` that ends a plain run inside a
// string: '"', '\\', a control byte or a non-ASCII byte (or the end). Works
// on eight bytes at a time; in each test below the lowest flagged byte is
// exact, which is the only one used.
size_t SkipPlainStringBytes(std::string_view text, size_t pos) {
  static_assert(std::endian::native == std::endian::little);
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHighs = 0x8080808080808080ULL;
  auto has_zero = [](uint64_t v) { return (v - kOnes) & ~v & kHighs; };
  while (pos < text.size()) {
    uint64_t w = 0;  // bytes past the end stay 0 and count as special
    if (pos + 8 <= text.size()) {
      std::memcpy(&w, text.data() + pos, 8);
    } else {
      std::memcpy(&w, text.data() + pos, text.size() - pos);
    }
    uint64_t special = has_zero(w ^ (kOnes * '"')) | has_zero(w ^ (kOnes * '\\')) |
                       ((w - kOnes * 0x20) & ~w & kHighs) | (w & kHighs);
    if (special != 0) return std::min(text.size(), pos + (std::countr_zero(special) >> 3));
    pos += 8;
  }
  return text.size();
}

// Working storage of a parse, kept per thread so that parsing a request
// allocates only for the Values themselves.
struct Scratch {
  std::string bytes;  // decoded bytes of a string with escapes
  // Elements and entries of the containers being parsed, innermost last.
  std::vector<Value> values;
  std::vector<ObjectEntry> entries;

  // Empties the stacks (after an error they still hold values) and gives
  // back memory that one huge document made them take.
  void Reset() {
    constexpr size_t kKeep = 4096;
    values.clear();
    entries.clear();
    if (values.capacity() > kKeep) std::vector<Value>().swap(values);
    if (entries.capacity() > kKeep) std::vector<ObjectEntry>().swap(entries);
    if (bytes.capacity() > kKeep * 16) std::string().swap(bytes);
  }
};

class Parser {
 public:
  Parser(std::string_view text, Scratch* scratch)
      : text_(text),
        builder_(text.size()),
        scratch_(scratch->bytes),
        value_stack_(scratch->values),
        entry_stack_(scratch->entries) {}

  absl::StatusOr<Value> Parse() {
    SkipSpace();
    Value v;
    if (!ParseValue(&v, 0)) return error_;
    SkipSpace();
    if (pos_ != text_.size()) {
      Fail("unexpected data after the JSON value");
      return error_;
    }
    return v;
  }

 private:
  bool Fail(std::string_view message) { return FailAt(pos_, message); }

  bool FailAt(size_t offset, std::string_view message) {
    int line = 1, col = 1;
    for (size_t i = 0; i < offset && i < text_.size(); ++i) {
      if (text_[i] == '\n') {
        ++line;
        col = 1;
      } else if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) {
        ++col;
      }
    }
    error_ = absl::InvalidArgumentError(absl::StrCat("invalid JSON at offset ", offset, " (line ",
                                                     line, ", column ", col, "): ", std::string(message)));
    return false;
  }

  bool FailUnexpected() {
    if (pos_ >= text_.size()) return Fail("unexpected end of input");
    unsigned char c = text_[pos_];
    if (c >= 0x20 && c < 0x7F) return Fail(absl::StrCat("unexpected character '", std::string(1, c), "'"));
    return Fail(absl::StrCat("unexpected byte 0x", absl::Hex(c, absl::kZeroPad2)));
  }

  void SkipSpace() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') break;
      ++pos_;
    }
  }

  bool Consume(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) {
      return Fail("invalid literal (expected " + std::string(word) + ")");
    }
    pos_ += word.size();
    return true;
  }

  bool ParseValue(Value* out, int depth) {
    if (pos_ >= text_.size()) return FailUnexpected();
    switch (text_[pos_]) {
      case '{':
        return ParseObject(out, depth + 1);
      case '[':
        return ParseArray(out, depth + 1);
      case '"':
        return ParseString(out);
      case 't':
        *out = Value::Bool(true);
        return Consume("true");
      case 'f':
        *out = Value::Bool(false);
        return Consume("false");
      case 'n':
        *out = Value::Null();
        return Consume("null");
      default:
        return ParseNumber(out);
    }
  }

  bool ParseObject(Value* out, int depth) {
    if (depth > kMaxDepth) return Fail("nesting too deep");
    ++pos_;  // '{'
    size_t first = entry_stack_.size();
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      *out = builder_.ObjectFromSorted({});
      return true;
    }
    while (true) {
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != '"') {
        if (pos_ < text_.size() && text_[pos_] != '"') return Fail("expected a string object key");
        return FailUnexpected();
      }
      Value key;
      if (!ParseString(&key)) return false;
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != ':') {
        return pos_ >= text_.size() ? FailUnexpected() : Fail("expected ':' after object key");
      }
      ++pos_;
      SkipSpace();
      Value v;
      if (!ParseValue(&v, depth)) return false;
      entry_stack_.emplace_back(std::move(key), std::move(v));
      SkipSpace();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == '}') {
        ++pos_;
        break;
      }
      return pos_ >= text_.size() ? FailUnexpected() : Fail("expected ',' or '}' in object");
    }
    // Built in place from the stack, which is reused.
    absl::Span<ObjectEntry> entries = absl::MakeSpan(entry_stack_).subspan(first);
    *out = builder_.ObjectFromSorted(entries.first(value_internal::NormalizeEntries(entries)));
    entry_stack_.resize(first);
    return true;
  }

  bool ParseArray(Value* out, int depth) {
    if (depth > kMaxDepth) return Fail("nesting too deep");
    ++pos_;  // '['
    size_t first = value_stack_.size();
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      *out = builder_.Array({});
      return true;
    }
    while (true) {
      SkipSpace();
      Value v;
      if (!ParseValue(&v, depth)) return false;
      value_stack_.push_back(std::move(v));
      SkipSpace();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == ']') {
        ++pos_;
        break;
      }
      return pos_ >= text_.size() ? FailUnexpected() : Fail("expected ',' or ']' in array");
    }
    *out = builder_.Array(absl::MakeSpan(value_stack_).subspan(first));
    value_stack_.resize(first);
    return true;
  }

  bool ParseNumber(Value* out) {
    size_t start = pos_;
    auto digits = [&] {
      size_t from = pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
      return pos_ > from;
    };
    if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
    if (pos_ >= text_.size() || text_[pos_] < '0' || text_[pos_] > '9') {
      if (pos_ == start) return FailUnexpected();
      return Fail("invalid number");
    }
    if (text_[pos_] == '0') {
      ++pos_;
    } else {
      digits();
    }
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (!digits()) return Fail("invalid number: expected digits after '.'");
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (!digits()) return Fail("invalid number: expected digits in exponent");
    }
    std::optional<Value> n = Value::NumberFromText(text_.substr(start, pos_ - start));
    if (!n) return FailAt(start, "number out of range");
    *out = std::move(*n);
    return true;
  }

  bool ParseHex4(uint32_t* out) {
    if (pos_ + 4 > text_.size()) return Fail("invalid \\u escape");
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      int d = HexDigitValue(text_[pos_ + i]);
      if (d < 0) return Fail("invalid \\u escape");
      v = v * 16 + d;
    }
    pos_ += 4;
    *out = v;
    return true;
  }

  // Length of the valid UTF-8 sequence at pos_ (non-ASCII lead byte), or 0.
  size_t Utf8SequenceLength() const {
    const auto* p = reinterpret_cast<const unsigned char*>(text_.data()) + pos_;
    size_t left = text_.size() - pos_;
    unsigned char c = p[0];
    auto cont = [&](size_t i) { return i < left && (p[i] & 0xC0) == 0x80; };
    if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
      if (!cont(1) || !cont(2)) return 0;
      if (c == 0xE0 && p[1] < 0xA0) return 0;   // overlong
      if (c == 0xED && p[1] >= 0xA0) return 0;  // surrogate
      return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
      if (!cont(1) || !cont(2) || !cont(3)) return 0;
      if (c == 0xF0 && p[1] < 0x90) return 0;  // overlong
      if (c == 0xF4 && p[1] >= 0x90) return 0;  // above U+10FFFF
      return 4;
    }
    return 0;
  }

  bool ParseString(Value* value) {
    ++pos_;  // opening quote
    size_t start = pos_;
    pos_ = SkipPlainStringBytes(text_, pos_);
    if (pos_ < text_.size() && text_[pos_] == '"') {
      // Plain ASCII without escapes: no copy besides the Value's own.
      *value = builder_.String(text_.substr(start, pos_ - start));
      ++pos_;
      return true;
    }
    scratch_.assign(text_.data() + start, pos_ - start);
    if (!DecodeStringRest(&scratch_)) return false;
    *value = builder_.String(std::string_view(scratch_));
    return true;
  }

  // Decodes the rest of a string from pos_ (inside the quotes) into *out.
  bool DecodeStringRest(std::string* out) {
    while (true) {
      size_t run = pos_;
      pos_ = SkipPlainStringBytes(text_, pos_);
      out->append(text_.data() + run, pos_ - run);
      if (pos_ >= text_.size()) return Fail("unterminated string");
      unsigned char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) return Fail("control character in string");
      if (c >= 0x80) {
        size_t len = Utf8SequenceLength();
        if (len == 0) return Fail("invalid UTF-8 in string");
        out->append(text_.data() + pos_, len);
        pos_ += len;
        continue;
      }
      // Escape.
      ++pos_;
      if (pos_ >= text_.size()) return Fail("unterminated string");
      char e = text_[pos_++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out->push_back(e);
          break;
        case 'b':
          out->push_back('\b');
          break;
        case 'f':
          out->push_back('\f');
          break;
        case 'n':
          out->push_back('\n');
          break;
        case 'r':
          out->push_back('\r');
          break;
        case 't':
          out->push_back('\t');
          break;
        case 'u': {
          uint32_t cp = 0;
          if (!ParseHex4(&cp)) return false;
          if (cp >= 0xD800 && cp < 0xDC00) {
            // A high surrogate needs a low one; a lone one becomes U+FFFD,
            // as Go's decoder does.
            uint32_t lo = 0;
            if (text_.substr(pos_, 2) == "\\u") {
              size_t save = pos_;
              pos_ += 2;
              if (!ParseHex4(&lo)) return false;
              if (lo >= 0xDC00 && lo < 0xE000) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
              } else {
                cp = 0xFFFD;
                pos_ = save;
              }
            } else {
              cp = 0xFFFD;
            }
          } else if (cp >= 0xDC00 && cp < 0xE000) {
            cp = 0xFFFD;
          }
          utf8::Append(cp, out);
          break;
        }
        default:
          pos_ -= 1;
          return Fail("invalid escape in string");
      }
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
  // Documents (data files, request bodies) are laid out compactly.
  value_internal::DocumentBuilder builder_;
  std::string& scratch_;
  std::vector<Value>& value_stack_;
  std::vector<ObjectEntry>& entry_stack_;
  absl::Status error_;
};

}  // namespace

absl::StatusOr<Value> ParseJson(std::string_view text) {
  thread_local Scratch scratch;
  absl::StatusOr<Value> result = Parser(text, &scratch).Parse();
  scratch.Reset();
  return result;
}

}  // namespace policyd

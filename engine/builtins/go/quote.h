// Go's strconv.Quote, which OPA's error messages use to show user text
// (`parsing time "x" as ...`, `invalid URL escape "%zz"`).
#ifndef POLICYD_ENGINE_BUILTINS_GO_QUOTE_H_
#define POLICYD_ENGINE_BUILTINS_GO_QUOTE_H_

#include <string>
#include <string_view>

#include "engine/value/utf8.h"
#include "util/hex.h"

namespace policyd {

// Double-quotes `s`: printable text as is; quotes, backslashes and the
// usual control characters escaped (\n, \t, ...), other control characters
// as \xNN (\u00NN above 0x7F), invalid UTF-8 bytes as \xNN.
inline std::string GoQuote(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    char32_t r;
    size_t n = utf8::Decode(s, i, &r);
    auto b = static_cast<unsigned char>(s[i]);
    if (r == utf8::kRuneError && n == 1) {
      out.append("\\x");
      AppendHexByte(b, HexCase::kLower, &out);
    } else if (r < 0x80) {
      switch (r) {
        case '"': out.append("\\\""); break;
        case '\\': out.append("\\\\"); break;
        case '\a': out.append("\\a"); break;
        case '\b': out.append("\\b"); break;
        case '\f': out.append("\\f"); break;
        case '\n': out.append("\\n"); break;
        case '\r': out.append("\\r"); break;
        case '\t': out.append("\\t"); break;
        case '\v': out.append("\\v"); break;
        default:
          if (r < 0x20 || r == 0x7F) {
            out.append("\\x");
            AppendHexByte(b, HexCase::kLower, &out);
          } else {
            out.push_back(static_cast<char>(r));
          }
      }
    } else if (r < 0xA0) {
      out.append("\\u00");
      AppendHexByte(static_cast<unsigned char>(r), HexCase::kLower, &out);
    } else {
      out.append(s.substr(i, n));
    }
    i += n;
  }
  out.push_back('"');
  return out;
}

}  // namespace policyd

#endif  // POLICYD_ENGINE_BUILTINS_GO_QUOTE_H_

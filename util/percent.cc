#include "util/percent.h"

#include "util/hex.h"

namespace policyd {

std::string PercentDecode(std::string_view s, PercentMode mode,
                          size_t* bad_escape) {
  if (bad_escape != nullptr) *bad_escape = std::string_view::npos;
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      int hi = i + 2 < s.size() ? HexDigitValue(s[i + 1]) : -1;
      int lo = i + 2 < s.size() ? HexDigitValue(s[i + 2]) : -1;
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>((hi << 4) | lo));
        i += 2;
        continue;
      }
      if (bad_escape != nullptr) {
        *bad_escape = i;
        return out;
      }
    }
    out.push_back(mode == PercentMode::kQuery && c == '+' ? ' ' : c);
  }
  return out;
}

}  // namespace policyd

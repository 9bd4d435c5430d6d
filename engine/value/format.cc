// Value to text: JSON (as OPA's Go encoding produces it) and Rego terms.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/value/value.h"
#include "util/hex.h"

namespace policyd {

namespace {

// Decodes one UTF-8 sequence at s[i]; returns its length, or 0 when invalid.
size_t DecodeUtf8(std::string_view s, size_t i, uint32_t* cp) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data()) + i;
  size_t left = s.size() - i;
  unsigned char c = p[0];
  auto cont = [&](size_t k) { return k < left && (p[k] & 0xC0) == 0x80; };
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  if (c >= 0xC2 && c <= 0xDF && cont(1)) {
    *cp = ((c & 0x1F) << 6) | (p[1] & 0x3F);
    return 2;
  }
  if (c >= 0xE0 && c <= 0xEF && cont(1) && cont(2)) {
    uint32_t v = ((c & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    if (v < 0x800 || (v >= 0xD800 && v < 0xE000)) return 0;
    *cp = v;
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4 && cont(1) && cont(2) && cont(3)) {
    uint32_t v = ((c & 0x07) << 18) | ((p[1] & 0x3F) << 12) | ((p[2] & 0x3F) << 6) | (p[3] & 0x3F);
    if (v < 0x10000 || v > 0x10FFFF) return 0;
    *cp = v;
    return 4;
  }
  return 0;
}

void AppendU4(uint32_t v, std::string* out) {
  out->append("\\u");
  AppendHex(v, 4, HexCase::kLower, out);
}

// Go's encoding/json string form, HTML-safe (OPA marshals with it).
void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  size_t i = 0;
  while (i < s.size()) {
    size_t run = i;
    while (i < s.size()) {
      unsigned char c = s[i];
      if (c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || c >= 0x80) break;
      ++i;
    }
    out->append(s.data() + run, i - run);
    if (i >= s.size()) break;
    unsigned char c = s[i];
    if (c < 0x80) {
      switch (c) {
        case '"':
          out->append("\\\"");
          break;
        case '\\':
          out->append("\\\\");
          break;
        case '\n':
          out->append("\\n");
          break;
        case '\r':
          out->append("\\r");
          break;
        case '\t':
          out->append("\\t");
          break;
        case '\b':
          out->append("\\b");
          break;
        case '\f':
          out->append("\\f");
          break;
        default:
          AppendU4(c, out);
      }
      ++i;
      continue;
    }
    uint32_t cp;
    size_t len = DecodeUtf8(s, i, &cp);
    if (len == 0) {
      out->append("\\ufffd");
      ++i;
    } else if (cp == 0x2028 || cp == 0x2029) {
      AppendU4(cp, out);
      i += len;
    } else {
      out->append(s.data() + i, len);
      i += len;
    }
  }
  out->push_back('"');
}

// Go's strconv.Quote, which OPA uses to print strings in Rego form.
void AppendQuoted(std::string_view s, std::string* out) {
  out->push_back('"');
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = s[i];
    if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
      out->push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    switch (c) {
      case '"':
        out->append("\\\"");
        ++i;
        continue;
      case '\\':
        out->append("\\\\");
        ++i;
        continue;
      case '\a':
        out->append("\\a");
        ++i;
        continue;
      case '\b':
        out->append("\\b");
        ++i;
        continue;
      case '\f':
        out->append("\\f");
        ++i;
        continue;
      case '\n':
        out->append("\\n");
        ++i;
        continue;
      case '\r':
        out->append("\\r");
        ++i;
        continue;
      case '\t':
        out->append("\\t");
        ++i;
        continue;
      case '\v':
        out->append("\\v");
        ++i;
        continue;
      default:
        break;
    }
    uint32_t cp;
    size_t len = c < 0x80 ? 0 : DecodeUtf8(s, i, &cp);
    if (len == 0) {
      // Control bytes and bytes of invalid UTF-8 print as \xNN.
      out->append("\\x");
      AppendHexByte(c, HexCase::kLower, out);
      ++i;
      continue;
    }
    // Non-printing code points that Go escapes; everything else is kept.
    bool unprintable = cp < 0xA0 || cp == 0xAD || cp == 0x2028 || cp == 0x2029 ||
                       cp == 0xFEFF || (cp >= 0x200B && cp <= 0x200F) ||
                       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F) ||
                       (cp >= 0xE000 && cp <= 0xF8FF) || cp == 0xFFFE || cp == 0xFFFF ||
                       cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x1680 ||
                       cp == 0x205F || cp == 0x202F || cp == 0xA0;
    if (unprintable) {
      if (cp < 0x10000) {
        AppendU4(cp, out);
      } else {
        out->append("\\U");
        AppendHex(cp, 8, HexCase::kLower, out);
      }
    } else {
      out->append(s.data() + i, len);
    }
    i += len;
  }
  out->push_back('"');
}

}  // namespace

void Value::AppendJson(std::string* out) const {
  switch (kind_) {
    case Kind::kNull:
      out->append("null");
      return;
    case Kind::kBoolean:
      out->append(bool_ ? "true" : "false");
      return;
    case Kind::kNumber:
      out->append(NumberText());
      return;
    case Kind::kString:
      AppendJsonString(string(), out);
      return;
    case Kind::kArray:
    case Kind::kSet: {
      out->push_back('[');
      bool first = true;
      for (const Value& e : elements()) {
        if (!first) out->push_back(',');
        first = false;
        e.AppendJson(out);
      }
      out->push_back(']');
      return;
    }
    case Kind::kObject: {
      const auto& es = entries();
      bool all_strings = std::all_of(es.begin(), es.end(),
                                     [](const EntryRef& e) { return e.first.is_string(); });
      out->push_back('{');
      if (all_strings) {
        bool first = true;
        for (const auto& [k, v] : es) {
          if (!first) out->push_back(',');
          first = false;
          AppendJsonString(k.string(), out);
          out->push_back(':');
          v.AppendJson(out);
        }
      } else {
        // Non-string keys become their JSON text; Go then sorts all keys as
        // strings.
        std::vector<std::pair<std::string, const Value*>> keyed;
        keyed.reserve(es.size());
        for (const auto& [k, v] : es) {
          keyed.emplace_back(k.is_string() ? std::string(k.string()) : k.ToJson(), &v);
        }
        std::stable_sort(keyed.begin(), keyed.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        bool first = true;
        for (const auto& [k, v] : keyed) {
          if (!first) out->push_back(',');
          first = false;
          AppendJsonString(k, out);
          out->push_back(':');
          v->AppendJson(out);
        }
      }
      out->push_back('}');
      return;
    }
  }
}

std::string Value::ToJson() const {
  std::string out;
  AppendJson(&out);
  return out;
}

void Value::AppendRego(std::string* out) const {
  switch (kind_) {
    case Kind::kNull:
    case Kind::kBoolean:
    case Kind::kNumber:
      AppendJson(out);
      return;
    case Kind::kString:
      AppendQuoted(string(), out);
      return;
    case Kind::kArray:
    case Kind::kSet: {
      const auto& es = elements();
      if (kind_ == Kind::kSet && es.empty()) {
        out->append("set()");
        return;
      }
      out->push_back(kind_ == Kind::kArray ? '[' : '{');
      bool first = true;
      for (const Value& e : es) {
        if (!first) out->append(", ");
        first = false;
        e.AppendRego(out);
      }
      out->push_back(kind_ == Kind::kArray ? ']' : '}');
      return;
    }
    case Kind::kObject: {
      out->push_back('{');
      bool first = true;
      for (const auto& [k, v] : entries()) {
        if (!first) out->append(", ");
        first = false;
        k.AppendRego(out);
        out->append(": ");
        v.AppendRego(out);
      }
      out->push_back('}');
      return;
    }
  }
}

std::string Value::ToRego() const {
  std::string out;
  AppendRego(&out);
  return out;
}

}  // namespace policyd

#include "engine/builtins/go/json.h"

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "engine/value/utf8.h"
#include "util/hex.h"

namespace policyd {
namespace {

class Writer {
 public:
  Writer(std::string* out, bool pretty, std::string_view prefix,
         std::string_view indent)
      : out_(out), pretty_(pretty), prefix_(prefix), indent_(indent) {}

  void Write(const Value& v, int depth) {
    switch (v.kind()) {
      case Kind::kNull:
        out_->append("null");
        return;
      case Kind::kBoolean:
        out_->append(v.boolean() ? "true" : "false");
        return;
      case Kind::kNumber:
        out_->append(v.NumberText());
        return;
      case Kind::kString:
        AppendGoJsonString(v.string(), out_);
        return;
      case Kind::kArray:
      case Kind::kSet: {
        absl::Span<const Value> elems = v.elements();
        out_->push_back('[');
        for (size_t i = 0; i < elems.size(); ++i) {
          if (i > 0) out_->push_back(',');
          NewLine(depth + 1);
          Write(elems[i], depth + 1);
        }
        if (!elems.empty()) NewLine(depth);
        out_->push_back(']');
        return;
      }
      case Kind::kObject: {
        // Go sorts the keys of a map[string]any by their bytes; non-string
        // keys sort by their JSON text, not by Value order.
        std::vector<std::pair<std::string, const Value*>> entries;
        entries.reserve(v.entries().size());
        for (const auto& e : v.entries()) {
          entries.emplace_back(GoJsonKey(e.first), &e.second);
        }
        std::stable_sort(entries.begin(), entries.end(),
                         [](const auto& a, const auto& b) {
                           return a.first < b.first;
                         });
        out_->push_back('{');
        for (size_t i = 0; i < entries.size(); ++i) {
          if (i > 0) out_->push_back(',');
          NewLine(depth + 1);
          AppendGoJsonString(entries[i].first, out_);
          out_->append(pretty_ ? ": " : ":");
          Write(*entries[i].second, depth + 1);
        }
        if (!entries.empty()) NewLine(depth);
        out_->push_back('}');
        return;
      }
    }
  }

 private:
  void NewLine(int depth) {
    if (!pretty_) return;
    out_->push_back('\n');
    out_->append(prefix_);
    for (int i = 0; i < depth; ++i) out_->append(indent_);
  }

  std::string* out_;
  bool pretty_;
  std::string_view prefix_;
  std::string_view indent_;
};

}  // namespace

void AppendGoJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  size_t i = 0;
  while (i < s.size()) {
    auto b = static_cast<uint8_t>(s[i]);
    if (b < 0x80) {
      ++i;
      switch (b) {
        case '"':
          out->append("\\\"");
          continue;
        case '\\':
          out->append("\\\\");
          continue;
        case '\b':
          out->append("\\b");
          continue;
        case '\f':
          out->append("\\f");
          continue;
        case '\n':
          out->append("\\n");
          continue;
        case '\r':
          out->append("\\r");
          continue;
        case '\t':
          out->append("\\t");
          continue;
        default:
          break;
      }
      if (b < 0x20 || b == '<' || b == '>' || b == '&') {
        out->append("\\u00");
        AppendHexByte(b, HexCase::kLower, out);
      } else {
        out->push_back(static_cast<char>(b));
      }
      continue;
    }
    char32_t rune;
    size_t size = utf8::Decode(s, i, &rune);
    if (rune == utf8::kRuneError && size == 1) {
      out->append("\\ufffd");
    } else if (rune == 0x2028 || rune == 0x2029) {
      out->append(rune == 0x2028 ? "\\u2028" : "\\u2029");
    } else {
      out->append(s.substr(i, size));
    }
    i += size;
  }
  out->push_back('"');
}

std::string GoJsonKey(const Value& key) {
  if (key.is_string()) return std::string(key.string());
  return GoJsonMarshal(key);
}

std::string GoJsonMarshal(const Value& value) {
  std::string out;
  Writer(&out, false, "", "").Write(value, 0);
  return out;
}

std::string GoJsonMarshalIndent(const Value& value, std::string_view prefix,
                                std::string_view indent) {
  std::string out;
  Writer(&out, true, prefix, indent).Write(value, 0);
  return out;
}

}  // namespace policyd

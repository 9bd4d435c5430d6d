#include "bundles/package_path.h"

#include <string>

#include "absl/strings/ascii.h"

namespace policyd::bundles {
namespace {

bool IsIdentStart(char c) { return absl::ascii_isalpha(c) || c == '_'; }
bool IsIdent(char c) { return absl::ascii_isalnum(c) || c == '_'; }

class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  // Skips blanks and `#` comments; with `newlines` false, stops at a line
  // end (a package path ends with its line).
  void SkipSpace(bool newlines) {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '#') {
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
      } else if (c == ' ' || c == '\t' || c == '\r' ||
                 (newlines && c == '\n')) {
        ++pos_;
      } else {
        return;
      }
    }
  }
  bool Ident(std::string* out) {
    if (pos_ >= text_.size() || !IsIdentStart(text_[pos_])) return false;
    size_t start = pos_;
    while (pos_ < text_.size() && IsIdent(text_[pos_])) ++pos_;
    *out = std::string(text_.substr(start, pos_ - start));
    return true;
  }
  // A double-quoted string without escapes other than \" and \\.
  bool String(std::string* out) {
    if (!Consume('"')) return false;
    out->clear();
    while (pos_ < text_.size() && text_[pos_] != '"') {
      if (text_[pos_] == '\n') return false;
      if (text_[pos_] == '\\') {
        if (++pos_ >= text_.size()) return false;
        if (text_[pos_] != '"' && text_[pos_] != '\\') return false;
      }
      out->push_back(text_[pos_++]);
    }
    return Consume('"');
  }
  bool Consume(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool AtStatementEnd() {
    SkipSpace(false);
    return pos_ >= text_.size() || text_[pos_] == '\n' || text_[pos_] == ';';
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

std::optional<DataPath> ModulePackagePath(std::string_view text) {
  Scanner s(text);
  s.SkipSpace(true);
  std::string word;
  if (!s.Ident(&word) || word != "package") return std::nullopt;
  s.SkipSpace(false);
  DataPath path;
  if (!s.Ident(&word)) return std::nullopt;
  path.push_back(word);
  while (!s.AtStatementEnd()) {
    if (s.Consume('.')) {
      if (!s.Ident(&word)) return std::nullopt;
    } else if (s.Consume('[')) {
      if (!s.String(&word) || !s.Consume(']')) return std::nullopt;
    } else {
      return std::nullopt;
    }
    path.push_back(word);
  }
  return path;
}

}  // namespace policyd::bundles

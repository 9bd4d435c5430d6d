#include "engine/builtins/jose/pem.h"

#include "absl/strings/ascii.h"
#include "engine/builtins/base64.h"

namespace policyd {

namespace {

constexpr std::string_view kPemStart = "\n-----BEGIN ";
constexpr std::string_view kPemEnd = "\n-----END ";
constexpr std::string_view kPemEndOfLine = "-----";

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && absl::ascii_isspace(static_cast<unsigned char>(s.front()))) {
    s.remove_prefix(1);
  }
  while (!s.empty() && absl::ascii_isspace(static_cast<unsigned char>(s.back()))) {
    s.remove_suffix(1);
  }
  return s;
}

std::string_view TrimRightSpaceTab(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// One line without its "\n" or "\r\n" and trailing spaces/tabs; *rest is what
// follows the newline.
std::string_view GetLine(std::string_view data, std::string_view* rest) {
  size_t i = data.find('\n');
  size_t j;
  if (i == std::string_view::npos) {
    i = data.size();
    j = i;
  } else {
    j = i + 1;
    if (i > 0 && data[i - 1] == '\r') --i;
  }
  *rest = data.substr(j);
  return TrimRightSpaceTab(data.substr(0, i));
}

std::string RemoveSpacesAndTabs(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c != ' ' && c != '\t') out.push_back(c);
  }
  return out;
}

}  // namespace

std::optional<PemBlock> PemDecode(std::string_view data, std::string_view* rest_out) {
  std::string_view rest = data;
  while (true) {
    if (rest.starts_with(kPemStart.substr(1))) {
      rest.remove_prefix(kPemStart.size() - 1);
    } else if (size_t at = rest.find(kPemStart); at != std::string_view::npos) {
      rest.remove_prefix(at + kPemStart.size());
    } else {
      *rest_out = data;
      return std::nullopt;
    }
    std::string_view type_line = GetLine(rest, &rest);
    if (!type_line.ends_with(kPemEndOfLine)) continue;
    type_line.remove_suffix(kPemEndOfLine.size());

    PemBlock block;
    block.type = std::string(type_line);
    // Headers ("Key: value" lines) before the base64 body.
    bool truncated = false;
    while (true) {
      if (rest.empty()) {
        truncated = true;
        break;
      }
      std::string_view next;
      std::string_view line = GetLine(rest, &next);
      size_t colon = line.find(':');
      if (colon == std::string_view::npos) break;
      block.headers[std::string(TrimSpace(line.substr(0, colon)))] =
          std::string(TrimSpace(line.substr(colon + 1)));
      rest = next;
    }
    if (truncated) {
      *rest_out = data;
      return std::nullopt;
    }

    size_t end_index;
    size_t end_trailer_index;
    if (block.headers.empty() && rest.starts_with(kPemEnd.substr(1))) {
      end_index = 0;
      end_trailer_index = kPemEnd.size() - 1;
    } else {
      end_index = rest.find(kPemEnd);
      if (end_index == std::string_view::npos) continue;
      end_trailer_index = end_index + kPemEnd.size();
    }
    // "-----END TYPE-----" then only whitespace up to the end of the line.
    std::string_view end_trailer = rest.substr(end_trailer_index);
    size_t end_trailer_len = type_line.size() + kPemEndOfLine.size();
    if (end_trailer.size() < end_trailer_len) continue;
    std::string_view rest_of_end_line = end_trailer.substr(end_trailer_len);
    end_trailer = end_trailer.substr(0, end_trailer_len);
    if (!end_trailer.starts_with(type_line) ||
        !end_trailer.ends_with(kPemEndOfLine)) {
      continue;
    }
    std::string_view ignored;
    if (!GetLine(rest_of_end_line, &ignored).empty()) continue;

    auto bytes = Base64Decode(RemoveSpacesAndTabs(rest.substr(0, end_index)),
                              Base64Alphabet::kStd, /*padded=*/true);
    if (!bytes.ok()) continue;
    block.bytes = *std::move(bytes);
    // The END line may have been matched without its leading newline.
    GetLine(rest.substr(end_index + kPemEnd.size() - 1), rest_out);
    return block;
  }
}

}  // namespace policyd

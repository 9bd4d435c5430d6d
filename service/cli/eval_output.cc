#include "service/cli/eval_output.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "re2/re2.h"

namespace policyd {
namespace {

struct ParsedError {
  std::string message;
  std::string code;
  std::string file;
  int row = 0;
  int col = 0;
};

ParsedError ParseErrorLine(const std::string& line) {
  static const LazyRE2 kWithLocation = {
      R"((.*?):(\d+)(?::(\d+))?: ([a-z_]+_error): (.*))"};
  static const LazyRE2 kWithoutLocation = {R"(([a-z_]+_error): (.*))"};
  ParsedError error;
  std::string row, col;
  if (RE2::FullMatch(line, *kWithLocation, &error.file, &row, &col,
                     &error.code, &error.message)) {
    (void)absl::SimpleAtoi(row, &error.row);
    if (!col.empty()) (void)absl::SimpleAtoi(col, &error.col);
  } else if (!RE2::FullMatch(line, *kWithoutLocation, &error.code,
                             &error.message)) {
    error.message = line;
  }
  return error;
}

std::vector<ParsedError> ParseErrors(const absl::Status& status) {
  std::vector<ParsedError> errors;
  for (const std::string& line : std::vector<std::string>(
           absl::StrSplit(status.message(), '\n', absl::SkipWhitespace()))) {
    errors.push_back(ParseErrorLine(line));
  }
  if (errors.empty()) errors.push_back({std::string(status.ToString())});
  return errors;
}

void AppendString(std::string_view text, std::string* out) {
  Value::String(text).AppendJson(out);
}

void AppendParsedError(const ParsedError& error, int depth, std::string* out) {
  JsonObjectWriter item(depth, out);
  AppendString(error.message, item.Key("message"));
  if (!error.code.empty()) AppendString(error.code, item.Key("code"));
  if (!error.file.empty() || error.row > 0) {
    JsonObjectWriter location(depth + 1, item.Key("location"));
    AppendString(error.file, location.Key("file"));
    absl::StrAppend(location.Key("row"), error.row);
    absl::StrAppend(location.Key("col"), error.col);
    location.Close();
  }
  item.Close();
}

void AppendLocation(int depth, int row, int col, std::string* out) {
  JsonObjectWriter location(depth, out);
  absl::StrAppend(location.Key("row"), row);
  absl::StrAppend(location.Key("col"), col);
  location.Close();
}

}  // namespace

void AppendJsonNewline(int depth, std::string* out) {
  out->push_back('\n');
  out->append(2 * depth, ' ');
}

JsonObjectWriter::JsonObjectWriter(int depth, std::string* out)
    : depth_(depth), out_(out) {
  out_->push_back('{');
}

std::string* JsonObjectWriter::Key(std::string_view key) {
  if (!first_) out_->push_back(',');
  first_ = false;
  AppendJsonNewline(depth_ + 1, out_);
  Value::String(key).AppendJson(out_);
  out_->append(": ");
  return out_;
}

void JsonObjectWriter::Close() {
  if (!first_) AppendJsonNewline(depth_, out_);
  out_->push_back('}');
}

void AppendErrorJson(const absl::Status& status, int depth, std::string* out) {
  AppendParsedError(ParseErrors(status).front(), depth, out);
}

namespace {

std::vector<std::string> TableColumns(const ResultSet& results,
                                      const std::vector<QueryExpression>& exprs,
                                      bool* bindings_only) {
  std::vector<std::string> names;
  for (const ResultRow& row : results.rows) {
    for (const auto& [name, value] : row.bindings) {
      if (std::find(names.begin(), names.end(), name) == names.end()) {
        names.push_back(name);
      }
    }
  }
  *bindings_only = !names.empty();
  if (names.empty()) {
    for (const QueryExpression& expr : exprs) names.push_back(expr.text);
  }
  return names;
}

std::string TableCell(const ResultRow& row, size_t column,
                      const std::string& name, bool bindings_only) {
  if (!bindings_only) {
    return column < row.expressions.size() ? row.expressions[column].ToJson()
                                           : "";
  }
  for (const auto& [binding, value] : row.bindings) {
    if (binding == name) return value.ToJson();
  }
  return "";
}

}  // namespace

void AppendIndentedJson(const Value& value, int depth, std::string* out) {
  switch (value.kind()) {
    case Kind::kArray:
    case Kind::kSet: {
      if (value.elements().empty()) {
        out->append("[]");
        return;
      }
      out->push_back('[');
      bool first = true;
      for (const Value& elem : value.elements()) {
        if (!first) out->push_back(',');
        first = false;
        AppendJsonNewline(depth + 1, out);
        AppendIndentedJson(elem, depth + 1, out);
      }
      AppendJsonNewline(depth, out);
      out->push_back(']');
      return;
    }
    case Kind::kObject: {
      if (value.entries().empty()) {
        out->append("{}");
        return;
      }
      // Go orders map keys by their bytes; non-string keys print as JSON.
      std::vector<std::pair<std::string, const Value*>> entries;
      for (const auto& [key, elem] : value.entries()) {
        entries.emplace_back(
            key.is_string() ? std::string(key.string()) : key.ToJson(), &elem);
      }
      std::sort(entries.begin(), entries.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
      JsonObjectWriter object(depth, out);
      for (const auto& [key, elem] : entries) {
        AppendIndentedJson(*elem, depth + 1, object.Key(key));
      }
      object.Close();
      return;
    }
    default:
      value.AppendJson(out);
  }
}

std::string FormatResultJson(const ResultSet& results,
                             const std::vector<QueryExpression>& expressions) {
  std::string out;
  JsonObjectWriter top(0, &out);
  if (!results.rows.empty()) {
    std::string* list = top.Key("result");
    list->push_back('[');
    for (size_t r = 0; r < results.rows.size(); ++r) {
      const ResultRow& row = results.rows[r];
      if (r > 0) out.push_back(',');
      AppendJsonNewline(2, &out);
      JsonObjectWriter result(2, &out);
      std::string* exprs = result.Key("expressions");
      exprs->push_back('[');
      for (size_t e = 0; e < row.expressions.size(); ++e) {
        if (e > 0) out.push_back(',');
        AppendJsonNewline(4, &out);
        JsonObjectWriter expr(4, &out);
        AppendIndentedJson(row.expressions[e], 5, expr.Key("value"));
        QueryExpression info =
            e < expressions.size() ? expressions[e] : QueryExpression{};
        AppendString(info.text, expr.Key("text"));
        AppendLocation(5, info.row, info.col, expr.Key("location"));
        expr.Close();
      }
      AppendJsonNewline(3, &out);
      out.push_back(']');
      if (!row.bindings.empty()) {
        std::vector<ObjectEntry> bindings;
        for (const auto& [name, value] : row.bindings) {
          bindings.emplace_back(Value::String(name), value);
        }
        AppendIndentedJson(Value::Object(std::move(bindings)), 3,
                           result.Key("bindings"));
      }
      result.Close();
    }
    AppendJsonNewline(1, &out);
    out.push_back(']');
  }
  top.Close();
  out.push_back('\n');
  return out;
}

std::string FormatErrorsJson(const absl::Status& status) {
  std::string out;
  JsonObjectWriter top(0, &out);
  std::string* list = top.Key("errors");
  list->push_back('[');
  std::vector<ParsedError> errors = ParseErrors(status);
  for (size_t i = 0; i < errors.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendJsonNewline(2, &out);
    AppendParsedError(errors[i], 2, &out);
  }
  AppendJsonNewline(1, &out);
  out.push_back(']');
  top.Close();
  out.push_back('\n');
  return out;
}

std::string FormatErrorsPretty(const absl::Status& status) {
  std::vector<std::string> lines = absl::StrSplit(status.message(), '\n', absl::SkipWhitespace());
  if (lines.empty()) return absl::StrCat("1 error occurred: ", status.ToString(), "\n");
  if (lines.size() == 1) return absl::StrCat("1 error occurred: ", lines[0], "\n");
  std::string out = absl::StrCat(lines.size(), " errors occurred:\n");
  for (const std::string& line : lines) absl::StrAppend(&out, line, "\n");
  return out;
}

std::string FormatResultPretty(const ResultSet& results,
                               const std::vector<QueryExpression>& expressions) {
  if (results.rows.empty()) return "undefined\n";
  const ResultRow& first = results.rows.front();
  if (results.rows.size() == 1 && first.bindings.empty() &&
      first.expressions.size() == 1) {
    std::string out;
    AppendIndentedJson(first.expressions.front(), 0, &out);
    out.push_back('\n');
    return out;
  }
  bool bindings_only = false;
  std::vector<std::string> columns =
      TableColumns(results, expressions, &bindings_only);
  std::vector<std::vector<std::string>> cells;
  std::vector<size_t> widths;
  for (const std::string& column : columns) widths.push_back(column.size());
  for (const ResultRow& row : results.rows) {
    std::vector<std::string> line;
    for (size_t c = 0; c < columns.size(); ++c) {
      line.push_back(TableCell(row, c, columns[c], bindings_only));
      widths[c] = std::max(widths[c], line.back().size());
    }
    cells.push_back(std::move(line));
  }
  std::string rule = "+";
  for (size_t width : widths) absl::StrAppend(&rule, std::string(width + 2, '-'), "+");
  rule.push_back('\n');
  auto append_line = [&](const std::vector<std::string>& line, std::string* out) {
    out->push_back('|');
    for (size_t c = 0; c < line.size(); ++c) {
      absl::StrAppend(out, " ", line[c],
                      std::string(widths[c] - line[c].size() + 1, ' '), "|");
    }
    out->push_back('\n');
  };
  std::string out = rule;
  append_line(columns, &out);
  out += rule;
  for (const auto& line : cells) append_line(line, &out);
  out += rule;
  return out;
}

}  // namespace policyd

#include "service/api/explain.h"

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace policyd {
namespace {

// The lines of every module of `snapshot`, by file name.
std::map<std::string, std::vector<std::string>, std::less<>> SourceLines(
    const bundles::Snapshot& snapshot) {
  std::map<std::string, std::vector<std::string>, std::less<>> out;
  auto add = [&out](const std::string& file, const std::string& text) {
    out[file] = absl::StrSplit(text, '\n');
  };
  for (const auto& bundle : snapshot.bundles()) {
    for (const SourceModule& module : bundle->modules) add(module.filename, module.text);
  }
  for (const auto& [id, text] : snapshot.overlay().policies) add(id, text);
  return out;
}

}  // namespace

std::optional<ExplainTracer::Mode> ExplainTracer::ParseMode(std::string_view text) {
  if (text == "notes") return Mode::kNotes;
  if (text == "fails") return Mode::kFails;
  if (text == "full") return Mode::kFull;
  return std::nullopt;
}

void ExplainTracer::Add(std::string_view op, bool rule, std::string_view file,
                        const ast::Location& loc, std::string_view message) {
  if (events_.size() >= kMaxEvents) return;
  events_.push_back({op, rule, std::string(file), loc, std::string(message)});
}

void ExplainTracer::EnterRule(std::string_view file, const ast::Location& loc) {
  if (mode_ == Mode::kFull) Add("Enter", true, file, loc);
}
void ExplainTracer::EvalExpr(std::string_view file, const ast::Location& loc) {
  if (mode_ == Mode::kFull) Add("Eval", false, file, loc);
}
void ExplainTracer::FailExpr(std::string_view file, const ast::Location& loc) {
  if (mode_ != Mode::kNotes) Add("Fail", false, file, loc);
}
void ExplainTracer::ExitRule(std::string_view file, const ast::Location& loc) {
  if (mode_ == Mode::kFull) Add("Exit", true, file, loc);
}
void ExplainTracer::Note(std::string_view file, const ast::Location& loc,
                         std::string_view message) {
  if (mode_ != Mode::kFails) Add("Note", false, file, loc, message);
}

Value ExplainTracer::Explanation(const bundles::Snapshot& snapshot,
                                 std::string_view query, bool pretty) const {
  auto lines = SourceLines(snapshot);
  std::vector<Value> out;
  for (const Event& e : events_) {
    std::string file = e.file.empty() ? "query" : e.file;
    std::string node(query);
    if (!e.file.empty()) {
      auto it = lines.find(e.file);
      node = it != lines.end() && e.loc.line >= 1 &&
                     e.loc.line <= static_cast<int>(it->second.size())
                 ? std::string(absl::StripAsciiWhitespace(it->second[e.loc.line - 1]))
                 : "";
    }
    if (pretty) {
      std::string text = e.op == "Note" ? absl::StrCat("Note \"", e.message, "\"")
                                        : absl::StrCat(std::string(e.op), " ", node);
      out.push_back(Value::String(absl::StrCat(file, ":", e.loc.line, "  ",
                                               e.rule ? "" : "| ", text)));
      continue;
    }
    std::vector<ObjectEntry> event = {
        {Value::String("op"), Value::String(e.op)},
        {Value::String("type"), Value::String(e.rule ? "rule" : "expr")},
        {Value::String("node"), Value::String(node)},
        {Value::String("location"),
         Value::Object({{Value::String("file"), Value::String(file)},
                        {Value::String("row"), Value::Int(e.loc.line)},
                        {Value::String("col"), Value::Int(e.loc.col)}})},
    };
    if (e.op == "Note") event.emplace_back(Value::String("message"), Value::String(e.message));
    out.push_back(Value::Object(std::move(event)));
  }
  return Value::Array(std::move(out));
}

}  // namespace policyd

#include "engine/compile/annotations.h"

#include <algorithm>
#include <optional>
#include <string_view>
#include <utility>

#include "engine/builtins/builtin.h"
#include "engine/errors.h"

namespace policyd::compile {
namespace {

using Path = std::vector<std::string>;

Value Str(std::string_view s) { return Value::String(s); }

// The non-empty pieces of `s` between any of `seps` (std::string_view: the
// abseil string helpers of Debian 12 take their own string_view).
std::vector<std::string> Split(std::string_view s, std::string_view seps,
                               bool skip_empty) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t end = s.find_first_of(seps, start);
    std::string_view piece = s.substr(start, end == std::string_view::npos ? end : end - start);
    if (!piece.empty() || !skip_empty) out.emplace_back(piece);
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

Value PathValue(const Path& path) {
  std::vector<Value> out;
  for (const std::string& k : path) out.push_back(Str(k));
  return Value::Array(std::move(out));
}

// The leading string keys of a ref (`data.a.b` -> [data, a, b]; `p[x].q`
// -> [p]).
Path GroundPrefix(const ast::Term& ref) {
  if (ref.kind == ast::TermKind::kVar) return {ref.name};
  Path out;
  for (size_t i = 0; i < ref.items.size(); ++i) {
    const ast::Term& t = *ref.items[i];
    if (i == 0 && t.kind == ast::TermKind::kVar) {
      out.push_back(t.name);
    } else if (i > 0 && t.kind == ast::TermKind::kScalar && t.value.is_string()) {
      out.emplace_back(t.value.string());
    } else {
      break;
    }
  }
  return out;
}

// A METADATA block of one module, before it is attached to a statement.
struct Block {
  ast::Location loc;  // of the `# METADATA` line
  std::string yaml;
};

std::vector<Block> FindBlocks(const std::vector<ast::Comment>& comments) {
  std::vector<Block> blocks;
  bool open = false;
  for (size_t i = 0; i < comments.size(); ++i) {
    const ast::Comment& c = comments[i];
    if (open && c.loc.line == comments[i - 1].loc.line + 1 && c.loc.col == 1) {
      std::string_view text = c.text;
      if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
      if (!text.empty() && text.front() == ' ') text.remove_prefix(1);
      blocks.back().yaml.append(text).append("\n");
      continue;
    }
    open = false;
    size_t first = c.text.find_first_not_of(" \t");
    if (first != std::string::npos && c.text.compare(first, 8, "METADATA") == 0) {
      blocks.push_back(Block{c.loc, ""});
      open = true;
    }
  }
  return blocks;
}

// Turns one block's YAML into the annotations object OPA reports.
class BlockParser {
 public:
  BlockParser(const std::string& file, const Block& block)
      : file_(file), block_(block) {}

  // `*scope` is the block's scope ("" when not given).
  absl::StatusOr<Value> Parse(std::string* scope) {
    BuiltinContext ctx;
    Value text = Str(block_.yaml);
    BuiltinResult parsed = BuiltinRegistry::Default().Find("yaml.unmarshal")->fn(
        ctx, absl::MakeConstSpan(&text, 1));
    if (!parsed.ok()) {
      std::string message(parsed.status().message());
      std::string prefix = "yaml.unmarshal: ";
      if (message.compare(0, prefix.size(), prefix) == 0) message.erase(0, prefix.size());
      return Error(message);
    }
    Value raw = parsed->value_or(Value::Null());
    if (raw.is_null()) raw = Value::Object({});
    if (!raw.is_object()) return Error("expected a YAML mapping of annotations");
    std::vector<ObjectEntry> out;
    for (const auto& [key, value] : raw.entries()) {
      if (!key.is_string()) continue;
      std::string_view k = key.string();
      absl::StatusOr<std::optional<Value>> field = Field(k, value, scope);
      if (!field.ok()) return field.status();
      if (*field) out.emplace_back(key, **field);
    }
    return Value::Object(std::move(out));
  }

  absl::Status Error(std::string_view message) const {
    return MakeError(kRegoParseError, file_, block_.loc.line, block_.loc.col,
                     message);
  }

 private:
  // The output value of one field; nullopt to leave it out (empty or
  // unknown, as OPA ignores unknown keys).
  absl::StatusOr<std::optional<Value>> Field(std::string_view k,
                                             const Value& v,
                                             std::string* scope) {
    if (k == "scope" || k == "title" || k == "description") {
      if (v.is_null()) return std::nullopt;
      if (!v.is_string()) return Error(std::string(k) + " must be a string");
      if (k == "scope") *scope = std::string(v.string());
      if (v.string().empty()) return std::nullopt;
      return v;
    }
    if (k == "entrypoint") {
      if (v.is_null()) return std::nullopt;
      if (!v.is_bool()) return Error("entrypoint must be a boolean");
      if (!v.boolean()) return std::nullopt;
      return v;
    }
    if (k == "organizations") {
      if (v.is_null()) return std::nullopt;
      if (!v.is_array()) return Error("organizations must be a list");
      for (const Value& o : v.elements()) {
        if (!o.is_string()) return Error("organizations must be strings");
      }
      if (v.size() == 0) return std::nullopt;
      return v;
    }
    if (k == "related_resources") return List(v, &BlockParser::Resource, k);
    if (k == "authors") return List(v, &BlockParser::Author, k);
    if (k == "schemas") return List(v, &BlockParser::Schema, k);
    if (k == "custom") {
      if (v.is_null()) return std::nullopt;
      if (!v.is_object()) return Error("custom must be a map");
      if (v.size() == 0) return std::nullopt;
      return v;
    }
    return std::nullopt;
  }

  using ItemFn = absl::StatusOr<Value> (BlockParser::*)(const Value&);

  absl::StatusOr<std::optional<Value>> List(const Value& v, ItemFn item,
                                            std::string_view k) {
    if (v.is_null()) return std::nullopt;
    if (!v.is_array()) return Error(std::string(k) + " must be a list");
    std::vector<Value> out;
    for (const Value& e : v.elements()) {
      absl::StatusOr<Value> one = (this->*item)(e);
      if (!one.ok()) return one.status();
      out.push_back(*std::move(one));
    }
    if (out.empty()) return std::nullopt;
    return Value::Array(std::move(out));
  }

  // "Name <email>", "Name" or "<email>"; or {"name", "email"}.
  absl::StatusOr<Value> Author(const Value& v) {
    std::string name, email;
    if (v.is_string()) {
      std::vector<std::string> parts = Split(v.string(), " \t\r\n", true);
      if (parts.empty()) return Error("author is an empty string");
      const std::string& last = parts.back();
      if (last.size() >= 2 && last.front() == '<' && last.back() == '>') {
        email = last.substr(1, last.size() - 2);
        parts.pop_back();
      }
      for (const std::string& part : parts) {
        if (!name.empty()) name += ' ';
        name += part;
      }
    } else if (v.is_object()) {
      const Value* n = v.Find("name");
      const Value* e = v.Find("email");
      if ((n && !n->is_string()) || (e && !e->is_string())) {
        return Error("author name and email must be strings");
      }
      if (n) name = std::string(n->string());
      if (e) email = std::string(e->string());
    } else {
      return Error("author must be a string or a map");
    }
    if (name.empty() && email.empty()) {
      return Error("author must have either name or email");
    }
    std::vector<ObjectEntry> out;
    if (!email.empty()) out.emplace_back(Str("email"), Str(email));
    if (!name.empty()) out.emplace_back(Str("name"), Str(name));
    return Value::Object(std::move(out));
  }

  // A URL string, or {"ref": URL, "description": ...}.
  absl::StatusOr<Value> Resource(const Value& v) {
    const Value* ref = v.is_string() ? &v : v.is_object() ? v.Find("ref") : nullptr;
    if (ref == nullptr || !ref->is_string() || ref->string().empty()) {
      return Error("related resource must have a non-empty ref");
    }
    std::vector<ObjectEntry> out = {{Str("ref"), *ref}};
    if (v.is_object()) {
      if (const Value* d = v.Find("description")) {
        if (!d->is_string()) return Error("related resource description must be a string");
        if (!d->string().empty()) out.emplace_back(Str("description"), *d);
      }
    }
    return Value::Object(std::move(out));
  }

  // `- input.x: schema.y` or `- input.x: {inline JSON schema}`: the path
  // (and a schema reference) as refs in OPA's JSON term form.
  absl::StatusOr<Value> Schema(const Value& v) {
    if (!v.is_object() || v.size() != 1 || !v.entries()[0].first.is_string()) {
      return Error("schema must be a map of one path to a schema");
    }
    const auto& [path, schema] = v.entries()[0];
    std::vector<ObjectEntry> out = {{Str("path"), RefTerms(path.string())}};
    if (schema.is_string()) {
      out.emplace_back(Str("schema"), RefTerms(schema.string()));
    } else {
      out.emplace_back(Str("definition"), schema);
    }
    return Value::Object(std::move(out));
  }

  static Value RefTerms(std::string_view dotted) {
    std::vector<Value> terms;
    for (const std::string& part : Split(dotted, ".", false)) {
      terms.push_back(Value::Object(
          {{Str("type"), Str(terms.empty() ? "var" : "string")},
           {Str("value"), Str(part)}}));
    }
    return Value::Array(std::move(terms));
  }

  const std::string& file_;
  const Block& block_;
};

Value WithScope(const Value& annotations, std::string_view scope) {
  std::vector<ObjectEntry> entries = annotations.entries().ToVector();
  entries.emplace_back(Str("scope"), Str(scope));  // the last entry wins
  return Value::Object(std::move(entries));
}

Value Link(const Path& path, const Value* annotations) {
  std::vector<ObjectEntry> out = {{Str("path"), PathValue(path)}};
  if (annotations) out.emplace_back(Str("annotations"), *annotations);
  return Value::Object(std::move(out));
}

}  // namespace

absl::StatusOr<Annotations> Annotations::Build(
    const std::vector<ast::Module>& modules) {
  Annotations result;
  for (const ast::Module& mod : modules) {
    Path pkg = GroundPrefix(*mod.package);
    if (!pkg.empty()) pkg.erase(pkg.begin());  // "data"
    result.packages_.push_back(pkg);
    std::vector<Block> blocks = FindBlocks(mod.comments);
    if (blocks.empty()) continue;
    // Statements by line: a block belongs to the first one below it.
    struct Statement {
      int line;
      const char* kind;  // "package", "import", "rule"
      const ast::Rule* rule;
    };
    std::vector<Statement> statements = {{mod.package_loc.line, "package", nullptr}};
    for (const ast::Import& imp : mod.imports) {
      statements.push_back({imp.loc.line, "import", nullptr});
    }
    for (const ast::Rule& r : mod.rules) statements.push_back({r.loc.line, "rule", &r});
    std::stable_sort(statements.begin(), statements.end(),
                     [](const Statement& a, const Statement& b) { return a.line < b.line; });
    for (const Block& block : blocks) {
      BlockParser parser(mod.filename, block);
      std::string scope;
      absl::StatusOr<Value> value = parser.Parse(&scope);
      if (!value.ok()) return value.status();
      const Statement* node = nullptr;
      for (const Statement& s : statements) {
        if (s.line > block.loc.line) {
          node = &s;
          break;
        }
      }
      std::string_view kind = node ? node->kind : "";
      if (scope.empty()) {
        const Value* entrypoint = value->Find("entrypoint");
        if (kind == "rule") {
          scope = entrypoint && entrypoint->is_bool() && entrypoint->boolean()
                      ? "document"
                      : "rule";
        } else if (kind == "package") {
          scope = "package";
        } else {
          continue;  // nothing to describe
        }
      }
      std::string_view want;
      if (scope == "rule" || scope == "document") {
        want = "rule";
      } else if (scope == "package" || scope == "subpackages") {
        want = "package";
      } else {
        return parser.Error(
            "invalid annotation scope '" + scope +
            "'. Use one of 'rule', 'document', 'package', or 'subpackages'");
      }
      if (kind != want) {
        std::string have = kind.empty() ? "" : " (have " + std::string(kind) + ")";
        return parser.Error("annotation scope '" + scope + "' must be applied to " +
                            std::string(want) + have);
      }
      Found found{block.loc.line, mod.filename, WithScope(*value, scope)};
      std::map<Path, Found>* by_path = nullptr;
      Path path = pkg;
      if (scope == "rule") {
        result.rules_[node->rule].push_back(std::move(found));
        continue;
      }
      if (scope == "document") {
        Path rule_path = GroundPrefix(*node->rule->head.ref);
        path.insert(path.end(), rule_path.begin(), rule_path.end());
        by_path = &result.documents_;
      } else {
        by_path = scope == "package" ? &result.package_ : &result.subpackages_;
      }
      auto [it, added] = by_path->emplace(path, found);
      if (!added) {
        return MakeError(kRegoTypeError, mod.filename, block.loc.line,
                         block.loc.col,
                         scope + " annotation redeclared: " + it->second.file +
                             ":" + std::to_string(it->second.line));
      }
    }
  }
  for (auto& [rule, found] : result.rules_) {
    std::stable_sort(found.begin(), found.end(),
                     [](const Found& a, const Found& b) { return a.line > b.line; });
  }
  return result;
}

Value Annotations::Chain(size_t module_index, const ast::Rule& rule) const {
  const Path& pkg = packages_[module_index];
  Path path = pkg;
  Path rule_path = GroundPrefix(*rule.head.ref);
  path.insert(path.end(), rule_path.begin(), rule_path.end());
  std::vector<Value> chain;
  if (auto it = rules_.find(&rule); it != rules_.end()) {
    for (const Found& f : it->second) chain.push_back(Link(path, &f.value));
  } else {
    chain.push_back(Link(path, nullptr));
  }
  if (auto it = documents_.find(path); it != documents_.end()) {
    chain.push_back(Link(path, &it->second.value));
  }
  if (auto it = package_.find(pkg); it != package_.end()) {
    chain.push_back(Link(pkg, &it->second.value));
  }
  for (size_t n = pkg.size(); n > 0; --n) {
    Path prefix(pkg.begin(), pkg.begin() + n);
    if (auto it = subpackages_.find(prefix); it != subpackages_.end()) {
      chain.push_back(Link(prefix, &it->second.value));
    }
  }
  return Value::Array(std::move(chain));
}

Value Annotations::RuleAnnotations(size_t /*module_index*/,
                                   const ast::Rule& rule) const {
  auto it = rules_.find(&rule);
  if (it == rules_.end()) return Value::Object({});
  return it->second.front().value;
}

}  // namespace policyd::compile

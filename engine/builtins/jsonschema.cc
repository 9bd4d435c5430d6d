// json.verify_schema and json.match_schema: JSON Schema (drafts 4 to 7)
// with the error types, field paths and messages of the gojsonschema library
// OPA uses ("id: Invalid type. Expected: integer, given: string"). Schemas are
// checked once (Verify) and then walked directly for each validation; "$ref"
// resolves JSON pointers within the schema document (remote references are
// refused).
#include <string>
#include <string_view>
#include <vector>

#include "engine/builtins/args.h"
#include "engine/builtins/builtin.h"
#include "engine/builtins/encoding_parts.h"
#include "engine/builtins/go/json.h"
#include "engine/builtins/ip_address.h"
#include "engine/builtins/regex_cache.h"
#include "engine/value/utf8.h"
#include "engine/value/json.h"
#include "engine/value/number.h"
#include "re2/re2.h"

namespace policyd {
namespace {

constexpr std::string_view kTypes[] = {"array",  "boolean", "integer", "number",
                                       "null",   "object",  "string"};

absl::Status SchemaError(std::string message) {
  return absl::InvalidArgumentError(std::move(message));
}

absl::Status InvalidTypeIn(std::string_view expected, std::string_view key) {
  return SchemaError(
      Concat("Invalid type. Expected: ", expected, ", given: ", key));
}

// ---------------------------------------------------------------------------
// Schema checks.

absl::Status VerifySchema(const Value& s);

absl::Status VerifySubschema(const Value& s, std::string_view key) {
  if (!s.is_object() && !s.is_bool()) return InvalidTypeIn("valid schema", key);
  return VerifySchema(s);
}

absl::Status VerifyNonNegativeInt(const Value& s, std::string_view key) {
  const Value* v = s.Find(key);
  if (v == nullptr) return absl::OkStatus();
  if (!v->is_number() || !v->IsInteger()) {
    return SchemaError(Concat(key, " must be of an integer"));
  }
  if (v->Compare(Value::Int(0)) < 0) {
    return SchemaError(Concat(key, " must be greater than or equal to 0"));
  }
  return absl::OkStatus();
}

absl::Status VerifyMinMax(const Value& s, std::string_view min,
                          std::string_view max) {
  POLICYD_RETURN_IF_ERROR(VerifyNonNegativeInt(s, min));
  POLICYD_RETURN_IF_ERROR(VerifyNonNegativeInt(s, max));
  const Value* lo = s.Find(min);
  const Value* hi = s.Find(max);
  if (lo != nullptr && hi != nullptr && lo->Compare(*hi) > 0) {
    return SchemaError(Concat(min, " cannot be greater than ", max));
  }
  return absl::OkStatus();
}

absl::Status VerifySchema(const Value& s) {
  if (s.is_bool()) return absl::OkStatus();
  if (!s.is_object()) return InvalidTypeIn("object", "schema");
  if (const Value* t = s.Find("type")) {
    std::vector<Value> names;
    if (t->is_string()) {
      names.push_back(*t);
    } else if (t->is_array()) {
      names = CopyElements(t->elements());
    } else {
      return InvalidTypeIn("string/array of strings", "type");
    }
    std::vector<std::string_view> seen;
    for (const Value& n : names) {
      if (!n.is_string()) return InvalidTypeIn("string", "type");
      bool known = false;
      for (std::string_view k : kTypes) known = known || k == n.string();
      if (!known) {
        return SchemaError(Concat(
            "has a primitive type that is NOT VALID -- given: /", n.string(),
            "/ Expected valid values are:[array boolean integer number null "
            "object string]"));
      }
      for (std::string_view x : seen) {
        if (x == n.string()) {
          return SchemaError(Concat(n.string(), " type is duplicated"));
        }
      }
      seen.push_back(n.string());
    }
  }
  for (std::string_view key : {"properties", "patternProperties", "definitions",
                               "$defs"}) {
    const Value* props = s.Find(key);
    if (props == nullptr) continue;
    if (!props->is_object()) return InvalidTypeIn("object", key);
    for (const auto& [name, sub] : props->entries()) {
      if (key == "patternProperties" &&
          !RegexCache::GoRegex(name.string()).ok()) {
        return SchemaError(
            Concat("Invalid regex pattern '", name.string(), "'"));
      }
      POLICYD_RETURN_IF_ERROR(VerifySubschema(sub, name.string()));
    }
  }
  for (std::string_view key : {"additionalProperties", "additionalItems",
                               "not", "propertyNames", "contains", "if",
                               "then", "else"}) {
    if (const Value* sub = s.Find(key)) {
      POLICYD_RETURN_IF_ERROR(VerifySubschema(*sub, key));
    }
  }
  if (const Value* items = s.Find("items")) {
    if (items->is_array()) {
      for (const Value& sub : items->elements()) {
        POLICYD_RETURN_IF_ERROR(VerifySubschema(sub, "items"));
      }
    } else {
      POLICYD_RETURN_IF_ERROR(VerifySubschema(*items, "items"));
    }
  }
  for (std::string_view key : {"allOf", "anyOf", "oneOf"}) {
    const Value* subs = s.Find(key);
    if (subs == nullptr) continue;
    if (!subs->is_array() || subs->size() == 0) {
      return InvalidTypeIn("array of schemas", key);
    }
    for (const Value& sub : subs->elements()) {
      POLICYD_RETURN_IF_ERROR(VerifySubschema(sub, key));
    }
  }
  if (const Value* req = s.Find("required")) {
    if (!req->is_array()) return InvalidTypeIn("array of strings", "required");
    for (size_t i = 0; i < req->elements().size(); ++i) {
      const Value& r = req->elements()[i];
      if (!r.is_string()) return SchemaError("required items must be string");
      for (size_t j = 0; j < i; ++j) {
        if (req->elements()[j] == r) {
          return SchemaError("required items must be unique");
        }
      }
    }
  }
  if (const Value* e = s.Find("enum")) {
    if (!e->is_array()) return InvalidTypeIn("array", "enum");
    for (size_t i = 0; i < e->elements().size(); ++i) {
      for (size_t j = 0; j < i; ++j) {
        if (e->elements()[j] == e->elements()[i]) {
          return SchemaError("enum items must be unique");
        }
      }
    }
  }
  for (std::string_view key : {"minimum", "maximum"}) {
    const Value* v = s.Find(key);
    if (v != nullptr && !v->is_number()) return InvalidTypeIn("number", key);
  }
  for (std::string_view key : {"exclusiveMinimum", "exclusiveMaximum"}) {
    const Value* v = s.Find(key);
    if (v != nullptr && !v->is_number() && !v->is_bool()) {
      return InvalidTypeIn("number", key);
    }
  }
  if (const Value* m = s.Find("multipleOf")) {
    if (!m->is_number()) return InvalidTypeIn("number", "multipleOf");
    if (m->Compare(Value::Int(0)) <= 0) {
      return SchemaError("multipleOf must be strictly greater than 0");
    }
  }
  POLICYD_RETURN_IF_ERROR(VerifyMinMax(s, "minLength", "maxLength"));
  POLICYD_RETURN_IF_ERROR(VerifyMinMax(s, "minItems", "maxItems"));
  POLICYD_RETURN_IF_ERROR(VerifyMinMax(s, "minProperties", "maxProperties"));
  if (const Value* p = s.Find("pattern")) {
    if (!p->is_string()) return InvalidTypeIn("string", "pattern");
    if (!RegexCache::GoRegex(p->string()).ok()) {
      return SchemaError(Concat("Invalid regex pattern '", p->string(), "'"));
    }
  }
  if (const Value* deps = s.Find("dependencies")) {
    if (!deps->is_object()) return InvalidTypeIn("object", "dependencies");
    for (const auto& [name, dep] : deps->entries()) {
      if (dep.is_array()) {
        for (const Value& d : dep.elements()) {
          if (!d.is_string()) {
            return InvalidTypeIn("schema or array of strings", "dependency");
          }
        }
      } else {
        POLICYD_RETURN_IF_ERROR(VerifySubschema(dep, name.string()));
      }
    }
  }
  if (const Value* ref = s.Find("$ref")) {
    if (!ref->is_string()) return InvalidTypeIn("string", "$ref");
    if (ref->string().empty() || ref->string()[0] != '#') {
      return SchemaError(Concat("Reference ", ref->string(),
                                " must be canonical"));
    }
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------
// Validation.

struct Violation {
  std::string field;
  std::string type;
  std::string description;
};

struct Result {
  std::vector<Violation> errors;
  int score = 0;
  bool valid() const { return errors.empty(); }
};

// The instance path, as gojsonschema names fields: "(root)", "id", "a.0.b".
std::string FieldOf(const std::vector<std::string>& path) {
  if (path.empty()) return "(root)";
  std::string out;
  for (const std::string& p : path) {
    if (!out.empty()) out.push_back('.');
    out.append(p);
  }
  return out;
}

class Validator {
 public:
  explicit Validator(const Value& root) : root_(root) {}

  void Validate(const Value& s, const Value& v, std::vector<std::string>& path,
                Result* r, int depth = 0);

 private:
  void Add(Result* r, const std::vector<std::string>& path,
           std::string_view type, std::string description) {
    r->errors.push_back({FieldOf(path), std::string(type),
                         std::move(description)});
  }

  Result Sub(const Value& s, const Value& v, std::vector<std::string>& path,
             int depth) {
    Result r;
    Validate(s, v, path, &r, depth + 1);
    return r;
  }

  static void Merge(Result* into, const Result& from) {
    into->errors.insert(into->errors.end(), from.errors.begin(),
                        from.errors.end());
    into->score += from.score;
  }

  const Value* Resolve(std::string_view ref) const;
  void Combinators(const Value& s, const Value& v,
                   std::vector<std::string>& path, Result* r, int depth);
  void Common(const Value& s, const Value& v, std::vector<std::string>& path,
              Result* r);
  void Number(const Value& s, const Value& v, std::vector<std::string>& path,
              Result* r);
  void String(const Value& s, const Value& v, std::vector<std::string>& path,
              Result* r);
  void Array(const Value& s, const Value& v, std::vector<std::string>& path,
             Result* r, int depth);
  void Object(const Value& s, const Value& v, std::vector<std::string>& path,
              Result* r, int depth);
  void Properties(const Value& s, const Value& v,
                  std::vector<std::string>& path, Result* r, int depth);

  const Value& root_;
};

// "#", "#/definitions/a", "#/properties/x~1y" (JSON pointer escapes).
const Value* Validator::Resolve(std::string_view ref) const {
  if (ref.empty() || ref[0] != '#') return nullptr;
  ref.remove_prefix(1);
  const Value* cur = &root_;
  while (!ref.empty()) {
    if (ref[0] != '/') return nullptr;
    ref.remove_prefix(1);
    size_t slash = ref.find('/');
    std::string token(ref.substr(0, slash));
    ref = slash == std::string_view::npos ? std::string_view()
                                          : ref.substr(slash);
    std::string unescaped;
    for (size_t i = 0; i < token.size(); ++i) {
      if (token[i] == '~' && i + 1 < token.size()) {
        unescaped.push_back(token[i + 1] == '1' ? '/' : '~');
        ++i;
      } else {
        unescaped.push_back(token[i]);
      }
    }
    if (cur->is_object()) {
      cur = cur->Find(unescaped);
    } else if (cur->is_array()) {
      cur = cur->At(std::atoll(unescaped.c_str()));
    } else {
      return nullptr;
    }
    if (cur == nullptr) return nullptr;
  }
  return cur;
}

std::string TypeOf(const Value& v) {
  switch (v.kind()) {
    case Kind::kNull:
      return "null";
    case Kind::kBoolean:
      return "boolean";
    case Kind::kNumber:
      return v.IsInteger() ? "integer" : "number";
    case Kind::kString:
      return "string";
    case Kind::kArray:
    case Kind::kSet:
      return "array";
    case Kind::kObject:
      return "object";
  }
  return "null";
}

void Validator::Validate(const Value& s, const Value& v,
                         std::vector<std::string>& path, Result* r,
                         int depth) {
  if (depth > 200) {
    Add(r, path, "internal", "Internal Error schema nesting too deep");
    return;
  }
  if (s.is_bool()) {
    if (!s.boolean()) Add(r, path, "false", "False always fails validation");
    return;
  }
  if (const Value* ref = s.Find("$ref")) {
    // As in draft 4 to 7, "$ref" replaces the rest of the schema.
    const Value* target = Resolve(ref->string());
    if (target == nullptr) {
      Add(r, path, "internal",
          Concat("Internal Error unresolvable reference ", ref->string()));
      return;
    }
    Validate(*target, v, path, r, depth + 1);
    return;
  }
  if (const Value* t = s.Find("type")) {
    std::vector<std::string_view> types;
    if (t->is_string()) {
      types.push_back(t->string());
    } else {
      for (const Value& e : t->elements()) types.push_back(e.string());
    }
    std::string given = TypeOf(v);
    bool ok = false;
    for (std::string_view want : types) {
      ok = ok || want == given || (want == "number" && given == "integer");
    }
    if (!ok) {
      std::string expected;
      if (types.size() == 1) {
        expected = std::string(types[0]);
      } else {
        expected = "[";
        for (size_t i = 0; i < types.size(); ++i) {
          if (i > 0) expected.push_back(',');
          expected.append(types[i]);
        }
        expected.push_back(']');
      }
      Add(r, path, "invalid_type",
          Concat("Invalid type. Expected: ", expected, ", given: ", given));
      return;
    }
  }
  Combinators(s, v, path, r, depth);
  if (v.is_number()) Number(s, v, path, r);
  if (v.is_array() || v.is_set()) Array(s, v, path, r, depth);
  if (v.is_object()) Object(s, v, path, r, depth);
  Common(s, v, path, r);
  if (v.is_string()) String(s, v, path, r);
  if (v.is_object()) Properties(s, v, path, r, depth);
  ++r->score;
}

void Validator::Combinators(const Value& s, const Value& v,
                            std::vector<std::string>& path, Result* r,
                            int depth) {
  if (const Value* any = s.Find("anyOf")) {
    std::optional<Result> best;
    bool ok = false;
    for (const Value& sub : any->elements()) {
      Result res = Sub(sub, v, path, depth);
      if (res.valid()) {
        ok = true;
        break;
      }
      if (!best || res.score > best->score) best = std::move(res);
    }
    if (!ok) {
      Add(r, path, "number_any_of", "Must validate at least one schema (anyOf)");
      if (best) Merge(r, *best);
    }
  }
  if (const Value* one = s.Find("oneOf")) {
    int matched = 0;
    std::optional<Result> best;
    for (const Value& sub : one->elements()) {
      Result res = Sub(sub, v, path, depth);
      if (res.valid()) {
        ++matched;
      } else if (matched == 0 && (!best || res.score > best->score)) {
        best = std::move(res);
      }
    }
    if (matched != 1) {
      Add(r, path, "number_one_of",
          "Must validate one and only one schema (oneOf)");
      if (matched == 0 && best) Merge(r, *best);
    }
  }
  if (const Value* all = s.Find("allOf")) {
    size_t matched = 0;
    for (const Value& sub : all->elements()) {
      Result res = Sub(sub, v, path, depth);
      if (res.valid()) ++matched;
      Merge(r, res);
    }
    if (matched != all->size()) {
      Add(r, path, "number_all_of", "Must validate all the schemas (allOf)");
    }
  }
  if (const Value* no = s.Find("not")) {
    if (Sub(*no, v, path, depth).valid()) {
      Add(r, path, "number_not", "Must not validate the schema (not)");
    }
  }
  if (const Value* deps = s.Find("dependencies"); deps && v.is_object()) {
    for (const auto& [key, unused] : v.entries()) {
      const Value* dep = deps->Find(key);
      if (dep == nullptr) continue;
      if (dep->is_array()) {
        for (const Value& need : dep->elements()) {
          if (v.Find(need) == nullptr) {
            Add(r, path, "missing_dependency",
                Concat("Has a dependency on ", need.string()));
          }
        }
      } else {
        Validate(*dep, v, path, r, depth + 1);
      }
    }
  }
  if (const Value* cond = s.Find("if")) {
    bool if_ok = Sub(*cond, v, path, depth).valid();
    const Value* then = s.Find("then");
    const Value* otherwise = s.Find("else");
    if (if_ok && then != nullptr) {
      Result res = Sub(*then, v, path, depth);
      if (!res.valid()) {
        Add(r, path, "condition_then", "Must validate \"then\" as \"if\" was valid");
        Merge(r, res);
      }
    } else if (!if_ok && otherwise != nullptr) {
      Result res = Sub(*otherwise, v, path, depth);
      if (!res.valid()) {
        Add(r, path, "condition_else",
            "Must validate \"else\" as \"if\" was not valid");
        Merge(r, res);
      }
    }
  }
}

void Validator::Common(const Value& s, const Value& v,
                       std::vector<std::string>& path, Result* r) {
  std::string field = FieldOf(path);
  if (const Value* c = s.Find("const"); c != nullptr && *c != v) {
    Add(r, path, "const",
        Concat(field, " does not match: ", GoJsonMarshal(*c)));
  }
  if (const Value* e = s.Find("enum")) {
    bool found = false;
    for (const Value& x : e->elements()) found = found || x == v;
    if (!found) {
      std::string allowed;
      for (const Value& x : e->elements()) {
        if (!allowed.empty()) allowed.append(", ");
        allowed.append(GoJsonMarshal(x));
      }
      Add(r, path, "enum",
          Concat(field, " must be one of the following: ", allowed));
    }
  }
}

void Validator::Number(const Value& s, const Value& v,
                       std::vector<std::string>& path, Result* r) {
  if (const Value* m = s.Find("multipleOf")) {
    absl::StatusOr<Value> q = number::Divide(v, *m);
    if (q.ok() && !q->IsInteger()) {
      Add(r, path, "multiple_of",
          Concat("Must be a multiple of ", m->NumberText()));
    }
  }
  // Draft 4 spells exclusive bounds as booleans next to the bound; drafts 6
  // and 7 as bounds of their own.
  const Value* ex_max = s.Find("exclusiveMaximum");
  const Value* ex_min = s.Find("exclusiveMinimum");
  if (const Value* max = s.Find("maximum")) {
    bool exclusive = ex_max != nullptr && ex_max->is_bool() && ex_max->boolean();
    int c = v.Compare(*max);
    if (exclusive ? c >= 0 : c > 0) {
      Add(r, path, exclusive ? "number_lt" : "number_lte",
          Concat(exclusive ? "Must be less than " : "Must be less than or equal to ",
                 max->NumberText()));
    }
  }
  if (ex_max != nullptr && ex_max->is_number() && v.Compare(*ex_max) >= 0) {
    Add(r, path, "number_lt", Concat("Must be less than ", ex_max->NumberText()));
  }
  if (const Value* min = s.Find("minimum")) {
    bool exclusive = ex_min != nullptr && ex_min->is_bool() && ex_min->boolean();
    int c = v.Compare(*min);
    if (exclusive ? c <= 0 : c < 0) {
      Add(r, path, exclusive ? "number_gt" : "number_gte",
          Concat(exclusive ? "Must be greater than "
                           : "Must be greater than or equal to ",
                 min->NumberText()));
    }
  }
  if (ex_min != nullptr && ex_min->is_number() && v.Compare(*ex_min) <= 0) {
    Add(r, path, "number_gt",
        Concat("Must be greater than ", ex_min->NumberText()));
  }
}

bool MatchesFormat(std::string_view format, std::string_view s) {
  if (format == "ipv4") {
    std::optional<IpAddress> ip = ParseIp(s);
    return ip && ip->v4 && s.find(':') == std::string_view::npos;
  }
  if (format == "ipv6") {
    return s.find(':') != std::string_view::npos && ParseIp(s).has_value();
  }
  if (format == "email") {
    size_t at = s.rfind('@');
    return at != std::string_view::npos && at > 0 && at + 1 < s.size();
  }
  if (format == "date-time") {
    static const RE2 re(
        R"(\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2}))");
    return RE2::FullMatch(std::string(s), re);
  }
  if (format == "date") {
    static const RE2 re(R"(\d{4}-\d{2}-\d{2})");
    return RE2::FullMatch(std::string(s), re);
  }
  if (format == "time") {
    static const RE2 re(R"(\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2}))");
    return RE2::FullMatch(std::string(s), re);
  }
  if (format == "uuid") {
    static const RE2 re(
        "(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    return RE2::FullMatch(std::string(s), re);
  }
  if (format == "regex") return RegexCache::GoRegex(s).ok();
  return true;  // Unknown formats are not checked.
}

void Validator::String(const Value& s, const Value& v,
                       std::vector<std::string>& path, Result* r) {
  size_t len = utf8::RuneCount(v.string());
  if (const Value* min = s.Find("minLength")) {
    int64_t n = 0;
    if (min->AsInt64(&n) && static_cast<int64_t>(len) < n) {
      Add(r, path, "string_gte",
          Concat("String length must be greater than or equal to ", n));
    }
  }
  if (const Value* max = s.Find("maxLength")) {
    int64_t n = 0;
    if (max->AsInt64(&n) && static_cast<int64_t>(len) > n) {
      Add(r, path, "string_lte",
          Concat("String length must be less than or equal to ", n));
    }
  }
  if (const Value* p = s.Find("pattern")) {
    absl::StatusOr<CompiledRegex> re = RegexCache::GoRegex(p->string());
    if (re.ok() && !RE2::PartialMatch(std::string(v.string()), **re)) {
      Add(r, path, "pattern",
          Concat("Does not match pattern '", p->string(), "'"));
    }
  }
  if (const Value* f = s.Find("format"); f != nullptr && f->is_string()) {
    if (!MatchesFormat(f->string(), v.string())) {
      Add(r, path, "format",
          Concat("Does not match format '", f->string(), "'"));
    }
  }
}

void Validator::Array(const Value& s, const Value& v,
                      std::vector<std::string>& path, Result* r, int depth) {
  absl::Span<const Value> elems = v.elements();
  auto at = [&](size_t i, const Value& sub) {
    path.push_back(std::to_string(i));
    Merge(r, Sub(sub, elems[i], path, depth));
    path.pop_back();
  };
  if (const Value* items = s.Find("items")) {
    if (!items->is_array()) {
      for (size_t i = 0; i < elems.size(); ++i) at(i, *items);
    } else {
      size_t n = items->size();
      for (size_t i = 0; i < n && i < elems.size(); ++i) {
        at(i, items->elements()[i]);
      }
      if (n < elems.size()) {
        if (const Value* extra = s.Find("additionalItems")) {
          if (extra->is_bool()) {
            if (!extra->boolean()) {
              Add(r, path, "array_no_additional_items",
                  "No additional items allowed on array");
            }
          } else {
            for (size_t i = n; i < elems.size(); ++i) at(i, *extra);
          }
        }
      }
    }
  }
  if (const Value* min = s.Find("minItems"); min && v.size() < min->AsDouble()) {
    Add(r, path, "array_min_items",
        Concat("Array must have at least ", min->NumberText(), " items"));
  }
  if (const Value* max = s.Find("maxItems"); max && v.size() > max->AsDouble()) {
    Add(r, path, "array_max_items",
        Concat("Array must have at most ", max->NumberText(), " items"));
  }
  if (const Value* u = s.Find("uniqueItems"); u && u->is_bool() && u->boolean()) {
    for (size_t j = 0; j < elems.size(); ++j) {
      for (size_t i = 0; i < j; ++i) {
        if (elems[i] == elems[j]) {
          Add(r, path, "unique",
              Concat("array items[", static_cast<int64_t>(i), ",",
                     static_cast<int64_t>(j), "] must be unique"));
          break;
        }
      }
    }
  }
  if (const Value* contains = s.Find("contains")) {
    std::optional<Result> best;
    bool ok = false;
    for (size_t i = 0; i < elems.size() && !ok; ++i) {
      path.push_back(std::to_string(i));
      Result res = Sub(*contains, elems[i], path, depth);
      path.pop_back();
      if (res.valid()) {
        ok = true;
      } else if (!best || res.score > best->score) {
        best = std::move(res);
      }
    }
    if (!ok) {
      Add(r, path, "contains", "At least one of the items must match");
      if (best) Merge(r, *best);
    }
  }
}

void Validator::Object(const Value& s, const Value& v,
                       std::vector<std::string>& path, Result* r, int depth) {
  if (const Value* max = s.Find("maxProperties");
      max && v.size() > max->AsDouble()) {
    Add(r, path, "array_max_properties",
        Concat("Must have at most ", max->NumberText(), " properties"));
  }
  if (const Value* min = s.Find("minProperties");
      min && v.size() < min->AsDouble()) {
    Add(r, path, "array_min_properties",
        Concat("Must have at least ", min->NumberText(), " properties"));
  }
  if (const Value* req = s.Find("required")) {
    for (const Value& name : req->elements()) {
      if (v.Find(name) == nullptr) {
        Add(r, path, "required", Concat(name.string(), " is required"));
      } else {
        ++r->score;
      }
    }
  }
  const Value* props = s.Find("properties");
  const Value* patterns = s.Find("patternProperties");
  const Value* additional = s.Find("additionalProperties");
  for (const auto& [key, val] : v.entries()) {
    std::string name = GoJsonKey(key);
    bool described = props != nullptr && props->Find(name) != nullptr;
    bool pattern_match = false;
    if (patterns != nullptr) {
      for (const auto& [pattern, sub] : patterns->entries()) {
        absl::StatusOr<CompiledRegex> re =
            RegexCache::GoRegex(pattern.string());
        if (re.ok() && RE2::PartialMatch(name, **re)) {
          pattern_match = true;
          path.push_back(name);
          Merge(r, Sub(sub, val, path, depth));
          path.pop_back();
        }
      }
    }
    if (!described && !pattern_match && additional != nullptr) {
      if (additional->is_bool()) {
        if (!additional->boolean()) {
          Add(r, path, "additional_property_not_allowed",
              Concat("Additional property ", name, " is not allowed"));
        }
      } else {
        path.push_back(name);
        Merge(r, Sub(*additional, val, path, depth));
        path.pop_back();
      }
    }
  }
  if (const Value* names = s.Find("propertyNames")) {
    for (const auto& [key, unused] : v.entries()) {
      std::string name = GoJsonKey(key);
      Result res = Sub(*names, Value::String(name), path, depth);
      if (!res.valid()) {
        Add(r, path, "invalid_property_name",
            Concat("Property name of \"", name, "\" does not match"));
        Merge(r, res);
      }
    }
  }
}

void Validator::Properties(const Value& s, const Value& v,
                           std::vector<std::string>& path, Result* r,
                           int depth) {
  if (const Value* props = s.Find("properties")) {
    for (const auto& [name, sub] : props->entries()) {
      const Value* val = v.Find(name);
      if (val == nullptr) continue;
      path.push_back(std::string(name.string()));
      Validate(sub, *val, path, r, depth + 1);
      path.pop_back();
    }
  }
}

// A schema or document operand: an object or array as is, or a string of
// JSON text.
absl::StatusOr<Value> Load(const Value& v) {
  if (v.is_string()) {
    absl::StatusOr<Value> parsed = ParseJson(v.string());
    if (!parsed.ok()) return absl::InvalidArgumentError("invalid JSON string");
    return parsed;
  }
  if (v.is_object() || v.is_array()) {
    // Sets and non-string keys become JSON first, as OPA converts them.
    POLICYD_ASSIGN_OR_RETURN(Value parsed, ParseJson(GoJsonMarshal(v)));
    return parsed;
  }
  return absl::InvalidArgumentError("wrong type, expected string or object");
}

BuiltinResult VerifySchemaBuiltin(BuiltinContext&,
                                  absl::Span<const Value> args) {
  absl::StatusOr<Value> schema = Load(args[0]);
  absl::Status status = schema.ok() ? VerifySchema(*schema) : schema.status();
  if (!status.ok()) {
    return std::optional<Value>(Value::Array(
        {Value::Bool(false),
         Value::String(Concat("jsonschema: ", MessageOf(status)))}));
  }
  return std::optional<Value>(Value::Array({Value::Bool(true), Value::Null()}));
}

BuiltinResult MatchSchema(BuiltinContext&, absl::Span<const Value> args) {
  static constexpr std::string_view kName = "json.match_schema";
  absl::StatusOr<Value> doc = Load(args[0]);
  if (!doc.ok()) return BuiltinError(kName, MessageOf(doc.status()));
  absl::StatusOr<Value> schema = Load(args[1]);
  if (!schema.ok()) return BuiltinError(kName, MessageOf(schema.status()));
  if (absl::Status s = VerifySchema(*schema); !s.ok()) {
    return BuiltinError(kName, MessageOf(s));
  }
  Result result;
  std::vector<std::string> path;
  Validator(*schema).Validate(*schema, *doc, path, &result);
  std::vector<Value> errors;
  for (const Violation& e : result.errors) {
    std::string field = e.field;
    errors.push_back(Value::Object(
        {{Value::String("error"),
          Value::String(Concat(field, ": ", e.description))},
         {Value::String("type"), Value::String(e.type)},
         {Value::String("field"), Value::String(field)},
         {Value::String("desc"), Value::String(e.description)}}));
  }
  return std::optional<Value>(Value::Array(
      {Value::Bool(result.valid()), Value::Array(std::move(errors))}));
}

}  // namespace

void RegisterJsonSchemaBuiltins(BuiltinRegistry& registry) {
  registry.Add(
      {.name = "json.verify_schema", .arity = 1, .fn = VerifySchemaBuiltin});
  registry.Add({.name = "json.match_schema", .arity = 2, .fn = MatchSchema});
}

}  // namespace policyd

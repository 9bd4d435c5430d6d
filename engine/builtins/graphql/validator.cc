#include "engine/builtins/graphql/validator.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/builtins/args.h"
#include "engine/builtins/go/quote.h"
#include "engine/builtins/graphql/overlap.h"

namespace policyd::graphql {

namespace {

bool IsComposite(const Definition& def) {
  return def.kind == "OBJECT" || def.kind == "INTERFACE" || def.kind == "UNION";
}
bool IsLeaf(const Definition& def) { return def.kind == "SCALAR" || def.kind == "ENUM"; }
bool IsInput(const Definition& def) {
  return def.kind == "SCALAR" || def.kind == "ENUM" || def.kind == "INPUT_OBJECT";
}
// Does the integer literal `raw` fit in `bits` bits, signed (Go's ParseInt)?
bool FitsSigned(const std::string& raw, int bits) {
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(raw.c_str(), &end, 10);
  if (errno == ERANGE || end == raw.c_str() || *end != '\0') return false;
  long long limit = bits == 64 ? LLONG_MAX : (1LL << (bits - 1)) - 1;
  return v <= limit && v >= -limit - 1;
}

bool OneOf(const std::string& s, std::initializer_list<std::string_view> names) {
  for (std::string_view n : names) {
    if (s == n) return true;
  }
  return false;
}

// ---- Suggestions ("Did you mean ...?") ----

// Edit distance with adjacent swaps; a difference in case only counts one.
int LexicalDistance(std::string a, std::string b) {
  if (a == b) return 0;
  for (char& c : a) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (char& c : b) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (a == b) return 1;
  std::vector<int> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// The options close enough to `input`, closest first.
std::vector<std::string> SuggestionList(const std::string& input,
                                        const std::vector<std::string>& options) {
  int threshold = std::max(1, static_cast<int>(input.size() * 4 / 10) + 1);
  std::vector<std::pair<int, std::string>> found;
  for (const std::string& o : options) {
    int d = LexicalDistance(input, o);
    if (d <= threshold) found.emplace_back(d, o);
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::string> out;
  for (auto& [d, o] : found) out.push_back(std::move(o));
  return out;
}

// "a", "a or b", "a, b, or c" (at most five items).
std::string OrList(std::vector<std::string> items) {
  if (items.size() > 5) items.resize(5);
  if (items.size() == 2) return items[0] + " or " + items[1];
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out.append(i + 1 == items.size() ? ", or " : ", ");
    out.append(items[i]);
  }
  return out;
}

std::string QuotedOrList(std::vector<std::string> items) {
  for (std::string& item : items) item = "\"" + item + "\"";
  return OrList(std::move(items));
}

// `message`, plus " PREFIX <the options close to `typed`>?" when there are any.
std::string WithSuggestions(std::string message, std::string_view prefix,
                            const std::string& typed, const std::vector<std::string>& options,
                            bool quoted = true) {
  std::vector<std::string> found = SuggestionList(typed, options);
  if (found.empty()) return message;
  std::string list = quoted ? QuotedOrList(std::move(found)) : OrList(std::move(found));
  return Concat(message, " ", prefix, " ", list, "?");
}

// gqlparser's Value.String(): GraphQL notation without spaces.
std::string ValueString(const Value& v) {
  switch (v.kind) {
    case ValueKind::kVariable: return "$" + v.raw;
    case ValueKind::kString:
    case ValueKind::kBlock: return GoQuote(v.raw);
    case ValueKind::kList: {
      std::string out = "[";
      for (size_t i = 0; i < v.children.size(); ++i) {
        if (i > 0) out.push_back(',');
        out.append(ValueString(v.children[i].value));
      }
      return out + "]";
    }
    case ValueKind::kObject: {
      std::string out = "{";
      for (size_t i = 0; i < v.children.size(); ++i) {
        if (i > 0) out.push_back(',');
        out.append(v.children[i].name).append(":").append(ValueString(v.children[i].value));
      }
      return out + "}";
    }
    default: return v.raw;
  }
}

// The context the walk gives a value: the type expected where it appears.
struct ValueContext {
  const Type* expected = nullptr;
  const Definition* def = nullptr;
  bool expected_has_default = false;
};

// A directive as the walk sees it.
struct DirectiveContext {
  const Directive* dir;
  const DirectiveDefinition* def;
  std::string location;
};

class Validator {
 public:
  Validator(const Schema& schema, const QueryDocument& doc)
      : schema_(schema), doc_(doc), overlap_(schema, doc) {}

  std::vector<Error> Run() {
    for (const OperationDefinition& op : doc_.operations) {
      walked_fragments_.clear();
      WalkOperation(op);
    }
    for (const FragmentDefinition& f : doc_.fragments) {
      walked_fragments_.clear();
      WalkFragment(f);
    }
    return std::move(errors_);
  }

 private:
  void Add(std::string message, Position pos) {
    errors_.push_back(Error{std::move(message), pos});
  }
  // OverlappingFieldsCanBeMerged
  void CheckOverlaps(const Definition* parent, const std::vector<Selection>& set) {
    for (Error& e : overlap_.Check(parent, set)) errors_.push_back(std::move(e));
  }
  const FragmentDefinition* FindFragment(const std::string& name) const {
    for (const FragmentDefinition& f : doc_.fragments) {
      if (f.name == name) return &f;
    }
    return nullptr;
  }
  const VariableDefinition* FindVariable(const std::string& name) const {
    if (op_ == nullptr) return nullptr;
    for (const VariableDefinition& v : op_->variable_definitions) {
      if (v.variable == name) return &v;
    }
    return nullptr;
  }
  // The object types a composite type may stand for (unions: their members).
  std::vector<const Definition*> PossibleTypes(const Definition& def) const {
    std::vector<const Definition*> out;
    if (def.kind == "UNION") {
      for (const std::string& t : def.types) out.push_back(schema_.Type(t));
      return out;
    }
    auto it = schema_.possible_types.find(def.name);
    if (it != schema_.possible_types.end()) {
      for (const std::string& t : it->second) out.push_back(schema_.Type(t));
    }
    return out;
  }

  void WalkOperation(const OperationDefinition& op);
  void WalkFragment(const FragmentDefinition& f);
  void WalkDirectives(const std::vector<Directive>& dirs, const std::string& location);
  void WalkValue(const Value& v, const ValueContext& ctx);
  void WalkArgument(const InputValueDefinition* def, const Argument& arg);
  void WalkSelections(const Definition* parent, const std::vector<Selection>& set);
  void WalkField(const Definition* parent, const Selection& field);
  void WalkInlineFragment(const Definition* parent, const Selection& frag);
  void WalkFragmentSpread(const Definition* parent, const Selection& spread);

  // Rules, grouped by the node they look at.
  void OnOperation(const OperationDefinition& op);
  void OnFragment(const FragmentDefinition& f);
  void OnVariable(const VariableDefinition& v);
  void OnDirective(const DirectiveContext& d);
  void OnDirectiveList(const std::vector<Directive>& dirs);
  void OnValue(const Value& v, const ValueContext& ctx);
  void OnField(const Definition* parent, const FieldDefinition* def, const Selection& field);
  void PossibleSpread(const Definition* parent, const std::string& type_name,
                      const std::string& message, Position pos);
  void ValueOfCorrectType(const Value& v, const ValueContext& ctx);
  std::string UnexpectedType(const Value& v, const ValueContext& ctx) const;
  void CollectFields(const std::vector<Selection>& set, std::set<std::string>* visited,
                     std::vector<const Selection*>* out) const;
  void FragmentCycles(const FragmentDefinition& f);

  const Schema& schema_;
  const QueryDocument& doc_;
  OverlapChecker overlap_;
  std::vector<Error> errors_;
  const OperationDefinition* op_ = nullptr;
  std::set<std::string> used_variables_;      // of op_
  std::set<std::string> walked_fragments_;    // spreads followed in this walk
  bool in_fragment_definitions_ = false;
  std::set<std::string> spread_in_operations_;
  std::set<std::string> seen_fragment_names_;
  std::set<std::string> seen_operation_names_;
  std::set<std::string> cycle_checked_;
};

void Validator::WalkOperation(const OperationDefinition& op) {
  op_ = &op;
  used_variables_.clear();
  for (const VariableDefinition& v : op.variable_definitions) OnVariable(v);
  const Definition* root = schema_.Root(op.operation.empty() ? "query" : op.operation);
  std::string location = op.operation == "mutation"       ? "MUTATION"
                         : op.operation == "subscription" ? "SUBSCRIPTION"
                                                          : "QUERY";
  for (const VariableDefinition& v : op.variable_definitions) {
    if (v.default_value) {
      ValueContext ctx{&v.type, schema_.Type(v.type.Name()), false};
      WalkValue(*v.default_value, ctx);
    }
    WalkDirectives(v.directives, "VARIABLE_DEFINITION");
  }
  WalkDirectives(op.directives, location);
  WalkSelections(root, op.selection_set);
  OnOperation(op);
  op_ = nullptr;
}

void Validator::WalkFragment(const FragmentDefinition& f) {
  in_fragment_definitions_ = true;
  const Definition* def = schema_.Type(f.type_condition);
  WalkDirectives(f.directives, "FRAGMENT_DEFINITION");
  WalkSelections(def, f.selection_set);
  OnFragment(f);
}

void Validator::WalkDirectives(const std::vector<Directive>& dirs,
                               const std::string& location) {
  for (const Directive& dir : dirs) {
    auto it = schema_.directives.find(dir.name);
    const DirectiveDefinition* def = it == schema_.directives.end() ? nullptr : &it->second;
    for (const Argument& arg : dir.arguments) {
      WalkArgument(def ? FindArgument(def->arguments, arg.name) : nullptr, arg);
    }
    OnDirective(DirectiveContext{&dir, def, location});
  }
  OnDirectiveList(dirs);
}

void Validator::WalkArgument(const InputValueDefinition* def, const Argument& arg) {
  ValueContext ctx;
  if (def != nullptr) {
    ctx.expected = &def->type;
    ctx.def = schema_.Type(def->type.Name());
    ctx.expected_has_default =
        def->default_value && def->default_value->kind != ValueKind::kNull;
  }
  WalkValue(arg.value, ctx);
}

void Validator::WalkValue(const Value& v, const ValueContext& ctx) {
  if (v.kind == ValueKind::kVariable && op_ != nullptr && FindVariable(v.raw) != nullptr) {
    used_variables_.insert(v.raw);
  }
  if (v.kind == ValueKind::kObject) {
    for (const ChildValue& child : v.children) {
      ValueContext child_ctx;
      if (ctx.def != nullptr) {
        if (const FieldDefinition* f = FindField(ctx.def->fields, child.name)) {
          child_ctx.expected = &f->type;
          child_ctx.def = schema_.Type(f->type.Name());
          child_ctx.expected_has_default =
              f->default_value && f->default_value->kind != ValueKind::kNull;
        }
      }
      WalkValue(child.value, child_ctx);
    }
  }
  if (v.kind == ValueKind::kList) {
    for (const ChildValue& child : v.children) {
      ValueContext child_ctx;
      if (ctx.expected != nullptr && ctx.expected->elem) {
        child_ctx.expected = ctx.expected->elem.get();
        child_ctx.def = ctx.def;
      }
      WalkValue(child.value, child_ctx);
    }
  }
  OnValue(v, ctx);
}

void Validator::WalkSelections(const Definition* parent, const std::vector<Selection>& set) {
  for (const Selection& s : set) {
    switch (s.kind) {
      case Selection::Kind::kField: WalkField(parent, s); break;
      case Selection::Kind::kInlineFragment: WalkInlineFragment(parent, s); break;
      case Selection::Kind::kFragmentSpread: WalkFragmentSpread(parent, s); break;
    }
  }
}

void Validator::WalkField(const Definition* parent, const Selection& field) {
  static const FieldDefinition* typename_field = [] {
    auto* f = new FieldDefinition();
    f->name = "__typename";
    f->type.named_type = "String";
    return f;
  }();
  const FieldDefinition* def = nullptr;
  if (field.name == "__typename") {
    def = typename_field;
  } else if (parent != nullptr) {
    def = FindField(parent->fields, field.name);
  }
  const Definition* next = def ? schema_.Type(def->type.Name()) : nullptr;
  for (const Argument& arg : field.arguments) {
    WalkArgument(def ? FindArgument(def->arguments, arg.name) : nullptr, arg);
  }
  WalkDirectives(field.directives, "FIELD");
  WalkSelections(next, field.selection_set);
  OnField(parent, def, field);
}

void Validator::WalkInlineFragment(const Definition* parent, const Selection& frag) {
  const Definition* next =
      frag.type_condition.empty() ? parent : schema_.Type(frag.type_condition);
  WalkDirectives(frag.directives, "INLINE_FRAGMENT");
  WalkSelections(next, frag.selection_set);

  // FragmentsOnCompositeTypes
  if (const Definition* t = schema_.Type(frag.type_condition); t != nullptr && !IsComposite(*t)) {
    Add(Concat("Fragment cannot condition on non composite type \"", frag.type_condition,
               "\"."),
        frag.pos);
  }
  // KnownTypeNames
  if (!frag.type_condition.empty() && schema_.Type(frag.type_condition) == nullptr) {
    Add(Concat("Unknown type \"", frag.type_condition, "\"."), frag.pos);
  }
  CheckOverlaps(next, frag.selection_set);
  // PossibleFragmentSpreads
  PossibleSpread(parent, frag.type_condition, "Fragment cannot be spread here", frag.pos);
}

void Validator::WalkFragmentSpread(const Definition* parent, const Selection& spread) {
  const FragmentDefinition* def = FindFragment(spread.name);
  const Definition* next = def ? schema_.Type(def->type_condition) : nullptr;
  WalkDirectives(spread.directives, "FRAGMENT_SPREAD");
  if (def != nullptr && walked_fragments_.insert(def->name).second) {
    WalkSelections(next, def->selection_set);
  }

  // KnownFragmentNames
  if (def == nullptr) Add(Concat("Unknown fragment \"", spread.name, "\"."), spread.pos);
  // NoUnusedFragments
  if (!in_fragment_definitions_) spread_in_operations_.insert(spread.name);
  // PossibleFragmentSpreads
  if (def != nullptr) {
    PossibleSpread(parent, def->type_condition,
                   Concat("Fragment \"", spread.name, "\" cannot be spread here"), spread.pos);
  }
}

void Validator::PossibleSpread(const Definition* parent, const std::string& type_name,
                               const std::string& message, Position pos) {
  if (parent == nullptr) return;
  std::vector<const Definition*> parents;
  if (parent->kind == "OBJECT") {
    parents.push_back(parent);
  } else if (parent->kind == "INTERFACE" || parent->kind == "UNION") {
    parents = PossibleTypes(*parent);
  } else {
    return;
  }
  const Definition* frag_type = schema_.Type(type_name);
  if (frag_type == nullptr || !IsComposite(*frag_type)) return;
  for (const Definition* f : PossibleTypes(*frag_type)) {
    for (const Definition* p : parents) {
      if (f != nullptr && p != nullptr && f->name == p->name) return;
    }
  }
  Add(Concat(message, " as objects of type \"", parent->name, "\" can never be of type \"",
             frag_type->name, "\"."),
      pos);
}

void Validator::OnVariable(const VariableDefinition& v) {
  // KnownTypeNames
  if (schema_.Type(v.type.Name()) == nullptr) {
    Add(Concat("Unknown type \"", v.type.Name(), "\"."), v.pos);
  }
}

void Validator::CollectFields(const std::vector<Selection>& set,
                              std::set<std::string>* visited,
                              std::vector<const Selection*>* out) const {
  for (const Selection& s : set) {
    if (s.kind == Selection::Kind::kField) {
      out->push_back(&s);
    } else if (s.kind == Selection::Kind::kInlineFragment) {
      CollectFields(s.selection_set, visited, out);
    } else if (const FragmentDefinition* f = FindFragment(s.name);
               f != nullptr && visited->insert(s.name).second) {
      CollectFields(f->selection_set, visited, out);
    }
  }
}

void Validator::OnOperation(const OperationDefinition& op) {
  // KnownRootType
  if (schema_.Root(op.operation.empty() ? "query" : op.operation) == nullptr) {
    Add(Concat("Schema does not support operation type \"", op.operation, "\""), op.pos);
  }
  // LoneAnonymousOperation
  if (op.name.empty() && doc_.operations.size() > 1) {
    Add("This anonymous operation must be the only defined operation.", op.pos);
  }
  // NoUnusedVariables
  for (const VariableDefinition& v : op.variable_definitions) {
    if (used_variables_.count(v.variable) > 0) continue;
    if (op.name.empty()) {
      Add(Concat("Variable \"$", v.variable, "\" is never used."), v.pos);
    } else {
      Add(Concat("Variable \"$", v.variable, "\" is never used in operation \"", op.name,
                 "\"."),
          v.pos);
    }
  }
  CheckOverlaps(schema_.Root(op.operation.empty() ? "query" : op.operation), op.selection_set);
  // SingleFieldSubscriptions
  if (op.operation == "subscription") {
    std::set<std::string> visited;
    std::vector<const Selection*> fields;
    CollectFields(op.selection_set, &visited, &fields);
    std::string who =
        op.name.empty() ? "Anonymous Subscription" : Concat("Subscription ", GoQuote(op.name));
    if (fields.size() > 1) Add(who + " must select only one top level field.", op.pos);
    for (const Selection* f : fields) {
      if (f->name.rfind("__", 0) == 0) {
        Add(who + " must not select an introspection top level field.", f->pos);
      }
    }
  }
  // UniqueOperationNames
  if (!seen_operation_names_.insert(op.name).second) {
    Add(Concat("There can be only one operation named \"", op.name, "\"."), op.pos);
  }
  // UniqueVariableNames
  std::set<std::string> seen;
  for (const VariableDefinition& v : op.variable_definitions) {
    if (!seen.insert(v.variable).second) {
      Add(Concat("There can be only one variable named \"$", v.variable, "\"."), v.pos);
    }
  }
  // VariablesAreInputTypes
  for (const VariableDefinition& v : op.variable_definitions) {
    const Definition* t = schema_.Type(v.type.Name());
    if (t != nullptr && !IsInput(*t)) {
      Add(Concat("Variable \"$", v.variable, "\" cannot be non-input type \"", v.type.String(),
                 "\"."),
          v.pos);
    }
  }
}

void Validator::FragmentCycles(const FragmentDefinition& start) {
  // Depth-first over spreads from `start`, reporting each cycle back to it.
  std::vector<std::string> path;
  std::set<std::string> on_path;
  std::function<void(const FragmentDefinition&)> visit = [&](const FragmentDefinition& f) {
    if (cycle_checked_.count(f.name) > 0) return;
    on_path.insert(f.name);
    std::vector<const Selection*> spreads;
    std::function<void(const std::vector<Selection>&)> gather =
        [&](const std::vector<Selection>& set) {
          for (const Selection& s : set) {
            if (s.kind == Selection::Kind::kFragmentSpread) spreads.push_back(&s);
            gather(s.selection_set);
          }
        };
    gather(f.selection_set);
    for (const Selection* s : spreads) {
      if (s->name == start.name) {
        std::string via;
        for (size_t i = 0; i < path.size(); ++i) {
          via.append(i > 0 ? ", " : "").append("\"" + path[i] + "\"");
        }
        Add(via.empty() ? Concat("Cannot spread fragment \"", start.name, "\" within itself.")
                        : Concat("Cannot spread fragment \"", start.name,
                                 "\" within itself via ", via, "."),
            s->pos);
        continue;
      }
      const FragmentDefinition* next = FindFragment(s->name);
      if (next == nullptr || on_path.count(next->name) > 0) continue;
      path.push_back(next->name);
      visit(*next);
      path.pop_back();
    }
    on_path.erase(f.name);
  };
  visit(start);
  cycle_checked_.insert(start.name);
}

void Validator::OnFragment(const FragmentDefinition& f) {
  const Definition* def = schema_.Type(f.type_condition);
  // FragmentsOnCompositeTypes
  if (def != nullptr && !f.type_condition.empty() && !IsComposite(*def)) {
    Add(Concat("Fragment \"", f.name, "\" cannot condition on non composite type \"",
               f.type_condition, "\"."),
        f.pos);
  }
  // KnownTypeNames
  if (def == nullptr) {
    std::vector<std::string> names;
    for (const auto& [name, t] : schema_.types) names.push_back(name);
    Add(WithSuggestions(Concat("Unknown type \"", f.type_condition, "\"."), "Did you mean",
                        f.type_condition, names),
        f.pos);
  }
  // NoFragmentCycles
  FragmentCycles(f);
  // NoUnusedFragments
  if (spread_in_operations_.count(f.name) == 0) {
    Add(Concat("Fragment \"", f.name, "\" is never used."), f.pos);
  }
  CheckOverlaps(def, f.selection_set);
  // UniqueFragmentNames
  if (!seen_fragment_names_.insert(f.name).second) {
    Add(Concat("There can be only one fragment named \"", f.name, "\"."), f.pos);
  }
}

void Validator::OnDirective(const DirectiveContext& d) {
  const Directive& dir = *d.dir;
  // KnownArgumentNames
  if (d.def != nullptr) {
    std::vector<std::string> names;
    for (const InputValueDefinition& a : d.def->arguments) names.push_back(a.name);
    for (const Argument& arg : dir.arguments) {
      if (FindArgument(d.def->arguments, arg.name) != nullptr) continue;
      Add(WithSuggestions(Concat("Unknown argument \"", arg.name, "\" on directive \"@",
                                 dir.name, "\"."),
                          "Did you mean", arg.name, names),
          dir.pos);
    }
  }
  // KnownDirectives
  if (d.def == nullptr) {
    Add(Concat("Unknown directive \"@", dir.name, "\"."), dir.pos);
  } else if (std::find(d.def->locations.begin(), d.def->locations.end(), d.location) ==
             d.def->locations.end()) {
    Add(Concat("Directive \"@", dir.name, "\" may not be used on ", d.location, "."), dir.pos);
  }
  // ProvidedRequiredArguments
  if (d.def != nullptr) {
    for (const InputValueDefinition& want : d.def->arguments) {
      if (!want.type.non_null || want.default_value) continue;
      bool given = false;
      for (const Argument& arg : dir.arguments) given = given || arg.name == want.name;
      if (!given) {
        Add(Concat("Directive \"@", dir.name, "\" argument \"", want.name, "\" of type \"",
                   want.type.String(), "\" is required, but it was not provided."),
            dir.pos);
      }
    }
  }
  // UniqueArgumentNames
  std::set<std::string> seen;
  for (const Argument& arg : dir.arguments) {
    if (!seen.insert(arg.name).second) {
      Add(Concat("There can be only one argument named \"", arg.name, "\"."), arg.pos);
    }
  }
}

void Validator::OnDirectiveList(const std::vector<Directive>& dirs) {
  // UniqueDirectivesPerLocation
  std::set<std::string> seen;
  for (const Directive& dir : dirs) {
    auto it = schema_.directives.find(dir.name);
    bool repeatable = it != schema_.directives.end() && it->second.is_repeatable;
    if (!seen.insert(dir.name).second && !repeatable) {
      Add(Concat("The directive \"@", dir.name, "\" can only be used once at this location."),
          dir.pos);
    }
  }
}

void Validator::OnField(const Definition* parent, const FieldDefinition* def,
                        const Selection& field) {
  // FieldsOnCorrectType
  if (parent != nullptr && def == nullptr) {
    std::string message =
        Concat("Cannot query field \"", field.name, "\" on type \"", parent->name, "\".");
    std::vector<std::string> types;
    std::map<std::string, int> interface_uses;
    if (parent->kind == "INTERFACE" || parent->kind == "UNION") {
      std::vector<std::string> objects;
      std::vector<std::string> interfaces;
      for (const Definition* t : PossibleTypes(*parent)) {
        if (t == nullptr || FindField(t->fields, field.name) == nullptr) continue;
        objects.push_back(t->name);
        for (const std::string& i : t->interfaces) {
          const Definition* it = schema_.Type(i);
          if (it == nullptr || FindField(it->fields, field.name) == nullptr) continue;
          if (interface_uses[i]++ == 0) interfaces.push_back(i);
        }
      }
      types = interfaces;
      types.insert(types.end(), objects.begin(), objects.end());
      std::stable_sort(types.begin(), types.end(), [&](const auto& a, const auto& b) {
        int ua = interface_uses.count(a) ? interface_uses.at(a) : 0;
        int ub = interface_uses.count(b) ? interface_uses.at(b) : 0;
        return ua != ub ? ua > ub : a < b;
      });
    }
    if (!types.empty()) {
      message += " Did you mean to use an inline fragment on " + QuotedOrList(types) + "?";
    } else if (parent->kind == "OBJECT" || parent->kind == "INTERFACE") {
      std::vector<std::string> names;
      for (const FieldDefinition& f : parent->fields) names.push_back(f.name);
      message = WithSuggestions(message, "Did you mean", field.name, names);
    }
    Add(message, field.pos);
  }
  // KnownArgumentNames
  if (def != nullptr && parent != nullptr) {
    std::vector<std::string> names;
    for (const InputValueDefinition& a : def->arguments) names.push_back(a.name);
    for (const Argument& arg : field.arguments) {
      if (FindArgument(def->arguments, arg.name) != nullptr) continue;
      Add(WithSuggestions(Concat("Unknown argument \"", arg.name, "\" on field \"",
                                 parent->name, ".", field.name, "\"."),
                          "Did you mean", arg.name, names),
          field.pos);
    }
  }
  // Within operations only: fragments get their own check.
  if (op_ != nullptr) {
    CheckOverlaps(def ? schema_.Type(def->type.Name()) : nullptr, field.selection_set);
  }
  // ProvidedRequiredArguments
  if (def != nullptr) {
    for (const InputValueDefinition& want : def->arguments) {
      if (!want.type.non_null || want.default_value) continue;
      bool given = false;
      for (const Argument& arg : field.arguments) given = given || arg.name == want.name;
      if (!given) {
        Add(Concat("Field \"", field.name, "\" argument \"", want.name, "\" of type \"",
                   want.type.String(), "\" is required, but it was not provided."),
            field.pos);
      }
    }
  }
  // ScalarLeafs
  if (def != nullptr) {
    if (const Definition* t = schema_.Type(def->type.Name())) {
      if (IsLeaf(*t) && !field.selection_set.empty()) {
        Add(Concat("Field \"", field.name, "\" must not have a selection since type \"",
                   t->name, "\" has no subfields."),
            field.pos);
      }
      if (!IsLeaf(*t) && field.selection_set.empty()) {
        Add(Concat("Field \"", field.name, "\" of type \"", def->type.String(),
                   "\" must have a selection of subfields. Did you mean \"", field.name,
                   " { ... }\"?"),
            field.pos);
      }
    }
  }
  // UniqueArgumentNames
  std::set<std::string> seen;
  for (const Argument& arg : field.arguments) {
    if (!seen.insert(arg.name).second) {
      Add(Concat("There can be only one argument named \"", arg.name, "\"."), arg.pos);
    }
  }
}

void Validator::OnValue(const Value& v, const ValueContext& ctx) {
  const VariableDefinition* var =
      v.kind == ValueKind::kVariable ? FindVariable(v.raw) : nullptr;
  // NoUndefinedVariables
  if (op_ != nullptr && v.kind == ValueKind::kVariable && var == nullptr) {
    if (op_->name.empty()) {
      Add(Concat("Variable \"", ValueString(v), "\" is not defined."), v.pos);
    } else {
      Add(Concat("Variable \"", ValueString(v), "\" is not defined by operation \"",
                 op_->name, "\"."),
          v.pos);
    }
  }
  // UniqueInputFieldNames
  if (v.kind == ValueKind::kObject) {
    std::set<std::string> seen;
    for (const ChildValue& c : v.children) {
      if (!seen.insert(c.name).second) {
        Add(Concat("There can be only one input field named \"", c.name, "\"."), c.pos);
      }
    }
  }
  ValueOfCorrectType(v, ctx);
  // VariablesInAllowedPosition
  if (var != nullptr && ctx.expected != nullptr && op_ != nullptr) {
    Type want = *ctx.expected;
    // A default (of the variable, or of the argument or field it fills)
    // stands in for null, so a nullable variable may go where a non-null
    // value is expected.
    if ((var->default_value && var->default_value->kind != ValueKind::kNull) ||
        ctx.expected_has_default) {
      want.non_null = false;
    }
    if (!IsCompatible(var->type, want)) {
      Add(Concat("Variable \"", ValueString(v), "\" of type \"", var->type.String(),
                 "\" used in position expecting type \"", ctx.expected->String(), "\"."),
          v.pos);
    }
  }
}

std::string Validator::UnexpectedType(const Value& v, const ValueContext& ctx) const {
  std::string want = ctx.expected->String();
  std::string shown = ValueString(v);
  if (want == "Int" || want == "Int!") {
    if (v.kind == ValueKind::kInt && !FitsSigned(v.raw, 32)) {
      return Concat("Int cannot represent non 32-bit signed integer value: ", shown);
    }
    return Concat("Int cannot represent non-integer value: ", shown);
  }
  if (want == "String" || want == "String!" || want == "[String]") {
    return Concat("String cannot represent a non string value: ", shown);
  }
  if (want == "Boolean" || want == "Boolean!") {
    return Concat("Boolean cannot represent a non boolean value: ", shown);
  }
  if (want == "Float" || want == "Float!") {
    return Concat("Float cannot represent non numeric value: ", shown);
  }
  if (want == "ID" || want == "ID!") {
    return Concat("ID cannot represent a non-string and non-integer value: ", shown);
  }
  if (ctx.def->kind == "ENUM") {
    return Concat("Enum \"", want, "\" cannot represent non-enum value: ", shown, ".");
  }
  return Concat("Expected value of type \"", want, "\", found ", shown, ".");
}

void Validator::ValueOfCorrectType(const Value& v, const ValueContext& ctx) {
  if (ctx.def == nullptr || ctx.expected == nullptr) return;
  const Definition& def = *ctx.def;
  if (v.kind == ValueKind::kNull && ctx.expected->non_null) {
    Add(Concat("Expected value of type \"", ctx.expected->String(), "\", found ",
               ValueString(v), "."),
        v.pos);
  }
  if (def.kind == "SCALAR" && !OneOf(def.name, {"Int", "Float", "String", "Boolean", "ID"})) {
    return;  // custom scalars validate their own values
  }
  std::vector<std::string> enum_names;
  for (const EnumValueDefinition& e : def.enum_values) enum_names.push_back(e.name);
  // An integer literal beyond 64 bits has no value at all.
  if (v.kind == ValueKind::kInt && !FitsSigned(v.raw, 64)) Add(UnexpectedType(v, ctx), v.pos);
  switch (v.kind) {
    case ValueKind::kNull:
    case ValueKind::kVariable:
      return;
    case ValueKind::kList:
      if (!ctx.expected->elem) Add(UnexpectedType(v, ctx), v.pos);
      return;
    case ValueKind::kInt:
      if (!OneOf(def.name, {"Int", "Float", "ID"})) Add(UnexpectedType(v, ctx), v.pos);
      return;
    case ValueKind::kFloat:
      if (def.name != "Float") Add(UnexpectedType(v, ctx), v.pos);
      return;
    case ValueKind::kString:
    case ValueKind::kBlock:
      if (def.kind == "ENUM") {
        Add(WithSuggestions(Concat("Enum \"", ctx.expected->String(),
                                   "\" cannot represent non-enum value: ", ValueString(v), "."),
                            "Did you mean the enum value", v.raw, enum_names),
            v.pos);
      } else if (!OneOf(def.name, {"String", "ID"})) {
        Add(UnexpectedType(v, ctx), v.pos);
      }
      return;
    case ValueKind::kEnum:
      if (def.kind != "ENUM") {
        Add(WithSuggestions(UnexpectedType(v, ctx), "Did you mean the enum value", v.raw,
                            enum_names, /*quoted=*/false),
            v.pos);
      } else {
        bool known = false;
        for (const std::string& n : enum_names) known = known || n == v.raw;
        if (!known) {
          Add(WithSuggestions(Concat("Value \"", v.raw, "\" does not exist in \"",
                                     ctx.expected->String(), "\" enum."),
                              "Did you mean the enum value", v.raw, enum_names),
              v.pos);
        }
      }
      return;
    case ValueKind::kBoolean:
      if (def.name != "Boolean") Add(UnexpectedType(v, ctx), v.pos);
      return;
    case ValueKind::kObject: {
      for (const FieldDefinition& f : def.fields) {
        if (!f.type.non_null || f.default_value) continue;
        bool given = false;
        for (const ChildValue& c : v.children) given = given || c.name == f.name;
        if (!given) {
          Add(Concat("Field \"", def.name, ".", f.name, "\" of required type \"",
                     f.type.String(), "\" was not provided."),
              v.pos);
        }
      }
      std::vector<std::string> names;
      for (const FieldDefinition& f : def.fields) names.push_back(f.name);
      for (const ChildValue& c : v.children) {
        if (FindField(def.fields, c.name) != nullptr) continue;
        Add(WithSuggestions(Concat("Field \"", c.name, "\" is not defined by type \"",
                                   def.name, "\"."),
                            "Did you mean", c.name, names),
            c.pos);
      }
      return;
    }
  }
}

}  // namespace

std::vector<Error> ValidateQuery(const Schema& schema, const QueryDocument& doc) {
  return Validator(schema, doc).Run();
}

}  // namespace policyd::graphql

#include "engine/builtins/graphql/overlap.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "engine/builtins/args.h"

namespace policyd::graphql {

namespace {

const FieldDefinition& TypenameField() {
  static const FieldDefinition* field = [] {
    auto* f = new FieldDefinition();
    f->name = "__typename";
    f->type.named_type = "String";
    return f;
  }();
  return *field;
}

// Arguments agree by name, kind and raw text (nested values are not
// compared, as in gqlparser).
bool SameArguments(const std::vector<Argument>& a, const std::vector<Argument>& b) {
  if (a.size() != b.size()) return false;
  for (const Argument& x : a) {
    bool found = false;
    for (const Argument& y : b) {
      if (x.name == y.name && x.value.kind == y.value.kind && x.value.raw == y.value.raw) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

}  // namespace

const FragmentDefinition* OverlapChecker::Fragment(const std::string& name) const {
  for (const FragmentDefinition& f : doc_.fragments) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

void OverlapChecker::Collect(const Definition* parent, const std::vector<Selection>& set,
                             FieldMap* map, std::vector<std::string>* spreads) const {
  for (const Selection& s : set) {
    switch (s.kind) {
      case Selection::Kind::kField: {
        const std::string& response = s.alias.empty() ? s.name : s.alias;
        const FieldDefinition* def = nullptr;
        if (s.name == "__typename") {
          def = &TypenameField();
        } else if (parent != nullptr) {
          def = FindField(parent->fields, s.name);
        }
        auto [it, inserted] = map->fields.try_emplace(response);
        if (inserted) map->order.push_back(response);
        it->second.push_back(Field{&s, parent, def});
        break;
      }
      case Selection::Kind::kInlineFragment:
        Collect(s.type_condition.empty() ? parent : schema_.Type(s.type_condition),
                s.selection_set, map, spreads);
        break;
      case Selection::Kind::kFragmentSpread:
        spreads->push_back(s.name);
        break;
    }
  }
}

bool OverlapChecker::TypesConflict(const Type& a, const Type& b) const {
  if (a.elem || b.elem) {
    if (a.elem && b.elem) return TypesConflict(*a.elem, *b.elem);
    return true;
  }
  if (a.non_null != b.non_null) return true;
  const Definition* ta = schema_.Type(a.named_type);
  const Definition* tb = schema_.Type(b.named_type);
  if (ta == nullptr || tb == nullptr) return false;
  auto leaf = [](const Definition* t) { return t->kind == "SCALAR" || t->kind == "ENUM"; };
  return leaf(ta) && leaf(tb) && ta->name != tb->name;
}

bool OverlapChecker::FindConflict(bool exclusive, const Field& a, const Field& b,
                                  Conflict* out) {
  if (a.def == nullptr || a.parent == nullptr || b.def == nullptr || b.parent == nullptr) {
    return false;
  }
  // Fields of two different object types never meet in one response.
  exclusive = exclusive || (a.parent->name != b.parent->name && a.parent->kind == "OBJECT" &&
                            b.parent->kind == "OBJECT");
  const Selection& fa = *a.selection;
  const Selection& fb = *b.selection;
  out->response_name = fa.alias.empty() ? fa.name : fa.alias;
  out->pos = fb.pos;
  if (!exclusive) {
    if (fa.name != fb.name) {
      out->reason = Concat(fa.name, " and ", fb.name, " are different fields");
      return true;
    }
    if (!SameArguments(fa.arguments, fb.arguments)) {
      out->reason = "they have differing arguments";
      return true;
    }
  }
  if (TypesConflict(a.def->type, b.def->type)) {
    out->reason = Concat("they return conflicting types ", a.def->type.String(), " and ",
                         b.def->type.String());
    return true;
  }
  out->subconflicts = BetweenSubselections(exclusive, a, b);
  return !out->subconflicts.empty();
}

void OverlapChecker::Within(const FieldMap& map, std::vector<Conflict>* out) {
  for (const std::string& name : map.order) {
    const std::vector<Field>& fields = map.fields.at(name);
    for (size_t i = 0; i < fields.size(); ++i) {
      for (size_t j = i + 1; j < fields.size(); ++j) {
        Conflict c;
        if (FindConflict(false, fields[i], fields[j], &c)) out->push_back(std::move(c));
      }
    }
  }
}

void OverlapChecker::Between(bool exclusive, const FieldMap& a, const FieldMap& b,
                             std::vector<Conflict>* out) {
  for (const std::string& name : a.order) {
    auto it = b.fields.find(name);
    if (it == b.fields.end()) continue;
    for (const Field& fa : a.fields.at(name)) {
      for (const Field& fb : it->second) {
        Conflict c;
        if (FindConflict(exclusive, fa, fb, &c)) out->push_back(std::move(c));
      }
    }
  }
}

void OverlapChecker::BetweenFieldsAndFragment(bool exclusive, const FieldMap& map,
                                              const std::string& fragment,
                                              std::vector<Conflict>* out) {
  if (!compared_fragments_.insert(fragment).second) return;
  const FragmentDefinition* f = Fragment(fragment);
  if (f == nullptr) return;
  FieldMap other;
  std::vector<std::string> spreads;
  Collect(schema_.Type(f->type_condition), f->selection_set, &other, &spreads);
  // A fragment's fields are not compared with themselves.
  bool same = map.order == other.order;
  for (size_t i = 0; same && i < map.order.size(); ++i) {
    const auto& x = map.fields.at(map.order[i]);
    const auto& y = other.fields.at(other.order[i]);
    same = x.size() == y.size();
    for (size_t j = 0; same && j < x.size(); ++j) same = x[j].selection == y[j].selection;
  }
  if (same) return;
  Between(exclusive, map, other, out);
  for (const std::string& s : spreads) {
    if (s != fragment) BetweenFieldsAndFragment(exclusive, map, s, out);
  }
}

void OverlapChecker::BetweenFragments(bool exclusive, const std::string& a,
                                      const std::string& b, std::vector<Conflict>* out) {
  if (a == b) return;
  // A pair compared as non-exclusive covers the exclusive comparison too.
  auto seen = compared_pairs_.find({a, b});
  if (seen != compared_pairs_.end() && (exclusive || !seen->second)) return;
  compared_pairs_[{a, b}] = exclusive;
  compared_pairs_[{b, a}] = exclusive;
  const FragmentDefinition* fa = Fragment(a);
  const FragmentDefinition* fb = Fragment(b);
  if (fa == nullptr || fb == nullptr) return;
  FieldMap map_a, map_b;
  std::vector<std::string> spreads_a, spreads_b;
  Collect(schema_.Type(fa->type_condition), fa->selection_set, &map_a, &spreads_a);
  Collect(schema_.Type(fb->type_condition), fb->selection_set, &map_b, &spreads_b);
  Between(exclusive, map_a, map_b, out);
  for (const std::string& s : spreads_b) BetweenFragments(exclusive, a, s, out);
  for (const std::string& s : spreads_a) BetweenFragments(exclusive, s, b, out);
}

std::vector<OverlapChecker::Conflict> OverlapChecker::BetweenSubselections(bool exclusive,
                                                                           const Field& a,
                                                                           const Field& b) {
  std::vector<Conflict> out;
  FieldMap map_a, map_b;
  std::vector<std::string> spreads_a, spreads_b;
  Collect(schema_.Type(a.def->type.Name()), a.selection->selection_set, &map_a, &spreads_a);
  Collect(schema_.Type(b.def->type.Name()), b.selection->selection_set, &map_b, &spreads_b);
  Between(exclusive, map_a, map_b, &out);
  for (const std::string& s : spreads_b) {
    compared_fragments_.clear();
    BetweenFieldsAndFragment(exclusive, map_a, s, &out);
  }
  for (const std::string& s : spreads_a) {
    compared_fragments_.clear();
    BetweenFieldsAndFragment(exclusive, map_b, s, &out);
  }
  for (const std::string& x : spreads_a) {
    for (const std::string& y : spreads_b) BetweenFragments(exclusive, x, y, &out);
  }
  return out;
}

namespace {

// The reason of a conflict: its own, or `subfields "x" conflict because ...`
// for each conflict among its subfields, joined by " and ".
template <typename C>
std::string Reason(const C& c) {
  if (c.subconflicts.empty()) return c.reason;
  std::string out;
  for (size_t i = 0; i < c.subconflicts.size(); ++i) {
    if (i > 0) out.append(" and ");
    out.append(Concat("subfields \"", c.subconflicts[i].response_name, "\" conflict because ",
                      Reason(c.subconflicts[i])));
  }
  return out;
}

}  // namespace

std::vector<Error> OverlapChecker::Check(const Definition* parent,
                                         const std::vector<Selection>& set) {
  std::vector<Error> errors;
  if (set.empty()) return errors;
  FieldMap map;
  std::vector<std::string> spreads;
  Collect(parent, set, &map, &spreads);
  std::vector<Conflict> conflicts;
  Within(map, &conflicts);
  compared_fragments_.clear();
  for (size_t i = 0; i < spreads.size(); ++i) {
    BetweenFieldsAndFragment(false, map, spreads[i], &conflicts);
    for (size_t j = i + 1; j < spreads.size(); ++j) {
      BetweenFragments(false, spreads[i], spreads[j], &conflicts);
    }
  }
  for (const Conflict& c : conflicts) {
    errors.push_back(Error{Concat("Fields \"", c.response_name, "\" conflict because ",
                                  Reason(c),
                                  ". Use different aliases on the fields to fetch both if "
                                  "this was intentional."),
                           c.pos});
  }
  return errors;
}

}  // namespace policyd::graphql

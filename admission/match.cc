#include "admission/match.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "admission/fields.h"
#include "util/status_macros.h"

namespace policyd::admission {
namespace {

bool Holds(const std::vector<std::string>& list, absl::string_view item) {
  return list.empty() ||
         std::find(list.begin(), list.end(), "*") != list.end() ||
         std::find(list.begin(), list.end(), item) != list.end();
}

bool AnyGlob(const std::vector<std::string>& patterns, absl::string_view s) {
  return std::any_of(patterns.begin(), patterns.end(),
                     [&](const std::string& p) { return GlobMatches(p, s); });
}

absl::StatusOr<std::vector<KindSelector>> ParseKinds(const Value* v) {
  std::vector<KindSelector> out;
  if (v == nullptr || v->is_null()) return out;
  if (!v->is_array()) return FieldError("spec.match.kinds", "expected a list");
  for (size_t i = 0; i < v->size(); ++i) {
    const Value& e = v->elements()[i];
    std::string at = absl::StrCat("spec.match.kinds[", i, "]");
    if (!e.is_object()) return FieldError(at, "expected an object");
    KindSelector k;
    POLICYD_ASSIGN_OR_RETURN(
        std::vector<std::string> groups,
        StringList(e.Find("apiGroups"), absl::StrCat(at, ".apiGroups")));
    POLICYD_ASSIGN_OR_RETURN(
        std::vector<std::string> kinds,
        StringList(e.Find("kinds"), absl::StrCat(at, ".kinds")));
    out.push_back({std::move(groups), std::move(kinds)});
  }
  return out;
}

absl::StatusOr<std::optional<LabelSelector>> ParseSelector(const Value& match,
                                                           const char* key) {
  const Value* v = match.Find(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  POLICYD_ASSIGN_OR_RETURN(
      LabelSelector s,
      ParseLabelSelector(*v, absl::StrCat("spec.match.", key)));
  return std::move(s);
}

// Sets `*out` to the value of the choice `v` names, leaving it alone when
// `v` is absent; the error lists the choices.
template <typename T>
absl::Status ParseChoice(
    const Value* v, absl::string_view key,
    std::initializer_list<std::pair<absl::string_view, T>> choices, T* out) {
  if (v == nullptr || v->is_null()) return absl::OkStatus();
  std::vector<std::string> names;
  for (const auto& [name, value] : choices) {
    if (v->is_string() &&
        v->string() == std::string_view(name.data(), name.size())) {
      *out = value;
      return absl::OkStatus();
    }
    names.push_back(absl::StrCat("\"", name, "\""));
  }
  std::string last = names.back();
  names.pop_back();
  return FieldError(
      absl::StrCat("spec.match.", key),
      absl::StrCat("expected ", absl::StrJoin(names, ", "), " or ", last));
}

const Value* Labels(const Value* object) {
  return object == nullptr ? nullptr : FieldAt(*object, {"metadata", "labels"});
}

}  // namespace

absl::StatusOr<Match> ParseMatch(const Value* v) {
  Match m;
  if (v == nullptr || v->is_null()) return m;
  if (!v->is_object()) return FieldError("spec.match", "expected an object");
  POLICYD_ASSIGN_OR_RETURN(std::vector<KindSelector> kinds,
                           ParseKinds(v->Find("kinds")));
  m.kinds = std::move(kinds);
  for (auto [key, list] :
       {std::pair{"namespaces", &m.namespaces},
        std::pair{"excludedNamespaces", &m.excluded_namespaces}}) {
    POLICYD_ASSIGN_OR_RETURN(
        std::vector<std::string> l,
        StringList(v->Find(key), absl::StrCat("spec.match.", key)));
    *list = std::move(l);
  }
  for (auto [key, selector] :
       {std::pair{"labelSelector", &m.label_selector},
        std::pair{"namespaceSelector", &m.namespace_selector}}) {
    POLICYD_ASSIGN_OR_RETURN(std::optional<LabelSelector> s,
                             ParseSelector(*v, key));
    *selector = std::move(s);
  }
  if (const Value* name = v->Find("name");
      name != nullptr && !name->is_null()) {
    if (!name->is_string())
      return FieldError("spec.match.name", "expected a string");
    m.name = std::string(name->string());
  }
  POLICYD_RETURN_IF_ERROR(
      ParseChoice<Match::Scope>(v->Find("scope"), "scope",
                                {{"*", Match::Scope::kAll},
                                 {"Namespaced", Match::Scope::kNamespaced},
                                 {"Cluster", Match::Scope::kCluster}},
                                &m.scope));
  POLICYD_RETURN_IF_ERROR(
      ParseChoice<Match::Source>(v->Find("source"), "source",
                                 {{"All", Match::Source::kAll},
                                  {"Original", Match::Source::kOriginal},
                                  {"Generated", Match::Source::kGenerated}},
                                 &m.source));
  return m;
}

MatchTarget TargetOf(const Value& request, const Value& inventory) {
  MatchTarget t;
  t.group = StringAt(request, {"kind", "group"});
  t.kind = StringAt(request, {"kind", "kind"});
  t.namespace_name = StringAt(request, {"namespace"});
  const Value* object = FieldAt(request, {"object"});
  if (object == nullptr || !object->is_object()) {
    object = FieldAt(request, {"oldObject"});
  }
  if (object != nullptr && !object->is_object()) object = nullptr;
  t.name = StringAt(request, {"name"});
  if (t.name.empty() && object != nullptr) {
    t.name = StringAt(*object, {"metadata", "name"});
  }
  if (t.namespace_name.empty() && object != nullptr) {
    t.namespace_name = StringAt(*object, {"metadata", "namespace"});
  }
  t.labels = Labels(object);
  t.is_namespace = t.group.empty() && t.kind == "Namespace";
  if (t.is_namespace) {
    t.namespace_name.clear();
  } else if (!t.namespace_name.empty()) {
    t.namespace_object =
        FieldAt(inventory, {"cluster", "v1", "Namespace", t.namespace_name});
  }
  return t;
}

absl::StatusOr<bool> Matches(const Match& m, const MatchTarget& t) {
  if (!m.kinds.empty() &&
      std::none_of(m.kinds.begin(), m.kinds.end(), [&](const KindSelector& k) {
        return Holds(k.api_groups, t.group) && Holds(k.kinds, t.kind);
      })) {
    return false;
  }
  bool cluster_scoped = t.namespace_name.empty();
  if (m.scope == Match::Scope::kNamespaced && cluster_scoped) return false;
  if (m.scope == Match::Scope::kCluster && !cluster_scoped) return false;
  if (m.source != Match::Source::kAll && m.source != t.source) return false;
  if (!m.name.empty() && !GlobMatches(m.name, t.name)) return false;
  // The namespace a Namespace object stands for is itself.
  const std::string& ns = t.is_namespace ? t.name : t.namespace_name;
  bool has_namespace = t.is_namespace || !cluster_scoped;
  if (has_namespace && !m.namespaces.empty() && !AnyGlob(m.namespaces, ns)) {
    return false;
  }
  if (has_namespace && AnyGlob(m.excluded_namespaces, ns)) return false;
  if (m.label_selector.has_value() &&
      !SelectorMatches(*m.label_selector, t.labels)) {
    return false;
  }
  if (m.namespace_selector.has_value() && has_namespace) {
    const Value* labels = t.labels;
    if (!t.is_namespace) {
      if (t.namespace_object == nullptr) {
        return absl::FailedPreconditionError(
            absl::StrCat("namespaceSelector: namespace \"", ns,
                         "\" is not in the inventory "
                         "(data.inventory.cluster.v1.Namespace)"));
      }
      labels = Labels(t.namespace_object);
    }
    if (!SelectorMatches(*m.namespace_selector, labels)) return false;
  }
  return true;
}

}  // namespace policyd::admission

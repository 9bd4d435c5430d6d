#include "admission/policy_set.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "admission/fields.h"
#include "admission/match.h"
#include "admission/parameter_schema.h"

namespace policyd::admission {
namespace {

absl::Status ObjectError(const ObjectSource& o, const absl::Status& s) {
  return absl::Status(
      s.code(),
      absl::StrCat(o.file, ": ", ObjectLabel(o.object), ": ", s.message()));
}

}  // namespace

bool PolicySet::IsGatekeeperObject(const Value& object) {
  std::string api_version = StringAt(object, {"apiVersion"});
  return IsTemplateApiVersion(api_version) ||
         IsConstraintApiVersion(api_version);
}

absl::StatusOr<std::shared_ptr<const PolicySet>> PolicySet::Build(
    const std::vector<ObjectSource>& objects, const Value& inventory) {
  auto set = std::make_shared<PolicySet>();
  set->inventory_ = inventory.is_null() ? Value::Object({}) : inventory;
  for (const ObjectSource& o : objects) {
    if (!IsTemplateApiVersion(StringAt(o.object, {"apiVersion"}))) continue;
    if (StringAt(o.object, {"kind"}) != "ConstraintTemplate") {
      return ObjectError(o, absl::InvalidArgumentError(
                                "templates.gatekeeper.sh objects must be of "
                                "kind ConstraintTemplate"));
    }
    absl::StatusOr<ConstraintTemplate> parsed =
        ParseConstraintTemplate(o.object, o.file);
    if (!parsed.ok()) return ObjectError(o, parsed.status());
    if (!parsed->schema.is_null()) {
      if (absl::Status s = CheckParameterSchema(parsed->schema); !s.ok()) {
        return ObjectError(o, s);
      }
    }
    if (set->templates_.count(parsed->kind) != 0) {
      return ObjectError(
          o, absl::AlreadyExistsError(absl::StrCat(
                 "kind ", parsed->kind, " is defined again (first in ",
                 set->templates_[parsed->kind]->source().file, ")")));
    }
    for (const std::string& w : parsed->warnings) {
      set->warnings_.push_back(
          absl::StrCat(o.file, ": ", ObjectLabel(o.object), ": ", w));
    }
    absl::StatusOr<std::shared_ptr<const CompiledTemplate>> compiled =
        CompiledTemplate::Compile(*parsed, set->inventory_);
    if (!compiled.ok()) return ObjectError(o, compiled.status());
    set->templates_[parsed->kind] = *std::move(compiled);
  }
  for (const ObjectSource& o : objects) {
    std::string api_version = StringAt(o.object, {"apiVersion"});
    if (IsTemplateApiVersion(api_version)) continue;
    if (!IsConstraintApiVersion(api_version)) {
      return ObjectError(o, absl::InvalidArgumentError(absl::StrCat(
                                "apiVersion \"", api_version,
                                "\" is not a Gatekeeper template or "
                                "constraint")));
    }
    absl::StatusOr<Constraint> c = ParseConstraint(o.object, o.file);
    if (!c.ok()) return ObjectError(o, c.status());
    auto t = set->templates_.find(c->kind);
    if (t == set->templates_.end()) {
      return ObjectError(
          o, absl::NotFoundError(
                 absl::StrCat("no ConstraintTemplate defines kind ", c->kind)));
    }
    const Value& schema = t->second->source().schema;
    if (!schema.is_null()) {
      if (absl::Status s = ValidateParameters(schema, c->parameters); !s.ok()) {
        return ObjectError(o, s);
      }
    }
    for (const Entry& e : set->constraints_) {
      if (e.constraint.kind == c->kind && e.constraint.name == c->name) {
        return ObjectError(
            o, absl::AlreadyExistsError(absl::StrCat("defined again (first in ",
                                                     e.constraint.file, ")")));
      }
    }
    set->constraints_.push_back({*std::move(c), t->second});
  }
  std::sort(set->constraints_.begin(), set->constraints_.end(),
            [](const Entry& a, const Entry& b) {
              return std::tie(a.constraint.kind, a.constraint.name) <
                     std::tie(b.constraint.kind, b.constraint.name);
            });
  return set;
}

void PolicySet::Collect(
    const Value& request, const EvalOptions& options, bool webhook,
    std::vector<std::pair<const Entry*, ReviewResult>>* out) const {
  MatchTarget target = TargetOf(request, inventory_);
  const Value review_key = Value::String("review");
  const Value parameters_key = Value::String("parameters");
  for (const Entry& e : constraints_) {
    const Constraint& c = e.constraint;
    if (webhook && c.actions.empty()) continue;
    absl::StatusOr<bool> matches = Matches(c.match, target);
    if (!matches.ok()) {
      out->push_back(
          {&e, {&c, std::string(matches.status().message()), Value(), true}});
      continue;
    }
    if (!*matches) continue;
    Value input =
        Value::Object({{parameters_key, c.parameters}, {review_key, request}});
    absl::StatusOr<std::vector<Violation>> violations =
        e.tmpl->Violations(input, options);
    if (!violations.ok()) {
      out->push_back(
          {&e,
           {&c, std::string(violations.status().message()), Value(), true}});
      continue;
    }
    for (Violation& v : *violations) {
      out->push_back(
          {&e, {&c, std::move(v.message), std::move(v.details), false}});
    }
  }
}

Decision PolicySet::Review(const Value& request,
                           const EvalOptions& options) const {
  std::vector<std::pair<const Entry*, ReviewResult>> results;
  Collect(request, options, /*webhook=*/true, &results);
  Decision d;
  for (auto& [entry, result] : results) {
    for (Action action : entry->constraint.actions) {
      switch (action) {
        case Action::kDeny:
          d.allowed = false;
          d.deny.push_back(result);
          break;
        case Action::kWarn:
          d.warn.push_back(result);
          break;
        case Action::kDryrun:
          d.dryrun.push_back(result);
          break;
      }
    }
  }
  return d;
}

std::vector<ReviewResult> PolicySet::Audit(const Value& request,
                                           const EvalOptions& options) const {
  std::vector<std::pair<const Entry*, ReviewResult>> results;
  Collect(request, options, /*webhook=*/false, &results);
  std::vector<ReviewResult> out;
  for (auto& [entry, result] : results) out.push_back(std::move(result));
  return out;
}

}  // namespace policyd::admission

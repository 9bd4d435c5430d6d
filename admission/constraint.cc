#include "admission/constraint.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "admission/fields.h"
#include "util/status_macros.h"

namespace policyd::admission {
namespace {

absl::StatusOr<Action> ParseAction(absl::string_view text,
                                   absl::string_view field) {
  if (text == "deny") return Action::kDeny;
  if (text == "warn") return Action::kWarn;
  if (text == "dryrun") return Action::kDryrun;
  return FieldError(field, absl::StrCat("unknown enforcement action \"", text,
                                        "\" (deny, warn, dryrun, scoped)"));
}

absl::StatusOr<std::vector<Action>> ScopedActions(const Value* scoped) {
  constexpr absl::string_view kField = "spec.scopedEnforcementActions";
  std::vector<Action> out;
  if (scoped == nullptr || !scoped->is_array() || scoped->size() == 0) {
    return FieldError(kField,
                      "enforcementAction \"scoped\" needs a non-empty list");
  }
  for (size_t i = 0; i < scoped->size(); ++i) {
    const Value& entry = scoped->elements()[i];
    std::string at = absl::StrCat(kField, "[", i, "]");
    if (!entry.is_object()) return FieldError(at, "expected an object");
    POLICYD_ASSIGN_OR_RETURN(
        Action action,
        ParseAction(StringAt(entry, {"action"}), absl::StrCat(at, ".action")));
    const Value* points = entry.Find("enforcementPoints");
    if (points == nullptr || !points->is_array()) {
      return FieldError(absl::StrCat(at, ".enforcementPoints"),
                        "expected a list of {name: ...}");
    }
    bool here =
        std::any_of(points->elements().begin(), points->elements().end(),
                    [](const Value& p) {
                      std::string name = StringAt(p, {"name"});
                      return name == "*" || name == kWebhookEnforcementPoint;
                    });
    if (here && std::find(out.begin(), out.end(), action) == out.end()) {
      out.push_back(action);
    }
  }
  return out;
}

}  // namespace

absl::string_view ActionName(Action action) {
  switch (action) {
    case Action::kDeny:
      return "deny";
    case Action::kWarn:
      return "warn";
    case Action::kDryrun:
      return "dryrun";
  }
  return "deny";
}

bool IsConstraintApiVersion(absl::string_view api_version) {
  return absl::StartsWith(api_version, "constraints.gatekeeper.sh/");
}

absl::StatusOr<Constraint> ParseConstraint(const Value& object,
                                           absl::string_view file) {
  Constraint c;
  c.file = std::string(file);
  c.kind = StringAt(object, {"kind"});
  c.name = StringAt(object, {"metadata", "name"});
  if (c.kind.empty()) return FieldError("kind", "is required");
  if (c.name.empty()) return FieldError("metadata.name", "is required");
  const Value* spec = object.Find("spec");
  if (spec != nullptr && !spec->is_null() && !spec->is_object()) {
    return FieldError("spec", "expected an object");
  }
  static const Value kEmpty = Value::Object({});
  if (spec == nullptr || spec->is_null()) spec = &kEmpty;
  POLICYD_ASSIGN_OR_RETURN(Match match, ParseMatch(spec->Find("match")));
  c.match = std::move(match);
  const Value* parameters = spec->Find("parameters");
  c.parameters =
      parameters == nullptr || parameters->is_null() ? kEmpty : *parameters;
  const Value* action = spec->Find("enforcementAction");
  std::string text = action == nullptr || action->is_null() ? "deny"
                     : action->is_string() ? std::string(action->string())
                                           : "";
  if (text == "scoped") {
    POLICYD_ASSIGN_OR_RETURN(
        std::vector<Action> actions,
        ScopedActions(spec->Find("scopedEnforcementActions")));
    c.actions = std::move(actions);
  } else {
    POLICYD_ASSIGN_OR_RETURN(Action a,
                             ParseAction(text, "spec.enforcementAction"));
    c.actions = {a};
  }
  return c;
}

}  // namespace policyd::admission

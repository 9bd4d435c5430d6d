#include "admission/label_selector.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "admission/fields.h"
#include "util/status_macros.h"

namespace policyd::admission {
namespace {

using Op = LabelRequirement::Op;

absl::StatusOr<Op> ParseOp(absl::string_view text, absl::string_view field) {
  if (text == "In") return Op::kIn;
  if (text == "NotIn") return Op::kNotIn;
  if (text == "Exists") return Op::kExists;
  if (text == "DoesNotExist") return Op::kDoesNotExist;
  return FieldError(field,
                    absl::StrCat("unknown operator \"", text,
                                 "\" (In, NotIn, Exists, DoesNotExist)"));
}

}  // namespace

absl::StatusOr<LabelSelector> ParseLabelSelector(const Value& v,
                                                 absl::string_view field) {
  LabelSelector out;
  if (v.is_null()) return out;
  if (!v.is_object()) return FieldError(field, "expected an object");
  if (const Value* labels = v.Find("matchLabels");
      labels != nullptr && !labels->is_null()) {
    std::string at = absl::StrCat(field, ".matchLabels");
    if (!labels->is_object()) return FieldError(at, "expected an object");
    for (const auto& [key, value] : labels->entries()) {
      if (!value.is_string()) {
        return FieldError(absl::StrCat(at, ".", std::string(key.string())),
                          "expected a string");
      }
      out.requirements.push_back(
          {std::string(key.string()), Op::kIn, {std::string(value.string())}});
    }
  }
  const Value* exprs = v.Find("matchExpressions");
  if (exprs == nullptr || exprs->is_null()) return out;
  std::string at = absl::StrCat(field, ".matchExpressions");
  if (!exprs->is_array()) return FieldError(at, "expected a list");
  for (size_t i = 0; i < exprs->size(); ++i) {
    const Value& e = exprs->elements()[i];
    std::string item = absl::StrCat(at, "[", i, "]");
    if (!e.is_object()) return FieldError(item, "expected an object");
    LabelRequirement r;
    r.key = StringAt(e, {"key"});
    if (r.key.empty()) return FieldError(item, "key is required");
    POLICYD_ASSIGN_OR_RETURN(Op op, ParseOp(StringAt(e, {"operator"}),
                                            absl::StrCat(item, ".operator")));
    r.op = op;
    POLICYD_ASSIGN_OR_RETURN(
        std::vector<std::string> values,
        StringList(e.Find("values"), absl::StrCat(item, ".values")));
    r.values = std::move(values);
    bool needs_values = r.op == Op::kIn || r.op == Op::kNotIn;
    if (needs_values && r.values.empty()) {
      return FieldError(item, "operators In and NotIn need values");
    }
    if (!needs_values && !r.values.empty()) {
      return FieldError(item,
                        "operators Exists and DoesNotExist take no values");
    }
    out.requirements.push_back(std::move(r));
  }
  return out;
}

bool SelectorMatches(const LabelSelector& selector, const Value* labels) {
  for (const LabelRequirement& r : selector.requirements) {
    const Value* value = labels != nullptr && labels->is_object()
                             ? labels->Find(r.key)
                             : nullptr;
    bool present = value != nullptr && value->is_string();
    bool listed = present && std::find(r.values.begin(), r.values.end(),
                                       value->string()) != r.values.end();
    bool ok = false;
    switch (r.op) {
      case Op::kIn:
        ok = listed;
        break;
      case Op::kNotIn:
        ok = !listed;
        break;
      case Op::kExists:
        ok = present;
        break;
      case Op::kDoesNotExist:
        ok = !present;
        break;
    }
    if (!ok) return false;
  }
  return true;
}

}  // namespace policyd::admission

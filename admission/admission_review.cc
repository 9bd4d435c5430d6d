#include "admission/admission_review.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "admission/fields.h"
#include "engine/value/json.h"

namespace policyd::admission {
namespace {

absl::Status ReviewError(absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("malformed AdmissionReview: ", what));
}

Value Str(std::string_view s) { return Value::String(s); }

}  // namespace

absl::StatusOr<AdmissionReview> ParseAdmissionReview(std::string_view json) {
  absl::StatusOr<Value> doc = ParseJson(json);
  if (!doc.ok()) return ReviewError(doc.status().message());
  if (!doc->is_object()) return ReviewError("expected a JSON object");
  AdmissionReview out;
  out.api_version = StringAt(*doc, {"apiVersion"});
  if (out.api_version != "admission.k8s.io/v1" &&
      out.api_version != "admission.k8s.io/v1beta1") {
    return ReviewError("apiVersion must be admission.k8s.io/v1");
  }
  if (StringAt(*doc, {"kind"}) != "AdmissionReview") {
    return ReviewError("kind must be AdmissionReview");
  }
  const Value* request = doc->Find("request");
  if (request == nullptr || !request->is_object()) {
    return ReviewError("request: expected an object");
  }
  out.uid = StringAt(*request, {"uid"});
  if (out.uid.empty()) return ReviewError("request.uid: expected a string");
  const Value* kind = request->Find("kind");
  if (kind == nullptr || !kind->is_object() ||
      StringAt(*kind, {"kind"}).empty()) {
    return ReviewError("request.kind: expected {group, version, kind}");
  }
  if (StringAt(*request, {"operation"}).empty()) {
    return ReviewError("request.operation: expected a string");
  }
  for (const char* field : {"object", "oldObject", "userInfo"}) {
    const Value* v = request->Find(field);
    if (v != nullptr && !v->is_null() && !v->is_object()) {
      return ReviewError(
          absl::StrCat("request.", field, ": expected an object"));
    }
  }
  out.request = *request;
  return out;
}

std::vector<std::string> ResultMessages(
    const std::vector<ReviewResult>& results) {
  std::vector<std::string> out;
  out.reserve(results.size());
  for (const ReviewResult& r : results) {
    out.push_back(absl::StrCat("[", r.constraint->name, "] ", r.message));
  }
  return out;
}

Value AdmissionResponse(const AdmissionReview& review,
                        const Decision& decision) {
  std::vector<ObjectEntry> response = {
      {Str("uid"), Str(review.uid)},
      {Str("allowed"), Value::Bool(decision.allowed)}};
  if (!decision.allowed) {
    response.emplace_back(
        Str("status"),
        Value::Object(
            {{Str("code"), Value::Int(403)},
             {Str("reason"), Str("Forbidden")},
             {Str("message"),
              Str(absl::StrJoin(ResultMessages(decision.deny), "\n"))}}));
  }
  if (!decision.warn.empty()) {
    std::vector<Value> warnings;
    for (std::string& m : ResultMessages(decision.warn)) {
      warnings.push_back(Str(m));
    }
    response.emplace_back(Str("warnings"), Value::Array(std::move(warnings)));
  }
  return Value::Object({{Str("apiVersion"), Str(review.api_version)},
                        {Str("kind"), Str("AdmissionReview")},
                        {Str("response"), Value::Object(std::move(response))}});
}

Value RequestForObject(const Value& object, std::string_view operation) {
  std::string api_version = StringAt(object, {"apiVersion"});
  std::pair<std::string, std::string> gv =
      api_version.find('/') == std::string::npos
          ? std::pair<std::string, std::string>{"", api_version}
          : std::pair<std::string, std::string>(
                absl::StrSplit(api_version, absl::MaxSplits('/', 1)));
  std::vector<ObjectEntry> request = {
      {Str("kind"),
       Value::Object({{Str("group"), Str(gv.first)},
                      {Str("version"), Str(gv.second)},
                      {Str("kind"), Str(StringAt(object, {"kind"}))}})},
      {Str("name"), Str(StringAt(object, {"metadata", "name"}))},
      {Str("namespace"), Str(StringAt(object, {"metadata", "namespace"}))},
      {Str("operation"), Str(operation)},
      {Str("object"), object},
      {Str("oldObject"), Value()},
      {Str("dryRun"), Value::Bool(false)},
      {Str("userInfo"), Value::Object({})},
      {Str("uid"), Str("")}};
  return Value::Object(std::move(request));
}

}  // namespace policyd::admission

#include "admission/suite.h"

#include <filesystem>
#include <memory>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "admission/admission_review.h"
#include "admission/fields.h"
#include "admission/inventory.h"
#include "admission/objects.h"
#include "admission/policy_set.h"
#include "re2/re2.h"
#include "util/status_macros.h"

namespace policyd::admission {
namespace {

// A runaway suite (or a directory of them) stops here.
constexpr size_t kMaxCases = 100000;
// Time for one case's evaluation.
constexpr absl::Duration kCaseDeadline = absl::Seconds(10);

struct Paths {
  std::filesystem::path dir;
  absl::StatusOr<std::vector<ObjectSource>> Read(const Value* field,
                                                 absl::string_view what) const {
    if (field == nullptr || !field->is_string() || field->string().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, ": expected a file path"));
    }
    return ReadObjects((dir / std::string(field->string())).string());
  }
};

// What one assertion expects: a count, or "at least one".
struct Expectation {
  bool at_least_one = false;
  int64_t count = 0;
  std::string message;  // regex; empty: any
};

absl::StatusOr<Expectation> ParseAssertion(const Value& a, std::string at) {
  Expectation e;
  const Value* v = a.is_object() ? a.Find("violations") : nullptr;
  if (v == nullptr) {
    return FieldError(at, "expected `violations: yes|no|N`");
  }
  if ((v->is_string() && v->string() == "yes") || *v == Value::Bool(true)) {
    e.at_least_one = true;
  } else if ((v->is_string() && v->string() == "no") ||
             *v == Value::Bool(false)) {
    e.count = 0;
  } else if (!v->is_number() || !v->AsInt64(&e.count) || e.count < 0) {
    return FieldError(absl::StrCat(at, ".violations"),
                      "expected yes, no or a count");
  }
  e.message = StringAt(a, {"message"});
  return e;
}

// "" when every assertion of `c` holds for `results`; else why not.
absl::StatusOr<std::string> CheckAssertions(
    const Value& c, const std::vector<ReviewResult>& results) {
  const Value* assertions = c.Find("assertions");
  if (assertions == nullptr || !assertions->is_array()) {
    return FieldError("assertions", "expected a list");
  }
  std::vector<std::string> failures;
  for (size_t i = 0; i < assertions->size(); ++i) {
    POLICYD_ASSIGN_OR_RETURN(
        Expectation e, ParseAssertion(assertions->elements()[i],
                                      absl::StrCat("assertions[", i, "]")));
    RE2 re(e.message);
    if (!re.ok()) {
      return FieldError(absl::StrCat("assertions[", i, "].message"),
                        re.error());
    }
    int64_t n = 0;
    for (const ReviewResult& r : results) {
      if (e.message.empty() || RE2::PartialMatch(r.message, re)) ++n;
    }
    bool ok = e.at_least_one ? n > 0 : n == e.count;
    if (!ok) {
      failures.push_back(absl::StrCat(
          "expected ", e.at_least_one ? "at least 1" : absl::StrCat(e.count),
          " violation(s)",
          e.message.empty() ? ""
                            : absl::StrCat(" matching \"", e.message, "\""),
          ", got ", n));
    }
  }
  if (!failures.empty() && !results.empty()) {
    failures.push_back(absl::StrCat(
        "violations: ", absl::StrJoin(ResultMessages(results), "; ")));
  }
  return absl::StrJoin(failures, "; ");
}

// "" when case `c` passes; else why not.
std::string RunCase(const Paths& paths, const std::vector<ObjectSource>& policy,
                    const Value& c) {
  absl::StatusOr<std::vector<ObjectSource>> object =
      paths.Read(c.Find("object"), "object");
  if (!object.ok()) return std::string(object.status().message());
  if (object->empty()) return "object: the file holds no object";
  std::vector<ObjectSource> inventory_objects;
  if (const Value* inv = c.Find("inventory");
      inv != nullptr && !inv->is_null()) {
    if (!inv->is_array()) return "inventory: expected a list of file paths";
    for (const Value& file : inv->elements()) {
      absl::StatusOr<std::vector<ObjectSource>> objs =
          paths.Read(&file, "inventory");
      if (!objs.ok()) return std::string(objs.status().message());
      for (ObjectSource& o : *objs) inventory_objects.push_back(std::move(o));
    }
  }
  absl::StatusOr<Value> inventory = BuildInventory(inventory_objects);
  if (!inventory.ok()) return std::string(inventory.status().message());
  absl::StatusOr<std::shared_ptr<const PolicySet>> set =
      PolicySet::Build(policy, *inventory);
  if (!set.ok()) return std::string(set.status().message());
  EvalOptions options;
  options.deadline = absl::Now() + kCaseDeadline;
  std::vector<ReviewResult> results;
  for (const ObjectSource& o : *object) {
    for (ReviewResult& r :
         (*set)->Audit(RequestForObject(o.object, "CREATE"), options)) {
      results.push_back(std::move(r));
    }
  }
  absl::StatusOr<std::string> failure = CheckAssertions(c, results);
  return failure.ok() ? *failure : std::string(failure.status().message());
}

}  // namespace

bool IsSuite(const Value& object) {
  return object.is_object() && StringAt(object, {"kind"}) == "Suite";
}

absl::StatusOr<std::vector<CaseResult>> RunSuiteFile(const std::string& path) {
  POLICYD_ASSIGN_OR_RETURN(std::vector<ObjectSource> docs, ReadObjects(path));
  Paths paths{std::filesystem::path(path).parent_path()};
  std::vector<CaseResult> out;
  for (const ObjectSource& doc : docs) {
    if (!IsSuite(doc.object)) continue;
    const Value* tests = doc.object.Find("tests");
    if (tests == nullptr || !tests->is_array()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": tests: expected a list"));
    }
    for (size_t t = 0; t < tests->size(); ++t) {
      const Value& test = tests->elements()[t];
      std::string test_name = StringAt(test, {"name"});
      if (test_name.empty()) test_name = absl::StrCat("tests[", t, "]");
      std::vector<ObjectSource> policy;
      std::string setup_error;
      for (const char* field : {"template", "constraint"}) {
        absl::StatusOr<std::vector<ObjectSource>> objs =
            paths.Read(test.Find(field), field);
        if (!objs.ok()) {
          setup_error = std::string(objs.status().message());
          break;
        }
        for (ObjectSource& o : *objs) policy.push_back(std::move(o));
      }
      const Value* cases = test.Find("cases");
      if (cases == nullptr || !cases->is_array()) {
        out.push_back({absl::StrCat(path, "/", test_name), false,
                       "cases: expected a list"});
        continue;
      }
      for (size_t i = 0; i < cases->size(); ++i) {
        if (out.size() >= kMaxCases) {
          return absl::InvalidArgumentError(
              absl::StrCat(path, ": more than ", kMaxCases, " cases"));
        }
        const Value& c = cases->elements()[i];
        std::string case_name = StringAt(c, {"name"});
        if (case_name.empty()) case_name = absl::StrCat("cases[", i, "]");
        std::string failure =
            setup_error.empty() ? RunCase(paths, policy, c) : setup_error;
        out.push_back({absl::StrCat(path, "/", test_name, "/", case_name),
                       failure.empty(), failure});
      }
    }
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> FindSuiteFiles(
    const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_directory(path, ec)) return std::vector{path};
  POLICYD_ASSIGN_OR_RETURN(std::vector<ObjectSource> objects,
                           ReadObjects(path));
  std::vector<std::string> out;
  for (const ObjectSource& o : objects) {
    if (IsSuite(o.object) && (out.empty() || out.back() != o.file)) {
      out.push_back(o.file);
    }
  }
  return out;
}

}  // namespace policyd::admission

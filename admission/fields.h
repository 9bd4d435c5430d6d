// Reading the fields of Kubernetes objects held as Values, with errors that
// name the field ("spec.match.kinds[0].apiGroups: expected a list of
// strings").
#ifndef POLICYD_ADMISSION_FIELDS_H_
#define POLICYD_ADMISSION_FIELDS_H_

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/value/value.h"

namespace policyd::admission {

// The value at `path` below `v` (object keys only); nullptr when a step is
// missing or not an object.
const Value* FieldAt(const Value& v,
                     std::initializer_list<std::string_view> path);

// The string at `path`; "" when missing or not a string.
std::string StringAt(const Value& v,
                     std::initializer_list<std::string_view> path);

// `v` as a list of strings (nullptr: empty). `field` names it in errors.
absl::StatusOr<std::vector<std::string>> StringList(const Value* v,
                                                    absl::string_view field);

// An error "FIELD: WHAT".
absl::Status FieldError(absl::string_view field, absl::string_view what);

// Gatekeeper's globs: "kube-*" is a prefix, "*-system" a suffix, "*x*" a
// substring; anything else must be equal.
bool GlobMatches(absl::string_view pattern, absl::string_view candidate);

}  // namespace policyd::admission

#endif  // POLICYD_ADMISSION_FIELDS_H_

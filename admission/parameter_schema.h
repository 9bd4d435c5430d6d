// Constraint parameters checked against their template's OpenAPI v3 schema
// (spec.crd.spec.validation.openAPIV3Schema). The subset Gatekeeper users
// write (type, properties, items, required, enum, additionalProperties,
// bounds, patterns) is JSON Schema, so the engine's json.verify_schema and
// json.match_schema do the work; OpenAPI's own keywords (nullable,
// x-kubernetes-*) are ignored.
#ifndef POLICYD_ADMISSION_PARAMETER_SCHEMA_H_
#define POLICYD_ADMISSION_PARAMETER_SCHEMA_H_

#include "absl/status/status.h"
#include "engine/value/value.h"

namespace policyd::admission {

// OK when `schema` is a usable schema; the error says why not.
absl::Status CheckParameterSchema(const Value& schema);

// OK when `parameters` satisfy `schema`; the error lists each failure as
// "FIELD: WHAT" ("labels.0: Invalid type. Expected: string, given: integer").
absl::Status ValidateParameters(const Value& schema, const Value& parameters);

}  // namespace policyd::admission

#endif  // POLICYD_ADMISSION_PARAMETER_SCHEMA_H_

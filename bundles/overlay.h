// Policies and data written through OPA's REST API (PUT /v1/policies/{id},
// PUT/PATCH/DELETE /v1/data/{path}). They live beside the bundles in every
// snapshot, outside every bundle's roots (the REST layer refuses writes
// inside them, as OPA does), and survive bundle reloads.
#ifndef POLICYD_BUNDLES_OVERLAY_H_
#define POLICYD_BUNDLES_OVERLAY_H_

#include <map>
#include <string>

#include "engine/value/value.h"

namespace policyd::bundles {

struct Overlay {
  // Policy id -> Rego (v1) text; the id is the module's file name in errors.
  std::map<std::string, std::string> policies;
  // Merged into `data` at the root; always an object.
  Value data = Value::Object({});

  bool empty() const {
    return policies.empty() && data.is_object() && data.entries().empty();
  }
};

}  // namespace policyd::bundles

#endif  // POLICYD_BUNDLES_OVERLAY_H_

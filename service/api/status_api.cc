#include "service/api/status_api.h"

#include <vector>

#include "absl/time/time.h"
#include "service/api/rest_util.h"

namespace policyd {

std::string Rfc3339(absl::Time time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ", time, absl::UTCTimeZone());
}

HttpResponse ConfigResponse(const Value& config, bool pretty) {
  HttpResponse r;
  r.body = JsonBody(Value::Object({{Value::String("result"), config}}), pretty);
  return r;
}

HttpResponse StatusResponse(const bundles::StoreStatus& status,
                            const Value& labels, bool pretty) {
  std::vector<ObjectEntry> bundles;
  bool all_active = !status.bundles.empty();
  bool any_error = false;
  for (const bundles::BundleStatus& b : status.bundles) {
    std::vector<Value> errors;
    for (const bundles::BundleError& e : b.errors) errors.push_back(Value::String(e.ToString()));
    all_active = all_active && b.active;
    any_error = any_error || !errors.empty();
    std::vector<ObjectEntry> entry = {
        {Value::String("name"), Value::String(b.name)},
        {Value::String("active_revision"), Value::String(b.revision)},
    };
    if (b.active) {
      entry.emplace_back(Value::String("last_successful_activation"),
                         Value::String(Rfc3339(b.loaded)));
    }
    if (!errors.empty()) {
      entry.emplace_back(Value::String("code"), Value::String("bundle_error"));
      entry.emplace_back(Value::String("errors"), Value::Array(std::move(errors)));
    }
    bundles.emplace_back(Value::String(b.name), Value::Object(std::move(entry)));
  }
  std::string state = any_error ? "ERROR" : all_active ? "OK" : "NOT_READY";
  Value result = Value::Object({
      {Value::String("labels"), labels},
      {Value::String("bundles"), Value::Object(std::move(bundles))},
      {Value::String("plugins"),
       Value::Object({{Value::String("bundle"),
                       Value::Object({{Value::String("state"), Value::String(state)}})}})},
  });
  HttpResponse r;
  r.body = JsonBody(Value::Object({{Value::String("result"), result}}), pretty);
  return r;
}

}  // namespace policyd

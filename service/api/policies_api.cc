#include "service/api/policies_api.h"

#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/syntax/parser.h"
#include "service/api/data_write_api.h"
#include "service/api/rest_util.h"

namespace policyd {
namespace {

Value Policy(const std::string& id, const std::string& raw) {
  return Value::Object({{Value::String("id"), Value::String(id)},
                        {Value::String("raw"), Value::String(raw)}});
}

// Every policy of `snapshot`: the bundles' modules, then the API's.
std::vector<std::pair<std::string, const std::string*>> AllPolicies(
    const bundles::Snapshot& snapshot) {
  std::vector<std::pair<std::string, const std::string*>> out;
  for (const auto& bundle : snapshot.bundles()) {
    for (const SourceModule& module : bundle->modules) {
      out.emplace_back(module.filename, &module.text);
    }
  }
  for (const auto& [id, text] : snapshot.overlay().policies) out.emplace_back(id, &text);
  return out;
}

HttpResponse Result(const Value& result, bool pretty) {
  HttpResponse r;
  r.body = JsonBody(Value::Object({{Value::String("result"), result}}), pretty);
  return r;
}

HttpResponse NotFound(const std::string& id) {
  return RestError(404, "resource_not_found",
                   absl::StrCat("storage_not_found_error: policy id \"", id, "\""));
}

HttpResponse Put(const HttpRequest& request, const std::string& id,
                 bundles::Store* store) {
  absl::StatusOr<ast::Module> module = ast::ParseModule(id, request.body);
  if (!module.ok()) {
    return RestErrorList("error(s) occurred while parsing module(s)", module.status());
  }
  std::vector<std::string> package;
  for (size_t i = 1; i < module->package->items.size(); ++i) {
    const ast::Term& part = *module->package->items[i];
    package.emplace_back(part.value.is_string() ? std::string(part.value.string())
                                                : part.name);
  }
  std::optional<HttpResponse> refused;
  absl::Status status = store->UpdateOverlay(
      [&](bundles::Overlay& overlay, const bundles::Snapshot& current) {
        for (const auto& [name, text] : AllPolicies(current)) {
          if (name == id && !overlay.policies.count(id)) {
            refused = RestError(400, "invalid_parameter",
                                absl::StrCat("policy id \"", id, "\" is owned by a bundle"));
            return absl::FailedPreconditionError("refused");
          }
        }
        if (std::optional<std::string> owner = OwningBundle(current, package)) {
          refused = RestError(
              400, "invalid_parameter",
              absl::StrCat("path \"data/", absl::StrJoin(package, "/"),
                           "\" is owned by bundle \"", *owner, "\""));
          return absl::FailedPreconditionError("refused");
        }
        overlay.policies[id] = request.body;
        return absl::OkStatus();
      });
  if (refused) return *refused;
  if (!status.ok()) {
    return RestErrorList("error(s) occurred while compiling module(s)", status);
  }
  HttpResponse r;
  r.body = "{}\n";
  return r;
}

}  // namespace

HttpResponse HandlePolicies(const HttpRequest& request, const std::string& id,
                            bool pretty, bundles::Store* store) {
  if (id.empty()) {
    if (request.method != "GET") return RestError(405, "method_not_allowed", "use GET");
    std::vector<Value> list;
    for (const auto& [name, text] : AllPolicies(*store->Current())) {
      list.push_back(Policy(name, *text));
    }
    return Result(Value::Array(std::move(list)), pretty);
  }
  if (request.method == "GET") {
    for (const auto& [name, text] : AllPolicies(*store->Current())) {
      if (name == id) return Result(Policy(name, *text), pretty);
    }
    return NotFound(id);
  }
  if (request.method == "PUT") return Put(request, id, store);
  if (request.method == "DELETE") {
    bool missing = false;
    absl::Status status = store->UpdateOverlay(
        [&](bundles::Overlay& overlay, const bundles::Snapshot&) {
          if (overlay.policies.erase(id) == 0) {
            missing = true;
            return absl::NotFoundError(id);
          }
          return absl::OkStatus();
        });
    if (missing) return NotFound(id);
    if (!status.ok()) {
      return RestErrorList("error(s) occurred while compiling module(s)", status);
    }
    HttpResponse r;
    r.body = "{}\n";
    return r;
  }
  return RestError(405, "method_not_allowed", "use GET, PUT or DELETE");
}

}  // namespace policyd

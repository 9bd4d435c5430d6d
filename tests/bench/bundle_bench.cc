// Bundle benchmarks:
//  - BM_Activate800Modules: Store::Open over a generated bundle of 800
//    modules (read, check, compile, swap). Target: under 1 second.
//  - BM_ReloadOneOf800: one module of the 800 changes; Reload() parses and
//    compiles all 800 (the store keeps no parse trees).
//  - BM_AclDataMemory: the `acl` workload of ../shared/bench with 100,000
//    users (data.json made by its gen.py) loaded as a bundle; reports the
//    resident memory the loaded store adds against the JSON's size
//    (counter `rss_per_json_byte`; target: under 2). A store of the same
//    policy with empty data is opened first, so that what every process
//    pays once (builtin tables, the compiler's first allocations) is not
//    counted as data; its own cost is `empty_store_mb`.
//  - BM_AclParseJsonMemory: the same for ParseJson of data.json alone, to
//    tell the Value representation's share from the store's.
//  - BM_PolicySet800Memory: Engine::Compile of 800 generated service
//    modules (28 lines each, 3.1 MB of Rego): compile time, and the resident
//    memory the compiled engine holds against the source's size (counter
//    `rss_per_source_byte`; target: under 10).
//  - BM_PolicySet800StoreMemory: the same modules as a bundle, activated
//    by Store::Open (engine plus what the store keeps for reloads).
//
//   bundle_bench [--bench_dir=DIR] [--acl_users=N] [benchmark flags]
#include <malloc.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "bundles/store.h"
#include "engine/engine.h"
#include "engine/value/json.h"
#include "util/files.h"

namespace policyd::bundles {
namespace {

namespace fs = std::filesystem;

std::string g_bench_dir = POLICYD_BENCH_DEFAULT_DIR;
int g_acl_users = 100000;

void WriteText(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern =
        (fs::temp_directory_path() / "policyd-bundle-bench-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Module i of the generated bundle: a package with a few rules of the usual
// shapes (indexed equality, iteration, a helper function, a data lookup).
std::string GeneratedModule(int i, int variant) {
  std::string n = std::to_string(i);
  return "package gen.m" + n + "\n\n"
         "import rego.v1\n\n"
         "default allow := false\n\n"
         "allow if {\n"
         "\tinput.method == \"GET\"\n"
         "\tinput.path == [\"v1\", \"items\", \"" + n + "\"]\n"
         "\tallowed_role\n"
         "}\n\n"
         "allow if {\n"
         "\tinput.user == data.gen.owners[\"m" + n + "\"]\n"
         "}\n\n"
         "allowed_role if {\n"
         "\tsome role in input.roles\n"
         "\trole in {\"admin\", \"reader-" + n + "\"}\n"
         "}\n\n"
         "deny contains msg if {\n"
         "\tnot allow\n"
         "\tmsg := sprintf(\"denied by m%d (%s)\", [" + n + ", input.user])\n"
         "}\n\n"
         "limit(x) := y if {\n"
         "\ty := x * " + std::to_string(variant + 2) + "\n"
         "}\n";
}

void WriteGeneratedBundle(const fs::path& dir, int modules, int variant) {
  WriteText(dir / "gen/.manifest",
            R"({"revision": "v)" + std::to_string(variant) +
                R"(", "roots": ["gen"]})");
  std::string owners = "{\"owners\": {";
  for (int i = 0; i < modules; ++i) {
    if (i > 0) owners += ",";
    owners += "\"m" + std::to_string(i) + "\": \"user-" + std::to_string(i) + "\"";
  }
  WriteText(dir / "gen/gen/data.json", owners + "}}");
  for (int i = 0; i < modules; ++i) {
    WriteText(dir / ("gen/gen/m" + std::to_string(i) + ".rego"),
              GeneratedModule(i, variant));
  }
}

void BM_Activate800Modules(benchmark::State& state) {
  ScratchDir dir;
  WriteGeneratedBundle(dir.path(), 800, 0);
  for (auto _ : state) {
    absl::StatusOr<std::unique_ptr<Store>> store =
        Store::Open(dir.path().string(), StoreOptions());
    if (!store.ok()) {
      state.SkipWithError(std::string(store.status().message()).c_str());
      return;
    }
    // Activated means answering: user-799 owns m799 (module and data).
    auto query = (*store)->Current()->Query("data.gen.m799.allow");
    Value input = Value::Object({{Value::String("user"), Value::String("user-799")}});
    EvalOptions options;
    options.input = &input;
    auto answer = query.ok() ? (*query)->EvalValue(options)
                             : absl::StatusOr<std::optional<Value>>(query.status());
    if (!answer.ok() || !answer->has_value() || **answer != Value::Bool(true)) {
      std::string got = !answer.ok()              ? answer.status().ToString()
                        : !answer->has_value() ? "undefined"
                                               : (*answer)->ToJson();
      state.SkipWithError(
          ("the activated bundle does not answer true but " + got).c_str());
      return;
    }
  }
  state.counters["modules"] = 800;
}
BENCHMARK(BM_Activate800Modules)->Unit(benchmark::kMillisecond)->Iterations(5);

void BM_ReloadOneOf800(benchmark::State& state) {
  ScratchDir dir;
  WriteGeneratedBundle(dir.path(), 800, 0);
  absl::StatusOr<std::unique_ptr<Store>> store =
      Store::Open(dir.path().string(), StoreOptions());
  if (!store.ok()) {
    state.SkipWithError(std::string(store.status().message()).c_str());
    return;
  }
  int variant = 0;
  for (auto _ : state) {
    state.PauseTiming();
    ++variant;
    WriteText(dir.path() / "gen/gen/m7.rego", GeneratedModule(7, variant));
    state.ResumeTiming();
    absl::Status s = (*store)->Reload();
    if (!s.ok()) {
      state.SkipWithError(std::string(s.message()).c_str());
      return;
    }
  }
}
BENCHMARK(BM_ReloadOneOf800)->Unit(benchmark::kMillisecond)->Iterations(5);

// Resident set size in bytes, from /proc/self/statm.
int64_t ResidentBytes() {
  malloc_trim(0);
  std::ifstream statm("/proc/self/statm");
  int64_t pages_total = 0, pages_resident = 0;
  statm >> pages_total >> pages_resident;
  return pages_resident * sysconf(_SC_PAGESIZE);
}

// Module i of the policy-set benchmark: 28 lines, about 3.9 KB, the shapes
// of a real service policy (sets of constants, rules over input and data,
// comprehensions, a function, builtins). 800 of them are 3.1 MB of Rego.
std::string PolicySetModule(int i) {
  std::string n = std::to_string(i);
  auto list = [](const std::vector<std::string>& items) {
    std::string out;
    for (size_t k = 0; k < items.size(); ++k) out += (k > 0 ? ", " : "") + items[k];
    return out;
  };
  std::vector<std::string> paths, actions, roles, headers;
  for (const char* p : {"health", "ready", "metrics", "version", "docs", "openapi.json", "status",
                        "info", "ping", "about", "terms", "privacy", "robots.txt", "favicon.ico",
                        "changelog", "licenses", "support", "contact", "login", "logout"}) {
    paths.push_back("\"/api/v1/svc" + n + "/" + p + "\"");
  }
  for (const char* a : {"read", "list", "create", "update", "delete", "approve"}) {
    for (const char* o : {"item", "order", "invoice", "report", "policy"}) {
      actions.push_back("\"svc" + n + ":" + a + ":" + o + "\"");
    }
  }
  for (const char* r : {"viewer", "editor", "admin", "auditor", "operator", "support", "billing",
                        "security", "reader", "writer", "owner", "deployer", "oncall", "analyst",
                        "reviewer", "approver"}) {
    roles.push_back("\"" + std::string(r) + "-" + n + "\"");
  }
  int k = 0;
  for (const char* h : {"request-id", "tenant", "trace", "client", "region", "priority",
                        "auth-method", "session"}) {
    headers.push_back("{\"name\": \"x-" + std::string(h) + "\", \"service\": \"svc" + n +
                      "\", \"required\": " + (k++ % 2 == 0 ? "true" : "false") + "}");
  }
  std::string svc = "data.gen.services[\"svc" + n + "\"]";
  return "package gen.svc" + n + ".authz\n\n"
         "import rego.v1\n\n"
         "public_paths := {" + list(paths) + "}\n"
         "default allow := false\n"
         "actions := {" + list(actions) + "}\n"
         "allow if {\n"
         "\tinput.method in {\"GET\", \"HEAD\", \"OPTIONS\"}; not concat(\"/\", input.path) in public_paths; "
         "input.path == [\"api\", \"v1\", \"svc" + n + "\", input.resource.kind, input.resource.id]; "
         "not input.subject.suspended\n"
         "\tsome role in data.gen.bindings[input.subject.user].roles; role in {" + list(roles) + "}\n"
         "}\n\n"
         "allow if {\n"
         "\tinput.method in {\"POST\", \"PUT\", \"PATCH\", \"DELETE\"}; input.action in actions; "
         "user := data.gen.users[input.subject.user]; user.department == " + svc + ".owner_department\n"
         "\tcount({g | some g in user.groups; startswith(g, \"svc" + n + "-writers\"); "
         "not g in data.gen.revoked_groups}) > 0; input.resource.tenant == user.tenant\n"
         "}\n\n"
         "deny contains msg if {\n"
         "\tsome header in {h | some h, _ in input.headers; not h in " + svc + ".allowed_headers; "
         "not startswith(h, \"x-envoy-\")}\n"
         "\tmsg := sprintf(\"svc" + n + ": header %s is not allowed for %s %s by %s\", "
         "[header, input.method, concat(\"/\", input.path), input.subject.user])\n"
         "}\n"
         "required_headers := [" + list(headers) + "]\n"
         "visible_items := [item | some item in data.gen.items[\"svc" + n + "\"]; "
         "item.owner == input.subject.user; item.state != \"archived\"; "
         "not item.id in data.gen.blocked_items]\n"
         "quota := {k: v | some k, v in data.gen.quotas[\"svc" + n + "\"]; v.limit > 0; "
         "startswith(k, input.subject.tenant); not k in data.gen.exempt_tenants}\n"
         "limits(tier) := object.get(data.gen.tiers, [tier, \"svc" + n + "\"], {\"requests\": " +
         std::to_string(100 + i % 50) + ", \"burst\": " + std::to_string(10 + i % 7) +
         ", \"window_seconds\": 60, \"service\": \"svc" + n + "\"})\n"
         "within_hours if { [h, _, _] := time.clock([time.now_ns(), \"UTC\"]); "
         "h >= " + svc + ".hours.start; h < " + svc + ".hours.end }\n"
         "audit := {\"service\": \"svc" + n + "\", \"user\": input.subject.user, \"allowed\": allow, "
         "\"denials\": count(deny), \"items\": count(visible_items), "
         "\"tier\": object.get(input.subject, \"tier\", \"free\")}\n"
         "tags contains tag if { some tag in input.resource.tags; "
         "regex.match(`^svc" + n + "-[a-z0-9-]+$`, tag); not tag in " + svc + ".hidden_tags }\n";
}

std::vector<SourceModule> PolicySet(int modules) {
  std::vector<SourceModule> out;
  for (int i = 0; i < modules; ++i) {
    out.push_back({"gen/svc" + std::to_string(i) + ".rego", PolicySetModule(i)});
  }
  return out;
}

// The policy set's base document: what the rules above read for user u7 of
// service svc799.
Value PolicySetData() {
  absl::StatusOr<Value> data = ParseJson(R"({"gen": {
    "bindings": {"u7": {"roles": ["viewer-799"]}},
    "users": {"u7": {"department": "d1", "groups": ["svc799-writers"], "tenant": "t1"}},
    "services": {"svc799": {"owner_department": "d1", "allowed_headers": ["x-request-id"],
                            "hidden_tags": [], "hours": {"start": 0, "end": 24}}},
    "revoked_groups": [], "items": {}, "blocked_items": [], "quotas": {},
    "exempt_tenants": [], "tiers": {}}})");
  return data.ok() ? *std::move(data) : Value();
}

// An input that svc799's first allow rule admits.
Value PolicySetInput() {
  absl::StatusOr<Value> input = ParseJson(R"({"method": "GET",
    "path": ["api", "v1", "svc799", "item", "i1"],
    "resource": {"kind": "item", "id": "i1", "tenant": "t1", "tags": []},
    "subject": {"user": "u7", "tenant": "t1"}, "headers": {}})");
  return input.ok() ? *std::move(input) : Value();
}

// The answer of a compiled policy set for PolicySetInput(), or the error.
std::string PolicySetAnswer(const Engine& engine) {
  absl::StatusOr<PreparedQuery> query = engine.Prepare("data.gen.svc799.authz.allow");
  if (!query.ok()) return query.status().ToString();
  Value input = PolicySetInput();
  EvalOptions options;
  options.input = &input;
  absl::StatusOr<std::optional<Value>> answer = query->EvalValue(options);
  if (!answer.ok()) return answer.status().ToString();
  return answer->has_value() ? (*answer)->ToJson() : "undefined";
}

// `policyd eval`'s path: Engine::Compile of the 800-module set (3.1 MB of
// Rego), timed. Reports the resident memory the compiled engine holds
// (growth of the process's resident set from before the compile to after
// it, with the engine alive and the parse trees gone), against the source
// size (counter `rss_per_source_byte`; target: under 10).
void BM_PolicySet800Memory(benchmark::State& state) {
  std::vector<SourceModule> modules = PolicySet(800);
  double source_bytes = 0;
  for (const SourceModule& m : modules) source_bytes += m.text.size();
  Value data = PolicySetData();
  for (auto _ : state) {
    state.PauseTiming();
    int64_t before = ResidentBytes();
    state.ResumeTiming();
    absl::StatusOr<std::shared_ptr<const Engine>> engine = Engine::Compile(modules, data);
    state.PauseTiming();
    if (!engine.ok()) {
      state.SkipWithError(std::string(engine.status().message()).c_str());
      return;
    }
    int64_t after = ResidentBytes();
    std::string answer = PolicySetAnswer(**engine);
    if (answer != "true") {
      state.SkipWithError(("the compiled set answers " + answer + ", not true").c_str());
      return;
    }
    state.counters["source_mb"] = source_bytes / 1e6;
    state.counters["rss_mb"] = static_cast<double>(after - before) / 1e6;
    state.counters["rss_per_source_byte"] = static_cast<double>(after - before) / source_bytes;
    engine->reset();
    state.ResumeTiming();
  }
}
BENCHMARK(BM_PolicySet800Memory)->Unit(benchmark::kMillisecond)->Iterations(1);

// `policyd serve`'s path: the same 800 modules as one bundle, activated by
// Store::Open (what the store keeps besides the engine counts too: the
// parses it keeps for reloads).
void BM_PolicySet800StoreMemory(benchmark::State& state) {
  ScratchDir dir;
  WriteText(dir.path() / "gen/.manifest", R"({"revision": "v1", "roots": ["gen"]})");
  double source_bytes = 0;
  for (const SourceModule& m : PolicySet(800)) {
    WriteText(dir.path() / "gen" / m.filename, m.text);
    source_bytes += m.text.size();
  }
  Value data = PolicySetData();
  WriteText(dir.path() / "gen/gen/data.json", data.Find("gen")->ToJson());
  for (auto _ : state) {
    int64_t before = ResidentBytes();
    absl::StatusOr<std::unique_ptr<Store>> store =
        Store::Open(dir.path().string(), StoreOptions());
    if (!store.ok()) {
      state.SkipWithError(std::string(store.status().message()).c_str());
      return;
    }
    int64_t after = ResidentBytes();
    state.counters["source_mb"] = source_bytes / 1e6;
    state.counters["rss_mb"] = static_cast<double>(after - before) / 1e6;
    state.counters["rss_per_source_byte"] = static_cast<double>(after - before) / source_bytes;
  }
}
BENCHMARK(BM_PolicySet800StoreMemory)->Unit(benchmark::kMillisecond)->Iterations(1);

// Writes the acl bundle (policy, generated data.json, manifest) into
// `dir`/acl; false when gen.py fails.
bool WriteAclBundle(const fs::path& dir) {
  fs::path workload = fs::path(g_bench_dir) / "acl";
  fs::create_directories(dir / "acl");
  fs::copy_file(workload / "policy.rego", dir / "acl/policy.rego");
  std::string command = "python3 '" + (workload / "gen.py").string() + "' " +
                        std::to_string(g_acl_users) + " > '" +
                        (dir / "acl/data.json").string() + "'";
  if (std::system(command.c_str()) != 0) return false;
  WriteText(dir / "acl/.manifest", R"({"revision": "bench"})");
  return true;
}

void BM_AclDataMemory(benchmark::State& state) {
  ScratchDir dir, empty_dir;
  if (!WriteAclBundle(dir.path())) {
    state.SkipWithError("gen.py failed");
    return;
  }
  fs::create_directories(empty_dir.path() / "acl");
  fs::copy_file(dir.path() / "acl/policy.rego", empty_dir.path() / "acl/policy.rego");
  WriteText(empty_dir.path() / "acl/data.json", R"({"acl": {"users": {}, "resources": {}}})");
  double json_bytes =
      static_cast<double>(fs::file_size(dir.path() / "acl/data.json"));
  for (auto _ : state) {
    int64_t before_empty = ResidentBytes();
    absl::StatusOr<std::unique_ptr<Store>> empty =
        Store::Open(empty_dir.path().string(), StoreOptions());
    int64_t before = ResidentBytes();
    absl::StatusOr<std::unique_ptr<Store>> store =
        Store::Open(dir.path().string(), StoreOptions());
    if (!empty.ok() || !store.ok()) {
      state.SkipWithError(std::string((empty.ok() ? store : empty).status().message()).c_str());
      return;
    }
    int64_t after = ResidentBytes();
    // The data must be usable, not just loaded.
    auto query = (*store)->Current()->Query("data.acl.allow");
    if (!query.ok()) {
      state.SkipWithError(std::string(query.status().message()).c_str());
      return;
    }
    state.counters["json_mb"] = json_bytes / 1e6;
    state.counters["empty_store_mb"] = static_cast<double>(before - before_empty) / 1e6;
    state.counters["rss_mb"] = static_cast<double>(after - before) / 1e6;
    state.counters["rss_per_json_byte"] =
        static_cast<double>(after - before) / json_bytes;
  }
}
BENCHMARK(BM_AclDataMemory)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_AclParseJsonMemory(benchmark::State& state) {
  ScratchDir dir;
  if (!WriteAclBundle(dir.path())) {
    state.SkipWithError("gen.py failed");
    return;
  }
  absl::StatusOr<std::string> read = ReadFile((dir.path() / "acl/data.json").string());
  if (!read.ok()) {
    state.SkipWithError(std::string(read.status().message()).c_str());
    return;
  }
  const std::string& text = *read;
  for (auto _ : state) {
    int64_t before = ResidentBytes();
    absl::StatusOr<Value> value = ParseJson(text);
    int64_t after = ResidentBytes();
    if (!value.ok()) {
      state.SkipWithError(std::string(value.status().message()).c_str());
      return;
    }
    state.counters["json_mb"] = text.size() / 1e6;
    state.counters["rss_mb"] = static_cast<double>(after - before) / 1e6;
    state.counters["rss_per_json_byte"] =
        static_cast<double>(after - before) / text.size();
  }
}
BENCHMARK(BM_AclParseJsonMemory)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
}  // namespace policyd::bundles

int main(int argc, char** argv) {
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--bench_dir=", 0) == 0) {
      policyd::bundles::g_bench_dir = arg.substr(12);
    } else if (arg.rfind("--acl_users=", 0) == 0) {
      policyd::bundles::g_acl_users = std::stoi(arg.substr(12));
    } else {
      rest.push_back(argv[i]);
    }
  }
  int rest_argc = static_cast<int>(rest.size());
  benchmark::Initialize(&rest_argc, rest.data());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

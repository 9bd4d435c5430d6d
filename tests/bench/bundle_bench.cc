// Bundle benchmarks:
//  - BM_Activate800Modules: Store::Open over a generated bundle of 800
//    modules (read, check, compile, swap). Target: under 1 second.
//  - BM_ReloadOneOf800: one module of the 800 changes; Reload() parses
//    that one again and compiles all 800.
//  - BM_AclDataMemory: the `acl` workload of ../shared/bench with 100,000
//    users (data.json made by its gen.py) loaded as a bundle; reports the
//    resident memory the loaded store adds against the JSON's size
//    (counter `rss_per_json_byte`; target: under 2). A store of the same
//    policy with empty data is opened first, so that what every process
//    pays once (builtin tables, the compiler's first allocations) is not
//    counted as data; its own cost is `empty_store_mb`.
//  - BM_AclParseJsonMemory: the same for ParseJson of data.json alone, to
//    tell the Value representation's share from the store's.
//
//   bundle_bench [--bench_dir=DIR] [--acl_users=N] [benchmark flags]
#include <malloc.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "benchmark/benchmark.h"
#include "bundles/store.h"
#include "engine/value/json.h"

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
  // Only the changed module is parsed again; the compile covers all 800.
  StoreStatus status = (*store)->Status();
  state.counters["parsed"] = static_cast<double>(status.modules_parsed);
  state.counters["reused"] = static_cast<double>(status.modules_reused);
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
  std::ifstream in(dir.path() / "acl/data.json", std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
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

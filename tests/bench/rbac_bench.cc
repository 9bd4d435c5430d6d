// Decision benchmarks over the workloads in ../shared/bench/<name>/
// (policy.rego, data.json, input.json, query, expected.json): rbac, envoy,
// k8s-labels and acl. Each compiles the policy once, prepares the query once,
// parses the input once, checks the answer against expected.json, and then
// times PreparedQuery::EvalValue alone. acl's data.json is made by its gen.py
// (with python3) into the build directory on first use.
//
//   rbac_bench [--check] [benchmark flags, e.g. --benchmark_filter=rbac]
//
// --check only verifies every workload's answer (exit status 1 on a wrong
// answer); it is what CTest runs.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "engine/engine.h"
#include "engine/value/json.h"
#include "util/files.h"
#include "util/status_macros.h"

namespace policyd {
namespace {
namespace fs = std::filesystem;

const char* const kWorkloads[] = {"rbac", "envoy", "k8s-labels", "acl"};

struct Workload {
  std::shared_ptr<const Engine> engine;
  std::optional<PreparedQuery> query;
  Value input;
};

std::string BenchDir() {
  const char* env = std::getenv("POLICYD_BENCH_DIR");
  return env != nullptr && *env != '\0' ? env : POLICYD_BENCH_DEFAULT_DIR;
}

// acl ships gen.py instead of data.json.
absl::StatusOr<std::string> DataPath(const fs::path& dir,
                                     const std::string& name) {
  fs::path data = dir / "data.json";
  if (fs::exists(data)) return data.string();
  fs::path gen = dir / "gen.py";
  if (!fs::exists(gen)) {
    return absl::NotFoundError(absl::StrCat(data.string(), " is missing"));
  }
  fs::path made = fs::path(POLICYD_BENCH_OUTPUT_DIR) / (name + "-data.json");
  if (!fs::exists(made)) {
    fs::path partial = made.string() + ".partial";
    std::string command = absl::StrCat("python3 '", gen.string(), "' > '",
                                       partial.string(), "'");
    if (std::system(command.c_str()) != 0) {
      return absl::InternalError(absl::StrCat("failed: ", command));
    }
    fs::rename(partial, made);
  }
  return made.string();
}

absl::StatusOr<Value> ReadJson(const std::string& path) {
  POLICYD_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  absl::StatusOr<Value> value = ParseJson(text);
  if (!value.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", value.status().message()));
  }
  return value;
}

// Loads the workload and checks its answer.
absl::StatusOr<Workload> LoadWorkload(const std::string& name) {
  fs::path dir = fs::path(BenchDir()) / name;
  absl::StatusOr<std::string> policy = ReadFile((dir / "policy.rego").string());
  absl::StatusOr<std::string> query_text = ReadFile((dir / "query").string());
  absl::StatusOr<std::string> data_path = DataPath(dir, name);
  if (!policy.ok()) return policy.status();
  if (!query_text.ok()) return query_text.status();
  if (!data_path.ok()) return data_path.status();
  absl::StatusOr<Value> data = ReadJson(*data_path);
  absl::StatusOr<Value> input = ReadJson((dir / "input.json").string());
  absl::StatusOr<Value> expected = ReadJson((dir / "expected.json").string());
  if (!data.ok()) return data.status();
  if (!input.ok()) return input.status();
  if (!expected.ok()) return expected.status();

  Workload workload;
  POLICYD_ASSIGN_OR_RETURN(std::shared_ptr<const Engine> engine,
                           Engine::Compile({{(dir / "policy.rego").string(), *policy}},
                                           *std::move(data)));
  workload.engine = std::move(engine);
  POLICYD_ASSIGN_OR_RETURN(PreparedQuery query,
                           workload.engine->Prepare(
                               std::string(absl::StripAsciiWhitespace(*query_text))));
  workload.query = std::move(query);
  workload.input = *std::move(input);

  EvalOptions options;
  options.input = &workload.input;
  POLICYD_ASSIGN_OR_RETURN(std::optional<Value> answer, workload.query->EvalValue(options));
  if (!answer.has_value()) {
    return absl::FailedPreconditionError(
        absl::StrCat(name, ": the query is undefined, want ", expected->ToJson()));
  }
  // expected.json writes a set as a sorted array: compare as JSON.
  absl::StatusOr<Value> got = ParseJson(answer->ToJson());
  if (!got.ok() || *got != *expected) {
    return absl::FailedPreconditionError(
        absl::StrCat(name, ": got ", answer->ToJson(), ", want ",
                     expected->ToJson()));
  }
  return workload;
}

// Loaded once per process, on the first run of the workload's benchmark.
const absl::StatusOr<Workload>& CachedWorkload(const std::string& name) {
  static auto* cache = new std::map<std::string, absl::StatusOr<Workload>>();
  auto it = cache->find(name);
  if (it == cache->end()) it = cache->emplace(name, LoadWorkload(name)).first;
  return it->second;
}

void BM_Decision(benchmark::State& state, const std::string& name) {
  const absl::StatusOr<Workload>& workload = CachedWorkload(name);
  if (!workload.ok()) {
    state.SkipWithError(std::string(workload.status().message()).c_str());
    return;
  }
  EvalOptions options;
  options.input = &workload->input;
  for (auto _ : state) {
    absl::StatusOr<std::optional<Value>> answer =
        workload->query->EvalValue(options);
    benchmark::DoNotOptimize(answer);
  }
  state.SetItemsProcessed(state.iterations());
}

int CheckAll() {
  int failures = 0;
  for (const char* name : kWorkloads) {
    const absl::StatusOr<Workload>& workload = CachedWorkload(name);
    if (workload.ok()) {
      std::cout << "ok   " << name << "\n";
    } else {
      std::cout << "FAIL " << name << ": " << workload.status().message() << "\n";
      ++failures;
    }
  }
  std::cout << (std::size(kWorkloads) - failures) << " passed, " << failures
            << " failed" << std::endl;
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace policyd

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--check") return policyd::CheckAll();
  }
  for (const char* name : policyd::kWorkloads) {
    benchmark::RegisterBenchmark(absl::StrCat("BM_Decision/", name).c_str(),
                                 policyd::BM_Decision, std::string(name));
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

// The builtin function interface and registry. Every builtin is a plain
// function over already-evaluated argument Values; the compiler checks arity
// against the registry, the evaluator calls through it.
#ifndef POLICYD_ENGINE_BUILTINS_BUILTIN_H_
#define POLICYD_ENGINE_BUILTINS_BUILTIN_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "absl/types/span.h"
#include "engine/value/value.h"

namespace policyd {

// Per-evaluation state a builtin may use. Owned by the evaluator.
struct BuiltinContext {
  // time.now_ns() for this evaluation: fixed for the whole query. Read
  // through NowNs(): the clock is read once, on first use, since most
  // decisions never ask for it.
  int64_t NowNs() {
    if (now_ns == 0) now_ns = absl::GetCurrentTimeNanos();
    return now_ns;
  }
  int64_t now_ns = 0;  // 0 until first read, or fixed by the caller
  // Results of non-deterministic builtins (rand.intn, uuid.rfc4122, ...)
  // keyed by name and arguments, so one query sees one answer per call.
  absl::flat_hash_map<std::string, Value>* cache = nullptr;

  // The decision's memory budget: bytes its builtin results may still take
  // (EvalOptions::max_memory_bytes). A builtin about to build a large value
  // calls Allocate first, so that a 1 MB input cannot make a 1 GB string.
  int64_t bytes_left = INT64_MAX;
  // The decision's deadline, checked by Allocate for large values.
  absl::Time deadline = absl::InfiniteFuture();

  // OK, or kResourceExhausted ("NAME: decision memory budget exceeded")
  // when `bytes` more do not fit, or kDeadlineExceeded past the deadline.
  // Either ends the decision with eval_limit_error / eval_cancel_error.
  absl::Status Allocate(std::string_view builtin, size_t bytes);
};

// A value, undefined (nullopt), or an error. Errors:
//  - absl::InvalidArgumentError -> OPA's eval_type_error (wrong operand
//    types), made with OperandTypeError;
//  - any other code -> eval_builtin_error, made with BuiltinError.
// The message starts with the builtin's name, as OPA's do:
// "div: divide by zero".
using BuiltinResult = absl::StatusOr<std::optional<Value>>;
using BuiltinFn = BuiltinResult (*)(BuiltinContext& ctx,
                                    absl::Span<const Value> args);

struct Builtin {
  std::string name;  // "count", "object.get", "io.jwt.decode"
  int arity = 0;     // number of arguments (the output is not counted)
  BuiltinFn fn = nullptr;
  // A relation yields several outputs: fn returns an array Value holding
  // each output (walk). The evaluator iterates over them.
  bool relation = false;
  // Results may differ between calls (time, rand, uuid, http): never
  // constant-folded by the compiler.
  bool nondeterministic = false;
  // Per operand, the kinds it accepts as a mask of KindBit()s, for the
  // compiler's type check of constant arguments; empty when not declared.
  std::vector<uint8_t> operand_kinds;
};

constexpr uint8_t KindBit(Kind kind) { return static_cast<uint8_t>(1u << static_cast<int>(kind)); }

class BuiltinRegistry {
 public:
  // All of OPA's builtins that policyd implements. Built once, immutable.
  static const BuiltinRegistry& Default();

  void Add(Builtin builtin);
  const Builtin* Find(std::string_view name) const;
  // Declares the operand kinds of a registered builtin (see Builtin).
  void DeclareOperandKinds(std::string_view name, std::vector<uint8_t> kinds);

 private:
  absl::flat_hash_map<std::string, Builtin> builtins_;
};

// "NAME: operand POS must be WANT but got KIND" (OPA's wording; POS is
// 1-based; WANT e.g. "string", "one of {array, object, set}").
absl::Status OperandTypeError(std::string_view name, int pos,
                              std::string_view want, const Value& got);
// "NAME: MESSAGE".
absl::Status BuiltinError(std::string_view name, std::string_view message);

// One registration function per family file in engine/builtins/.
void RegisterComparisonBuiltins(BuiltinRegistry& registry);   // comparison.cc
void RegisterNumberBuiltins(BuiltinRegistry& registry);       // numbers.cc
void RegisterBitsBuiltins(BuiltinRegistry& registry);         // bits.cc
void RegisterAggregateBuiltins(BuiltinRegistry& registry);    // aggregates.cc
void RegisterSetBuiltins(BuiltinRegistry& registry);          // sets.cc
void RegisterArrayBuiltins(BuiltinRegistry& registry);        // arrays.cc
void RegisterObjectBuiltins(BuiltinRegistry& registry);       // objects.cc
void RegisterTypeBuiltins(BuiltinRegistry& registry);         // types.cc
void RegisterStringBuiltins(BuiltinRegistry& registry);       // strings.cc
void RegisterSprintfBuiltins(BuiltinRegistry& registry);      // sprintf.cc
void RegisterRegexBuiltins(BuiltinRegistry& registry);        // regex.cc
void RegisterGlobBuiltins(BuiltinRegistry& registry);         // glob.cc
void RegisterUnitsBuiltins(BuiltinRegistry& registry);        // units.cc
void RegisterSemverBuiltins(BuiltinRegistry& registry);       // semver.cc
void RegisterEncodingBuiltins(BuiltinRegistry& registry);     // encoding.cc
void RegisterTimeBuiltins(BuiltinRegistry& registry);         // time.cc
void RegisterNetBuiltins(BuiltinRegistry& registry);          // net.cc
void RegisterUuidRandBuiltins(BuiltinRegistry& registry);     // uuid_rand.cc
void RegisterCryptoBuiltins(BuiltinRegistry& registry);       // crypto.cc
void RegisterJwtBuiltins(BuiltinRegistry& registry);          // jwt.cc
void RegisterGraphqlBuiltins(BuiltinRegistry& registry);      // graphql.cc
void RegisterGraphBuiltins(BuiltinRegistry& registry);        // graph.cc
void RegisterAwsBuiltins(BuiltinRegistry& registry);          // aws.cc
void RegisterRuntimeBuiltins(BuiltinRegistry& registry);      // runtime.cc
void RegisterRegoParseBuiltins(BuiltinRegistry& registry);    // rego_parse.cc
void RegisterRegoMetadataBuiltins(BuiltinRegistry& registry); // rego_metadata.cc
// Operand kinds of the builtins the compiler type-checks (signatures.cc).
void DeclareBuiltinSignatures(BuiltinRegistry& registry);

}  // namespace policyd

#endif  // POLICYD_ENGINE_BUILTINS_BUILTIN_H_

#include <string>

#include "engine/builtins/builtin.h"

#include "absl/time/clock.h"

namespace policyd {

absl::Status BuiltinContext::Allocate(std::string_view builtin, size_t bytes) {
  if (bytes > static_cast<uint64_t>(bytes_left)) {
    bytes_left = 0;
    return absl::ResourceExhaustedError(
        std::string(builtin) + ": decision memory budget exceeded");
  }
  bytes_left -= static_cast<int64_t>(bytes);
  // Reading the clock costs more than copying a few kilobytes.
  constexpr size_t kLarge = 64 << 10;
  if (bytes >= kLarge && deadline != absl::InfiniteFuture() && absl::Now() > deadline) {
    return absl::DeadlineExceededError(
        std::string(builtin) + ": evaluation deadline exceeded");
  }
  return absl::OkStatus();
}

const BuiltinRegistry& BuiltinRegistry::Default() {
  static const BuiltinRegistry* registry = [] {
    auto* r = new BuiltinRegistry();
    RegisterComparisonBuiltins(*r);
    RegisterNumberBuiltins(*r);
    RegisterBitsBuiltins(*r);
    RegisterAggregateBuiltins(*r);
    RegisterSetBuiltins(*r);
    RegisterArrayBuiltins(*r);
    RegisterObjectBuiltins(*r);
    RegisterTypeBuiltins(*r);
    RegisterStringBuiltins(*r);
    RegisterSprintfBuiltins(*r);
    RegisterRegexBuiltins(*r);
    RegisterGlobBuiltins(*r);
    RegisterUnitsBuiltins(*r);
    RegisterSemverBuiltins(*r);
    RegisterEncodingBuiltins(*r);
    RegisterTimeBuiltins(*r);
    RegisterNetBuiltins(*r);
    RegisterUuidRandBuiltins(*r);
    RegisterCryptoBuiltins(*r);
    RegisterJwtBuiltins(*r);
    RegisterGraphqlBuiltins(*r);
    RegisterGraphBuiltins(*r);
    RegisterAwsBuiltins(*r);
    RegisterRuntimeBuiltins(*r);
    RegisterRegoParseBuiltins(*r);
    RegisterRegoMetadataBuiltins(*r);
    DeclareBuiltinSignatures(*r);
    return r;
  }();
  return *registry;
}

void BuiltinRegistry::Add(Builtin builtin) {
  std::string name = builtin.name;
  builtins_[name] = std::move(builtin);
}

void BuiltinRegistry::DeclareOperandKinds(std::string_view name, std::vector<uint8_t> kinds) {
  auto it = builtins_.find(std::string(name));
  if (it != builtins_.end()) it->second.operand_kinds = std::move(kinds);
}

const Builtin* BuiltinRegistry::Find(std::string_view name) const {
  auto it = builtins_.find(std::string(name));
  return it == builtins_.end() ? nullptr : &it->second;
}

absl::Status OperandTypeError(std::string_view name, int pos,
                              std::string_view want, const Value& got) {
  std::string message(name);
  message.append(": operand ").append(std::to_string(pos)).append(" must be ");
  message.append(want).append(" but got ").append(KindName(got.kind()));
  return absl::InvalidArgumentError(message);
}

absl::Status BuiltinError(std::string_view name, std::string_view message) {
  std::string text(name);
  text.append(": ").append(message);
  return absl::UnknownError(text);
}

}  // namespace policyd

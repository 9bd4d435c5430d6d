#include <string>

#include "engine/builtins/builtin.h"

namespace policyd {

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

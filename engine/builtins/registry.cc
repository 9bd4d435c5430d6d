#include "absl/strings/str_cat.h"
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
    return r;
  }();
  return *registry;
}

void BuiltinRegistry::Add(Builtin builtin) {
  std::string name = builtin.name;
  builtins_[name] = std::move(builtin);
}

const Builtin* BuiltinRegistry::Find(std::string_view name) const {
  auto it = builtins_.find(name);
  return it == builtins_.end() ? nullptr : &it->second;
}

absl::Status OperandTypeError(std::string_view name, int pos,
                              std::string_view want, const Value& got) {
  return absl::InvalidArgumentError(absl::StrCat(
      name, ": operand ", pos, " must be ", want, " but got ",
      KindName(got.kind())));
}

absl::Status BuiltinError(std::string_view name, std::string_view message) {
  return absl::UnknownError(absl::StrCat(name, ": ", message));
}

}  // namespace policyd

// Rego text -> module, query and value parsers: any bytes give a tree or a
// rego_parse_error, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/syntax/parser.h"
#include "engine/syntax/printer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto module = policyd::ast::ParseModule("f.rego", text, policyd::ast::RegoVersion::kV1);
  if (module.ok()) {
    for (const auto& rule : module->rules) (void)policyd::ast::RuleString(rule);
  }
  (void)policyd::ast::ParseModule("f.rego", text, policyd::ast::RegoVersion::kV0);
  (void)policyd::ast::ParseQuery(text);
  (void)policyd::ast::ParseValue(text);
  return 0;
}

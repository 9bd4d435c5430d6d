// The encoding family is spread over several files; RegisterEncodingBuiltins
// (encoding.cc) registers all of them through these.
#ifndef POLICYD_ENGINE_BUILTINS_ENCODING_PARTS_H_
#define POLICYD_ENGINE_BUILTINS_ENCODING_PARTS_H_

#include "engine/builtins/builtin.h"

namespace policyd {

void RegisterJsonSchemaBuiltins(BuiltinRegistry& registry);  // jsonschema.cc
void RegisterUrlQueryBuiltins(BuiltinRegistry& registry);    // urlquery.cc
void RegisterYamlBuiltins(BuiltinRegistry& registry);        // yaml.cc

}  // namespace policyd

#endif  // POLICYD_ENGINE_BUILTINS_ENCODING_PARTS_H_

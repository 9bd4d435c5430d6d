// The parsed modules of the bundles of the last snapshot, kept so that a
// reload parses only what changed. Parsing a module depends on nothing but
// its file name, text and syntax version, so its parse is sound to reuse;
// compiling is not: rule trees and references span modules and bundles, so
// every snapshot still compiles the whole set (Engine::CompileParsed).
//
// A bundle that did not change (the same Bundle object, as the store keeps
// it) reuses all its parsed modules; in a bundle that changed, each module
// whose file name, version and text are those of the previous version
// reuses its parse, and only the others are parsed.
#ifndef POLICYD_BUNDLES_MODULE_CACHE_H_
#define POLICYD_BUNDLES_MODULE_CACHE_H_

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "bundles/bundle.h"
#include "engine/syntax/ast.h"

namespace policyd::bundles {

class ModuleCache {
 public:
  // The parsed modules of `bundles`, in their order, for one compile.
  // Fails with every parse error, one per line ("NAME/FILE:L:C: ..."), as
  // Engine::Compile reports them. Afterwards the cache holds the bundles
  // given (a bundle that failed to parse keeps its previous entry).
  absl::StatusOr<std::vector<ast::Module>> Parse(
      const std::vector<std::shared_ptr<const Bundle>>& bundles);

  // Modules parsed, and modules reused, by the last Parse().
  size_t parsed() const { return parsed_; }
  size_t reused() const { return reused_; }

 private:
  struct Entry {
    std::shared_ptr<const Bundle> bundle;
    std::vector<ast::Module> modules;  // as bundle->modules
  };
  // Fills `out` for `bundle`, reusing what `previous` (may be null) holds.
  absl::Status ParseBundle(const std::shared_ptr<const Bundle>& bundle,
                           const Entry* previous, Entry* out);

  std::map<std::string, Entry> by_name_;  // bundle name -> entry
  size_t parsed_ = 0;
  size_t reused_ = 0;
};

}  // namespace policyd::bundles

#endif  // POLICYD_BUNDLES_MODULE_CACHE_H_

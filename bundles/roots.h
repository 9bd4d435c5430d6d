// Bundle roots: the parts of `data` a bundle owns. A root is a "/"-separated
// path ("" owns everything); a path lies within a root when the root's
// segments are a prefix of its segments.
#ifndef POLICYD_BUNDLES_ROOTS_H_
#define POLICYD_BUNDLES_ROOTS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "engine/value/value.h"

namespace policyd::bundles {

using DataPath = std::vector<std::string>;

// "a/b" -> {"a", "b"}; "" -> {}.
DataPath SplitRoot(std::string_view root);
// "data.a.b" style text for messages; {} is "data".
std::string DataPathText(const DataPath& path);

bool PathWithinRoots(const DataPath& path,
                     const std::vector<std::string>& roots);

// True when one root contains the other.
bool RootsOverlap(std::string_view a, std::string_view b);

// OK when every value of the document `value` placed at `path` lies within
// `roots`: either `path` itself does, or `path` leads towards a root and
// `value` is an object whose keys keep within the roots. The error names
// the offending data path.
absl::Status CheckDataWithinRoots(const DataPath& path, const Value& value,
                                  const std::vector<std::string>& roots);

}  // namespace policyd::bundles

#endif  // POLICYD_BUNDLES_ROOTS_H_

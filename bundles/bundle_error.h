// One reason a bundle could not be activated, kept by the store for the
// status API, metrics and the log.
#ifndef POLICYD_BUNDLES_BUNDLE_ERROR_H_
#define POLICYD_BUNDLES_BUNDLE_ERROR_H_

#include <string>
#include <vector>

#include "absl/status/status.h"

namespace policyd::bundles {

struct BundleError {
  std::string bundle;  // the bundle at fault ("" when none can be named)
  std::string file;    // bundle-relative, "" when not about one file
  int line = 0;        // 0 when unknown
  int col = 0;
  std::string message;

  // "bundle authz: policy.rego:3:5: rego_parse_error: ..."
  std::string ToString() const;
};

// Splits an engine status whose lines read `BUNDLE/FILE:LINE:COL: TEXT` (or
// `BUNDLE/FILE:LINE: TEXT`) into errors; a line without that shape becomes
// an error of bundle "" carrying the whole line.
std::vector<BundleError> ErrorsFromCompileStatus(const absl::Status& status);

// Marks a bundle-loading error as being about `file` (bundle-relative); the
// message should start with "FILE: ".
absl::Status WithErrorFile(absl::Status status, const std::string& file);

// The error of bundle `bundle` from a status returned while loading it: the
// file marked by WithErrorFile (its "FILE: " prefix moved out of the
// message) and, when the message gives one, the "line L, column C".
BundleError ErrorFromLoadStatus(const std::string& bundle,
                                const absl::Status& status);

}  // namespace policyd::bundles

#endif  // POLICYD_BUNDLES_BUNDLE_ERROR_H_

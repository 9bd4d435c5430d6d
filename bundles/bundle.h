// One bundle read, verified and checked on its own: its manifest, its Rego
// modules (each with the syntax version its manifest gives it) and its data
// documents at their places in `data`, all within the manifest's roots.
// Checks that involve other bundles (overlapping roots, merged data) belong
// to the snapshot.
#ifndef POLICYD_BUNDLES_BUNDLE_H_
#define POLICYD_BUNDLES_BUNDLE_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bundles/manifest.h"
#include "bundles/reader.h"
#include "bundles/roots.h"
#include "bundles/signature.h"
#include "engine/engine.h"

namespace policyd::bundles {

struct LoadOptions {
  ReadLimits limits;
  SignatureOptions signatures;
};

struct DataDocument {
  DataPath path;       // where in `data` the document goes
  std::string file;    // bundle-relative, for messages
  Value value;
};

struct Bundle {
  std::string name;
  Manifest manifest;
  // `filename` is "NAME/PATH" so that compile errors name the bundle.
  std::vector<SourceModule> modules;
  std::vector<DataDocument> data;
  // The other *.yaml / *.yml files (not data files), untouched: a layer
  // above (admission) reads Kubernetes objects from them.
  std::vector<BundleFile> yaml_files;
  absl::Time loaded;
};

// Reads the bundle at `path` (directory or .tar.gz) and checks it. Errors
// start with the file at fault ("roles/data.json: ...") when there is one.
absl::StatusOr<Bundle> LoadBundle(const std::string& name,
                                  const std::string& path,
                                  const LoadOptions& options);

// The same for files already in memory.
absl::StatusOr<Bundle> BundleFromFiles(const std::string& name,
                                       const std::vector<BundleFile>& files,
                                       const SignatureOptions& signatures);

}  // namespace policyd::bundles

#endif  // POLICYD_BUNDLES_BUNDLE_H_

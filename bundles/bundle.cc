#include "bundles/bundle.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "bundles/bundle_error.h"
#include "bundles/package_path.h"
#include "bundles/yaml_data.h"
#include "engine/value/json.h"
#include "util/status_macros.h"

namespace policyd::bundles {
namespace {

// "a/b/data.json" -> {"a", "b"} when the file is a data file.
bool DataFilePath(std::string_view path, DataPath* out) {
  size_t slash = path.rfind('/');
  std::string_view base =
      slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (base != "data.json" && base != "data.yaml" && base != "data.yml") {
    return false;
  }
  *out = SplitRoot(slash == std::string_view::npos ? "" : path.substr(0, slash));
  return true;
}

absl::Status FileError(const std::string& file, absl::string_view message) {
  return WithErrorFile(absl::InvalidArgumentError(absl::StrCat(
                           file, ": ", std::string(message))),
                       file);
}

}  // namespace

absl::StatusOr<Bundle> BundleFromFiles(const std::string& name,
                                       const std::vector<BundleFile>& files,
                                       const SignatureOptions& signatures) {
  if (absl::Status s = VerifyBundleSignature(files, signatures); !s.ok()) {
    return s;
  }
  Bundle bundle;
  bundle.name = name;
  bundle.loaded = absl::Now();
  for (const BundleFile& f : files) {
    if (f.path != ".manifest") continue;
    absl::StatusOr<Manifest> manifest = ParseManifest(f.content);
    if (!manifest.ok()) return WithErrorFile(manifest.status(), f.path);
    bundle.manifest = *std::move(manifest);
  }
  const std::vector<std::string>& roots = bundle.manifest.roots;
  for (const BundleFile& f : files) {
    DataPath data_path;
    if (absl::EndsWith(f.path, ".rego")) {
      if (std::optional<DataPath> package = ModulePackagePath(f.content);
          package.has_value() && !PathWithinRoots(*package, roots)) {
        return FileError(
            f.path, absl::StrCat("package ", DataPathText(*package),
                                 " is outside the bundle's roots [\"",
                                 absl::StrJoin(roots, "\", \""), "\"]"));
      }
      bundle.modules.push_back({absl::StrCat(name, "/", f.path), f.content,
                                bundle.manifest.VersionOf(f.path)});
    } else if (DataFilePath(f.path, &data_path)) {
      absl::StatusOr<Value> value = absl::EndsWith(f.path, ".json")
                                        ? ParseJson(f.content)
                                        : ParseYaml(f.content);
      if (!value.ok()) return FileError(f.path, value.status().message());
      if (data_path.empty() && !value->is_object()) {
        return FileError(f.path,
                         "data at the top of a bundle must be an object");
      }
      if (absl::Status s = CheckDataWithinRoots(data_path, *value, roots);
          !s.ok()) {
        return FileError(f.path, s.message());
      }
      bundle.data.push_back({std::move(data_path), f.path, *std::move(value)});
    } else if (absl::EndsWith(f.path, ".yaml") ||
               absl::EndsWith(f.path, ".yml")) {
      bundle.yaml_files.push_back(f);
    }
  }
  return bundle;
}

absl::StatusOr<Bundle> LoadBundle(const std::string& name,
                                  const std::string& path,
                                  const LoadOptions& options) {
  POLICYD_ASSIGN_OR_RETURN(std::vector<BundleFile> files, ReadBundleFiles(path, options.limits));
  return BundleFromFiles(name, files, options.signatures);
}

}  // namespace policyd::bundles

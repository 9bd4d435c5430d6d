#include "service/cli/build_command.h"

#include <filesystem>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bundles/bundle.h"
#include "bundles/data_tree.h"
#include "bundles/manifest.h"
#include "bundles/reader.h"
#include "bundles/signature.h"
#include "bundles/signer.h"
#include "bundles/writer.h"
#include "engine/engine.h"
#include "engine/value/json.h"
#include "service/cli/eval_output.h"
#include "service/cli/flag_args.h"
#include "service/cli/policy_loader.h"
#include "util/files.h"

namespace policyd {
namespace {

constexpr std::string_view kUsage =
    "Usage: policyd build [-b] PATH... [-o FILE] [--revision R] [--ignore GLOB]...\n"
    "                     [--v0-compatible] [--signing-key KEY [--signing-alg ALG]\n"
    "                     [--claims-file FILE] [--scope S]]\n"
    "\n"
    "Builds an OPA bundle (.tar.gz) that `policyd serve --bundles` and OPA load.\n"
    "Every module is compiled first; a compile error fails the build.\n"
    "\n"
    "  -b, --bundle         PATH is a bundle directory (or .tar.gz): its\n"
    "                       .manifest (roots, rego_version, metadata) is kept\n"
    "  -o, --output FILE    the bundle to write (default bundle.tar.gz)\n"
    "  -r, --revision R     the manifest's revision\n"
    "  --ignore GLOB        skip files and directories whose name matches\n"
    "                       GLOB (e.g. '*_test.rego', '.*'); may repeat\n"
    "  --v0-compatible      without -b: the modules are Rego v0\n"
    "  --signing-key KEY    sign the bundle: KEY is a PEM private key file\n"
    "                       (RS*, PS*, ES*, EdDSA), or for HS* a file holding\n"
    "                       the secret, or the secret itself\n"
    "  --signing-alg ALG    the JWS algorithm (default RS256)\n"
    "  --claims-file FILE   a JSON object of claims for the signature's payload\n"
    "  --scope S            the signature's scope claim\n"
    "\n"
    "Exit status: 0 when written, 1 on a load, compile or signing error,\n"
    "2 on a usage error.\n";

struct BuildArgs {
  std::vector<std::string> paths;
  bool bundle = false;
  bool v0 = false;
  std::string output = "bundle.tar.gz";
  std::optional<std::string> revision;
  std::vector<std::string> ignore;
  std::string signing_key;
  std::string signing_alg = "RS256";
  std::string claims_file;
  std::string scope;
};

absl::StatusOr<BuildArgs> ParseArgs(const std::vector<std::string>& args) {
  BuildArgs parsed;
  bool signing_flags = false;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string value;
    const std::string& arg = args[i];
    if (TakeFlagValue(args, &i, "-o", "--output", &value)) {
      parsed.output = value;
    } else if (TakeFlagValue(args, &i, "-r", "--revision", &value)) {
      parsed.revision = value;
    } else if (TakeFlagValue(args, &i, "", "--ignore", &value)) {
      parsed.ignore.push_back(value);
    } else if (TakeFlagValue(args, &i, "", "--signing-key", &value)) {
      parsed.signing_key = value;
    } else if (TakeFlagValue(args, &i, "", "--signing-alg", &value)) {
      parsed.signing_alg = value;
      signing_flags = true;
    } else if (TakeFlagValue(args, &i, "", "--claims-file", &value)) {
      parsed.claims_file = value;
      signing_flags = true;
    } else if (TakeFlagValue(args, &i, "", "--scope", &value)) {
      parsed.scope = value;
      signing_flags = true;
    } else if (arg == "-b" || arg == "--bundle") {
      parsed.bundle = true;
    } else if (arg == "--v0-compatible") {
      parsed.v0 = true;
    } else if (absl::StartsWith(arg, "-")) {
      return absl::InvalidArgumentError("unknown or incomplete flag " + arg);
    } else {
      parsed.paths.push_back(arg);
    }
  }
  if (parsed.paths.empty()) {
    return absl::InvalidArgumentError("expected at least one PATH");
  }
  if (parsed.bundle && parsed.paths.size() != 1) {
    return absl::InvalidArgumentError("-b takes exactly one bundle PATH");
  }
  if (signing_flags && parsed.signing_key.empty()) {
    return absl::InvalidArgumentError(
        "--signing-alg, --claims-file and --scope need --signing-key");
  }
  return parsed;
}

// What goes into the bundle: the files to write and what to compile.
struct Contents {
  bundles::Manifest manifest;
  std::vector<bundles::BundleFile> modules;  // bundle-relative paths
  std::vector<SourceModule> sources;         // for compiling
  Value data;
};

std::string BundlePathOf(std::string path) {
  path = std::filesystem::path(path).lexically_normal().generic_string();
  while (absl::StartsWith(path, "/")) path.erase(0, 1);
  return path;
}

absl::StatusOr<Contents> FromPaths(const BuildArgs& args) {
  ast::RegoVersion version = args.v0 ? ast::RegoVersion::kV0 : ast::RegoVersion::kV1;
  absl::StatusOr<LoadedPolicies> loaded =
      LoadPolicyPaths(args.paths, version, args.ignore);
  if (!loaded.ok()) return loaded.status();
  Contents contents;
  contents.manifest.rego_version = version;
  for (SourceModule& module : loaded->modules) {
    contents.modules.push_back({BundlePathOf(module.filename), module.text});
    contents.sources.push_back(std::move(module));
  }
  contents.data = std::move(loaded->data);
  return contents;
}

absl::StatusOr<Contents> FromBundle(const BuildArgs& args) {
  const std::string& path = args.paths.front();
  absl::StatusOr<std::vector<bundles::BundleFile>> files =
      bundles::ReadBundleFiles(path, bundles::ReadLimits());
  if (!files.ok()) return files.status();
  std::vector<bundles::BundleFile> kept;
  for (bundles::BundleFile& file : *files) {
    // An old signature would not match the rebuilt bundle.
    if (file.path == bundles::kSignaturesFile ||
        IsIgnoredPath(file.path, args.ignore)) {
      continue;
    }
    kept.push_back(std::move(file));
  }
  absl::StatusOr<bundles::Bundle> bundle =
      bundles::BundleFromFiles(path, kept, bundles::SignatureOptions());
  if (!bundle.ok()) return bundle.status();
  Contents contents;
  contents.manifest = bundle->manifest;
  for (bundles::BundleFile& file : kept) {
    if (absl::EndsWith(file.path, ".rego")) contents.modules.push_back(std::move(file));
  }
  contents.sources = std::move(bundle->modules);
  bundles::DataTree data;
  for (bundles::DataDocument& doc : bundle->data) {
    absl::Status status = data.Insert(doc.path, std::move(doc.value), doc.file);
    if (!status.ok()) return status;
  }
  contents.data = data.Build();
  return contents;
}

absl::StatusOr<bundles::SigningOptions> SigningFrom(const BuildArgs& args) {
  bundles::SigningOptions signing;
  signing.algorithm = args.signing_alg;
  signing.scope = args.scope;
  absl::StatusOr<std::string> key = ReadFile(args.signing_key);
  if (key.ok()) {
    signing.key = *std::move(key);
  } else if (absl::StartsWith(args.signing_alg, "HS")) {
    signing.key = args.signing_key;  // OPA takes an HMAC secret as is
  } else {
    return key.status();
  }
  if (!args.claims_file.empty()) {
    absl::StatusOr<std::string> text = ReadFile(args.claims_file);
    if (!text.ok()) return text.status();
    absl::StatusOr<Value> claims = ParseJson(*text);
    if (!claims.ok() || !claims->is_object()) {
      return absl::InvalidArgumentError(
          absl::StrCat(args.claims_file, ": the claims must be a JSON object"));
    }
    signing.claims = *std::move(claims);
  }
  return signing;
}

absl::Status Build(const BuildArgs& args) {
  absl::StatusOr<Contents> contents = args.bundle ? FromBundle(args) : FromPaths(args);
  if (!contents.ok()) return contents.status();
  absl::StatusOr<std::shared_ptr<const Engine>> engine =
      Engine::Compile(contents->sources, contents->data);
  if (!engine.ok()) return engine.status();

  if (args.revision) contents->manifest.revision = *args.revision;
  std::vector<bundles::BundleFile> files;
  files.push_back({".manifest", bundles::ManifestJson(contents->manifest)});
  // Compact JSON with sorted keys: the bytes OPA hashes for a JSON file.
  files.push_back({"data.json", contents->data.ToJson()});
  for (bundles::BundleFile& module : contents->modules) files.push_back(std::move(module));
  if (!args.signing_key.empty()) {
    absl::StatusOr<bundles::SigningOptions> signing = SigningFrom(args);
    if (!signing.ok()) return signing.status();
    absl::StatusOr<std::string> signatures = bundles::SignBundle(files, *signing);
    if (!signatures.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("signing: ", signatures.status().message()));
    }
    files.insert(files.begin(),
                 {std::string(bundles::kSignaturesFile), *std::move(signatures)});
  }
  return bundles::WriteBundleTarball(files, args.output);
}

int RunBuild(const std::vector<std::string>& args, std::ostream& out,
             std::ostream& err) {
  if (WantsHelp(args)) {
    out << kUsage;
    return 0;
  }
  absl::StatusOr<BuildArgs> parsed = ParseArgs(args);
  if (!parsed.ok()) {
    err << "policyd build: " << parsed.status().message() << "\n\n" << kUsage;
    return 2;
  }
  absl::Status status = Build(*parsed);
  if (!status.ok()) {
    err << FormatErrorsPretty(status);
    return 1;
  }
  return 0;
}

}  // namespace

Command BuildCommand() {
  return {"build", "Build an OPA bundle (.tar.gz) from policy and data files",
          RunBuild};
}

}  // namespace policyd

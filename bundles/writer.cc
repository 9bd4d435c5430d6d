#include "bundles/writer.h"

#include <archive.h>
#include <archive_entry.h>

#include <memory>

#include "absl/strings/str_cat.h"

namespace policyd::bundles {
namespace {

Value VersionNumber(ast::RegoVersion version) {
  return Value::Int(version == ast::RegoVersion::kV0 ? 0 : 1);
}

}  // namespace

absl::Status WriteBundleTarball(const std::vector<BundleFile>& files,
                                const std::string& path) {
  std::unique_ptr<archive, decltype(&archive_write_free)> ar(
      archive_write_new(), archive_write_free);
  auto fail = [&](const char* what) {
    return absl::InternalError(absl::StrCat(
        path, ": ", what, ": ", archive_error_string(ar.get()) ? archive_error_string(ar.get()) : "unknown error"));
  };
  if (archive_write_add_filter_gzip(ar.get()) != ARCHIVE_OK ||
      archive_write_set_format_pax_restricted(ar.get()) != ARCHIVE_OK) {
    return fail("cannot set up the archive");
  }
  if (archive_write_open_filename(ar.get(), path.c_str()) != ARCHIVE_OK) {
    return fail("cannot create");
  }
  std::unique_ptr<archive_entry, decltype(&archive_entry_free)> entry(
      archive_entry_new(), archive_entry_free);
  for (const BundleFile& file : files) {
    archive_entry_clear(entry.get());
    std::string name = absl::StrCat("/", file.path);
    archive_entry_set_pathname(entry.get(), name.c_str());
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_perm(entry.get(), 0644);
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(file.content.size()));
    if (archive_write_header(ar.get(), entry.get()) != ARCHIVE_OK) {
      return fail("cannot write an entry header");
    }
    if (!file.content.empty() &&
        archive_write_data(ar.get(), file.content.data(), file.content.size()) !=
            static_cast<la_ssize_t>(file.content.size())) {
      return fail("cannot write an entry");
    }
  }
  if (archive_write_close(ar.get()) != ARCHIVE_OK) return fail("cannot finish");
  return absl::OkStatus();
}

std::string ManifestJson(const Manifest& manifest) {
  std::vector<Value> roots;
  for (const std::string& root : manifest.roots) roots.push_back(Value::String(root));
  std::vector<ObjectEntry> fields = {
      {Value::String("revision"), Value::String(manifest.revision)},
      {Value::String("roots"), Value::Array(std::move(roots))},
      {Value::String("rego_version"), VersionNumber(manifest.rego_version)},
  };
  if (!manifest.file_rego_versions.empty()) {
    std::vector<ObjectEntry> versions;
    for (const auto& [pattern, version] : manifest.file_rego_versions) {
      versions.emplace_back(Value::String(pattern), VersionNumber(version));
    }
    fields.emplace_back(Value::String("file_rego_versions"),
                        Value::Object(std::move(versions)));
  }
  if (manifest.metadata.is_object() && !manifest.metadata.entries().empty()) {
    fields.emplace_back(Value::String("metadata"), manifest.metadata);
  }
  return Value::Object(std::move(fields)).ToJson();
}

}  // namespace policyd::bundles

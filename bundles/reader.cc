#include "bundles/reader.h"

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "util/files.h"
#include "util/status_macros.h"

namespace policyd::bundles {
namespace fs = std::filesystem;
namespace {

// Counts files and bytes against the limits as they are read.
class Budget {
 public:
  Budget(const std::string& bundle, const ReadLimits& limits)
      : bundle_(bundle), limits_(limits) {}

  absl::Status AddFile() {
    if (++files_ > limits_.max_files) {
      return absl::ResourceExhaustedError(absl::StrCat(
          bundle_, ": more than ", limits_.max_files,
          " files; raise the file-count limit if this bundle is trusted"));
    }
    return absl::OkStatus();
  }
  absl::Status AddBytes(uint64_t n) {
    bytes_ += n;
    if (bytes_ > limits_.max_total_bytes) {
      return absl::ResourceExhaustedError(absl::StrCat(
          bundle_, ": more than ", limits_.max_total_bytes,
          " bytes uncompressed; raise the size limit if this bundle is "
          "trusted"));
    }
    return absl::OkStatus();
  }
  uint64_t bytes() const { return bytes_; }

 private:
  const std::string& bundle_;
  const ReadLimits& limits_;
  uint64_t files_ = 0;
  uint64_t bytes_ = 0;
};

bool HasDotDot(absl::string_view path) {
  for (absl::string_view seg : absl::StrSplit(path, '/')) {
    if (seg == "..") return true;
  }
  return false;
}

// Joins `base`'s directory segments and `relative`, resolving "." and "..";
// nullopt when the result would leave the bundle.
std::optional<std::string> ResolveInside(absl::string_view base_dir,
                                         absl::string_view relative) {
  std::vector<std::string> out;
  auto push = [&out](absl::string_view path) {
    for (absl::string_view seg : absl::StrSplit(path, '/', absl::SkipEmpty())) {
      if (seg == ".") continue;
      if (seg == "..") {
        if (out.empty()) return false;
        out.pop_back();
        continue;
      }
      out.emplace_back(seg);
    }
    return true;
  };
  if (!push(base_dir) || !push(relative)) return std::nullopt;
  return absl::StrJoin(out, "/");
}

// `path` names the tarball in messages; `bytes`, when given, holds it
// (otherwise it is read from the file at `path`).
absl::StatusOr<std::vector<BundleFile>> ReadTarball(const std::string& path,
                                                    const std::string* bytes,
                                                    const ReadLimits& limits) {
  std::unique_ptr<archive, decltype(&archive_read_free)> ar(archive_read_new(),
                                                            archive_read_free);
  archive_read_support_filter_gzip(ar.get());
  archive_read_support_format_tar(ar.get());
  auto archive_error = [&](absl::string_view what) {
    const char* detail = archive_error_string(ar.get());
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", what, detail ? ": " : "", detail ? detail : ""));
  };
  int opened = bytes != nullptr
                   ? archive_read_open_memory(ar.get(), bytes->data(), bytes->size())
                   : archive_read_open_filename(ar.get(), path.c_str(), 64 * 1024);
  if (opened != ARCHIVE_OK) {
    return archive_error("not a .tar.gz bundle, or truncated or corrupt archive");
  }
  Budget budget(path, limits);
  std::map<std::string, std::string> files;
  std::map<std::string, std::string> links;  // name -> resolved target
  std::vector<char> buffer(64 * 1024);
  while (true) {
    archive_entry* entry = nullptr;
    int rc = archive_read_next_header(ar.get(), &entry);
    if (rc == ARCHIVE_EOF) break;
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
      return archive_error("truncated or corrupt archive");
    }
    const char* raw_name = archive_entry_pathname(entry);
    std::string name_text = raw_name ? raw_name : "";
    std::optional<std::string> name = ResolveInside("", name_text);
    if (!name.has_value() || HasDotDot(name_text)) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ": entry \"", name_text,
          "\" climbs out of the bundle (path traversal); refused"));
    }
    mode_t type = archive_entry_filetype(entry);
    const char* hardlink = archive_entry_hardlink(entry);
    if (type == AE_IFDIR) continue;
    if (hardlink != nullptr || type == AE_IFLNK) {
      std::string target_text =
          hardlink ? hardlink : archive_entry_symlink(entry);
      std::string dir = name->substr(0, name->rfind('/') == std::string::npos
                                            ? 0
                                            : name->rfind('/'));
      std::optional<std::string> target =
          hardlink ? ResolveInside("", target_text)
                   : (absl::StartsWith(target_text, "/")
                          ? std::nullopt
                          : ResolveInside(dir, target_text));
      if (!target.has_value()) {
        return absl::InvalidArgumentError(absl::StrCat(
            path, ": link \"", name_text, "\" -> \"", target_text,
            "\" points outside the bundle; refused"));
      }
      links[*name] = *target;
      continue;
    }
    if (type != AE_IFREG) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ": entry \"", name_text,
          "\" is not a regular file, directory or link; refused"));
    }
    POLICYD_RETURN_IF_ERROR(budget.AddFile());
    // Refuse early on the declared size; the bytes read are counted too.
    if (archive_entry_size_is_set(entry) && archive_entry_size(entry) > 0 &&
        static_cast<uint64_t>(archive_entry_size(entry)) >
            limits.max_total_bytes - budget.bytes()) {
      return budget.AddBytes(static_cast<uint64_t>(archive_entry_size(entry)));
    }
    std::string content;
    while (true) {
      la_ssize_t n = archive_read_data(ar.get(), buffer.data(), buffer.size());
      if (n == 0) break;
      if (n < 0) return archive_error("truncated or corrupt archive");
      POLICYD_RETURN_IF_ERROR(budget.AddBytes(n));
      content.append(buffer.data(), n);
    }
    files[*name] = std::move(content);
  }
  // Links may name entries that come later in the archive; resolve at the
  // end, following chains of links a bounded number of times.
  for (const auto& [name, first_target] : links) {
    std::string target = first_target;
    for (int hops = 0; hops < 16 && links.count(target); ++hops) {
      target = links.at(target);
    }
    auto it = files.find(target);
    if (it == files.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ": link \"", name, "\" points to \"", first_target,
          "\", which is not a file of the bundle"));
    }
    POLICYD_RETURN_IF_ERROR(budget.AddFile());
    POLICYD_RETURN_IF_ERROR(budget.AddBytes(it->second.size()));
    files[name] = it->second;
  }
  std::vector<BundleFile> out;
  out.reserve(files.size());
  for (auto& [name, content] : files) {
    out.push_back({name, std::move(content)});
  }
  return out;
}

class DirectoryReader {
 public:
  DirectoryReader(const std::string& path, const ReadLimits& limits)
      : path_(path), budget_(path, limits) {}

  absl::StatusOr<std::vector<BundleFile>> Read() {
    std::error_code ec;
    root_ = fs::canonical(path_, ec);
    if (ec) {
      return absl::NotFoundError(
          absl::StrCat(path_, ": cannot open bundle: ", ec.message()));
    }
    POLICYD_RETURN_IF_ERROR(Walk(root_, ""));
    std::sort(files_.begin(), files_.end(),
              [](const BundleFile& a, const BundleFile& b) {
                return a.path < b.path;
              });
    return std::move(files_);
  }

 private:
  bool Inside(const fs::path& p) const {
    auto [root_end, p_it] =
        std::mismatch(root_.begin(), root_.end(), p.begin(), p.end());
    return root_end == root_.end();
  }

  absl::Status Walk(const fs::path& dir, const std::string& relative) {
    // A link to an enclosing directory would loop; the same directory
    // reached by two paths elsewhere is read under both names.
    if (!ancestors_.insert(dir.string()).second) return absl::OkStatus();
    absl::Status status = WalkEntries(dir, relative);
    ancestors_.erase(dir.string());
    return status;
  }

  absl::Status WalkEntries(const fs::path& dir, const std::string& relative) {
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) {
      return absl::UnavailableError(absl::StrCat(
          path_, ": cannot list ", relative.empty() ? "." : relative, ": ",
          ec.message()));
    }
    for (const fs::directory_entry& entry : it) {
      std::string name = entry.path().filename().string();
      if (absl::StartsWith(name, "..")) continue;
      std::string rel = relative.empty() ? name : relative + "/" + name;
      fs::path real = entry.path();
      if (entry.is_symlink(ec)) {
        real = fs::canonical(entry.path(), ec);
        if (ec || !Inside(real)) {
          return absl::InvalidArgumentError(absl::StrCat(
              path_, ": link \"", rel, "\" -> \"",
              fs::read_symlink(entry.path(), ec).string(),
              "\" points outside the bundle; refused"));
        }
      }
      fs::file_status status = fs::status(real, ec);
      if (ec) continue;  // vanished while listing; the next reload sees it
      if (fs::is_directory(status)) {
        POLICYD_RETURN_IF_ERROR(Walk(real, rel));
      } else if (fs::is_regular_file(status)) {
        POLICYD_RETURN_IF_ERROR(ReadFile(real, rel));
      }
    }
    return absl::OkStatus();
  }

  absl::Status ReadFile(const fs::path& real, const std::string& rel) {
    POLICYD_RETURN_IF_ERROR(budget_.AddFile());
    std::error_code ec;
    uint64_t size = fs::file_size(real, ec);
    if (!ec) {
      POLICYD_RETURN_IF_ERROR(budget_.AddBytes(size));
    }
    absl::StatusOr<std::string> read = policyd::ReadFile(real.string());
    if (!read.ok()) {
      return absl::UnavailableError(
          absl::StrCat(path_, ": cannot read ", rel));
    }
    std::string bytes = *std::move(read);
    // A file that grew after it was measured counts at its real size.
    if (bytes.size() > size && !ec) {
      if (absl::Status s = budget_.AddBytes(bytes.size() - size); !s.ok()) {
        return s;
      }
    }
    files_.push_back({rel, std::move(bytes)});
    return absl::OkStatus();
  }

  const std::string& path_;
  Budget budget_;
  fs::path root_;
  std::set<std::string> ancestors_;
  std::vector<BundleFile> files_;
};

}  // namespace

bool IsTarballPath(const std::string& path) {
  return absl::EndsWith(path, ".tar.gz") || absl::EndsWith(path, ".tgz");
}

absl::StatusOr<std::vector<BundleFile>> ReadBundleFiles(
    const std::string& path, const ReadLimits& limits) {
  if (IsTarballPath(path)) return ReadTarball(path, nullptr, limits);
  return DirectoryReader(path, limits).Read();
}

absl::StatusOr<std::vector<BundleFile>> ReadTarballBytes(
    const std::string& name, const std::string& bytes,
    const ReadLimits& limits) {
  return ReadTarball(name, &bytes, limits);
}

}  // namespace policyd::bundles

#include "bundles/persistence.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "util/files.h"

namespace policyd::bundles {
namespace fs = std::filesystem;

absl::StatusOr<std::string> PersistedBundlePath(const std::string& dir,
                                                const std::string& name) {
  if (name.empty() || name == "." || name == ".." ||
      absl::StrContains(name, '/') || absl::StrContains(name, '\0')) {
    return absl::InvalidArgumentError(absl::StrCat(
        "bundle name \"", name, "\" cannot be persisted: it is not a folder name"));
  }
  return (fs::path(dir) / "bundles" / name / "bundle.tar.gz").string();
}

absl::Status PersistBundle(const std::string& dir, const std::string& name,
                           const std::string& bytes) {
  absl::StatusOr<std::string> path = PersistedBundlePath(dir, name);
  if (!path.ok()) return path.status();
  std::error_code ec;
  fs::create_directories(fs::path(*path).parent_path(), ec);
  if (ec) {
    return absl::UnavailableError(absl::StrCat(
        "cannot create ", fs::path(*path).parent_path().string(), ": ", ec.message()));
  }
  std::string tmp = *path + ".tmp";
  auto fail = [&](const char* what) {
    absl::Status s = absl::UnavailableError(
        absl::StrCat("cannot ", what, " ", tmp, ": ", std::strerror(errno)));
    ::unlink(tmp.c_str());
    return s;
  };
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return fail("create");
  size_t written = 0;
  while (written < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      return fail("write");
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    ::close(fd);
    return fail("flush");
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path->c_str()) != 0) return fail("rename");
  // The rename itself reaches the disk with its folder.
  int dir_fd = ::open(fs::path(*path).parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> LoadPersistedBundle(const std::string& dir,
                                                const std::string& name) {
  absl::StatusOr<std::string> path = PersistedBundlePath(dir, name);
  if (!path.ok()) return path.status();
  std::error_code ec;
  if (!fs::exists(*path, ec)) {
    return absl::NotFoundError(absl::StrCat("no persisted copy of bundle \"", name,
                                            "\" at ", *path));
  }
  return ReadFile(*path);
}

}  // namespace policyd::bundles

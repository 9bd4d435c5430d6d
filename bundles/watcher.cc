#include "bundles/watcher.h"

#include <dirent.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <set>
#include <string>
#include <vector>

#include "bundles/fingerprint.h"

namespace policyd::bundles {
namespace {

constexpr uint32_t kWatchMask = IN_CREATE | IN_DELETE | IN_MODIFY |
                                IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO |
                                IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF;

// Every directory under `path`, following links as the reader does.
void Directories(const std::string& path, int depth,
                 std::set<std::pair<dev_t, ino_t>>& seen,
                 std::vector<std::string>& out) {
  struct stat st;
  if (depth > 64 || stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) ||
      !seen.insert({st.st_dev, st.st_ino}).second) {
    return;
  }
  out.push_back(path);
  DIR* dir = opendir(path.c_str());
  if (dir == nullptr) return;
  std::vector<std::string> names;
  while (dirent* e = readdir(dir)) {
    std::string name = e->d_name;
    if (name == "." || name.rfind("..", 0) == 0) continue;
    names.push_back(name);
  }
  closedir(dir);
  for (const std::string& name : names) {
    Directories(path + "/" + name, depth + 1, seen, out);
  }
}

}  // namespace

Watcher::Watcher(Store* store, WatcherOptions options)
    : store_(store), options_(options) {
  stop_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (options_.use_inotify) {
    inotify_fd_ = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  }
  if (inotify_fd_ >= 0) AddWatches();
  // Taken before returning, so that a change made right after construction
  // is seen as a change.
  uint64_t initial = TreeFingerprint(store_->dir());
  thread_ = std::thread([this, initial] { Run(initial); });
}

Watcher::~Watcher() {
  stopping_.store(true);
  uint64_t one = 1;
  if (write(stop_fd_, &one, sizeof(one)) < 0) {
    // The loop also checks `stopping_` at least every poll interval.
  }
  thread_.join();
  if (inotify_fd_ >= 0) close(inotify_fd_);
  if (stop_fd_ >= 0) close(stop_fd_);
}

void Watcher::AddWatches() {
  // Adding a watch again for a directory already watched is a no-op, and
  // the kernel drops watches of removed directories, so re-adding all after
  // each change keeps the set current (new bundle directories, a ConfigMap's
  // new `..2024_...` directory behind `..data`).
  std::set<std::pair<dev_t, ino_t>> seen;
  std::vector<std::string> dirs;
  Directories(store_->dir(), 0, seen, dirs);
  for (const std::string& dir : dirs) {
    inotify_add_watch(inotify_fd_, dir.c_str(), kWatchMask);
  }
}

bool Watcher::Wait(absl::Duration timeout) {
  pollfd fds[2] = {{stop_fd_, POLLIN, 0}, {inotify_fd_, POLLIN, 0}};
  int nfds = inotify_fd_ >= 0 ? 2 : 1;
  int ms = static_cast<int>(absl::ToInt64Milliseconds(timeout));
  poll(fds, nfds, ms < 1 ? 1 : ms);
  if (stopping_.load()) return false;
  if (inotify_fd_ >= 0 && (fds[1].revents & POLLIN)) {
    alignas(inotify_event) char buffer[16 * 1024];
    while (read(inotify_fd_, buffer, sizeof(buffer)) > 0) {
    }
    AddWatches();
  }
  return true;
}

bool Watcher::Sleep(absl::Duration duration) {
  absl::Time deadline = absl::Now() + duration;
  for (absl::Time now = absl::Now(); now < deadline; now = absl::Now()) {
    if (!Wait(deadline - now)) return false;
  }
  return true;
}

void Watcher::Run(uint64_t last) {
  while (Wait(options_.poll_interval)) {
    uint64_t now = TreeFingerprint(store_->dir());
    if (now == last) continue;
    // Debounce: wait until the tree stops changing.
    while (true) {
      if (!Sleep(options_.quiet)) return;
      uint64_t again = TreeFingerprint(store_->dir());
      if (again == now) break;
      now = again;
    }
    store_->Reload().IgnoreError();  // errors are in the store's status
    reloads_.fetch_add(1);
    last = now;
  }
}

}  // namespace policyd::bundles

#include "bundles/fingerprint.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <set>
#include <string_view>
#include <vector>

namespace policyd::bundles {
namespace {

// FNV-1a: stable and good enough to detect change.
class Hasher {
 public:
  void Add(std::string_view bytes) {
    for (unsigned char c : bytes) {
      h_ ^= c;
      h_ *= 1099511628211ull;
    }
    h_ ^= 0xff;  // separates fields
    h_ *= 1099511628211ull;
  }
  void Add(uint64_t n) {
    Add(std::string_view(reinterpret_cast<const char*>(&n), sizeof(n)));
  }
  uint64_t value() const { return h_; }

 private:
  uint64_t h_ = 14695981039346656037ull;
};

void Walk(const std::string& path, std::string_view rel, int depth,
          std::set<std::pair<dev_t, ino_t>>& seen, Hasher& h) {
  struct stat st;
  h.Add(rel);
  if (stat(path.c_str(), &st) != 0) {
    h.Add(uint64_t{0});
    return;
  }
  h.Add(static_cast<uint64_t>(st.st_mode));
  h.Add(static_cast<uint64_t>(st.st_ino));
  h.Add(static_cast<uint64_t>(st.st_dev));
  if (!S_ISDIR(st.st_mode)) {
    h.Add(static_cast<uint64_t>(st.st_size));
    h.Add(static_cast<uint64_t>(st.st_mtim.tv_sec));
    h.Add(static_cast<uint64_t>(st.st_mtim.tv_nsec));
    h.Add(static_cast<uint64_t>(st.st_ctim.tv_sec));
    h.Add(static_cast<uint64_t>(st.st_ctim.tv_nsec));
    return;
  }
  if (depth > 64 || !seen.insert({st.st_dev, st.st_ino}).second) return;
  DIR* dir = opendir(path.c_str());
  if (dir == nullptr) return;
  std::vector<std::string> names;
  while (dirent* e = readdir(dir)) {
    std::string_view name = e->d_name;
    if (name.substr(0, 2) == "..") continue;  // also skips ".."
    if (name == ".") continue;
    names.emplace_back(name);
  }
  closedir(dir);
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    Walk(path + "/" + name, std::string(rel) + "/" + name, depth + 1, seen, h);
  }
}

}  // namespace

uint64_t TreeFingerprint(const std::string& path) {
  Hasher h;
  std::set<std::pair<dev_t, ino_t>> seen;
  Walk(path, "", 0, seen, h);
  return h.value();
}

}  // namespace policyd::bundles

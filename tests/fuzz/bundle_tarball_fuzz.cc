// libFuzzer target: a bundle .tar.gz as an operator's directory would hold
// it, read and checked (gzip, tar entries, limits, manifest, data, modules'
// placement). Any input must give a Bundle or an error, never a crash.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "bundles/bundle.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The reader takes a path (it streams large bundles from disk).
  static const std::string path =
      "/tmp/policyd_fuzz_" + std::to_string(::getpid()) + ".tar.gz";
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  policyd::bundles::LoadOptions options;
  options.limits.max_total_bytes = 64 << 20;  // keeps runs fast; bombs still refused
  (void)policyd::bundles::LoadBundle("fuzz", path, options);
  return 0;
}

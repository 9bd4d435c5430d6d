// libFuzzer target: the ext_authz service's decoder of CheckRequest wire
// bytes into the policy's input (varints, lengths, nested messages, maps,
// the body as JSON). Any input must give a Value or an error.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "service/envoy/ext_authz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)policyd::CheckRequestToInput(
      std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}

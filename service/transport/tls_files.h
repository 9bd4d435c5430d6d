// TLS settings of a listener, from PEM files: a certificate chain and key,
// and for mutual TLS the CAs that client certificates must chain to.
#ifndef POLICYD_SERVICE_TRANSPORT_TLS_FILES_H_
#define POLICYD_SERVICE_TRANSPORT_TLS_FILES_H_

#include <string>

namespace policyd {

struct TlsFiles {
  std::string cert_file;
  std::string key_file;
  std::string client_ca_file;  // set: clients must present a certificate

  bool enabled() const { return !cert_file.empty(); }
};

}  // namespace policyd

#endif  // POLICYD_SERVICE_TRANSPORT_TLS_FILES_H_

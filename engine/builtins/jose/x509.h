// X.509 certificates and certificate requests for the crypto builtins:
// parsing as Go's crypto/x509 accepts them, and the JSON shape Go gives
// x509.Certificate / x509.CertificateRequest, which OPA returns to policies
// (field names like "Subject", "NotAfter", "DNSNames"; []byte as base64;
// absent lists as null).
#ifndef POLICYD_ENGINE_BUILTINS_JOSE_X509_H_
#define POLICYD_ENGINE_BUILTINS_JOSE_X509_H_

#include <openssl/x509.h>

#include <memory>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/value/value.h"

namespace policyd {

using X509Ptr = std::shared_ptr<X509>;

// One DER certificate (nothing may follow it). Error: Go's
// "x509: malformed certificate".
absl::StatusOr<X509Ptr> ParseCertificateDer(std::string_view der);

// Concatenated DER certificates, as Go's x509.ParseCertificates.
absl::StatusOr<std::vector<X509Ptr>> ParseCertificatesDer(std::string_view der);

// OPA's reading of a certificates operand: PEM text, or base64 of DER or of
// PEM. Errors as OPA's ("illegal base64 data at input byte 4", "PEM block
// type is 'X', expected CERTIFICATE", "x509: malformed certificate").
absl::StatusOr<std::vector<X509Ptr>> ParseCertificatesOperand(std::string_view text);

// The certificate as Go's JSON of x509.Certificate plus OPA's "URIStrings".
absl::StatusOr<Value> CertificateValue(X509* cert);

// The DER certificate request as Go's JSON of x509.CertificateRequest.
absl::StatusOr<Value> CertificateRequestValue(std::string_view der);

}  // namespace policyd

#endif  // POLICYD_ENGINE_BUILTINS_JOSE_X509_H_

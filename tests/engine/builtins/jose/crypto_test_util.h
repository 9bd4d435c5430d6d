// Test helpers for the crypto and JWT builtins: calling a builtin by name,
// and fresh keys and certificates made with OpenSSL for each test run.
#ifndef POLICYD_TESTS_ENGINE_BUILTINS_JOSE_CRYPTO_TEST_UTIL_H_
#define POLICYD_TESTS_ENGINE_BUILTINS_JOSE_CRYPTO_TEST_UTIL_H_

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <string>
#include <string_view>
#include <vector>

#include "engine/builtins/builtin.h"
#include "engine/builtins/jose/jwk.h"
#include "engine/builtins/jose/x509.h"
#include "engine/value/json.h"
#include "gtest/gtest.h"

namespace policyd::crypto_test {

inline BuiltinResult Call(std::string_view name, std::vector<Value> args,
                          int64_t now_ns = 1700000000LL * 1000000000LL) {
  const Builtin* b = BuiltinRegistry::Default().Find(name);
  if (b == nullptr) return absl::NotFoundError(std::string(name));
  EXPECT_EQ(b->arity, static_cast<int>(args.size())) << name;
  BuiltinContext ctx;
  ctx.now_ns = now_ns;
  return b->fn(ctx, args);
}

// The value of a successful, defined call (fails the test otherwise).
inline Value CallOk(std::string_view name, std::vector<Value> args,
                    int64_t now_ns = 1700000000LL * 1000000000LL) {
  BuiltinResult r = Call(name, std::move(args), now_ns);
  EXPECT_TRUE(r.ok()) << name << ": " << r.status();
  if (!r.ok() || !r->has_value()) {
    ADD_FAILURE() << name << " gave no value";
    return Value();
  }
  return **r;
}

// The error message of a call that must fail.
inline std::string CallError(std::string_view name, std::vector<Value> args,
                             absl::StatusCode code = absl::StatusCode::kUnknown) {
  BuiltinResult r = Call(name, std::move(args));
  EXPECT_FALSE(r.ok()) << name << " did not fail";
  if (r.ok()) return "";
  EXPECT_EQ(r.status().code(), code) << r.status();
  return std::string(r.status().message());
}

inline Value Json(std::string_view text) {
  auto v = ParseJson(text);
  EXPECT_TRUE(v.ok()) << v.status();
  return v.ok() ? *v : Value();
}

inline Value Str(std::string_view s) { return Value::String(s); }

// "RSA" (2048 bits), "P-256"/"P-384"/"P-521", or "ED25519".
inline PkeyPtr GenerateKey(std::string_view type) {
  EVP_PKEY* pkey = nullptr;
  if (type == "RSA") {
    pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048});
  } else if (type == "ED25519") {
    pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  } else {
    pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", std::string(type).c_str());
  }
  EXPECT_NE(pkey, nullptr) << type;
  return AdoptPkey(pkey);
}

template <typename Fn>
std::string ToPem(Fn write) {
  BIO* bio = BIO_new(BIO_s_mem());
  write(bio);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(len));
  BIO_free(bio);
  return out;
}

inline std::string PublicKeyPem(EVP_PKEY* k) {
  return ToPem([k](BIO* b) { PEM_write_bio_PUBKEY(b, k); });
}

// PKCS #8 ("PRIVATE KEY"), or the traditional per-type form ("RSA PRIVATE
// KEY", "EC PRIVATE KEY") when `traditional`.
inline std::string PrivateKeyPem(EVP_PKEY* k, bool traditional = false) {
  return ToPem([k, traditional](BIO* b) {
    if (traditional) {
      PEM_write_bio_PrivateKey_traditional(b, k, nullptr, nullptr, 0, nullptr, nullptr);
    } else {
      PEM_write_bio_PrivateKey(b, k, nullptr, nullptr, 0, nullptr, nullptr);
    }
  });
}

inline std::string CertPem(X509* c) {
  return ToPem([c](BIO* b) { PEM_write_bio_X509(b, c); });
}

inline std::string CertDer(X509* c) {
  unsigned char* buf = nullptr;
  int n = i2d_X509(c, &buf);
  std::string out(reinterpret_cast<char*>(buf), static_cast<size_t>(n));
  OPENSSL_free(buf);
  return out;
}

struct CertSpec {
  std::string cn = "";
  bool is_ca = false;
  std::string san = "";  // e.g. "DNS:a.example, URI:spiffe://x"
  std::string eku = "";  // e.g. "serverAuth,clientAuth"
  long not_before_offset = -3600;  // seconds from now
  long not_after_offset = 3600 * 24 * 365;
  long serial = 1;
};

// A certificate for `key`, signed by `issuer_key` as `issuer` (self-signed
// when issuer is null).
inline X509Ptr MakeCert(const CertSpec& spec, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key) {
  X509Ptr cert(X509_new(), X509_free);
  X509* c = cert.get();
  X509_set_version(c, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(c), spec.serial);
  X509_gmtime_adj(X509_getm_notBefore(c), spec.not_before_offset);
  X509_gmtime_adj(X509_getm_notAfter(c), spec.not_after_offset);
  X509_set_pubkey(c, key);
  X509_NAME* name = X509_get_subject_name(c);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("policyd test"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(spec.cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(c, issuer != nullptr ? X509_get_subject_name(issuer) : name);
  X509V3_CTX v3;
  X509V3_set_ctx_nodb(&v3);
  X509V3_set_ctx(&v3, issuer != nullptr ? issuer : c, c, nullptr, nullptr, 0);
  auto add = [&](const char* ext, const std::string& value) {
    X509_EXTENSION* e = X509V3_EXT_conf(nullptr, &v3, ext, value.c_str());
    EXPECT_NE(e, nullptr) << ext << "=" << value;
    if (e != nullptr) {
      X509_add_ext(c, e, -1);
      X509_EXTENSION_free(e);
    }
  };
  add("basicConstraints", spec.is_ca ? "critical,CA:TRUE" : "CA:FALSE");
  add("keyUsage", spec.is_ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature");
  add("subjectKeyIdentifier", "hash");
  if (issuer != nullptr) add("authorityKeyIdentifier", "keyid");
  if (!spec.san.empty()) add("subjectAltName", spec.san);
  if (!spec.eku.empty()) add("extendedKeyUsage", spec.eku);
  const EVP_MD* md = EVP_PKEY_get_base_id(issuer_key) == EVP_PKEY_ED25519 ? nullptr : EVP_sha256();
  EXPECT_GT(X509_sign(c, issuer_key, md), 0);
  return cert;
}

}  // namespace policyd::crypto_test

#endif  // POLICYD_TESTS_ENGINE_BUILTINS_JOSE_CRYPTO_TEST_UTIL_H_

#include "engine/builtins/jose/jws.h"

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/hmac.h>
#include <openssl/rsa.h>

#include <memory>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace policyd {

namespace {

constexpr JwsAlgorithm kAlgorithms[] = {
    {"HS256", JwsFamily::kHmac, EVP_sha256},     {"HS384", JwsFamily::kHmac, EVP_sha384},
    {"HS512", JwsFamily::kHmac, EVP_sha512},     {"RS256", JwsFamily::kRsaPkcs1, EVP_sha256},
    {"RS384", JwsFamily::kRsaPkcs1, EVP_sha384}, {"RS512", JwsFamily::kRsaPkcs1, EVP_sha512},
    {"PS256", JwsFamily::kRsaPss, EVP_sha256},   {"PS384", JwsFamily::kRsaPss, EVP_sha384},
    {"PS512", JwsFamily::kRsaPss, EVP_sha512},   {"ES256", JwsFamily::kEcdsa, EVP_sha256},
    {"ES384", JwsFamily::kEcdsa, EVP_sha384},    {"ES512", JwsFamily::kEcdsa, EVP_sha512},
    {"EdDSA", JwsFamily::kEdDsa, nullptr},
};

struct PkeyCtxDeleter {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxDeleter>;
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;
struct EcdsaSigDeleter {
  void operator()(ECDSA_SIG* s) const { ECDSA_SIG_free(s); }
};
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, EcdsaSigDeleter>;

const unsigned char* Bytes(std::string_view s) {
  static const unsigned char kEmpty[1] = {0};
  return s.empty() ? kEmpty : reinterpret_cast<const unsigned char*>(s.data());
}

// The key's type fits the algorithm family.
bool KeyFits(JwsFamily family, const CryptoKey& key) {
  if (family == JwsFamily::kHmac) return key.symmetric;
  if (key.symmetric || key.pkey == nullptr) return false;
  int id = EVP_PKEY_get_base_id(key.pkey.get());
  switch (family) {
    case JwsFamily::kRsaPkcs1:
    case JwsFamily::kRsaPss:
      // Go (and so OPA) refuses RSA keys below 1024 bits as insecure.
      return id == EVP_PKEY_RSA && EVP_PKEY_get_bits(key.pkey.get()) >= 1024;
    case JwsFamily::kEcdsa:
      return id == EVP_PKEY_EC;
    case JwsFamily::kEdDsa:
      return id == EVP_PKEY_ED25519;
    case JwsFamily::kHmac:
      break;
  }
  return false;
}

// Sets the RSA padding (and hash) of a sign/verify context.
bool SetupRsa(EVP_PKEY_CTX* ctx, const JwsAlgorithm& alg, bool verify) {
  const EVP_MD* md = alg.md();
  if (EVP_PKEY_CTX_set_signature_md(ctx, md) <= 0) return false;
  if (alg.family == JwsFamily::kRsaPkcs1) {
    return EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) > 0;
  }
  return EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) > 0 &&
         EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md) > 0 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(
             ctx, verify ? RSA_PSS_SALTLEN_AUTO : RSA_PSS_SALTLEN_DIGEST) > 0;
}

// ECDSA r || s (each half of the signature) as DER.
std::string EcdsaDer(std::string_view signature) {
  size_t n = signature.size() / 2;
  BIGNUM* r = BN_bin2bn(Bytes(signature), static_cast<int>(n), nullptr);
  BIGNUM* s = BN_bin2bn(Bytes(signature.substr(n)), static_cast<int>(signature.size() - n),
                        nullptr);
  EcdsaSigPtr sig(ECDSA_SIG_new());
  if (r == nullptr || s == nullptr || sig == nullptr || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return "";
  }
  unsigned char* der = nullptr;
  int len = i2d_ECDSA_SIG(sig.get(), &der);
  if (len <= 0) return "";
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  return out;
}

}  // namespace

const JwsAlgorithm* FindJwsAlgorithm(std::string_view name) {
  for (const JwsAlgorithm& a : kAlgorithms) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

std::string Hmac(const EVP_MD* md, std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(md, Bytes(key), static_cast<int>(key.size()), Bytes(data), data.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string Digest(const EVP_MD* md, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(Bytes(data), data.size(), out, &len, md, nullptr);
  return std::string(reinterpret_cast<char*>(out), len);
}

bool JwsVerify(const JwsAlgorithm& alg, const CryptoKey& key, std::string_view input,
               std::string_view signature) {
  if (!KeyFits(alg.family, key)) return false;
  switch (alg.family) {
    case JwsFamily::kHmac: {
      std::string mac = Hmac(alg.md(), key.secret, input);
      return mac.size() == signature.size() &&
             CRYPTO_memcmp(mac.data(), signature.data(), mac.size()) == 0;
    }
    case JwsFamily::kRsaPkcs1:
    case JwsFamily::kRsaPss: {
      std::string digest = Digest(alg.md(), input);
      PkeyCtxPtr ctx(EVP_PKEY_CTX_new(key.pkey.get(), nullptr));
      return ctx != nullptr && EVP_PKEY_verify_init(ctx.get()) > 0 &&
             SetupRsa(ctx.get(), alg, /*verify=*/true) &&
             EVP_PKEY_verify(ctx.get(), Bytes(signature), signature.size(), Bytes(digest),
                             digest.size()) == 1;
    }
    case JwsFamily::kEcdsa: {
      std::string der = EcdsaDer(signature);
      if (der.empty()) return false;
      std::string digest = Digest(alg.md(), input);
      PkeyCtxPtr ctx(EVP_PKEY_CTX_new(key.pkey.get(), nullptr));
      return ctx != nullptr && EVP_PKEY_verify_init(ctx.get()) > 0 &&
             EVP_PKEY_verify(ctx.get(), Bytes(der), der.size(), Bytes(digest),
                             digest.size()) == 1;
    }
    case JwsFamily::kEdDsa: {
      MdCtxPtr ctx(EVP_MD_CTX_new());
      return ctx != nullptr &&
             EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.pkey.get()) > 0 &&
             EVP_DigestVerify(ctx.get(), Bytes(signature), signature.size(), Bytes(input),
                              input.size()) == 1;
    }
  }
  return false;
}

absl::StatusOr<std::string> JwsSign(const JwsAlgorithm& alg, const CryptoKey& key,
                                    std::string_view input) {
  if (!KeyFits(alg.family, key)) {
    return absl::InvalidArgumentError(
        absl::StrCat("key type does not match the signature algorithm ", std::string(alg.name)));
  }
  auto failed = [&alg] {
    return absl::InternalError(
        absl::StrCat("failed to sign with ", std::string(alg.name), " (is it a private key?)"));
  };
  switch (alg.family) {
    case JwsFamily::kHmac:
      return Hmac(alg.md(), key.secret, input);
    case JwsFamily::kRsaPkcs1:
    case JwsFamily::kRsaPss:
    case JwsFamily::kEcdsa: {
      std::string digest = Digest(alg.md(), input);
      PkeyCtxPtr ctx(EVP_PKEY_CTX_new(key.pkey.get(), nullptr));
      size_t len = 0;
      if (ctx == nullptr || EVP_PKEY_sign_init(ctx.get()) <= 0 ||
          (alg.family != JwsFamily::kEcdsa && !SetupRsa(ctx.get(), alg, /*verify=*/false)) ||
          EVP_PKEY_sign(ctx.get(), nullptr, &len, Bytes(digest), digest.size()) <= 0) {
        return failed();
      }
      std::string sig(len, '\0');
      if (EVP_PKEY_sign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                        Bytes(digest), digest.size()) <= 0) {
        return failed();
      }
      sig.resize(len);
      if (alg.family != JwsFamily::kEcdsa) return sig;
      // DER to fixed-size r || s.
      const unsigned char* p = Bytes(sig);
      EcdsaSigPtr parsed(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size())));
      if (parsed == nullptr) return failed();
      int size = (EVP_PKEY_get_bits(key.pkey.get()) + 7) / 8;
      std::string out(static_cast<size_t>(2 * size), '\0');
      auto* o = reinterpret_cast<unsigned char*>(out.data());
      BN_bn2binpad(ECDSA_SIG_get0_r(parsed.get()), o, size);
      BN_bn2binpad(ECDSA_SIG_get0_s(parsed.get()), o + size, size);
      return out;
    }
    case JwsFamily::kEdDsa: {
      MdCtxPtr ctx(EVP_MD_CTX_new());
      size_t len = 0;
      if (ctx == nullptr ||
          EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.pkey.get()) <= 0 ||
          EVP_DigestSign(ctx.get(), nullptr, &len, Bytes(input), input.size()) <= 0) {
        return failed();
      }
      std::string sig(len, '\0');
      if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                         Bytes(input), input.size()) <= 0) {
        return failed();
      }
      sig.resize(len);
      return sig;
    }
  }
  return failed();
}

}  // namespace policyd

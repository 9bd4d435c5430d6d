// crypto.*: digests, HMACs, X.509 certificates and private keys, with OPA's
// semantics and messages.
#include <openssl/crypto.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "engine/builtins/args.h"
#include "engine/builtins/base64.h"
#include "engine/builtins/builtin.h"
#include "engine/builtins/jose/jwk.h"
#include "engine/builtins/jose/jws.h"
#include "engine/builtins/jose/pem.h"
#include "engine/builtins/jose/x509.h"
#include "util/hex.h"

namespace policyd {

namespace {

// Error of a failed operation, as OPA reports a Go error: "NAME: MESSAGE".
absl::Status Fail(std::string_view name, const absl::Status& status) {
  return BuiltinError(name, std::string(status.message()));
}

template <const char* kName, const EVP_MD* (*kMd)()>
BuiltinResult DigestBuiltin(BuiltinContext&, absl::Span<const Value> args) {
  POLICYD_RETURN_IF_ERROR(CheckOperand(kName, 1, args[0], Kind::kString));
  return StringResult(HexEncode(Digest(kMd(), args[0].string())));
}

template <const char* kName, const EVP_MD* (*kMd)()>
BuiltinResult HmacBuiltin(BuiltinContext&, absl::Span<const Value> args) {
  POLICYD_RETURN_IF_ERROR(CheckOperand(kName, 1, args[0], Kind::kString));
  POLICYD_RETURN_IF_ERROR(CheckOperand(kName, 2, args[1], Kind::kString));
  return StringResult(HexEncode(Hmac(kMd(), args[1].string(), args[0].string())));
}

constexpr char kMd5[] = "crypto.md5";
constexpr char kSha1[] = "crypto.sha1";
constexpr char kSha256[] = "crypto.sha256";
constexpr char kHmacMd5[] = "crypto.hmac.md5";
constexpr char kHmacSha1[] = "crypto.hmac.sha1";
constexpr char kHmacSha256[] = "crypto.hmac.sha256";
constexpr char kHmacSha512[] = "crypto.hmac.sha512";

BuiltinResult HmacEqual(BuiltinContext&, absl::Span<const Value> args) {
  constexpr std::string_view name = "crypto.hmac.equal";
  POLICYD_RETURN_IF_ERROR(CheckOperand(name, 1, args[0], Kind::kString));
  POLICYD_RETURN_IF_ERROR(CheckOperand(name, 2, args[1], Kind::kString));
  std::string_view a = args[0].string(), b = args[1].string();
  // Constant time in the contents (the lengths are not secret).
  return BoolResult(a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0);
}

absl::StatusOr<Value> CertificatesValue(const std::vector<X509Ptr>& certs) {
  std::vector<Value> out;
  for (const X509Ptr& c : certs) {
    POLICYD_ASSIGN_OR_RETURN(auto v, CertificateValue(c.get()));
    out.push_back(std::move(v));
  }
  return Value::Array(std::move(out));
}

BuiltinResult ParseCertificates(BuiltinContext&, absl::Span<const Value> args) {
  constexpr std::string_view name = "crypto.x509.parse_certificates";
  POLICYD_RETURN_IF_ERROR(CheckOperand(name, 1, args[0], Kind::kString));
  auto certs = ParseCertificatesOperand(args[0].string());
  if (!certs.ok()) return Fail(name, certs.status());
  auto v = CertificatesValue(*certs);
  if (!v.ok()) return Fail(name, v.status());
  return std::optional<Value>(*std::move(v));
}

// Go's x509.ExtKeyUsage numbers by OPA's option names.
constexpr std::pair<std::string_view, int> kKeyUsages[] = {
    {"KeyUsageAny", 0},
    {"KeyUsageServerAuth", 1},
    {"KeyUsageClientAuth", 2},
    {"KeyUsageCodeSigning", 3},
    {"KeyUsageEmailProtection", 4},
    {"KeyUsageIPSECEndSystem", 5},
    {"KeyUsageIPSECTunnel", 6},
    {"KeyUsageIPSECUser", 7},
    {"KeyUsageTimeStamping", 8},
    {"KeyUsageOCSPSigning", 9},
    {"KeyUsageMicrosoftServerGatedCrypto", 10},
    {"KeyUsageNetscapeServerGatedCrypto", 11},
    {"KeyUsageMicrosoftCommercialCodeSigning", 12},
    {"KeyUsageMicrosoftKernelCodeSigning", 13},
};

struct VerifyOptions {
  std::string dns_name;
  std::optional<int64_t> current_time_ns;
  std::vector<int> key_usages;  // empty: server auth, as Go
};

// Go's x509 extended key usage numbers of a certificate; nullopt when it has
// no EKU extension (any usage allowed).
std::optional<std::vector<int>> CertExtKeyUsages(X509* cert) {
  auto* usages =
      static_cast<EXTENDED_KEY_USAGE*>(X509_get_ext_d2i(cert, NID_ext_key_usage, nullptr, nullptr));
  if (usages == nullptr) return std::nullopt;
  std::vector<int> out;
  for (int i = 0; i < sk_ASN1_OBJECT_num(usages); ++i) {
    int nid = OBJ_obj2nid(sk_ASN1_OBJECT_value(usages, i));
    for (const auto& [nid_want, go] : {std::pair{NID_anyExtendedKeyUsage, 0},
                                       {NID_server_auth, 1}, {NID_client_auth, 2},
                                       {NID_code_sign, 3}, {NID_email_protect, 4},
                                       {NID_ipsecEndSystem, 5}, {NID_ipsecTunnel, 6},
                                       {NID_ipsecUser, 7}, {NID_time_stamp, 8},
                                       {NID_OCSP_sign, 9}, {NID_ms_sgc, 10}, {NID_ns_sgc, 11},
                                       {NID_ms_code_com, 12}}) {
      if (nid == nid_want) out.push_back(go);
    }
  }
  EXTENDED_KEY_USAGE_free(usages);
  return out;
}

// OPA's verifyX509CertificateChain: certs[0] is the trusted root, the last
// is the leaf, the others intermediates. Returns the chain leaf first.
absl::StatusOr<std::vector<X509Ptr>> VerifyChain(const std::vector<X509Ptr>& certs,
                                                 const VerifyOptions& opts, int64_t now_ns) {
  if (certs.size() < 2) {
    return absl::InvalidArgumentError(
        "must supply at least two certificates to be able to verify");
  }
  std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(),
                                                                 X509_STORE_free);
  X509_STORE_add_cert(store.get(), certs[0].get());
  std::unique_ptr<STACK_OF(X509), void (*)(STACK_OF(X509)*)> untrusted(
      sk_X509_new_null(), [](STACK_OF(X509)* s) { sk_X509_free(s); });
  for (size_t i = 1; i + 1 < certs.size(); ++i) sk_X509_push(untrusted.get(), certs[i].get());
  std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> ctx(X509_STORE_CTX_new(),
                                                                       X509_STORE_CTX_free);
  if (X509_STORE_CTX_init(ctx.get(), store.get(), certs.back().get(), untrusted.get()) != 1) {
    return absl::InternalError("x509: cannot verify");
  }
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  // The root need not be self-signed: being in the root pool is trust.
  X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
  X509_VERIFY_PARAM_set_time(param,
                             static_cast<time_t>(opts.current_time_ns.value_or(now_ns) / 1000000000));
  if (!opts.dns_name.empty()) X509_VERIFY_PARAM_set1_host(param, opts.dns_name.c_str(), 0);
  if (X509_verify_cert(ctx.get()) != 1) {
    return absl::InvalidArgumentError(
        X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get())));
  }
  std::vector<X509Ptr> chain;
  STACK_OF(X509)* verified = X509_STORE_CTX_get0_chain(ctx.get());
  for (int i = 0; i < sk_X509_num(verified); ++i) {
    X509* c = sk_X509_value(verified, i);
    X509_up_ref(c);
    chain.emplace_back(c, X509_free);
  }
  // Extended key usage as Go checks it: every certificate of the chain that
  // restricts usages must allow one of the wanted usages.
  std::vector<int> wanted = opts.key_usages.empty() ? std::vector<int>{1} : opts.key_usages;
  bool any_wanted = std::find(wanted.begin(), wanted.end(), 0) != wanted.end();
  if (!any_wanted) {
    bool ok = false;
    for (int usage : wanted) {
      bool allowed = true;
      for (const X509Ptr& c : chain) {
        std::optional<std::vector<int>> ekus = CertExtKeyUsages(c.get());
        if (!ekus) continue;
        if (std::find(ekus->begin(), ekus->end(), 0) == ekus->end() &&
            std::find(ekus->begin(), ekus->end(), usage) == ekus->end()) {
          allowed = false;
        }
      }
      ok = ok || allowed;
    }
    if (!ok) {
      return absl::InvalidArgumentError("x509: certificate specifies an incompatible key usage");
    }
  }
  return chain;
}

BuiltinResult ParseAndVerify(std::string_view name, const Value& input, const VerifyOptions& opts,
                             int64_t now_ns) {
  const std::optional<Value> invalid(Value::Array({Value::Bool(false), Value::Array({})}));
  auto certs = ParseCertificatesOperand(input.string());
  if (!certs.ok()) return invalid;
  auto chain = VerifyChain(*certs, opts, now_ns);
  if (!chain.ok()) return invalid;
  auto v = CertificatesValue(*chain);
  if (!v.ok()) return Fail(name, v.status());
  return std::optional<Value>(Value::Array({Value::Bool(true), *std::move(v)}));
}

BuiltinResult ParseAndVerifyCertificates(BuiltinContext& ctx, absl::Span<const Value> args) {
  constexpr std::string_view name = "crypto.x509.parse_and_verify_certificates";
  POLICYD_RETURN_IF_ERROR(CheckOperand(name, 1, args[0], Kind::kString));
  return ParseAndVerify(name, args[0], VerifyOptions{}, ctx.NowNs());
}

BuiltinResult ParseAndVerifyCertificatesWithOptions(BuiltinContext& ctx,
                                                    absl::Span<const Value> args) {
  constexpr std::string_view name = "crypto.x509.parse_and_verify_certificates_with_options";
  POLICYD_RETURN_IF_ERROR(CheckOperand(name, 1, args[0], Kind::kString));
  POLICYD_RETURN_IF_ERROR(CheckOperand(name, 2, args[1], Kind::kObject));
  VerifyOptions opts;
  for (const auto& [k, v] : args[1].entries()) {
    if (!k.is_string()) continue;
    std::string_view key = k.string();
    if (key == "DNSName") {
      if (!v.is_string()) return BuiltinError(name, "'DNSName' should be a string");
      std::string_view dns = v.string();
      while (!dns.empty() && dns.front() == '"') dns.remove_prefix(1);
      while (!dns.empty() && dns.back() == '"') dns.remove_suffix(1);
      opts.dns_name = std::string(dns);
    } else if (key == "CurrentTime") {
      if (!v.is_number()) return BuiltinError(name, "'CurrentTime' should be a number");
      int64_t ns;
      if (!v.AsInt64(&ns)) {
        return BuiltinError(name, "'CurrentTime' should be a valid int64 number");
      }
      opts.current_time_ns = ns;
    } else if (key == "MaxConstraintComparisons") {
      if (!v.is_number()) {
        return BuiltinError(name, "'MaxConstraintComparisons' should be a number");
      }
      int64_t n;
      if (!v.AsInt64(&n)) {
        return BuiltinError(name, "'MaxConstraintComparisons' should be a valid number");
      }
    } else if (key == "KeyUsages") {
      if (!v.is_array() && !v.is_set()) {
        return BuiltinError(name, "'KeyUsages' should be an Array or Set");
      }
      std::vector<std::string> invalid;
      for (const Value& u : v.elements()) {
        if (!u.is_string()) continue;
        std::string_view s = u.string();
        while (!s.empty() && s.front() == '"') s.remove_prefix(1);
        while (!s.empty() && s.back() == '"') s.remove_suffix(1);
        bool found = false;
        for (const auto& [usage_name, usage] : kKeyUsages) {
          if (usage_name == s) {
            opts.key_usages.push_back(usage);
            found = true;
          }
        }
        if (!found) invalid.emplace_back(s);
      }
      if (!invalid.empty()) {
        std::string list;
        for (const std::string& s : invalid) absl::StrAppend(&list, list.empty() ? "" : " ", s);
        return BuiltinError(name, absl::StrCat("invalid entries for 'KeyUsages' found: [", list,
                                               "]"));
      }
    } else {
      return BuiltinError(name, "invalid key option");
    }
  }
  return ParseAndVerify(name, args[0], opts, ctx.NowNs());
}

BuiltinResult ParseCertificateRequest(BuiltinContext&, absl::Span<const Value> args) {
  constexpr std::string_view name = "crypto.x509.parse_certificate_request";
  POLICYD_RETURN_IF_ERROR(CheckOperand(name, 1, args[0], Kind::kString));
  std::string bytes(args[0].string());
  if (!std::string_view(bytes).starts_with("-----BEGIN CERTIFICATE REQUEST-----")) {
    auto decoded = Base64Decode(bytes, Base64Alphabet::kStd, /*padded=*/true);
    if (!decoded.ok()) return Fail(name, decoded.status());
    bytes = *std::move(decoded);
  }
  std::string_view rest;
  if (std::optional<PemBlock> block = PemDecode(bytes, &rest)) {
    if (block->type != "CERTIFICATE REQUEST") {
      return BuiltinError(name, "invalid PEM-encoded certificate signing request");
    }
    bytes = std::move(block->bytes);
  }
  auto v = CertificateRequestValue(bytes);
  if (!v.ok()) return Fail(name, v.status());
  return std::optional<Value>(*std::move(v));
}

// A DER private key in the format a PEM block type names.
absl::StatusOr<PkeyPtr> ParsePrivateKeyDer(std::string_view type, std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  long len = static_cast<long>(der.size());
  EVP_PKEY* pkey = nullptr;
  if (type == "RSA PRIVATE KEY") {
    pkey = d2i_PrivateKey(EVP_PKEY_RSA, nullptr, &p, len);
  } else if (type == "EC PRIVATE KEY") {
    pkey = d2i_PrivateKey(EVP_PKEY_EC, nullptr, &p, len);
  } else {
    PKCS8_PRIV_KEY_INFO* info = d2i_PKCS8_PRIV_KEY_INFO(nullptr, &p, len);
    if (info != nullptr) {
      pkey = EVP_PKCS82PKEY(info);
      PKCS8_PRIV_KEY_INFO_free(info);
    }
  }
  if (pkey == nullptr) return absl::InvalidArgumentError("x509: failed to parse private key");
  return AdoptPkey(pkey);
}

// OPA's getPrivateKeysFromPEMData: the private keys of the PEM blocks of
// `data` (or of its base64 decoding) typed RSA PRIVATE KEY, PRIVATE KEY or
// EC PRIVATE KEY; other blocks are skipped.
absl::StatusOr<std::vector<PkeyPtr>> PrivateKeysFromPem(std::string_view data) {
  std::string text(data);
  if (auto decoded = Base64Decode(data, Base64Alphabet::kStd, true); decoded.ok()) {
    text = *std::move(decoded);
  }
  std::vector<PkeyPtr> keys;
  std::string_view bs = text;
  while (!bs.empty()) {
    size_t input_len = bs.size();
    std::optional<PemBlock> block = PemDecode(bs, &bs);
    if (input_len == bs.size()) break;  // no further block
    if (!block) continue;
    if (block->type != "RSA PRIVATE KEY" && block->type != "PRIVATE KEY" &&
        block->type != "EC PRIVATE KEY") {
      continue;
    }
    POLICYD_ASSIGN_OR_RETURN(auto key, ParsePrivateKeyDer(block->type, block->bytes));
    keys.push_back(std::move(key));
  }
  return keys;
}

BuiltinResult ParseRsaPrivateKey(BuiltinContext&, absl::Span<const Value> args) {
  constexpr std::string_view name = "crypto.x509.parse_rsa_private_key";
  POLICYD_RETURN_IF_ERROR(CheckOperand(name, 1, args[0], Kind::kString));
  std::string pem(args[0].string());
  if (pem.empty()) return BuiltinError(name, "input PEM data was empty");
  if (!std::string_view(pem).starts_with("-----BEGIN")) {
    auto decoded = Base64Decode(pem, Base64Alphabet::kStd, /*padded=*/true);
    if (!decoded.ok()) return Fail(name, decoded.status());
    pem = *std::move(decoded);
  }
  auto keys = PrivateKeysFromPem(pem);
  if (!keys.ok()) return Fail(name, keys.status());
  if (keys->empty()) return std::optional<Value>(Value::Null());
  auto jwk = PrivateKeyToJwk(keys->front().get());
  if (!jwk.ok()) return Fail(name, jwk.status());
  return std::optional<Value>(*std::move(jwk));
}

BuiltinResult ParsePrivateKeys(BuiltinContext&, absl::Span<const Value> args) {
  constexpr std::string_view name = "crypto.parse_private_keys";
  POLICYD_RETURN_IF_ERROR(CheckOperand(name, 1, args[0], Kind::kString));
  if (args[0].string().empty()) return std::optional<Value>(Value::Null());
  auto keys = PrivateKeysFromPem(args[0].string());
  if (!keys.ok()) return Fail(name, keys.status());
  std::vector<Value> out;
  for (const PkeyPtr& k : *keys) {
    auto v = GoPrivateKeyValue(k.get());
    if (!v.ok()) return Fail(name, v.status());
    out.push_back(*std::move(v));
  }
  return std::optional<Value>(Value::Array(std::move(out)));
}

// A PEM operand of parse_keypair: PEM text, or base64 of PEM or of DER (which
// is then a block of `der_type`).
absl::StatusOr<std::string> KeyPairPem(std::string_view input, std::string_view der_type) {
  std::string text(input);
  if (!std::string_view(text).starts_with("-----BEGIN ")) {
    POLICYD_ASSIGN_OR_RETURN(auto decoded,
                             Base64Decode(text, Base64Alphabet::kStd, /*padded=*/true));
    text = std::move(decoded);
  }
  if (!std::string_view(text).starts_with("-----BEGIN")) {
    std::string b64 = Base64Encode(text, Base64Alphabet::kStd, true);
    std::string pem = absl::StrCat("-----BEGIN ", std::string(der_type), "-----\n");
    for (size_t i = 0; i < b64.size(); i += 64) absl::StrAppend(&pem, b64.substr(i, 64), "\n");
    absl::StrAppend(&pem, "-----END ", std::string(der_type), "-----\n");
    text = std::move(pem);
  }
  return text;
}

// Go's tls.X509KeyPair, as JSON of tls.Certificate.
absl::StatusOr<Value> KeyPair(std::string_view cert_pem, std::string_view key_pem) {
  std::vector<std::string> ders;
  std::string_view rest = cert_pem;
  bool any_block = false;
  while (std::optional<PemBlock> block = PemDecode(rest, &rest)) {
    any_block = true;
    if (block->type == "CERTIFICATE") ders.push_back(std::move(block->bytes));
  }
  if (ders.empty()) {
    return absl::InvalidArgumentError(
        any_block ? "tls: failed to find \"CERTIFICATE\" PEM block in certificate input"
                  : "tls: failed to find any PEM data in certificate input");
  }
  std::optional<PemBlock> key_block;
  rest = key_pem;
  any_block = false;
  while (std::optional<PemBlock> block = PemDecode(rest, &rest)) {
    any_block = true;
    if (block->type == "PRIVATE KEY" || std::string_view(block->type).ends_with(" PRIVATE KEY")) {
      key_block = std::move(block);
      break;
    }
  }
  if (!key_block) {
    return absl::InvalidArgumentError(
        any_block ? "tls: failed to find PEM block with type ending in \"PRIVATE KEY\" in key "
                    "input"
                  : "tls: failed to find any PEM data in key input");
  }
  POLICYD_ASSIGN_OR_RETURN(auto leaf, ParseCertificateDer(ders.front()));
  auto key = ParsePrivateKeyDer(key_block->type, key_block->bytes);
  if (!key.ok()) {
    // Go tries PKCS #1, PKCS #8 and SEC 1 whatever the block type says.
    for (std::string_view type : {"RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY"}) {
      key = ParsePrivateKeyDer(type, key_block->bytes);
      if (key.ok()) break;
    }
    if (!key.ok()) return absl::InvalidArgumentError("tls: failed to parse private key");
  }
  EVP_PKEY* pub = X509_get0_pubkey(leaf.get());
  if (pub == nullptr || EVP_PKEY_get_base_id(pub) != EVP_PKEY_get_base_id(key->get())) {
    return absl::InvalidArgumentError("tls: private key type does not match public key type");
  }
  if (EVP_PKEY_eq(pub, key->get()) != 1) {
    return absl::InvalidArgumentError("tls: private key does not match public key");
  }
  std::vector<Value> certs;
  for (const std::string& der : ders) {
    certs.push_back(Value::String(Base64Encode(der, Base64Alphabet::kStd, true)));
  }
  POLICYD_ASSIGN_OR_RETURN(auto private_key, GoPrivateKeyValue(key->get()));
  POLICYD_ASSIGN_OR_RETURN(auto leaf_value, CertificateValue(leaf.get()));
  return Value::Object({
      {Value::String("Certificate"), Value::Array(std::move(certs))},
      {Value::String("PrivateKey"), std::move(private_key)},
      {Value::String("SupportedSignatureAlgorithms"), Value::Null()},
      {Value::String("OCSPStaple"), Value::Null()},
      {Value::String("SignedCertificateTimestamps"), Value::Null()},
      {Value::String("Leaf"), std::move(leaf_value)},
  });
}

BuiltinResult ParseKeyPair(BuiltinContext&, absl::Span<const Value> args) {
  constexpr std::string_view name = "crypto.x509.parse_keypair";
  POLICYD_RETURN_IF_ERROR(CheckOperand(name, 1, args[0], Kind::kString));
  // OPA reports a bad key operand as operand 1 too.
  POLICYD_RETURN_IF_ERROR(CheckOperand(name, 1, args[1], Kind::kString));
  auto cert = KeyPairPem(args[0].string(), "CERTIFICATE");
  if (!cert.ok()) return Fail(name, cert.status());
  auto key = KeyPairPem(args[1].string(), "PRIVATE KEY");
  if (!key.ok()) return Fail(name, key.status());
  auto v = KeyPair(*cert, *key);
  if (!v.ok()) return Fail(name, v.status());
  return std::optional<Value>(*std::move(v));
}

}  // namespace

void RegisterCryptoBuiltins(BuiltinRegistry& registry) {
  registry.Add({kMd5, 1, DigestBuiltin<kMd5, EVP_md5>});
  registry.Add({kSha1, 1, DigestBuiltin<kSha1, EVP_sha1>});
  registry.Add({kSha256, 1, DigestBuiltin<kSha256, EVP_sha256>});
  registry.Add({kHmacMd5, 2, HmacBuiltin<kHmacMd5, EVP_md5>});
  registry.Add({kHmacSha1, 2, HmacBuiltin<kHmacSha1, EVP_sha1>});
  registry.Add({kHmacSha256, 2, HmacBuiltin<kHmacSha256, EVP_sha256>});
  registry.Add({kHmacSha512, 2, HmacBuiltin<kHmacSha512, EVP_sha512>});
  registry.Add({"crypto.hmac.equal", 2, HmacEqual});
  registry.Add({"crypto.x509.parse_certificates", 1, ParseCertificates});
  // Verification depends on the clock.
  registry.Add({"crypto.x509.parse_and_verify_certificates", 1, ParseAndVerifyCertificates,
                false, true});
  registry.Add({"crypto.x509.parse_and_verify_certificates_with_options", 2,
                ParseAndVerifyCertificatesWithOptions, false, true});
  registry.Add({"crypto.x509.parse_certificate_request", 1, ParseCertificateRequest});
  registry.Add({"crypto.x509.parse_keypair", 2, ParseKeyPair});
  registry.Add({"crypto.x509.parse_rsa_private_key", 1, ParseRsaPrivateKey});
  registry.Add({"crypto.parse_private_keys", 1, ParsePrivateKeys});
}

}  // namespace policyd

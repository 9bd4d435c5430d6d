#include "engine/builtins/jose/x509.h"

#include <arpa/inet.h>
#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <ctime>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "engine/builtins/base64.h"
#include "engine/builtins/jose/jwk.h"
#include "engine/builtins/jose/pem.h"
#include "util/status_macros.h"

namespace policyd {

namespace {

Value Str(std::string_view s) { return Value::String(s); }

// Go marshals []byte as standard base64, and a nil slice as null.
Value BytesValue(std::string_view b) {
  return Value::String(Base64Encode(b, Base64Alphabet::kStd, /*padded=*/true));
}
Value BytesOrNull(const ASN1_STRING* s) {
  if (s == nullptr) return Value::Null();
  return BytesValue(std::string_view(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                                     static_cast<size_t>(ASN1_STRING_length(s))));
}
// A Go slice: null when empty (nil), else an array.
Value ListOrNull(std::vector<Value> v) {
  return v.empty() ? Value::Null() : Value::Array(std::move(v));
}

std::string OidText(const ASN1_OBJECT* obj) {
  char buf[128];
  int n = OBJ_obj2txt(buf, sizeof(buf), obj, /*no_name=*/1);
  return n > 0 ? std::string(buf, static_cast<size_t>(std::min<int>(n, sizeof(buf) - 1))) : "";
}

// asn1.ObjectIdentifier marshals as an array of ints.
Value OidValue(const ASN1_OBJECT* obj) {
  std::vector<Value> arcs;
  for (absl::string_view arc : absl::StrSplit(OidText(obj), '.')) {
    int64_t n = 0;
    if (absl::SimpleAtoi(arc, &n)) arcs.push_back(Value::Int(n));
  }
  return Value::Array(std::move(arcs));
}

std::string Utf8(const ASN1_STRING* s) {
  unsigned char* out = nullptr;
  int n = ASN1_STRING_to_UTF8(&out, s);
  if (n < 0) return "";
  std::string r(reinterpret_cast<char*>(out), static_cast<size_t>(n));
  OPENSSL_free(out);
  return r;
}

Value BigNumValue(const BIGNUM* bn) {
  char* dec = BN_bn2dec(bn);
  Value v = Value::NumberFromText(dec).value_or(Value::Int(0));
  OPENSSL_free(dec);
  return v;
}

// Go's pkix.Name.
Value NameValue(const X509_NAME* name) {
  std::vector<Value> country, org, ou, locality, province, street, postal, names;
  std::string serial, cn;
  for (int i = 0; i < X509_NAME_entry_count(name); ++i) {
    const X509_NAME_ENTRY* e = X509_NAME_get_entry(name, i);
    const ASN1_OBJECT* obj = X509_NAME_ENTRY_get_object(e);
    std::string value = Utf8(X509_NAME_ENTRY_get_data(e));
    names.push_back(Value::Object({{Str("Type"), OidValue(obj)}, {Str("Value"), Str(value)}}));
    switch (OBJ_obj2nid(obj)) {
      case NID_countryName: country.push_back(Str(value)); break;
      case NID_organizationName: org.push_back(Str(value)); break;
      case NID_organizationalUnitName: ou.push_back(Str(value)); break;
      case NID_localityName: locality.push_back(Str(value)); break;
      case NID_stateOrProvinceName: province.push_back(Str(value)); break;
      case NID_streetAddress: street.push_back(Str(value)); break;
      case NID_postalCode: postal.push_back(Str(value)); break;
      case NID_serialNumber: serial = value; break;
      case NID_commonName: cn = value; break;
      default: break;
    }
  }
  return Value::Object({
      {Str("Country"), ListOrNull(std::move(country))},
      {Str("Organization"), ListOrNull(std::move(org))},
      {Str("OrganizationalUnit"), ListOrNull(std::move(ou))},
      {Str("Locality"), ListOrNull(std::move(locality))},
      {Str("Province"), ListOrNull(std::move(province))},
      {Str("StreetAddress"), ListOrNull(std::move(street))},
      {Str("PostalCode"), ListOrNull(std::move(postal))},
      {Str("SerialNumber"), Str(serial)},
      {Str("CommonName"), Str(cn)},
      {Str("Names"), ListOrNull(std::move(names))},
      {Str("ExtraNames"), Value::Null()},
  });
}

// Go's time.Time JSON (RFC 3339).
Value TimeValue(const ASN1_TIME* t) {
  struct tm tm = {};
  if (ASN1_TIME_to_tm(t, &tm) != 1) return Str("0001-01-01T00:00:00Z");
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return Str(buf);
}

// Go's *url.URL JSON, from a URI of the subject alternative name.
Value UrlValue(std::string_view uri) {
  std::string scheme, opaque, host, path, query, fragment;
  std::string_view rest = uri;
  if (size_t hash = rest.find('#'); hash != std::string_view::npos) {
    fragment = std::string(rest.substr(hash + 1));
    rest = rest.substr(0, hash);
  }
  if (size_t colon = rest.find(':'); colon != std::string_view::npos &&
                                     rest.substr(0, colon).find('/') == std::string_view::npos) {
    scheme = std::string(rest.substr(0, colon));
    for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    rest = rest.substr(colon + 1);
  }
  if (size_t q = rest.find('?'); q != std::string_view::npos) {
    query = std::string(rest.substr(q + 1));
    rest = rest.substr(0, q);
  }
  if (rest.starts_with("//")) {
    rest.remove_prefix(2);
    size_t slash = rest.find('/');
    host = std::string(rest.substr(0, slash));
    path = slash == std::string_view::npos ? "" : std::string(rest.substr(slash));
  } else if (!scheme.empty() && !rest.starts_with("/")) {
    opaque = std::string(rest);
  } else {
    path = std::string(rest);
  }
  return Value::Object({
      {Str("Scheme"), Str(scheme)},       {Str("Opaque"), Str(opaque)},
      {Str("User"), Value::Null()},       {Str("Host"), Str(host)},
      {Str("Path"), Str(path)},           {Str("RawPath"), Str("")},
      {Str("OmitHost"), Value::Bool(false)}, {Str("ForceQuery"), Value::Bool(false)},
      {Str("RawQuery"), Str(query)},      {Str("Fragment"), Str(fragment)},
      {Str("RawFragment"), Str("")},
  });
}

std::string IpText(const ASN1_OCTET_STRING* ip) {
  char buf[INET6_ADDRSTRLEN] = {0};
  const unsigned char* d = ASN1_STRING_get0_data(ip);
  int len = ASN1_STRING_length(ip);
  if (len == 4) inet_ntop(AF_INET, d, buf, sizeof(buf));
  if (len == 16) inet_ntop(AF_INET6, d, buf, sizeof(buf));
  return buf;
}

std::string Ia5(const ASN1_IA5STRING* s) {
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                     static_cast<size_t>(ASN1_STRING_length(s)));
}

using Entries = std::vector<ObjectEntry>;

// Fields that come from extensions and exist on both certificates and
// requests: SANs and the raw extension list.
void AddSanAndExtensions(const STACK_OF(X509_EXTENSION) * exts, Entries& out,
                         std::vector<std::string>* uri_strings) {
  std::vector<Value> dns, email, ips, uris, ext_values;
  if (auto* san = static_cast<GENERAL_NAMES*>(
          X509V3_get_d2i(exts, NID_subject_alt_name, nullptr, nullptr))) {
    for (int i = 0; i < sk_GENERAL_NAME_num(san); ++i) {
      const GENERAL_NAME* gn = sk_GENERAL_NAME_value(san, i);
      switch (gn->type) {
        case GEN_DNS: dns.push_back(Str(Ia5(gn->d.dNSName))); break;
        case GEN_EMAIL: email.push_back(Str(Ia5(gn->d.rfc822Name))); break;
        case GEN_IPADD: ips.push_back(Str(IpText(gn->d.iPAddress))); break;
        case GEN_URI: {
          std::string u = Ia5(gn->d.uniformResourceIdentifier);
          uris.push_back(UrlValue(u));
          uri_strings->push_back(u);
          break;
        }
        default: break;
      }
    }
    GENERAL_NAMES_free(san);
  }
  for (int i = 0; i < sk_X509_EXTENSION_num(exts); ++i) {
    X509_EXTENSION* e = sk_X509_EXTENSION_value(exts, i);
    ext_values.push_back(Value::Object({
        {Str("Id"), OidValue(X509_EXTENSION_get_object(e))},
        {Str("Critical"), Value::Bool(X509_EXTENSION_get_critical(e) != 0)},
        {Str("Value"), BytesOrNull(X509_EXTENSION_get_data(e))},
    }));
  }
  out.emplace_back(Str("DNSNames"), ListOrNull(std::move(dns)));
  out.emplace_back(Str("EmailAddresses"), ListOrNull(std::move(email)));
  out.emplace_back(Str("IPAddresses"), ListOrNull(std::move(ips)));
  out.emplace_back(Str("URIs"), ListOrNull(std::move(uris)));
  out.emplace_back(Str("Extensions"), ListOrNull(std::move(ext_values)));
  out.emplace_back(Str("ExtraExtensions"), Value::Null());
}

// Go's x509.SignatureAlgorithm number.
int GoSignatureAlgorithm(int sig_nid, int md_nid) {
  switch (sig_nid) {
    case NID_md2WithRSAEncryption: return 1;
    case NID_md5WithRSAEncryption: return 2;
    case NID_sha1WithRSAEncryption: return 3;
    case NID_sha256WithRSAEncryption: return 4;
    case NID_sha384WithRSAEncryption: return 5;
    case NID_sha512WithRSAEncryption: return 6;
    case NID_dsaWithSHA1: return 7;
    case NID_dsa_with_SHA256: return 8;
    case NID_ecdsa_with_SHA1: return 9;
    case NID_ecdsa_with_SHA256: return 10;
    case NID_ecdsa_with_SHA384: return 11;
    case NID_ecdsa_with_SHA512: return 12;
    case NID_rsassaPss:
      return md_nid == NID_sha256 ? 13 : md_nid == NID_sha384 ? 14 : md_nid == NID_sha512 ? 15 : 0;
    case NID_ED25519: return 16;
    default: return 0;
  }
}

// Go's x509.ExtKeyUsage number, or -1 for an unknown usage.
int GoExtKeyUsage(const ASN1_OBJECT* obj) {
  switch (OBJ_obj2nid(obj)) {
    case NID_anyExtendedKeyUsage: return 0;
    case NID_server_auth: return 1;
    case NID_client_auth: return 2;
    case NID_code_sign: return 3;
    case NID_email_protect: return 4;
    case NID_ipsecEndSystem: return 5;
    case NID_ipsecTunnel: return 6;
    case NID_ipsecUser: return 7;
    case NID_time_stamp: return 8;
    case NID_OCSP_sign: return 9;
    case NID_ms_sgc: return 10;
    case NID_ns_sgc: return 11;
    case NID_ms_code_com: return 12;
    default: break;
  }
  return OidText(obj) == "1.3.6.1.4.1.311.61.1.1" ? 13 : -1;
}

// Go's x509.KeyUsage bits (bit i of the ASN.1 BIT STRING is 1 << i).
int GoKeyUsage(uint32_t openssl_usage) {
  static constexpr std::pair<uint32_t, int> kBits[] = {
      {KU_DIGITAL_SIGNATURE, 1 << 0}, {KU_NON_REPUDIATION, 1 << 1},
      {KU_KEY_ENCIPHERMENT, 1 << 2},  {KU_DATA_ENCIPHERMENT, 1 << 3},
      {KU_KEY_AGREEMENT, 1 << 4},     {KU_KEY_CERT_SIGN, 1 << 5},
      {KU_CRL_SIGN, 1 << 6},          {KU_ENCIPHER_ONLY, 1 << 7},
      {KU_DECIPHER_ONLY, 1 << 8},
  };
  int out = 0;
  for (const auto& [bit, go] : kBits) {
    if (openssl_usage & bit) out |= go;
  }
  return out;
}

// DER TLV reading, for the raw sub-structures Go reports ("RawSubject", ...).
struct Tlv {
  std::string_view all;      // header and content
  std::string_view content;
};
bool ReadTlv(std::string_view* in, Tlv* out) {
  if (in->size() < 2) return false;
  size_t header = 2;
  size_t len = static_cast<unsigned char>((*in)[1]);
  if (len & 0x80) {
    size_t n = len & 0x7F;
    if (n == 0 || n > 4 || in->size() < 2 + n) return false;
    len = 0;
    for (size_t i = 0; i < n; ++i) len = len << 8 | static_cast<unsigned char>((*in)[2 + i]);
    header += n;
  }
  if (in->size() - header < len) return false;
  out->all = in->substr(0, header + len);
  out->content = in->substr(header, len);
  in->remove_prefix(header + len);
  return true;
}

// The TLVs inside the first element (TBS) of a signed SEQUENCE.
std::vector<Tlv> TbsElements(std::string_view der, std::string_view* tbs) {
  std::vector<Tlv> out;
  Tlv outer, inner;
  if (!ReadTlv(&der, &outer)) return out;
  std::string_view body = outer.content;
  if (!ReadTlv(&body, &inner)) return out;
  *tbs = inner.all;
  std::string_view elems = inner.content;
  Tlv e;
  while (ReadTlv(&elems, &e)) out.push_back(e);
  return out;
}

std::string Der(X509* cert) {
  unsigned char* buf = nullptr;
  int n = i2d_X509(cert, &buf);
  if (n <= 0) return "";
  std::string out(reinterpret_cast<char*>(buf), static_cast<size_t>(n));
  OPENSSL_free(buf);
  return out;
}

absl::Status Malformed() { return absl::InvalidArgumentError("x509: malformed certificate"); }

}  // namespace

absl::StatusOr<X509Ptr> ParseCertificateDer(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())), X509_free);
  if (cert == nullptr) return Malformed();
  if (p != reinterpret_cast<const unsigned char*>(der.data() + der.size())) {
    return absl::InvalidArgumentError("x509: trailing data");
  }
  return cert;
}

absl::StatusOr<std::vector<X509Ptr>> ParseCertificatesDer(std::string_view der) {
  std::vector<X509Ptr> certs;
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  const auto* end = p + der.size();
  while (p < end) {
    X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(end - p)), X509_free);
    if (cert == nullptr) return Malformed();
    certs.push_back(std::move(cert));
  }
  return certs;
}

absl::StatusOr<std::vector<X509Ptr>> ParseCertificatesOperand(std::string_view text) {
  std::string decoded;
  if (!text.starts_with("-----BEGIN")) {
    POLICYD_ASSIGN_OR_RETURN(auto b, Base64Decode(text, Base64Alphabet::kStd, /*padded=*/true));
    decoded = std::move(b);
    if (!std::string_view(decoded).starts_with("-----BEGIN")) return ParseCertificatesDer(decoded);
    text = decoded;
  }
  std::string der;
  std::string_view rest = text;
  while (!rest.empty()) {
    std::optional<PemBlock> block = PemDecode(rest, &rest);
    if (!block) break;
    if (block->type != "CERTIFICATE") {
      return absl::InvalidArgumentError("PEM block type is '" + block->type +
                                        "', expected CERTIFICATE");
    }
    der += block->bytes;
  }
  return ParseCertificatesDer(der);
}

absl::StatusOr<Value> CertificateValue(X509* cert) {
  Entries e;
  std::string der = Der(cert);
  std::string_view tbs;
  std::vector<Tlv> elems = TbsElements(der, &tbs);
  // TBS: [0] version (optional), serial, signature, issuer, validity,
  // subject, subjectPublicKeyInfo, ...
  size_t base = !elems.empty() && static_cast<unsigned char>(elems[0].all[0]) == 0xA0 ? 1 : 0;
  auto raw = [&](size_t i) {
    return base + i < elems.size() ? BytesValue(elems[base + i].all) : Value::Null();
  };
  e.emplace_back(Str("Raw"), BytesValue(der));
  e.emplace_back(Str("RawTBSCertificate"), BytesValue(tbs));
  e.emplace_back(Str("RawIssuer"), raw(3));
  e.emplace_back(Str("RawSubject"), raw(5));
  e.emplace_back(Str("RawSubjectPublicKeyInfo"), raw(6));

  const ASN1_BIT_STRING* sig = nullptr;
  X509_get0_signature(&sig, nullptr, cert);
  e.emplace_back(Str("Signature"), BytesOrNull(sig));
  int md_nid = 0, pk_nid = 0;
  X509_get_signature_info(cert, &md_nid, &pk_nid, nullptr, nullptr);
  e.emplace_back(Str("SignatureAlgorithm"),
                 Value::Int(GoSignatureAlgorithm(X509_get_signature_nid(cert), md_nid)));
  EVP_PKEY* pkey = X509_get0_pubkey(cert);
  e.emplace_back(Str("PublicKeyAlgorithm"),
                 Value::Int(pkey != nullptr ? GoPublicKeyAlgorithm(pkey) : 0));
  Value pub = Value::Null();
  if (pkey != nullptr) {
    POLICYD_ASSIGN_OR_RETURN(auto v, GoPublicKeyValue(pkey));
    pub = std::move(v);
  }
  e.emplace_back(Str("PublicKey"), pub);
  e.emplace_back(Str("Version"), Value::Int(X509_get_version(cert) + 1));
  BIGNUM* serial = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr);
  e.emplace_back(Str("SerialNumber"), serial ? BigNumValue(serial) : Value::Null());
  BN_free(serial);
  e.emplace_back(Str("Issuer"), NameValue(X509_get_issuer_name(cert)));
  e.emplace_back(Str("Subject"), NameValue(X509_get_subject_name(cert)));
  e.emplace_back(Str("NotBefore"), TimeValue(X509_get0_notBefore(cert)));
  e.emplace_back(Str("NotAfter"), TimeValue(X509_get0_notAfter(cert)));

  uint32_t flags = X509_get_extension_flags(cert);
  e.emplace_back(Str("KeyUsage"),
                 Value::Int((flags & EXFLAG_KUSAGE) ? GoKeyUsage(X509_get_key_usage(cert)) : 0));

  std::vector<Value> eku, unknown_eku;
  if (auto* usages = static_cast<EXTENDED_KEY_USAGE*>(
          X509_get_ext_d2i(cert, NID_ext_key_usage, nullptr, nullptr))) {
    for (int i = 0; i < sk_ASN1_OBJECT_num(usages); ++i) {
      const ASN1_OBJECT* obj = sk_ASN1_OBJECT_value(usages, i);
      int go = GoExtKeyUsage(obj);
      if (go >= 0) {
        eku.push_back(Value::Int(go));
      } else {
        unknown_eku.push_back(OidValue(obj));
      }
    }
    EXTENDED_KEY_USAGE_free(usages);
  }
  e.emplace_back(Str("ExtKeyUsage"), ListOrNull(std::move(eku)));
  e.emplace_back(Str("UnknownExtKeyUsage"), ListOrNull(std::move(unknown_eku)));

  bool bc_valid = false, is_ca = false;
  int64_t max_path_len = 0;
  if (auto* bc = static_cast<BASIC_CONSTRAINTS*>(
          X509_get_ext_d2i(cert, NID_basic_constraints, nullptr, nullptr))) {
    bc_valid = true;
    is_ca = bc->ca != 0;
    max_path_len = bc->pathlen != nullptr ? ASN1_INTEGER_get(bc->pathlen) : -1;
    BASIC_CONSTRAINTS_free(bc);
  }
  e.emplace_back(Str("BasicConstraintsValid"), Value::Bool(bc_valid));
  e.emplace_back(Str("IsCA"), Value::Bool(is_ca));
  e.emplace_back(Str("MaxPathLen"), Value::Int(max_path_len));
  e.emplace_back(Str("MaxPathLenZero"), Value::Bool(bc_valid && max_path_len == 0));
  e.emplace_back(Str("SubjectKeyId"), BytesOrNull(X509_get0_subject_key_id(cert)));
  e.emplace_back(Str("AuthorityKeyId"), BytesOrNull(X509_get0_authority_key_id(cert)));

  std::vector<Value> ocsp, issuing;
  if (auto* aia = static_cast<AUTHORITY_INFO_ACCESS*>(
          X509_get_ext_d2i(cert, NID_info_access, nullptr, nullptr))) {
    for (int i = 0; i < sk_ACCESS_DESCRIPTION_num(aia); ++i) {
      const ACCESS_DESCRIPTION* ad = sk_ACCESS_DESCRIPTION_value(aia, i);
      if (ad->location->type != GEN_URI) continue;
      Value uri = Str(Ia5(ad->location->d.uniformResourceIdentifier));
      int nid = OBJ_obj2nid(ad->method);
      if (nid == NID_ad_OCSP) ocsp.push_back(uri);
      if (nid == NID_ad_ca_issuers) issuing.push_back(uri);
    }
    AUTHORITY_INFO_ACCESS_free(aia);
  }
  e.emplace_back(Str("OCSPServer"), ListOrNull(std::move(ocsp)));
  e.emplace_back(Str("IssuingCertificateURL"), ListOrNull(std::move(issuing)));

  std::vector<std::string> uri_strings;
  AddSanAndExtensions(X509_get0_extensions(cert), e, &uri_strings);
  e.emplace_back(Str("UnhandledCriticalExtensions"), Value::Null());
  std::vector<Value> uri_values;
  for (const std::string& u : uri_strings) uri_values.push_back(Str(u));
  e.emplace_back(Str("URIStrings"), ListOrNull(std::move(uri_values)));

  std::vector<Value> crl;
  if (auto* dps = static_cast<CRL_DIST_POINTS*>(
          X509_get_ext_d2i(cert, NID_crl_distribution_points, nullptr, nullptr))) {
    for (int i = 0; i < sk_DIST_POINT_num(dps); ++i) {
      const DIST_POINT* dp = sk_DIST_POINT_value(dps, i);
      if (dp->distpoint == nullptr || dp->distpoint->type != 0) continue;
      GENERAL_NAMES* names = dp->distpoint->name.fullname;
      for (int j = 0; j < sk_GENERAL_NAME_num(names); ++j) {
        const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names, j);
        if (gn->type == GEN_URI) crl.push_back(Str(Ia5(gn->d.uniformResourceIdentifier)));
      }
    }
    CRL_DIST_POINTS_free(dps);
  }
  e.emplace_back(Str("CRLDistributionPoints"), ListOrNull(std::move(crl)));

  std::vector<Value> policy_ids, policies;
  if (auto* cp = static_cast<CERTIFICATEPOLICIES*>(
          X509_get_ext_d2i(cert, NID_certificate_policies, nullptr, nullptr))) {
    for (int i = 0; i < sk_POLICYINFO_num(cp); ++i) {
      const ASN1_OBJECT* id = sk_POLICYINFO_value(cp, i)->policyid;
      policy_ids.push_back(OidValue(id));
      policies.push_back(Str(OidText(id)));
    }
    CERTIFICATEPOLICIES_free(cp);
  }
  e.emplace_back(Str("PolicyIdentifiers"), ListOrNull(std::move(policy_ids)));
  e.emplace_back(Str("Policies"), ListOrNull(std::move(policies)));

  // Name constraints and policy constraints are not reported.
  for (const char* f : {"PermittedDNSDomains", "ExcludedDNSDomains", "PermittedIPRanges",
                        "ExcludedIPRanges", "PermittedEmailAddresses", "ExcludedEmailAddresses",
                        "PermittedURIDomains", "ExcludedURIDomains", "PolicyMappings"}) {
    e.emplace_back(Str(f), Value::Null());
  }
  for (const char* f : {"PermittedDNSDomainsCritical", "InhibitAnyPolicyZero",
                        "InhibitPolicyMappingZero", "RequireExplicitPolicyZero"}) {
    e.emplace_back(Str(f), Value::Bool(false));
  }
  for (const char* f : {"InhibitAnyPolicy", "InhibitPolicyMapping", "RequireExplicitPolicy"}) {
    e.emplace_back(Str(f), Value::Int(0));
  }
  return Value::Object(std::move(e));
}

absl::StatusOr<Value> CertificateRequestValue(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  std::unique_ptr<X509_REQ, decltype(&X509_REQ_free)> req(
      d2i_X509_REQ(nullptr, &p, static_cast<long>(der.size())), X509_REQ_free);
  if (req == nullptr) {
    return absl::InvalidArgumentError(
        "asn1: structure error: malformed certificate signing request");
  }
  Entries e;
  std::string_view tbs;
  std::vector<Tlv> elems = TbsElements(der, &tbs);
  // CertificationRequestInfo: version, subject, subjectPKInfo, [0] attributes.
  auto raw = [&](size_t i) { return i < elems.size() ? BytesValue(elems[i].all) : Value::Null(); };
  e.emplace_back(Str("Raw"), BytesValue(der.substr(0, p - reinterpret_cast<const unsigned char*>(
                                                               der.data()))));
  e.emplace_back(Str("RawTBSCertificateRequest"), BytesValue(tbs));
  e.emplace_back(Str("RawSubject"), raw(1));
  e.emplace_back(Str("RawSubjectPublicKeyInfo"), raw(2));
  e.emplace_back(Str("Version"), Value::Int(X509_REQ_get_version(req.get())));
  const ASN1_BIT_STRING* sig = nullptr;
  const X509_ALGOR* alg = nullptr;
  X509_REQ_get0_signature(req.get(), &sig, &alg);
  e.emplace_back(Str("Signature"), BytesOrNull(sig));
  int sig_nid = alg != nullptr ? OBJ_obj2nid(alg->algorithm) : 0;
  e.emplace_back(Str("SignatureAlgorithm"), Value::Int(GoSignatureAlgorithm(sig_nid, 0)));
  EVP_PKEY* pkey = X509_REQ_get0_pubkey(req.get());
  e.emplace_back(Str("PublicKeyAlgorithm"),
                 Value::Int(pkey != nullptr ? GoPublicKeyAlgorithm(pkey) : 0));
  Value pub = Value::Null();
  if (pkey != nullptr) {
    POLICYD_ASSIGN_OR_RETURN(auto v, GoPublicKeyValue(pkey));
    pub = std::move(v);
  }
  e.emplace_back(Str("PublicKey"), pub);
  e.emplace_back(Str("Subject"), NameValue(X509_REQ_get_subject_name(req.get())));
  e.emplace_back(Str("Attributes"), Value::Null());
  STACK_OF(X509_EXTENSION)* exts = X509_REQ_get_extensions(req.get());
  std::vector<std::string> uri_strings;
  AddSanAndExtensions(exts, e, &uri_strings);
  sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
  return Value::Object(std::move(e));
}

}  // namespace policyd

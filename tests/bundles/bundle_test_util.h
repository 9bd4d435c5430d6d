// Helpers for the bundle tests: scratch directories, files, tarballs made
// with libarchive, and JWTs signed with OpenSSL.
#ifndef POLICYD_TESTS_BUNDLES_BUNDLE_TEST_UTIL_H_
#define POLICYD_TESTS_BUNDLES_BUNDLE_TEST_UTIL_H_

#include <archive.h>
#include <archive_entry.h>
#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "bundles/signature.h"
#include "gtest/gtest.h"

namespace policyd::bundles::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "policyd-bundles-XXXXXX")
            .string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& rel) const {
    return path_ + "/" + rel;
  }

 private:
  std::string path_;
};

inline void WriteFile(const std::string& path, const std::string& content) {
  std::filesystem::create_directories(
      std::filesystem::path(path).parent_path());
  // Write to a new inode, as editors and copy tools do, so that a change is
  // visible even within one timestamp tick.
  std::string tmp = path + ".tmp-write";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << content;
  }
  std::filesystem::rename(tmp, path);
}

struct TarEntry {
  enum Type { kFile, kSymlink, kHardlink, kDir };
  TarEntry(std::string name, std::string content, Type type = kFile,
           std::string target = "")
      : name(std::move(name)),
        content(std::move(content)),
        type(type),
        target(std::move(target)) {}
  std::string name;
  std::string content;
  Type type;
  std::string target;  // links
};

inline void WriteTarGz(const std::string& path,
                       const std::vector<TarEntry>& entries) {
  archive* a = archive_write_new();
  archive_write_add_filter_gzip(a);
  archive_write_set_format_pax_restricted(a);
  ASSERT_EQ(archive_write_open_filename(a, path.c_str()), ARCHIVE_OK);
  for (const TarEntry& e : entries) {
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, e.name.c_str());
    archive_entry_set_perm(entry, 0644);
    switch (e.type) {
      case TarEntry::kFile:
        archive_entry_set_filetype(entry, AE_IFREG);
        archive_entry_set_size(entry, e.content.size());
        break;
      case TarEntry::kSymlink:
        archive_entry_set_filetype(entry, AE_IFLNK);
        archive_entry_set_symlink(entry, e.target.c_str());
        break;
      case TarEntry::kHardlink:
        archive_entry_set_filetype(entry, AE_IFREG);
        archive_entry_set_hardlink(entry, e.target.c_str());
        break;
      case TarEntry::kDir:
        archive_entry_set_filetype(entry, AE_IFDIR);
        break;
    }
    archive_write_header(a, entry);
    if (e.type == TarEntry::kFile) {
      archive_write_data(a, e.content.data(), e.content.size());
    }
    archive_entry_free(entry);
  }
  archive_write_close(a);
  archive_write_free(a);
}

// The `.signatures.json` text for a JWT over `header` and `payload` (JSON
// texts), signed by `sign` (given the signing input, returns the raw
// signature).
template <typename Sign>
std::string SignaturesJson(const std::string& header,
                           const std::string& payload, Sign sign) {
  std::string input =
      Base64UrlEncode(header) + "." + Base64UrlEncode(payload);
  std::string jwt = input + "." + Base64UrlEncode(sign(input));
  return "{\"signatures\": [\"" + jwt + "\"]}";
}

inline std::string HmacSha256(const std::string& secret,
                              const std::string& input) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac,
       &len);
  return std::string(reinterpret_cast<char*>(mac), len);
}

// A freshly generated key pair: "RSA" or "EC" (P-256).
class KeyPair {
 public:
  explicit KeyPair(const std::string& type) {
    pkey_ = type == "RSA" ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048})
                          : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  }
  ~KeyPair() { EVP_PKEY_free(pkey_); }
  std::string PublicPem() const {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PUBKEY(bio, pkey_);
    char* data = nullptr;
    long n = BIO_get_mem_data(bio, &data);
    std::string out(data, n);
    BIO_free(bio);
    return out;
  }
  std::string PrivatePem() const {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, pkey_, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    long n = BIO_get_mem_data(bio, &data);
    std::string out(data, n);
    BIO_free(bio);
    return out;
  }
  // SHA-256 signature; for EC in JWS form (r||s, 32 bytes each).
  std::string Sign(const std::string& input) const {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    size_t len = 0;
    EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, pkey_);
    EVP_DigestSign(ctx, nullptr, &len,
                   reinterpret_cast<const unsigned char*>(input.data()),
                   input.size());
    std::string sig(len, '\0');
    EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                   reinterpret_cast<const unsigned char*>(input.data()),
                   input.size());
    sig.resize(len);
    EVP_MD_CTX_free(ctx);
    if (EVP_PKEY_get_base_id(pkey_) != EVP_PKEY_EC) return sig;
    const unsigned char* p = reinterpret_cast<const unsigned char*>(sig.data());
    ECDSA_SIG* ec = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
    std::string jose(64, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(ec),
                 reinterpret_cast<unsigned char*>(jose.data()), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(ec),
                 reinterpret_cast<unsigned char*>(jose.data()) + 32, 32);
    ECDSA_SIG_free(ec);
    return jose;
  }

 private:
  EVP_PKEY* pkey_ = nullptr;
};

}  // namespace policyd::bundles::testing

#endif  // POLICYD_TESTS_BUNDLES_BUNDLE_TEST_UTIL_H_

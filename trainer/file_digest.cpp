// OpenSSL's EVP digest over the file, streamed.
#include "file_digest.h"

#include <openssl/evp.h>

#include <cstdio>
#include <memory>

namespace rl {
namespace {

using DigestContext = std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)>;

std::string digest_hex(EVP_MD_CTX* ctx) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_DigestFinal_ex(ctx, digest, &size);
    static const char* kHex = "0123456789abcdef";
    std::string hex;
    for (unsigned int i = 0; i < size; ++i) hex += kHex[digest[i] >> 4], hex += kHex[digest[i] & 15];
    return hex;
}

}  // namespace

Status file_sha256(const std::string& path, std::string* hex) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), std::fclose);
    if (!f) return Status::failure(path + ": cannot open");
    DigestContext ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
    unsigned char buffer[1 << 16];
    size_t got = 0;
    while ((got = std::fread(buffer, 1, sizeof buffer, f.get())) > 0) EVP_DigestUpdate(ctx.get(), buffer, got);
    if (std::ferror(f.get())) return Status::failure(path + ": read error");
    *hex = digest_hex(ctx.get());
    return Status::success();
}

std::string text_sha256(const std::string& text) {
    DigestContext ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
    EVP_DigestUpdate(ctx.get(), text.data(), text.size());
    return digest_hex(ctx.get());
}

}  // namespace rl

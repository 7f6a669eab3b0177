#include "crypto_shim.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

// OpenSSL treats a NULL data pointer with length 0 inconsistently across
// versions; an empty message always gets a valid address.
static const uint8_t empty[1] = {0};

int ig_sha256(const uint8_t *data, size_t length, uint8_t digest[IG_SHA256_LENGTH]) {
    unsigned int written = 0;
    if (!EVP_Digest(data ? data : empty, length, digest, &written, EVP_sha256(), NULL)) return -1;
    return written == IG_SHA256_LENGTH ? 0 : -1;
}

int ig_hmac_sha256(const uint8_t *key, size_t key_length, const uint8_t *data, size_t length,
                   uint8_t mac[IG_SHA256_LENGTH]) {
    unsigned int written = 0;
    if (key_length > (size_t)INT32_MAX) return -1;
    if (!HMAC(EVP_sha256(), key ? key : empty, (int)key_length, data ? data : empty, length,
              mac, &written)) {
        return -1;
    }
    return written == IG_SHA256_LENGTH ? 0 : -1;
}

int ig_sha1(const uint8_t *data, size_t length, uint8_t digest[IG_SHA1_LENGTH]) {
    unsigned int written = 0;
    if (!EVP_Digest(data ? data : empty, length, digest, &written, EVP_sha1(), NULL)) return -1;
    return written == IG_SHA1_LENGTH ? 0 : -1;
}

void *ig_sha256_begin(void) {
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    if (!context) return NULL;
    if (!EVP_DigestInit_ex(context, EVP_sha256(), NULL)) {
        EVP_MD_CTX_free(context);
        return NULL;
    }
    return context;
}

int ig_sha256_update(void *context, const uint8_t *data, size_t length) {
    if (!context) return -1;
    return EVP_DigestUpdate((EVP_MD_CTX *)context, data ? data : empty, length) ? 0 : -1;
}

int ig_sha256_finish(void *context, uint8_t digest[IG_SHA256_LENGTH]) {
    if (!context) return -1;
    unsigned int written = 0;
    int ok = EVP_DigestFinal_ex((EVP_MD_CTX *)context, digest, &written);
    EVP_MD_CTX_free((EVP_MD_CTX *)context);
    return ok && written == IG_SHA256_LENGTH ? 0 : -1;
}

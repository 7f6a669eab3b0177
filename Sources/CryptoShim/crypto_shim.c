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

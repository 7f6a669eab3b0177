#include "crypto_shim.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

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

int ig_rsa_sha256_sign(const uint8_t *pem, size_t pem_length, const uint8_t *data, size_t length,
                       uint8_t *signature, size_t capacity, size_t *written) {
    if (!pem || pem_length == 0 || pem_length > (size_t)INT32_MAX || !signature || !written) return -1;
    BIO *bio = BIO_new_mem_buf(pem, (int)pem_length);
    if (!bio) return -1;
    // A NULL passphrase callback with an empty passphrase: an encrypted key
    // fails here instead of prompting on the terminal.
    EVP_PKEY *key = PEM_read_bio_PrivateKey(bio, NULL, NULL, (void *)"");
    BIO_free(bio);
    if (!key) return -1;
    if (EVP_PKEY_base_id(key) != EVP_PKEY_RSA) {
        EVP_PKEY_free(key);
        return -2;
    }
    int status = -3;
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    size_t needed = 0;
    // RSA keys sign with PKCS#1 v1.5 padding unless told otherwise.
    if (context && EVP_DigestSignInit(context, NULL, EVP_sha256(), NULL, key) == 1 &&
        EVP_DigestSignUpdate(context, data ? data : empty, length) == 1 &&
        EVP_DigestSignFinal(context, NULL, &needed) == 1 && needed <= capacity) {
        size_t produced = capacity;
        if (EVP_DigestSignFinal(context, signature, &produced) == 1) {
            *written = produced;
            status = 0;
        }
    }
    EVP_MD_CTX_free(context);
    EVP_PKEY_free(key);
    return status;
}

// SHA-256 and HMAC-SHA256 from OpenSSL's libcrypto (already loaded by libcurl),
// and RSA signing, behind plain functions so Swift never sees OpenSSL's types or macros.
#ifndef IMAGEGEN_CRYPTO_SHIM_H
#define IMAGEGEN_CRYPTO_SHIM_H

#include <stddef.h>
#include <stdint.h>

#define IG_SHA256_LENGTH 32

// Writes the 32-byte digest of `data` to `digest`. Returns 0, or -1 on failure.
// SHA-1 names the files of `aws sso login`'s token cache; it signs nothing.
#define IG_SHA1_LENGTH 20
int ig_sha1(const uint8_t *data, size_t length, uint8_t digest[IG_SHA1_LENGTH]);

int ig_sha256(const uint8_t *data, size_t length, uint8_t digest[IG_SHA256_LENGTH]);

// Writes the 32-byte HMAC-SHA256 of `data` under `key` to `mac`. Returns 0, or -1 on failure.
int ig_hmac_sha256(const uint8_t *key, size_t key_length, const uint8_t *data, size_t length,
                   uint8_t mac[IG_SHA256_LENGTH]);

// SHA-256 of a file written in pieces (an image with its metadata spliced in):
// begin returns a context (NULL when out of memory), update adds a piece,
// finish writes the digest and frees the context, whether or not it succeeds.
void *ig_sha256_begin(void);
int ig_sha256_update(void *context, const uint8_t *data, size_t length);
int ig_sha256_finish(void *context, uint8_t digest[IG_SHA256_LENGTH]);

// RS256 for Google's service-account JWTs: the RSA PKCS#1 v1.5 signature of
// SHA-256(data) under the PEM private key `pem` (PKCS#8 or PKCS#1, no
// passphrase). Writes at most `capacity` bytes to `signature` and their
// count to `written`. Returns 0; -1 when the key cannot be read; -2 when it
// is not an RSA key; -3 when signing fails or `capacity` is too small.
#define IG_RSA_MAX_SIGNATURE 1024
int ig_rsa_sha256_sign(const uint8_t *pem, size_t pem_length, const uint8_t *data, size_t length,
                       uint8_t *signature, size_t capacity, size_t *written);

#endif

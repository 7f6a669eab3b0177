// Typed, non-variadic entry points for libcurl: Swift cannot call C variadic
// functions such as curl_easy_setopt, so each argument type gets one wrapper.
#ifndef IMAGEGEN_CURL_SHIM_H
#define IMAGEGEN_CURL_SHIM_H

#include <curl/curl.h>
#include <stddef.h>

typedef size_t (*ig_data_callback)(char *data, size_t size, size_t nmemb, void *userdata);

// Opens libcurl (once) and returns NULL, or why it could not be loaded.
const char *ig_curl_load(void);

CURLcode ig_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode ig_easy_setopt_offset(CURL *handle, CURLoption option, curl_off_t value);
CURLcode ig_easy_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode ig_easy_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode ig_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);
// CURLOPT_MIMEPOST: the form stays owned by the caller, and must outlive the transfer.
CURLcode ig_easy_setopt_mime(CURL *handle, curl_mime *mime);
CURLcode ig_easy_setopt_data_callback(CURL *handle, CURLoption option, ig_data_callback cb);

CURLcode ig_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);
// `value` points into the handle: valid until the next transfer or cleanup, may be NULL.
CURLcode ig_easy_getinfo_string(CURL *handle, CURLINFO info, const char **value);

// curl_multi_info_read without the union: returns 1 and fills `easy` and
// `result` for a finished transfer, 0 when no message is left.
int ig_multi_next_done(CURLM *multi, CURL **easy, CURLcode *result);

#endif

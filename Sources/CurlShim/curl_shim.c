#include "curl_shim.h"

// Defined in curl_loader.c: calls into the dynamically loaded libcurl.
CURLcode ig_real_easy_setopt_long(CURL *h, CURLoption o, long v);
CURLcode ig_real_easy_setopt_offset(CURL *h, CURLoption o, curl_off_t v);
CURLcode ig_real_easy_setopt_pointer(CURL *h, CURLoption o, const void *v);
CURLcode ig_real_easy_getinfo(CURL *h, CURLINFO i, void *out);

CURLcode ig_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return ig_real_easy_setopt_long(handle, option, value);
}

CURLcode ig_easy_setopt_offset(CURL *handle, CURLoption option, curl_off_t value) {
    return ig_real_easy_setopt_offset(handle, option, value);
}

CURLcode ig_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return ig_real_easy_setopt_pointer(handle, option, value);
}

CURLcode ig_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return ig_real_easy_setopt_pointer(handle, option, value);
}

CURLcode ig_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return ig_real_easy_setopt_pointer(handle, option, value);
}

CURLcode ig_easy_setopt_mime(CURL *handle, curl_mime *mime) {
    return ig_real_easy_setopt_pointer(handle, CURLOPT_MIMEPOST, mime);
}

CURLcode ig_easy_setopt_data_callback(CURL *handle, CURLoption option, ig_data_callback cb) {
    return ig_real_easy_setopt_pointer(handle, option, (const void *)cb);
}

CURLcode ig_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return ig_real_easy_getinfo(handle, info, value);
}

CURLcode ig_easy_getinfo_string(CURL *handle, CURLINFO info, const char **value) {
    *value = NULL;
    return ig_real_easy_getinfo(handle, info, (void *)value);
}

int ig_multi_next_done(CURLM *multi, CURL **easy, CURLcode *result) {
    int left = 0;
    CURLMsg *message;
    while ((message = curl_multi_info_read(multi, &left)) != NULL) {
        if (message->msg == CURLMSG_DONE) {
            *easy = message->easy_handle;
            *result = message->data.result;
            return 1;
        }
    }
    return 0;
}

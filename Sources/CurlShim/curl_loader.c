// libcurl is loaded on first use, not at start-up. Linked normally it pulls
// in some thirty libraries (TLS, Kerberos, LDAP, IDN…), and mapping them was
// most of `imagegen --version`'s run time. The functions the Swift side calls
// are defined here under libcurl's own names and forward to the real ones;
// libcurl is opened with dlopen the first time any of them is needed.
#include "curl_shim.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

static struct {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    const char *(*easy_strerror)(CURLcode);
    CURLM *(*multi_init)(void);
    CURLMcode (*multi_cleanup)(CURLM *);
    CURLMcode (*multi_add_handle)(CURLM *, CURL *);
    CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
    CURLMcode (*multi_perform)(CURLM *, int *);
    CURLMcode (*multi_poll)(CURLM *, struct curl_waitfd[], unsigned int, int, int *);
    CURLMcode (*multi_wakeup)(CURLM *);
    CURLMsg *(*multi_info_read)(CURLM *, int *);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
    curl_mime *(*mime_init)(CURL *);
    void (*mime_free)(curl_mime *);
    curl_mimepart *(*mime_addpart)(curl_mime *);
    CURLcode (*mime_name)(curl_mimepart *, const char *);
    CURLcode (*mime_filename)(curl_mimepart *, const char *);
    CURLcode (*mime_type)(curl_mimepart *, const char *);
    CURLcode (*mime_data)(curl_mimepart *, const char *, size_t);
} api;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char load_error[512];

#define RESOLVE(field, name)                                                          \
    do {                                                                              \
        *(void **)(&api.field) = dlsym(library, name);                                \
        if (!api.field) {                                                             \
            snprintf(load_error, sizeof load_error, "libcurl has no %s", name);       \
            return;                                                                   \
        }                                                                             \
    } while (0)

static void load(void) {
    void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        snprintf(load_error, sizeof load_error, "%s", dlerror());
        return;
    }
    RESOLVE(global_init, "curl_global_init");
    RESOLVE(easy_init, "curl_easy_init");
    RESOLVE(easy_cleanup, "curl_easy_cleanup");
    RESOLVE(easy_setopt, "curl_easy_setopt");
    RESOLVE(easy_getinfo, "curl_easy_getinfo");
    RESOLVE(easy_strerror, "curl_easy_strerror");
    RESOLVE(multi_init, "curl_multi_init");
    RESOLVE(multi_cleanup, "curl_multi_cleanup");
    RESOLVE(multi_add_handle, "curl_multi_add_handle");
    RESOLVE(multi_remove_handle, "curl_multi_remove_handle");
    RESOLVE(multi_perform, "curl_multi_perform");
    RESOLVE(multi_poll, "curl_multi_poll");
    RESOLVE(multi_wakeup, "curl_multi_wakeup");
    RESOLVE(multi_info_read, "curl_multi_info_read");
    RESOLVE(slist_append, "curl_slist_append");
    RESOLVE(slist_free_all, "curl_slist_free_all");
    RESOLVE(mime_init, "curl_mime_init");
    RESOLVE(mime_free, "curl_mime_free");
    RESOLVE(mime_addpart, "curl_mime_addpart");
    RESOLVE(mime_name, "curl_mime_name");
    RESOLVE(mime_filename, "curl_mime_filename");
    RESOLVE(mime_type, "curl_mime_type");
    RESOLVE(mime_data, "curl_mime_data");
    // curl_global_init is not thread-safe: it runs here, once, before any handle.
    if (api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(load_error, sizeof load_error, "curl_global_init failed");
    }
}

const char *ig_curl_load(void) {
    pthread_once(&once, load);
    return load_error[0] ? load_error : NULL;
}

#define LOADED (ig_curl_load() == NULL)

CURLcode curl_global_init(long flags) {
    (void)flags;
    return LOADED ? CURLE_OK : CURLE_FAILED_INIT;
}

CURL *curl_easy_init(void) { return LOADED ? api.easy_init() : NULL; }

void curl_easy_cleanup(CURL *handle) {
    if (LOADED) api.easy_cleanup(handle);
}

const char *curl_easy_strerror(CURLcode code) {
    return LOADED ? api.easy_strerror(code) : "libcurl is not available";
}

CURLM *curl_multi_init(void) { return LOADED ? api.multi_init() : NULL; }

CURLMcode curl_multi_cleanup(CURLM *multi) { return LOADED ? api.multi_cleanup(multi) : CURLM_INTERNAL_ERROR; }

CURLMcode curl_multi_add_handle(CURLM *multi, CURL *easy) {
    return LOADED ? api.multi_add_handle(multi, easy) : CURLM_INTERNAL_ERROR;
}

CURLMcode curl_multi_remove_handle(CURLM *multi, CURL *easy) {
    return LOADED ? api.multi_remove_handle(multi, easy) : CURLM_INTERNAL_ERROR;
}

CURLMcode curl_multi_perform(CURLM *multi, int *running) {
    return LOADED ? api.multi_perform(multi, running) : CURLM_INTERNAL_ERROR;
}

CURLMcode curl_multi_poll(CURLM *multi, struct curl_waitfd extra[], unsigned int count, int timeout_ms,
                          int *ready) {
    return LOADED ? api.multi_poll(multi, extra, count, timeout_ms, ready) : CURLM_INTERNAL_ERROR;
}

CURLMcode curl_multi_wakeup(CURLM *multi) { return LOADED ? api.multi_wakeup(multi) : CURLM_INTERNAL_ERROR; }

CURLMsg *curl_multi_info_read(CURLM *multi, int *left) {
    return LOADED ? api.multi_info_read(multi, left) : NULL;
}

struct curl_slist *curl_slist_append(struct curl_slist *list, const char *text) {
    return LOADED ? api.slist_append(list, text) : NULL;
}

void curl_slist_free_all(struct curl_slist *list) {
    if (LOADED) api.slist_free_all(list);
}

curl_mime *curl_mime_init(CURL *easy) { return LOADED ? api.mime_init(easy) : NULL; }

void curl_mime_free(curl_mime *mime) {
    if (LOADED) api.mime_free(mime);
}

curl_mimepart *curl_mime_addpart(curl_mime *mime) { return LOADED ? api.mime_addpart(mime) : NULL; }

CURLcode curl_mime_name(curl_mimepart *part, const char *name) {
    return LOADED ? api.mime_name(part, name) : CURLE_FAILED_INIT;
}

CURLcode curl_mime_filename(curl_mimepart *part, const char *filename) {
    return LOADED ? api.mime_filename(part, filename) : CURLE_FAILED_INIT;
}

CURLcode curl_mime_type(curl_mimepart *part, const char *type) {
    return LOADED ? api.mime_type(part, type) : CURLE_FAILED_INIT;
}

CURLcode curl_mime_data(curl_mimepart *part, const char *data, size_t size) {
    return LOADED ? api.mime_data(part, data, size) : CURLE_FAILED_INIT;
}

// The variadic entry points are reached only through the typed wrappers in
// curl_shim.c, which call these.
CURLcode ig_real_easy_setopt_long(CURL *h, CURLoption o, long v) { return api.easy_setopt(h, o, v); }
CURLcode ig_real_easy_setopt_offset(CURL *h, CURLoption o, curl_off_t v) { return api.easy_setopt(h, o, v); }
CURLcode ig_real_easy_setopt_pointer(CURL *h, CURLoption o, const void *v) { return api.easy_setopt(h, o, v); }
CURLcode ig_real_easy_getinfo(CURL *h, CURLINFO i, void *out) { return api.easy_getinfo(h, i, out); }

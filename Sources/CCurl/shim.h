/* Typed, non-variadic wrappers for libcurl's variadic calls, which Swift cannot call directly.
 * One wrapper per argument type; all logic stays in Swift (OMCurl). Prefix ccurl_, never om_:
 * only om_* symbols are exported from libklarna_om.so. */
#ifndef CCURL_SHIM_H
#define CCURL_SHIM_H
#include <curl/curl.h>

typedef size_t (*ccurl_data_fn)(char *data, size_t size, size_t count, void *context);

static inline CURLcode ccurl_set_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_set_text(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_set_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_clear(CURL *h, CURLoption o) { return curl_easy_setopt(h, o, (void *)0); }
static inline CURLcode ccurl_set_function(CURL *h, CURLoption o, ccurl_data_fn fn) { return curl_easy_setopt(h, o, fn); }
static inline CURLcode ccurl_set_size(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_info_long(CURL *h, CURLINFO i, long *out) { return curl_easy_getinfo(h, i, out); }
static inline CURLcode ccurl_info_double(CURL *h, CURLINFO i, double *out) { return curl_easy_getinfo(h, i, out); }
static inline CURLcode ccurl_info_offset(CURL *h, CURLINFO i, curl_off_t *out) { return curl_easy_getinfo(h, i, out); }
#endif

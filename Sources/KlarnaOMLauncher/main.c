/*
 * klarna-om: libklarna_om.so over standard input and output, for hosts without PHP FFI.
 *
 *     klarna-om <cancel|capture|update|refund|sync|release|extend> < request.json > response.json
 *     klarna-om batch < batch.json > responses.json
 *     klarna-om version
 *
 * An operation reads the request from standard input (at most 1 MiB + 1 byte, a batch 16 MiB + 1 byte: enough for
 * the library to tell one that is too large), calls om_<operation>() of the library beside this executable, and
 * writes the response and "\n" to standard output: the bytes the C ABI answers (docs/contract.md). Exit status 0 whenever a response was
 * written, also an "ok":false one; 2 with the usage on standard error for a wrong command line; 1 if standard output
 * cannot be written. `version` prints "klarna-om <om_version()> (abi <om_abi_version()>)", which the plugin reads.
 *
 * This is plain C on purpose: the Swift core and the runtime it links in live once, in libklarna_om.so, and this
 * executable only loads it (issue 13: one copy of the core in the plugin's zip). It needs libc alone.
 *
 * Where the library is: $ORIGIN/../lib/libklarna_om.so (the plugin's and dist/'s bin/ and lib/), else
 * $ORIGIN/libklarna_om.so (SwiftPM's build folder), $ORIGIN being the folder of this executable. It is loaded with
 * dlopen() from a path built from /proc/self/exe, not linked (DT_NEEDED with an rpath of $ORIGIN/../lib:$ORIGIN),
 * because that is the sturdier of the two where it matters:
 *   - a library that is missing or cannot load (a half-uploaded plugin, a host without libcurl.so.4) stops a linked
 *     program in the dynamic loader, before main(), with exit status 127 and a message on standard error that the
 *     plugin never shows; loaded here, it becomes an "ok":false envelope the plugin turns into an order note;
 *   - om_abi_version() is checked before any other function is called, and a missing symbol is a refusal, not a
 *     lazy-binding failure that kills the process in the middle of a call;
 *   - the absolute path loads exactly the file beside this executable: with a linked library, an LD_LIBRARY_PATH
 *     set by the host comes before the RUNPATH and could load another copy.
 * The library is never closed: the Swift runtime does not support being unloaded, and the process ends anyway.
 */
#define _XOPEN_SOURCE 700 /* POSIX.1-2008 with realpath() */

#include "klarna_om.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

/* The library refuses requests larger than this (RequestDecoder.maxBytes, "at most 1 MiB is read" in klarna_om.h),
 * and batches larger than BATCH_LIMIT (BatchRequest.maxBytes, "at most 16 MiB is read"). */
enum { REQUEST_LIMIT = 1 << 20, BATCH_LIMIT = 16 << 20 };

static const char usage[] =
    "usage: klarna-om <cancel|capture|update|refund|sync|release|extend> < request.json > response.json\n"
    "       klarna-om batch < batch.json > responses.json\n"
    "       klarna-om version\n";

/* The C ABI's function types, checked against the header's declarations (which _Generic does not evaluate, so
 * this executable keeps no reference to the library's symbols). */
typedef char *operation_fn(const char *);
typedef void free_fn(char *);
typedef int32_t abi_fn(void);
typedef const char *version_fn(void);
_Static_assert(_Generic(&om_cancel, operation_fn *: 1, default: 0), "om_cancel differs from operation_fn");
_Static_assert(_Generic(&om_capture, operation_fn *: 1, default: 0), "om_capture differs from operation_fn");
_Static_assert(_Generic(&om_update, operation_fn *: 1, default: 0), "om_update differs from operation_fn");
_Static_assert(_Generic(&om_refund, operation_fn *: 1, default: 0), "om_refund differs from operation_fn");
_Static_assert(_Generic(&om_sync, operation_fn *: 1, default: 0), "om_sync differs from operation_fn");
_Static_assert(_Generic(&om_release, operation_fn *: 1, default: 0), "om_release differs from operation_fn");
_Static_assert(_Generic(&om_extend, operation_fn *: 1, default: 0), "om_extend differs from operation_fn");
_Static_assert(_Generic(&om_batch, operation_fn *: 1, default: 0), "om_batch differs from operation_fn");
_Static_assert(_Generic(&om_free, free_fn *: 1, default: 0), "om_free differs from free_fn");
_Static_assert(_Generic(&om_abi_version, abi_fn *: 1, default: 0), "om_abi_version differs from abi_fn");
_Static_assert(_Generic(&om_version, version_fn *: 1, default: 0), "om_version differs from version_fn");
_Static_assert(sizeof(void *) == sizeof(operation_fn *), "dlsym's address must fit a function pointer");

/* Writes all bytes, through short writes and EINTR. Returns false if the descriptor refuses them. */
static bool write_all(int descriptor, const char *bytes, size_t count) {
    while (count > 0) {
        ssize_t written = write(descriptor, bytes, count);
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) return false;
        bytes += written;
        count -= (size_t)written;
    }
    return true;
}

static bool write_text(int descriptor, const char *text) { return write_all(descriptor, text, strlen(text)); }

/* Why the library cannot be used, as a JSON string body (without quotes); built by refuse(). */
static char reason[1024];

/* Sets reason from up to three pieces, escaped for a JSON string. Bytes outside ASCII become '?', so the envelope
 * stays valid UTF-8 whatever a path or dlerror() holds; a long reason is cut. Returns false, for `return refuse(...)`. */
static bool refuse(const char *first, const char *second, const char *third) {
    const char *pieces[] = {first, second, third};
    size_t length = 0;
    reason[0] = '\0';
    for (size_t p = 0; p < 3; p++) {
        for (const unsigned char *c = (const unsigned char *)(pieces[p] ? pieces[p] : ""); *c; c++) {
            char escaped[7] = {0};
            if (*c == '"' || *c == '\\') {
                escaped[0] = '\\';
                escaped[1] = (char)*c;
            } else if (*c < 0x20) {
                memcpy(escaped, "\\u00", 4);
                escaped[4] = "0123456789abcdef"[*c >> 4];
                escaped[5] = "0123456789abcdef"[*c & 15];
            } else {
                escaped[0] = *c < 0x80 ? (char)*c : '?';
            }
            size_t size = strlen(escaped);
            if (length + size >= sizeof reason) return false;
            memcpy(reason + length, escaped, size);
            reason[length += size] = '\0';
        }
    }
    return false;
}

/* The folder of this executable, without a trailing slash: /proc/self/exe, or where /proc is not mounted, the
 * path execve() was given (AT_EXECFN), made absolute. Symbolic links are followed, as $ORIGIN does. */
static bool own_folder(char *folder, size_t size) {
    ssize_t length = readlink("/proc/self/exe", folder, size - 1);
    if (length > 0 && (size_t)length < size - 1) {
        folder[length] = '\0';
    } else {
        const char *executed = (const char *)(uintptr_t)getauxval(AT_EXECFN);
        char resolved[PATH_MAX];
        if (!executed || !realpath(executed, resolved) || strlen(resolved) >= size) {
            return refuse("the klarna-om executable cannot tell its own folder (neither /proc/self/exe nor AT_EXECFN)",
                          NULL, NULL);
        }
        strcpy(folder, resolved);
    }
    char *slash = strrchr(folder, '/');
    if (!slash) return refuse("the klarna-om executable cannot tell its own folder from ", folder, NULL);
    *slash = '\0';
    return true;
}

struct library {
    abi_fn *abi_version;
    version_fn *version;
    operation_fn *operation;
    free_fn *release;
};

/* Finds a symbol, copying its address into a function pointer (ISO C has no cast between the two). */
static bool resolve(void *handle, const char *name, void *function, size_t size) {
    void *address = dlsym(handle, name);
    if (!address) return refuse("libklarna_om.so has no ", name, NULL);
    memcpy(function, &address, size);
    return true;
}

/* Loads the library beside this executable and checks its C ABI; with `operation` (cancel, capture, update,
 * refund, sync, release, extend, batch) also resolves om_<operation> and om_free. On failure, `reason` says why: an
 * older library of the same ABI may lack an operation added since (sync, release, extend and batch came with 0.2.0). */
static bool load(struct library *library, const char *operation) {
    char folder[PATH_MAX];
    if (!own_folder(folder, sizeof folder)) return false;
    static const char *const places[] = {"/../lib/libklarna_om.so", "/libklarna_om.so"};
    void *handle = NULL;
    for (size_t i = 0; i < sizeof places / sizeof places[0] && !handle; i++) {
        char path[PATH_MAX + 32];
        snprintf(path, sizeof path, "%s%s", folder, places[i]);
        if (access(path, F_OK) != 0) continue;  /* try the other place; a file that is there but fails is reported */
        handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
        if (!handle) return refuse("libklarna_om.so could not be loaded: ", dlerror(), NULL);
    }
    if (!handle) {
        return refuse("libklarna_om.so is missing: the klarna-om executable looks for it in ../lib/ and in its own "
                      "folder, ", folder, NULL);
    }
    if (!resolve(handle, "om_abi_version", &library->abi_version, sizeof library->abi_version)) return false;
    int32_t abi = library->abi_version();
    if (abi != OM_ABI_VERSION) {
        char numbers[64];
        snprintf(numbers, sizeof numbers, "%ld, this klarna-om executable needs %d", (long)abi, OM_ABI_VERSION);
        return refuse("libklarna_om.so has C ABI ", numbers, NULL);
    }
    if (!resolve(handle, "om_version", &library->version, sizeof library->version)) return false;
    if (!operation) return true;
    char name[32];
    snprintf(name, sizeof name, "om_%s", operation);
    return resolve(handle, name, &library->operation, sizeof library->operation) &&
           resolve(handle, "om_free", &library->release, sizeof library->release);
}

/* Writes an "ok":false envelope of contract version 1, in the library's own form (compact, keys sorted). */
static int answer_refusal(const char *code) {
    bool written = write_text(STDOUT_FILENO, "{\"error\":{\"code\":\"") && write_text(STDOUT_FILENO, code) &&
                   write_text(STDOUT_FILENO, "\",\"message\":\"") && write_text(STDOUT_FILENO, reason) &&
                   write_text(STDOUT_FILENO, "\"},\"ok\":false,\"version\":1}\n");
    return written ? 0 : 1;
}

/* The request as a C string: at most BATCH_LIMIT + 1 bytes and the terminating NUL. */
static char request[BATCH_LIMIT + 2];

/*
 * Reads standard input into `request`, never more than one byte past `limit` (a read error ends it), and
 * makes it the C string om_<operation>() takes. That string ends at its first NUL, so a NUL byte of the input cannot
 * be passed as it is, and cutting the request there could turn a refused request into one that runs ("{...}\0junk").
 * Each NUL becomes the control character 0x01 instead, which the library reads exactly as it reads a NUL: its JSON
 * reader treats every unescaped control character alike (refused between tokens and after a backslash, refused in a
 * string it decodes, passed over in a string it ignores); neither is a bracket, quote or backslash to the nesting
 * check, and both are single-byte UTF-8 that ends any multi-byte sequence. So the answer is the one the library gives
 * the raw bytes (OMExportTests' LoadedLibraryTests compares them: Entry's byte entry point against this executable).
 */
static void read_request(size_t limit) {
    size_t length = 0;
    while (length < limit + 1) {
        ssize_t count = read(STDIN_FILENO, request + length, limit + 1 - length);
        if (count < 0 && errno == EINTR) continue;
        if (count <= 0) break;
        length += (size_t)count;
    }
    for (size_t i = 0; i < length; i++) {
        if (request[i] == '\0') request[i] = '\x01';
    }
    request[length] = '\0';
}

int main(int argc, char **argv) {
    if (argc != 2) {
        write_text(STDERR_FILENO, usage);
        return 2;
    }
    const char *command = argv[1];
    struct library library = {0};
    if (strcmp(command, "version") == 0) {
        if (!load(&library, NULL)) {
            write_text(STDERR_FILENO, "klarna-om: ");
            write_text(STDERR_FILENO, reason);
            write_text(STDERR_FILENO, "\n");
            return 1;
        }
        char abi[32];
        snprintf(abi, sizeof abi, " (abi %ld)\n", (long)library.abi_version());
        bool written = write_text(STDOUT_FILENO, "klarna-om ") && write_text(STDOUT_FILENO, library.version()) &&
                       write_text(STDOUT_FILENO, abi);
        return written ? 0 : 1;
    }
    static const char *const operations[] = {"cancel", "capture", "update", "refund", "sync", "release", "extend", "batch"};
    const char *operation = NULL;
    for (size_t i = 0; i < sizeof operations / sizeof operations[0]; i++) {
        if (strcmp(command, operations[i]) == 0) operation = operations[i];
    }
    if (!operation) {
        write_text(STDERR_FILENO, "klarna-om: unknown command\n");
        write_text(STDERR_FILENO, usage);
        return 2;
    }

    read_request(strcmp(operation, "batch") == 0 ? BATCH_LIMIT : REQUEST_LIMIT);
    if (!load(&library, operation)) return answer_refusal("library_unavailable");
    char *response = library.operation(request);
    if (!response) {
        refuse("libklarna_om.so could not allocate its response", NULL, NULL);
        return answer_refusal("internal_error");
    }
    bool written = write_text(STDOUT_FILENO, response) && write_all(STDOUT_FILENO, "\n", 1);
    library.release(response);
    return written ? 0 : 1;
}

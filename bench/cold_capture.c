/* One cold om_capture, as a WooCommerce request makes it: a fresh process loads libklarna_om.so, calls om_capture
 * once (decode, order lines, one POST over libcurl, encode) and exits. Prints the CPU this process used, from
 * getrusage (user plus system), in microseconds:
 *
 *   process_us=… load_us=… call_us=…
 *
 * process_us: everything since exec (loader, this harness, dlopen, the call); load_us: dlopen and dlsym; call_us:
 * om_capture itself. scripts/bench runs it many times against bench/replay_server.py, which answers the capture with
 * a recorded 201, and once under callgrind. A benchmark, never a test: it exits 1 only when the capture did not
 * succeed (then the numbers would measure something else).
 *
 * usage: cold_capture LIBRARY REQUEST.json */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

typedef char *(*operation_fn)(const char *request);
typedef void (*free_fn)(char *response);

static long cpu_us(void) {
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000L + usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
}

static char *read_file(const char *path) {
    FILE *file = fopen(path, "rb");
    if (!file) return NULL;
    static char buffer[1 << 20];
    size_t length = fread(buffer, 1, sizeof buffer - 1, file);
    fclose(file);
    buffer[length] = '\0';
    return buffer;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: cold_capture LIBRARY REQUEST.json\n");
        return 2;
    }
    const char *request = read_file(argv[2]);
    if (!request) {
        perror(argv[2]);
        return 2;
    }
    long before_load = cpu_us();
    /* As PHP's FFI::cdef loads a library. */
    void *library = dlopen(argv[1], RTLD_LAZY | RTLD_GLOBAL);
    operation_fn om_capture = NULL;
    free_fn om_free = NULL;
    if (library) {  /* POSIX's way to a function pointer from dlsym */
        *(void **)&om_capture = dlsym(library, "om_capture");
        *(void **)&om_free = dlsym(library, "om_free");
    }
    if (!om_capture || !om_free) {
        fprintf(stderr, "cold_capture: %s\n", dlerror());
        return 2;
    }
    long loaded = cpu_us();
    char *response = om_capture(request);
    long done = cpu_us();
    int captured = response && strstr(response, "\"outcome\":\"captured\"") != NULL;
    if (!captured) fprintf(stderr, "cold_capture: not captured: %s\n", response ? response : "(NULL)");
    om_free(response);
    printf("process_us=%ld load_us=%ld call_us=%ld\n", done, loaded - before_load, done - loaded);
    return captured ? 0 : 1;
}

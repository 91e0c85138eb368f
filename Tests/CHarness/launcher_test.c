/*
 * Tests of the klarna-om launcher (Sources/KlarnaOMLauncher/main.c) as a program, run by scripts/test-c against the
 * release artifacts. Linked against the same libklarna_om.so, it knows what every answer must be: the launcher's
 * standard output is om_<operation>() of the request and "\n". Besides every operation (batch among them, with its
 * larger limit) and hostile standard input, it copies bin/ and lib/ into a scratch folder to run the launcher from
 * other layouts and working directories, without its library, beside a library of another C ABI (fake_library.c),
 * one without operations, and a file that is no library.
 *
 * usage: launcher_test DIST SCRATCH FAKE_OTHER_ABI FAKE_NO_OPERATIONS
 *   DIST      folder with bin/klarna-om and lib/libklarna_om.so
 *   SCRATCH   an empty folder the test may fill
 *   FAKE_*    fake_library.c built with another C ABI, and with this header's
 * Prints "N passed, N failed"; exit status 1 on any failure.
 */
#define _XOPEN_SOURCE 700

#include "klarna_om.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int passed, failed;

static void check(bool condition, const char *what, const char *detail) {
    if (condition) {
        passed++;
    } else {
        failed++;
        fprintf(stderr, "FAIL: %s%s%.600s\n", what, detail ? ": " : "", detail ? detail : "");
    }
}

/* ---- running the launcher ---- */

struct output {
    char *bytes;
    size_t length;
};

struct run {
    int status; /* the exit status, or 128 + the signal that ended it */
    struct output out, err;
};

enum { KEEP_ALL = -1 };

static void append(struct output *output, const char *bytes, size_t count) {
    char *grown = realloc(output->bytes, output->length + count + 1);
    if (!grown) abort();
    memcpy(grown + output->length, bytes, count);
    output->bytes = grown;
    output->length += count;
    output->bytes[output->length] = '\0';
}

/* Runs argv[0] with argv in `folder` (NULL: here), writes `input` to its standard input while reading its standard
 * output and error, and waits for it. `closed` is a descriptor (0 or 1) the program starts without, or KEEP_ALL. */
static struct run run_program(const char *folder, char *const argv[], const char *input, size_t length, int closed) {
    struct run run = {0};
    append(&run.out, "", 0);
    append(&run.err, "", 0);
    int in[2], out[2], err[2];
    if (pipe(in) != 0 || pipe(out) != 0 || pipe(err) != 0) abort();
    pid_t child = fork();
    if (child < 0) abort();
    if (child == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        dup2(err[1], 2);
        for (int fd = 3; fd < 64; fd++) close(fd);
        if (closed != KEEP_ALL) close(closed);
        if (folder && chdir(folder) != 0) _exit(126);
        execv(argv[0], argv);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    close(err[1]);
    fcntl(in[1], F_SETFL, O_NONBLOCK);
    struct pollfd fds[3] = {{in[1], POLLOUT, 0}, {out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    size_t sent = 0;
    if (length == 0) {
        close(in[1]);
        fds[0].fd = -1;
    }
    while (fds[0].fd >= 0 || fds[1].fd >= 0 || fds[2].fd >= 0) {
        if (poll(fds, 3, -1) < 0) {
            if (errno == EINTR) continue;
            abort();
        }
        if (fds[0].fd >= 0 && fds[0].revents) {
            ssize_t n = (fds[0].revents & POLLOUT) ? write(in[1], input + sent, length - sent) : -1;
            if (n > 0) sent += (size_t)n;
            if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
            if (n < 0 || sent == length) { /* all sent, or the program stopped reading (EPIPE) */
                close(in[1]);
                fds[0].fd = -1;
            }
        }
        for (int i = 1; i < 3; i++) {
            if (fds[i].fd < 0 || !fds[i].revents) continue;
            char buffer[65536];
            ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                close(fds[i].fd);
                fds[i].fd = -1;
            } else {
                append(i == 1 ? &run.out : &run.err, buffer, (size_t)n);
            }
        }
    }
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {}
    run.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return run;
}

static struct run run_launcher(const char *folder, const char *launcher, const char *argument, const char *input,
                               size_t length) {
    char *argv[] = {(char *)launcher, (char *)argument, NULL};
    return run_program(folder, argv, input, length, KEEP_ALL);
}

static void release(struct run *run) {
    free(run->out.bytes);
    free(run->err.bytes);
}

/* ---- what the answers must be ---- */

typedef char *(*operation_fn)(const char *);
static const struct {
    const char *name;
    operation_fn call;
} operations[] = {{"cancel", om_cancel}, {"capture", om_capture}, {"update", om_update}, {"refund", om_refund},
                  {"sync", om_sync},     {"release", om_release}, {"extend", om_extend}, {"batch", om_batch}};
enum { OPERATION_COUNT = sizeof operations / sizeof operations[0] };

static const char usage[] =
    "usage: klarna-om <cancel|capture|update|refund|sync|release|extend> < request.json > response.json\n"
    "       klarna-om batch < batch.json > responses.json\n"
    "       klarna-om version\n";

static const char valid_request[] =
    "{\"version\":1,\"locale\":\"en_US\","
    "\"config\":{\"environment\":\"sandbox\",\"base_url\":\"http://127.0.0.1:9\",\"username\":\"u\",\"password\":\"p\"},"
    "\"order\":{\"id\":7,\"currency\":\"EUR\",\"totals\":{\"total\":\"10.00\"},\"payment_method\":\"cod\","
    "\"klarna\":{\"order_id\":\"k-1\"}}}";

/* The launcher answered `request` (a C string) as om_<operation>() does: status 0, the same bytes and "\n". */
static void expect_library_answer(const char *label, const char *folder, const char *launcher, int op,
                                  const char *request, size_t length) {
    char what[200];
    snprintf(what, sizeof what, "%s: %s %s", label, operations[op].name, length > 80 ? "(long request)" : request);
    char *answer = operations[op].call(request);
    if (!answer) abort();
    struct output expected = {0};
    append(&expected, answer, strlen(answer));
    append(&expected, "\n", 1);
    om_free(answer);
    struct run run = run_launcher(folder, launcher, operations[op].name, request, length);
    check(run.status == 0, what, run.err.bytes);
    check(run.out.length == expected.length && memcmp(run.out.bytes, expected.bytes, expected.length) == 0, what,
          run.out.bytes);
    check(run.err.length == 0, what, run.err.bytes);
    free(expected.bytes);
    release(&run);
}

/* The launcher wrote a valid "ok":false envelope with `code` and a message containing `fragment`. It is valid JSON
 * and UTF-8 when the library, given it as a request, reads it: then it only misses "config". */
static void expect_refusal(const char *what, struct run *run, const char *code, const char *fragment) {
    char expected_code[64];
    snprintf(expected_code, sizeof expected_code, "{\"error\":{\"code\":\"%s\",\"message\":\"", code);
    check(run->status == 0, what, run->err.bytes);
    check(strncmp(run->out.bytes, expected_code, strlen(expected_code)) == 0, what, run->out.bytes);
    check(strstr(run->out.bytes, fragment) != NULL, what, run->out.bytes);
    const char *ending = "\"},\"ok\":false,\"version\":1}\n";
    check(run->out.length > strlen(ending) && strcmp(run->out.bytes + run->out.length - strlen(ending), ending) == 0,
          what, run->out.bytes);
    char *echo = om_capture(run->out.bytes);
    check(echo && strstr(echo, "\"code\":\"missing_field\",\"field\":\"config\""), what, echo);
    om_free(echo);
}

static char *version_line(void) {
    static char line[128];
    snprintf(line, sizeof line, "klarna-om %s (abi %d)\n", om_version(), (int)om_abi_version());
    return line;
}

/* ---- layouts in the scratch folder ---- */

static void copy_file(const char *from, const char *to) {
    FILE *source = fopen(from, "rb"), *target = fopen(to, "wb");
    if (!source || !target) {
        fprintf(stderr, "cannot copy %s to %s\n", from, to);
        exit(2);
    }
    char buffer[65536];
    size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, source)) > 0) fwrite(buffer, 1, n, target);
    fclose(source);
    if (fclose(target) != 0 || chmod(to, 0755) != 0) exit(2);
}

/* A path, by value: valid until the end of the full expression that made it, or as long as a variable holds it. */
struct path {
    char text[PATH_MAX];
};

static struct path join(const char *first, const char *second) {
    struct path result;
    snprintf(result.text, sizeof result.text, "%s/%s", first, second);
    return result;
}

/* SCRATCH/name with bin/klarna-om and, unless `library` is NULL, lib/libklarna_om.so copied from `library`. */
static struct path layout(const char *scratch, const char *name, const char *launcher, const char *library) {
    struct path folder = join(scratch, name);
    if (mkdir(folder.text, 0755) != 0 || mkdir(join(folder.text, "bin").text, 0755) != 0 ||
        mkdir(join(folder.text, "lib").text, 0755) != 0) {
        fprintf(stderr, "cannot make %s\n", folder.text);
        exit(2);
    }
    copy_file(launcher, join(folder.text, "bin/klarna-om").text);
    if (library) copy_file(library, join(folder.text, "lib/libklarna_om.so").text);
    return folder;
}

/* ---- the cases ---- */

static void test_every_operation(const char *launcher) {
    size_t big = 2u << 20;
    char *large = malloc(big + 1);
    if (!large) abort();
    for (int op = 0; op < OPERATION_COUNT; op++) {
        const char *requests[] = {valid_request, "", "{}", "{\"version\":1,", "{\"version\":7}", "\xff\xfe{}",
                                  "{\"version\":1,\"x\":\"\xc3\"}", "[1,2]"};
        for (size_t i = 0; i < sizeof requests / sizeof requests[0]; i++) {
            expect_library_answer("stdin", NULL, launcher, op, requests[i], strlen(requests[i]));
        }
        memset(large, '[', 1000);
        memset(large + 1000, ']', 1000);
        large[2000] = '\0';
        expect_library_answer("1000 nested arrays", NULL, launcher, op, large, 2000);
        /* exactly 1 MiB (read whole), one byte more (too large), 2 MiB (the launcher stops reading) */
        size_t sizes[] = {1u << 20, (1u << 20) + 1, big};
        for (size_t i = 0; i < 3; i++) {
            memset(large, ' ', sizes[i]);
            large[0] = '{';
            large[sizes[i] - 1] = '}';
            large[sizes[i]] = '\0';
            expect_library_answer("large stdin", NULL, launcher, op, large, sizes[i]);
        }
    }
    free(large);
}

/* NUL bytes reach the library as 0x01 (the launcher's read_request() says why); they never cut the request short,
 * so a valid request followed by a NUL and junk is refused, as the raw bytes are, instead of running. Exact parity
 * with the library's byte entry point is OMExportTests' LoadedLibraryTests. */
/* A batch reads up to 16 MiB + 1 byte of standard input, not a request's 1 MiB + 1: a batch of the valid request
 * in every operation, padded to 3 MiB, runs; one byte over 16 MiB is too large, as om_batch() says. */
static void test_batch(const char *launcher) {
    const char *item = "{\"operation\":\"capture\",\"request\":";
    size_t size = 3u << 20, limit = (16u << 20) + 1;
    char *batch = malloc(limit + 1);
    if (!batch) abort();
    size_t length = (size_t)snprintf(batch, limit, "{\"version\":1,\"items\":[%s%s}]", item, valid_request);
    memset(batch + length, ' ', size - length - 1);
    batch[size - 1] = '}';
    batch[size] = '\0';
    expect_library_answer("a batch of 3 MiB", NULL, launcher, OPERATION_COUNT - 1, batch, size);
    char *answer = om_batch(batch);
    const char *ran = "{\"ok\":true,\"results\":[{\"error\":{\"code\":\"lines_do_not_add_up\"";
    check(answer && strncmp(answer, ran, strlen(ran)) == 0, "a batch of 3 MiB runs its item", answer);
    om_free(answer);
    memset(batch + size - 1, ' ', limit - size);
    batch[limit - 1] = '}';
    batch[limit] = '\0';
    expect_library_answer("a batch one byte over 16 MiB", NULL, launcher, OPERATION_COUNT - 1, batch, limit);
    answer = om_batch(batch);
    check(answer && strstr(answer, "\"code\":\"request_too_large\""), "a batch one byte over 16 MiB is too large", answer);
    om_free(answer);
    free(batch);
}

static void test_nul_bytes(const char *launcher) {
    static const struct {
        const char *label;
        const char *before;
        const char *after;
        const char *fragment;
    } cases[] = {
        {"NUL alone", "", "", "\"code\":\"invalid_json\""},
        {"valid request, NUL, junk", valid_request, "junk", "\"code\":\"invalid_json\""},
        {"valid request, NUL", valid_request, "", "\"code\":\"invalid_json\""},
        {"NUL, valid request", "", valid_request, "\"code\":\"invalid_json\""},
        {"NUL in a string (JSON forbids raw control characters)", "{\"version\":1,\"x\":\"a", "b\"}", "\"code\":\"invalid_json\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t before = strlen(cases[i].before), after = strlen(cases[i].after);
        char *input = malloc(before + after + 1);
        if (!input) abort();
        memcpy(input, cases[i].before, before);
        input[before] = '\0';
        memcpy(input + before + 1, cases[i].after, after);
        for (int op = 0; op < OPERATION_COUNT; op++) {
            char what[160];
            snprintf(what, sizeof what, "%s (%s)", cases[i].label, operations[op].name);
            struct run run = run_launcher(NULL, launcher, operations[op].name, input, before + after + 1);
            check(run.status == 0 && strstr(run.out.bytes, "\"ok\":false") && strstr(run.out.bytes, cases[i].fragment),
                  what, run.out.bytes);
            release(&run);
        }
        free(input);
    }
    /* In a string the library decodes, a NUL is refused, never read as the end of the value. */
    char input[sizeof valid_request + 1];
    const char *cod = strstr(valid_request, "\"cod\"");
    size_t at = (size_t)(cod - valid_request) + 2;
    memcpy(input, valid_request, at);
    input[at] = '\0';
    memcpy(input + at + 1, valid_request + at, sizeof valid_request - at);
    struct run run = run_launcher(NULL, launcher, "capture", input, sizeof valid_request);
    check(run.status == 0 && strstr(run.out.bytes, "\"ok\":false"), "NUL in payment_method", run.out.bytes);
    release(&run);
}

static void test_command_line(const char *launcher) {
    struct run run = run_launcher(NULL, launcher, "version", "", 0);
    check(run.status == 0 && strcmp(run.out.bytes, version_line()) == 0 && run.err.length == 0, "version",
          run.out.bytes);
    check(strcmp(om_version(), OM_VERSION) == 0 && om_abi_version() == OM_ABI_VERSION, "version is the header's", NULL);
    release(&run);

    char unknown[256];
    snprintf(unknown, sizeof unknown, "klarna-om: unknown command\n%s", usage);
    static const struct {
        const char *label;
        int count;
        const char *arguments[2];
    } lines[] = {
        {"no command", 0, {NULL, NULL}},   {"two arguments", 2, {"capture", "x"}}, {"version x", 2, {"version", "x"}},
        {"unknown command", 1, {"charge", NULL}}, {"empty command", 1, {"", NULL}},    {"VERSION", 1, {"VERSION", NULL}},
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        char *argv[4] = {(char *)launcher, (char *)lines[i].arguments[0], (char *)lines[i].arguments[1], NULL};
        argv[1 + lines[i].count] = NULL;
        run = run_program(NULL, argv, "{}", 2, KEEP_ALL);
        const char *expected = lines[i].count == 1 ? unknown : usage;
        check(run.status == 2 && run.out.length == 0 && strcmp(run.err.bytes, expected) == 0, lines[i].label,
              run.err.bytes);
        release(&run);
    }
}

static void test_closed_descriptors(const char *launcher) {
    char *argv[] = {(char *)launcher, "capture", NULL};
    struct run run = run_program(NULL, argv, "", 0, 0);
    char *answer = om_capture("");
    check(run.status == 0 && strncmp(run.out.bytes, answer, strlen(answer)) == 0, "stdin closed: the empty request",
          run.out.bytes);
    om_free(answer);
    release(&run);
    run = run_program(NULL, argv, valid_request, strlen(valid_request), 1);
    check(run.status == 1, "stdout closed: exit status 1, no crash", run.err.bytes);
    release(&run);
}

static void test_layouts(const char *dist, const char *scratch) {
    struct path launcher = join(dist, "bin/klarna-om"), library = join(dist, "lib/libklarna_om.so");
    struct path copy = layout(scratch, "copy", launcher.text, library.text);
    struct path copied = join(copy.text, "bin/klarna-om");
    expect_library_answer("a copy of bin/ and lib/", NULL, copied.text, 1, valid_request, strlen(valid_request));
    struct run run = run_launcher(NULL, copied.text, "version", "", 0);
    check(run.status == 0 && strcmp(run.out.bytes, version_line()) == 0, "a copy: version", run.out.bytes);
    release(&run);

    expect_library_answer("working directory /", "/", copied.text, 0, valid_request, strlen(valid_request));
    expect_library_answer("./bin/klarna-om from the copy", copy.text, "./bin/klarna-om", 2, valid_request,
                          strlen(valid_request));
    expect_library_answer("../bin/klarna-om from lib/", join(copy.text, "lib").text, "../bin/klarna-om", 3,
                          "{\"version\":3}", 13);

    struct path link = join(scratch, "klarna-om-link");
    if (symlink(copied.text, link.text) != 0) abort();
    expect_library_answer("through a symbolic link elsewhere", NULL, link.text, 1, valid_request, strlen(valid_request));

    struct path flat = join(scratch, "flat");
    if (mkdir(flat.text, 0755) != 0) abort();
    copy_file(launcher.text, join(flat.text, "klarna-om").text);
    copy_file(library.text, join(flat.text, "libklarna_om.so").text);
    expect_library_answer("library in the launcher's own folder", NULL, join(flat.text, "klarna-om").text, 1,
                          valid_request, strlen(valid_request));
}

/* Without its library, beside a library of another C ABI, one without operations, and a file that is no library
 * in a folder whose name has a quote, a backslash and a non-ASCII letter: every answer is a valid envelope. */
static void test_unusable_libraries(const char *dist, const char *scratch, const char *other_abi, const char *no_ops) {
    struct path launcher = join(dist, "bin/klarna-om");
    struct path missing = join(layout(scratch, "missing", launcher.text, NULL).text, "bin/klarna-om");
    for (int op = 0; op < OPERATION_COUNT; op++) {
        struct run run = run_launcher(NULL, missing.text, operations[op].name, valid_request, strlen(valid_request));
        expect_refusal("library missing", &run, "library_unavailable", "libklarna_om.so is missing");
        release(&run);
    }
    struct run run = run_launcher(NULL, missing.text, "version", "", 0);
    check(run.status == 1 && run.out.length == 0 && strstr(run.err.bytes, "klarna-om: libklarna_om.so is missing"),
          "library missing: version", run.err.bytes);
    release(&run);

    struct path abi = join(layout(scratch, "other-abi", launcher.text, other_abi).text, "bin/klarna-om");
    char message[128];
    snprintf(message, sizeof message, "libklarna_om.so has C ABI %d, this klarna-om executable needs %d",
             OM_ABI_VERSION + 1, OM_ABI_VERSION);
    run = run_launcher(NULL, abi.text, "refund", valid_request, strlen(valid_request));
    expect_refusal("another C ABI", &run, "library_unavailable", message);
    release(&run);
    run = run_launcher(NULL, abi.text, "version", "", 0);
    check(run.status == 1 && run.out.length == 0 && strstr(run.err.bytes, message), "another C ABI: version",
          run.err.bytes);
    release(&run);

    struct path partial = join(layout(scratch, "no-operations", launcher.text, no_ops).text, "bin/klarna-om");
    run = run_launcher(NULL, partial.text, "capture", valid_request, strlen(valid_request));
    expect_refusal("a library without operations", &run, "library_unavailable", "libklarna_om.so has no om_capture");
    release(&run);
    char fake_version[64];
    snprintf(fake_version, sizeof fake_version, "klarna-om 9.9.9 (abi %d)\n", OM_ABI_VERSION);
    run = run_launcher(NULL, partial.text, "version", "", 0);
    check(run.status == 0 && strcmp(run.out.bytes, fake_version) == 0, "a library without operations: version",
          run.out.bytes);
    release(&run);

    struct path odd = layout(scratch, "odd \"name\" \\ \xc3\xa9", launcher.text, NULL);
    FILE *junk = fopen(join(odd.text, "lib/libklarna_om.so").text, "w");
    if (!junk) abort();
    fputs("not a library\n", junk);
    fclose(junk);
    run = run_launcher(NULL, join(odd.text, "bin/klarna-om").text, "cancel", valid_request, strlen(valid_request));
    expect_refusal("a file that is no library", &run, "library_unavailable", "libklarna_om.so could not be loaded: ");
    /* é is two bytes outside ASCII, each written '?' (split, so that no trigraph forms) */
    check(strstr(run.out.bytes, "odd \\\"name\\\" \\\\ ?" "?/bin/../lib/libklarna_om.so") != NULL,
          "a file that is no library: its path, escaped", run.out.bytes);
    release(&run);
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: launcher_test DIST SCRATCH FAKE_OTHER_ABI FAKE_NO_OPERATIONS\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN); /* the launcher stops reading at 1 MiB + 1 byte */
    const char *dist = argv[1], *scratch = argv[2];
    struct path launcher = join(dist, "bin/klarna-om");
    test_every_operation(launcher.text);
    test_batch(launcher.text);
    test_nul_bytes(launcher.text);
    test_command_line(launcher.text);
    test_closed_descriptors(launcher.text);
    test_layouts(dist, scratch);
    test_unusable_libraries(dist, scratch, argv[3], argv[4]);
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}

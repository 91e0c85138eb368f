/*
 * C harness for libklarna_om.so: compiled against Include/klarna_om.h, linked against the release library, and
 * run by scripts/test directly and under valgrind. It calls every function with valid and hostile input and checks
 * the envelopes; om_batch's answers are checked against the single functions' answers, byte for byte. Responses are compact JSON with sorted keys, so substring checks on them are exact.
 *
 * usage: harness [fuzz-iterations] [threads]      prints "N passed, N failed"; exit status 1 on any failure.
 */
#define _GNU_SOURCE /* syscall(SYS_gettid), usleep */

#include "klarna_om.h"

#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

typedef char *(*operation_fn)(const char *);

struct operation {
    const char *name;
    operation_fn call;
};

static const struct operation operations[] = {
    {"cancel", om_cancel}, {"capture", om_capture}, {"update", om_update}, {"refund", om_refund},
    {"sync", om_sync},     {"release", om_release}, {"extend", om_extend},
};
enum { OPERATION_COUNT = sizeof operations / sizeof operations[0] };

static int passed, failed;

static void check(int condition, const char *what, const char *detail) {
    if (condition) {
        passed++;
    } else {
        failed++;
        fprintf(stderr, "FAIL: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    }
}

/* A valid request (contract version 1) with room for one extra member spliced in front of "order". Its payment
 * method is not Klarna's, so the operations answer from the rules alone, without the network. */
static const char *valid_request_format =
    "{\"version\":1,\"locale\":\"en_US\",%s"
    "\"config\":{\"environment\":\"sandbox\",\"base_url\":\"http://127.0.0.1:9\",\"username\":\"u\",\"password\":\"p\"},"
    "\"order\":{\"id\":7,\"currency\":\"EUR\",\"totals\":{\"total\":\"10.00\"},\"payment_method\":\"kco\","
    "\"klarna\":{\"order_id\":\"k-1\"},\"meta\":{\"disconnected\":true}}}";

static char *valid_request(const char *extra) {
    size_t size = strlen(valid_request_format) + strlen(extra) + 1;
    char *text = malloc(size);
    if (text) snprintf(text, size, valid_request_format, extra);
    return text;
}

/* Calls one operation and checks that the answer is a version-1 envelope containing every expected fragment. */
static void expect(const struct operation *op, const char *input, const char *label, const char *const *fragments) {
    char what[160];
    char *response = op->call(input);
    snprintf(what, sizeof what, "%s: %s", op->name, label);
    check(response != NULL, what, "response is NULL");
    if (!response) return;
    check(response[0] == '{' && strstr(response, "\"version\":1") != NULL, what, response);
    for (; *fragments; fragments++) {
        check(strstr(response, *fragments) != NULL, what, response);
    }
    om_free(response);
}

#define EXPECT(op, input, label, ...) \
    do { \
        const char *const fragments_[] = {__VA_ARGS__, NULL}; \
        expect((op), (input), (label), fragments_); \
    } while (0)

static void test_versions(void) {
    check(om_abi_version() == OM_ABI_VERSION, "om_abi_version() == OM_ABI_VERSION", NULL);
    check(strcmp(om_version(), OM_VERSION) == 0, "om_version() == OM_VERSION", om_version());
    check(om_version() == om_version(), "om_version() is static", NULL);
    om_free(NULL);
    check(1, "om_free(NULL) is a no-op", NULL);
}

/* 1000 nested arrays between `head` and `tail`: nesting_too_deep. */
static void expect_too_deep(const struct operation *op, const char *head, const char *tail) {
    char deep[4096];
    size_t at = strlen(head), depth = 1000;
    if (at + 2 * depth + strlen(tail) >= sizeof deep) abort();
    memcpy(deep, head, at);
    memset(deep + at, '[', depth);
    memset(deep + at + depth, ']', depth);
    strcpy(deep + at + 2 * depth, tail);
    EXPECT(op, deep, "1000 nested arrays", "\"code\":\"nesting_too_deep\"");
}

/* An object of spaces 100 bytes over `limit`: request_too_large. */
static void expect_too_large(const struct operation *op, size_t limit, const char *label) {
    size_t big = limit + 100;
    char *large = malloc(big + 1);
    if (!large) return;
    memset(large, ' ', big);
    large[0] = '{';
    large[big - 1] = '}';
    large[big] = '\0';
    EXPECT(op, large, label, "\"code\":\"request_too_large\"");
    free(large);
}

static void test_hostile_input(const struct operation *op) {
    EXPECT(op, NULL, "NULL", "\"ok\":false", "\"code\":\"null_request\"");
    EXPECT(op, "", "empty", "\"code\":\"invalid_json\"");
    EXPECT(op, "{\"version\":1,", "truncated JSON", "\"code\":\"invalid_json\"");
    EXPECT(op, "\xff\xfe{}", "invalid UTF-8", "\"code\":\"invalid_utf8\"");
    EXPECT(op, "{\"version\":1,\"x\":\"\xc3\"}", "truncated UTF-8 sequence", "\"code\":\"invalid_utf8\"");
    EXPECT(op, "[1,2]", "array at top level", "\"code\":\"invalid_json\"");
    EXPECT(op, "{}", "no version", "\"code\":\"missing_field\"", "\"field\":\"version\"");
    EXPECT(op, "{\"version\":\"1\"}", "version as string", "\"code\":\"invalid_field\"", "\"field\":\"version\"");
    EXPECT(op, "{\"version\":2}", "unknown version", "\"code\":\"unsupported_version\"");
    EXPECT(op, "{\"version\":1e999}", "huge number", "\"ok\":false");
    EXPECT(op, "{\"version\":1}", "no config", "\"code\":\"missing_field\"", "\"field\":\"config\"");

    expect_too_deep(op, "", "");
    expect_too_large(op, 1u << 20, "more than 1 MiB");
}

static void test_fields(const struct operation *op) {
    char *request = valid_request("");
    if (!request) return;
    if (strcmp(op->name, "refund") == 0) {
        EXPECT(op, request, "refund without refund member", "\"code\":\"missing_field\"", "\"field\":\"refund\"");
    } else {
        EXPECT(op, request, "valid request", "\"ok\":true", "\"outcome\":\"skipped_disconnected\"");
    }
    free(request);

    request = valid_request("\"operation\":\"nonsense\",");
    if (request) EXPECT(op, request, "unknown operation", "\"code\":\"invalid_field\"", "\"field\":\"operation\"");
    free(request);

    const char *other = strcmp(op->name, "capture") == 0 ? "\"operation\":\"cancel\"," : "\"operation\":\"capture\",";
    request = valid_request(other);
    if (request) EXPECT(op, request, "operation mismatch", "\"code\":\"operation_mismatch\"");
    free(request);

    static const char *const swaps[][3] = {
        {"\"id\":7", "\"id\":\"7\"", "order.id"},
        {"\"total\":\"10.00\"", "\"total\":10.00", "order.totals.total"},
        {"\"total\":\"10.00\"", "\"total\":\"1,000.00\"", "order.totals.total"},
        {"\"currency\":\"EUR\"", "\"currency\":\"XYZ\"", "order.currency"},
        {"\"environment\":\"sandbox\"", "\"environment\":\"moon\"", "config.environment"},
        {"\"password\":\"p\"", "\"password\":null", "config.password"},
    };
    for (size_t i = 0; i < sizeof swaps / sizeof swaps[0]; i++) {
        char *base = valid_request("");
        if (!base) return;
        char *at = strstr(base, swaps[i][0]);
        if (at) {
            size_t size = strlen(base) + strlen(swaps[i][1]) + 1;
            char *mutated = malloc(size);
            if (mutated) {
                snprintf(mutated, size, "%.*s%s%s", (int)(at - base), base, swaps[i][1], at + strlen(swaps[i][0]));
                char field[64];
                snprintf(field, sizeof field, "\"field\":\"%s\"", swaps[i][2]);
                EXPECT(op, mutated, swaps[i][1], "\"ok\":false", field);
                free(mutated);
            }
        }
        free(base);
    }
}

/* xorshift: deterministic pseudo-random mutations, reproducible from the seed. */
static unsigned long long rng_state = 0x9E3779B97F4A7C15ULL;
static unsigned long long next_random(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Mutates `seed` at random (flip, delete, insert, truncate bytes) and hands each result to `pick(i)`: every answer
 * must be an envelope. */
static void fuzz_seed(const char *seed, int iterations, const struct operation *(*pick)(int), const char *label) {
    size_t length = strlen(seed);
    char *buffer = malloc(length * 2 + 1);
    int envelopes = 0;
    for (int i = 0; buffer && i < iterations; i++) {
        memcpy(buffer, seed, length + 1);
        size_t current = length;
        int edits = 1 + (int)(next_random() % 8);
        for (int e = 0; e < edits && current > 0; e++) {
            size_t at = next_random() % current;
            switch (next_random() % 4) {
            case 0: buffer[at] = (char)(1 + next_random() % 255); break;
            case 1: memmove(buffer + at, buffer + at + 1, current - at); current--; break;
            case 2:
                if (current < length * 2) {
                    memmove(buffer + at + 1, buffer + at, current - at + 1);
                    buffer[at] = "{}[]\",:0-.e\\"[next_random() % 12];
                    current++;
                }
                break;
            default: buffer[at] = '\0'; current = at; break;
            }
        }
        char *response = pick(i)->call(buffer);
        if (response && response[0] == '{' && strstr(response, "\"version\":1") && strstr(response, "\"ok\":")) envelopes++;
        om_free(response);
    }
    char detail[64];
    snprintf(detail, sizeof detail, "%d of %d", envelopes, iterations);
    check(envelopes == iterations, label, detail);
    free(buffer);
}

static const struct operation *each_operation(int i) { return &operations[i % OPERATION_COUNT]; }

static void fuzz(int iterations) {
    char *seed = valid_request("\"refund\":{\"id\":3,\"amount\":\"1.00\",\"items\":[{\"item_id\":1,\"total\":\"1\"}]},");
    if (seed) fuzz_seed(seed, iterations, each_operation, "fuzzed input always gets an envelope");
    free(seed);
}

/* ---- om_batch ---- */

/* A growing string, for building batches and the answers they must give. Aborts when memory runs out. */
struct text {
    char *bytes;
    size_t length;
};

static void add(struct text *text, const char *piece) {
    size_t size = strlen(piece);
    char *grown = realloc(text->bytes, text->length + size + 1);
    if (!grown) abort();
    memcpy(grown + text->length, piece, size + 1);
    text->bytes = grown;
    text->length += size;
}

/* The requests a batch carries here: each operation's valid request (nothing sent: order management is switched
 * off), a refund without its refund member, an order whose Klarna calls cannot connect (127.0.0.1:9), and
 * malformed requests. Items are {"operation":…,"request":…}; the batch's answer must hold, in order, exactly what
 * each operation's own function answers its request. */
static const char *const unreachable_request =
    "{\"version\":1,\"locale\":\"en_US\","
    "\"config\":{\"environment\":\"sandbox\",\"base_url\":\"http://127.0.0.1:9\",\"username\":\"u\",\"password\":\"p\","
    "\"connect_timeout_ms\":500,\"timeout_ms\":3000},"
    "\"order\":{\"id\":8,\"currency\":\"EUR\",\"totals\":{\"total\":\"10.00\"},\"klarna\":{\"order_id\":\"k-2\"}}}";

/* Builds a batch of `count` items cycling through the operations over `request`, and the answer it must give. */
static void batch_of(const char *request, int count, const char *settings, struct text *batch, struct text *answer) {
    add(batch, "{\"version\":1,");
    add(batch, settings);
    add(batch, "\"items\":[");
    add(answer, "{\"ok\":true,\"results\":[");
    for (int i = 0; i < count; i++) {
        const struct operation *op = &operations[i % OPERATION_COUNT];
        if (i > 0) {
            add(batch, ",");
            add(answer, ",");
        }
        add(batch, "{\"operation\":\"");
        add(batch, op->name);
        add(batch, "\",\"request\":");
        add(batch, request);
        add(batch, "}");
        char *single = op->call(request);
        if (!single) abort();
        add(answer, single);
        om_free(single);
    }
    add(batch, "]}");
    add(answer, "],\"version\":1}");
}

/* The batch answers exactly the concatenation of the single calls' answers. */
static void expect_batch_of(const char *label, const char *request, int count, const char *settings) {
    struct text batch = {0}, answer = {0};
    add(&batch, "");
    add(&answer, "");
    batch_of(request, count, settings, &batch, &answer);
    char *response = om_batch(batch.bytes);
    check(response && strcmp(response, answer.bytes) == 0, label, response);
    om_free(response);
    free(batch.bytes);
    free(answer.bytes);
}

#define EXPECT_BATCH(input, label, ...) \
    do { \
        const char *const fragments_[] = {__VA_ARGS__, NULL}; \
        expect(&batch_operation, (input), (label), fragments_); \
    } while (0)

static const struct operation batch_operation = {"batch", om_batch};

static void test_batch(void) {
    EXPECT_BATCH(NULL, "NULL", "\"ok\":false", "\"code\":\"null_request\"");
    EXPECT_BATCH("", "empty", "\"code\":\"invalid_json\"");
    EXPECT_BATCH("[{}]", "array at top level", "\"code\":\"invalid_json\"", "batch must be a JSON object");
    EXPECT_BATCH("\xff{}", "invalid UTF-8", "\"code\":\"invalid_utf8\"");
    EXPECT_BATCH("{\"version\":2}", "unknown version", "\"code\":\"unsupported_version\"");
    EXPECT_BATCH("{\"version\":1}", "no items", "\"code\":\"missing_field\"", "\"field\":\"items\"");
    EXPECT_BATCH("{\"version\":1,\"items\":{}}", "items not an array", "\"code\":\"invalid_field\"", "\"field\":\"items\"");
    EXPECT_BATCH("{\"version\":1,\"items\":[],\"concurrency\":0}", "no concurrency", "\"field\":\"concurrency\"");
    EXPECT_BATCH("{\"version\":1,\"items\":[],\"requests_per_second\":-1}", "negative pace",
                 "\"field\":\"requests_per_second\"");
    EXPECT_BATCH("{\"version\":1,\"items\":[]}", "no items at all", "{\"ok\":true,\"results\":[],\"version\":1}");
    EXPECT_BATCH("{\"version\":1,\"items\":[null,7,{},{\"operation\":\"capture\"},{\"operation\":\"nope\",\"request\":{}},"
                 "{\"operation\":\"refund\",\"request\":[]},{\"operation\":\"cancel\",\"request\":{\"version\":9}}]}",
                 "malformed items answer each for itself", "\"field\":\"items[0]\"", "\"field\":\"items[1]\"",
                 "\"field\":\"items[2].operation\"", "\"field\":\"items[3].request\"", "\"field\":\"items[4].operation\"",
                 "\"field\":\"items[5].request\"", "\"code\":\"unsupported_version\"");

    expect_too_deep(&batch_operation, "{\"version\":1,\"items\":", "}");
    expect_too_large(&batch_operation, 16u << 20, "more than 16 MiB");
    struct text many = {0};
    add(&many, "{\"version\":1,\"items\":[");
    for (int i = 0; i < 1001; i++) add(&many, i ? ",{}" : "{}");
    add(&many, "]}");
    EXPECT_BATCH(many.bytes, "1001 items", "\"code\":\"invalid_field\"", "\"field\":\"items\"");
    free(many.bytes);

    char *request = valid_request("");
    if (request) {
        expect_batch_of("each item answered as its own function answers it", request, 9, "");
        expect_batch_of("one at a time, one per second", request, 4, "\"concurrency\":1,\"requests_per_second\":1,");
        expect_batch_of("hostile items among valid ones", "{\"version\":1,\"order\":[]}", 3, "");
    }
    free(request);
    /* Klarna unreachable: each item tries, retries and fails as alone (the network path of the batch). */
    expect_batch_of("unreachable Klarna, through the batch's network driver", unreachable_request, 4,
                    "\"concurrency\":4,\"requests_per_second\":200,");
}

/* While a batch runs, the threads that are not the harness's own (the batch's) must block the signals a host uses:
 * PHP's time limit is a SIGPROF whose handler must never run on a thread of the library. Read from /proc. */
struct signal_watch {
    atomic_int done;
    int threads_seen;
    int unblocked;
    char first_unblocked[96]; /* the first such thread's name and mask, for the report */
};

static void *watch_signals(void *argument) {
    struct signal_watch *watch = argument;
    pid_t self = (pid_t)syscall(SYS_gettid), main_thread = getpid();
    unsigned long long wanted = 1ULL << (SIGPROF - 1) | 1ULL << (SIGALRM - 1) | 1ULL << (SIGTERM - 1) |
                                1ULL << (SIGINT - 1) | 1ULL << (SIGUSR1 - 1);
    while (!atomic_load(&watch->done)) {
        DIR *tasks = opendir("/proc/self/task");
        for (struct dirent *entry; tasks && (entry = readdir(tasks));) {
            pid_t thread = (pid_t)atoi(entry->d_name);
            if (thread <= 0 || thread == self || thread == main_thread) continue;
            char path[64], line[256];
            snprintf(path, sizeof path, "/proc/self/task/%d/status", (int)thread);
            FILE *status = fopen(path, "r");
            char state = '?';
            while (status && fgets(line, sizeof line, status)) {
                unsigned long long blocked;
                if (sscanf(line, "State: %c", &state) == 1) continue;
                if (sscanf(line, "SigBlk: %llx", &blocked) != 1) continue;
                /* A thread already exiting (zombie, dead) is no target of a signal: the kernel skips it. */
                if (state == 'Z' || state == 'X') continue;
                watch->threads_seen++;
                if ((blocked & wanted) != wanted && watch->unblocked++ == 0) {
                    char comm[32] = "?";
                    snprintf(path, sizeof path, "/proc/self/task/%d/comm", (int)thread);
                    FILE *name = fopen(path, "r");
                    if (name) {
                        if (fgets(comm, sizeof comm, name)) comm[strcspn(comm, "\n")] = 0;
                        fclose(name);
                    }
                    snprintf(watch->first_unblocked, sizeof watch->first_unblocked, "%s, state %c, SigBlk %llx", comm,
                             state, blocked);
                }
            }
            if (status) fclose(status);
        }
        if (tasks) closedir(tasks);
        usleep(2000);
    }
    return NULL;
}

static void test_batch_threads_block_signals(void) {
    struct signal_watch watch = {0};
    pthread_t watcher;
    if (pthread_create(&watcher, NULL, watch_signals, &watch) != 0) return;
    expect_batch_of("unreachable Klarna, watched", unreachable_request, 4, "\"concurrency\":4,");
    atomic_store(&watch.done, 1);
    pthread_join(watcher, NULL);
    char detail[192];
    snprintf(detail, sizeof detail, "%d of %d thread samples (first: %s)", watch.unblocked, watch.threads_seen,
             watch.unblocked ? watch.first_unblocked : "none");
    check(watch.threads_seen > 0 && watch.unblocked == 0, "the batch's threads block the host's signals", detail);
}

static const struct operation *the_batch(int i) {
    (void)i;
    return &batch_operation;
}

/* Mutates a valid batch at random: every answer must be an envelope. */
static void fuzz_batch(int iterations) {
    char *request = valid_request("");
    if (!request) return;
    struct text seed = {0}, ignored = {0};
    add(&seed, "");
    add(&ignored, "");
    batch_of(request, 4, "\"concurrency\":2,", &seed, &ignored);
    fuzz_seed(seed.bytes, iterations, the_batch, "a fuzzed batch always gets an envelope");
    free(seed.bytes);
    free(ignored.bytes);
    free(request);
}

struct worker {
    int calls;
    int wrong;
    const char *batch, *batch_answer;
};

/* Concurrent calls from several threads must give the same answers as sequential ones. */
static void *worker_main(void *argument) {
    struct worker *work = argument;
    char *request = valid_request("");
    for (int i = 0; request && i < work->calls; i++) {
        char *response = operations[i % 3].call(request);
        if (!response || !strstr(response, "\"outcome\":\"skipped_disconnected\"")) work->wrong++;
        om_free(response);
        response = om_refund("{\"version\":9}");
        if (!response || !strstr(response, "\"code\":\"unsupported_version\"")) work->wrong++;
        om_free(response);
        if (i % 10 == 0) { /* a batch from several threads at once: its own threads besides the caller's */
            response = om_batch(work->batch);
            if (!response || strcmp(response, work->batch_answer) != 0) work->wrong++;
            om_free(response);
        }
    }
    free(request);
    return NULL;
}

static void test_threads(int threads, int calls) {
    pthread_t ids[16];
    struct worker work[16];
    if (threads > 16) threads = 16;
    struct text batch = {0}, answer = {0};
    add(&batch, "");
    add(&answer, "");
    char *request = valid_request("");
    if (request) batch_of(request, 12, "\"concurrency\":3,", &batch, &answer);
    free(request);
    int started = 0;
    for (int t = 0; t < threads; t++) {
        work[t].calls = calls;
        work[t].wrong = 0;
        work[t].batch = batch.bytes;
        work[t].batch_answer = answer.bytes;
        if (pthread_create(&ids[t], NULL, worker_main, &work[t]) == 0) started++;
    }
    int wrong = 0;
    for (int t = 0; t < started; t++) {
        pthread_join(ids[t], NULL);
        wrong += work[t].wrong;
    }
    char detail[64];
    snprintf(detail, sizeof detail, "%d wrong of %d", wrong, started * (calls * 2 + (calls + 9) / 10));
    check(started == threads && wrong == 0, "concurrent calls agree", detail);
    free(batch.bytes);
    free(answer.bytes);
}

int main(int argc, char **argv) {
    int iterations = argc > 1 ? atoi(argv[1]) : 2000;
    int threads = argc > 2 ? atoi(argv[2]) : 4;
    test_versions();
    for (int i = 0; i < OPERATION_COUNT; i++) {
        test_hostile_input(&operations[i]);
        test_fields(&operations[i]);
    }
    fuzz(iterations);
    test_batch();
    test_batch_threads_block_signals();
    fuzz_batch(iterations / 10 + 1);
    test_threads(threads, iterations / 10 + 1);
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}

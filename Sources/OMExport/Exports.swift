import Glibc
import OMCore

// The C ABI of libklarna_om.so. Each function only hands over to `Entry` and copies the answer into C memory.
// The doc comments below are copied by the compiler into its generated header, and from there into
// Include/klarna_om.h (scripts/gen-header): they are the C documentation, so they speak C.

/// Cancels the Klarna order behind a WooCommerce order (status changed to Cancelled).
/// @param request_json  NUL-terminated UTF-8 JSON request (docs/contract.md). May be NULL. Not retained; at most
///                      1 MiB is read.
/// @return A NUL-terminated UTF-8 JSON response owned by the caller: release it exactly once with om_free(); never
///         pass it to free() or use it after om_free(). Bad input (NULL, invalid UTF-8 or JSON, too deep, too
///         large, wrong or missing fields, unknown version) gives {"version":1,"ok":false,"error":{...}}, never a
///         crash. NULL only if memory for the response could not be allocated.
/// Thread safety: may be called from any thread at any time; blocks while it talks to Klarna.
/// Since ABI 1.
@c(om_cancel)
public func om_cancel(_ request_json: UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>? {
    strdup(Entry.respond(to: .cancel, cString: request_json))
}

/// Captures a Klarna order (WooCommerce status changed from Processing to Completed).
/// @param request_json  NUL-terminated UTF-8 JSON request (docs/contract.md). May be NULL. Not retained; at most
///                      1 MiB is read.
/// @return A NUL-terminated UTF-8 JSON response owned by the caller: release it exactly once with om_free(); never
///         pass it to free() or use it after om_free(). Bad input gives an "ok":false envelope, never a crash.
///         NULL only if memory for the response could not be allocated.
/// Thread safety: may be called from any thread at any time; blocks while it talks to Klarna.
/// Since ABI 1.
@c(om_capture)
public func om_capture(_ request_json: UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>? {
    strdup(Entry.respond(to: .capture, cString: request_json))
}

/// Sends a WooCommerce order's edited lines and amount to Klarna (On hold, items edited, then Processing).
/// @param request_json  NUL-terminated UTF-8 JSON request (docs/contract.md). May be NULL. Not retained; at most
///                      1 MiB is read.
/// @return A NUL-terminated UTF-8 JSON response owned by the caller: release it exactly once with om_free(); never
///         pass it to free() or use it after om_free(). Bad input gives an "ok":false envelope, never a crash.
///         NULL only if memory for the response could not be allocated.
/// Thread safety: may be called from any thread at any time; blocks while it talks to Klarna.
/// Since ABI 1.
@c(om_update)
public func om_update(_ request_json: UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>? {
    strdup(Entry.respond(to: .update, cString: request_json))
}

/// Refunds all or part of a captured Klarna order (WooCommerce refund button).
/// @param request_json  NUL-terminated UTF-8 JSON request with a "refund" member (docs/contract.md). May be NULL.
///                      Not retained; at most 1 MiB is read.
/// @return A NUL-terminated UTF-8 JSON response owned by the caller: release it exactly once with om_free(); never
///         pass it to free() or use it after om_free(). Bad input gives an "ok":false envelope, never a crash.
///         NULL only if memory for the response could not be allocated.
/// Thread safety: may be called from any thread at any time; blocks while it talks to Klarna.
/// Since ABI 1.
@c(om_refund)
public func om_refund(_ request_json: UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>? {
    strdup(Entry.respond(to: .refund, cString: request_json))
}

/// Runs many operations at once (bulk actions): each item is the request of one of om_cancel, om_capture,
/// om_update or om_refund, answered exactly as that function answers it, while Klarna is called for several
/// items at a time.
/// @param batch_json  NUL-terminated UTF-8 JSON (docs/contract.md, "Many orders at once"):
///                    {"version":1,"items":[{"operation":"capture","request":{...}},...],"concurrency":8,
///                    "requests_per_second":20}. May be NULL. Not retained; at most 16 MiB is read; at most 1,000
///                    items, each request within the 1 MiB and 32 levels of a single call.
/// @return A NUL-terminated UTF-8 JSON response owned by the caller: release it exactly once with om_free().
///         {"version":1,"ok":true,"results":[...]} holds one response per item, in the items' order, each the
///         bytes the item's own function returns for its request (a malformed item gets its own "ok":false
///         response); "log", when present, says what the batch met (Klarna's 429 answers). A malformed batch
///         gives one "ok":false envelope, never a crash. NULL only if memory for the response could not be
///         allocated.
/// Pace: at most "concurrency" requests to Klarna in flight (default 8, at most 32) and at most
///         "requests_per_second" started in any second (default 20, at most 200), over libcurl's multi interface.
///         A 429 from Klarna pauses the whole batch for its Retry-After (1 s without one), halves the pace, and
///         sends the refused request again within its order's time budget. Each item keeps its own retries,
///         idempotency keys and time budget, which begins when the batch can send its first request; one item's
///         failure never touches another.
/// Thread safety: may be called from any thread at any time; blocks until every item is answered (at least
///         items / requests_per_second seconds). Runs the items on the calling thread and up to "concurrency" - 1
///         threads of its own, plus one for the network, all ended before it returns; its threads block every
///         signal, so the caller's signals (PHP's time limit) stay on the caller's threads.
/// Since ABI 1.
@c(om_batch)
public func om_batch(_ batch_json: UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>? {
    strdup(Entry.respondToBatch(cString: batch_json))
}

/// Releases a response returned by any om_* operation.
/// @param response  A pointer returned by om_cancel, om_capture, om_update, om_refund or om_batch, or NULL (then
///                  nothing happens). Passing any other pointer, or the same pointer twice, is undefined behaviour.
/// Thread safety: may be called from any thread. Since ABI 1.
@c(om_free)
public func om_free(_ response: UnsafeMutablePointer<CChar>?) {
    free(response)
}

/// The library's semantic version, e.g. "0.1.0".
/// @return A static NUL-terminated string owned by the library: never free it, never write to it.
/// Thread safety: may be called from any thread. Since ABI 1.
@c(om_version)
public func om_version() -> UnsafePointer<CChar> {
    versionText.utf8Start.withMemoryRebound(to: CChar.self, capacity: versionText.utf8CodeUnitCount + 1) { $0 }
}

/// The C ABI version: 1 for this header. It changes only when a C signature changes; a caller built against
/// another ABI version must refuse the library.
/// @return The ABI version number.
/// Thread safety: may be called from any thread. Since ABI 1.
@c(om_abi_version)
public func om_abi_version() -> Int32 {
    Entry.abiVersion
}

/// Static storage for om_version(); a string literal is NUL-terminated and lives as long as the library.
private let versionText: StaticString = "0.1.0"

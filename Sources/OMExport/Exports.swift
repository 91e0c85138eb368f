import Glibc
import OMCore

// The C ABI of libklarna_om.so. Each function only hands over to `Entry` and copies the answer into C memory.
// The doc comments below are copied by the compiler into its generated header, and from there into
// Include/klarna_om.h (scripts/gen-header): they are the C documentation, so they speak C.

/// Cancels the Klarna order behind a WooCommerce order (status changed to Cancelled).
/// @param request_json  NUL-terminated UTF-8 JSON request (docs/contract.md). May be NULL. Not retained; at most
///                      1 MiB is read.
/// @return A NUL-terminated UTF-8 JSON response owned by the caller: release it exactly once with om_free(); never
///         pass it to free() or use it after om_free(). Bad input gives an "ok":false envelope, never a crash.
///         NULL only if memory for the response could not be allocated.
/// Bad input: as for every operation.
/// Thread safety: may be called from any thread at any time; blocks while it talks to Klarna.
/// Since ABI 1.
@c(om_cancel)
public func om_cancel(_ request_json: UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>? {
    strdup(Entry.respond(to: .cancel, cString: request_json))
}

/// Captures a Klarna order (WooCommerce status changed from Processing to Completed): what WooCommerce still expects,
/// or, with the request's "capture" member, one shipment (some items, with tracking).
/// @param request_json  NUL-terminated UTF-8 JSON request (docs/contract.md). May be NULL. Not retained; at most
///                      1 MiB is read.
/// @return A NUL-terminated UTF-8 JSON response owned by the caller: release it exactly once with om_free(); never
///         pass it to free() or use it after om_free(). Bad input gives an "ok":false envelope, never a crash.
///         NULL only if memory for the response could not be allocated.
/// Bad input: as for every operation, and invalid_field for a "capture.items" entry naming no product of the
///         order, naming one twice, or with a quantity outside 1 ... ordered; lines_do_not_add_up when the order's
///         lines differ from its total by more than rounding explains (nothing is sent).
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
/// Bad input: as for every operation, and lines_do_not_add_up when the order's lines differ from its total by
///         more than rounding explains (nothing is sent).
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
/// Bad input: as for every operation, and missing_field without "refund" or "refund.amount", invalid_amount
///         for an amount that is not a positive decimal string, unknown_refund_item for a refunded "item_id" that
///         is no item of the order.
/// Thread safety: may be called from any thread at any time; blocks while it talks to Klarna.
/// Since ABI 1.
@c(om_refund)
public func om_refund(_ request_json: UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>? {
    strdup(Entry.respond(to: .refund, cString: request_json))
}

/// Reads the Klarna order behind a WooCommerce order, changing nothing: the response's "state" is what Klarna holds
/// (status, amounts, captures with their shipping info, refunds, expiry), for the order screen's Klarna box.
/// @param request_json  NUL-terminated UTF-8 JSON request (docs/contract.md), as for the other operations. May be
///                      NULL. Not retained; at most 1 MiB is read.
/// @return A NUL-terminated UTF-8 JSON response owned by the caller: release it exactly once with om_free(); never
///         pass it to free() or use it after om_free(). Bad input gives an "ok":false envelope, never a crash.
///         NULL only if memory for the response could not be allocated.
/// Bad input: as for every operation.
/// Thread safety: may be called from any thread at any time; blocks while it talks to Klarna.
/// Since ABI 1 (library 0.2.0): added within ABI 1, so look it up by name (dlsym) in a library of unknown age.
@c(om_sync)
public func om_sync(_ request_json: UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>? {
    strdup(Entry.respond(to: .sync, cString: request_json))
}

/// Releases what remains of a part-captured Klarna order's authorization: nothing more will be captured, and the
/// customer is not charged for it (part of the order will not ship). Exactly once, like every operation.
/// @param request_json  NUL-terminated UTF-8 JSON request (docs/contract.md). May be NULL. Not retained; at most
///                      1 MiB is read.
/// @return A NUL-terminated UTF-8 JSON response owned by the caller: release it exactly once with om_free(); never
///         pass it to free() or use it after om_free(). Bad input gives an "ok":false envelope, never a crash.
///         NULL only if memory for the response could not be allocated.
/// Bad input: as for every operation.
/// Thread safety: may be called from any thread at any time; blocks while it talks to Klarna.
/// Since ABI 1 (library 0.2.0): added within ABI 1, so look it up by name (dlsym) in a library of unknown age.
@c(om_release)
public func om_release(_ request_json: UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>? {
    strdup(Entry.respond(to: .release, cString: request_json))
}

/// Extends the authorization of a Klarna order that is not yet captured in full (a delayed shipment); the note and
/// the response's "state" give the new expiry. Exactly once, like every operation.
/// @param request_json  NUL-terminated UTF-8 JSON request (docs/contract.md). May be NULL. Not retained; at most
///                      1 MiB is read.
/// @return A NUL-terminated UTF-8 JSON response owned by the caller: release it exactly once with om_free(); never
///         pass it to free() or use it after om_free(). Bad input gives an "ok":false envelope, never a crash.
///         NULL only if memory for the response could not be allocated.
/// Bad input: as for every operation.
/// Thread safety: may be called from any thread at any time; blocks while it talks to Klarna.
/// Since ABI 1 (library 0.2.0): added within ABI 1, so look it up by name (dlsym) in a library of unknown age.
@c(om_extend)
public func om_extend(_ request_json: UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>? {
    strdup(Entry.respond(to: .extend, cString: request_json))
}

/// Runs many operations at once (bulk actions, reconciliation): each item is the request of one of om_cancel,
/// om_capture, om_update, om_refund, om_sync, om_release or om_extend, answered exactly as that function answers it,
/// while Klarna is called for several items at a time.
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
/// Since ABI 1 (library 0.2.0): added within ABI 1, so look it up by name (dlsym) in a library of unknown age.
@c(om_batch)
public func om_batch(_ batch_json: UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>? {
    strdup(Entry.respondToBatch(cString: batch_json))
}

/// Releases a response returned by any om_* operation.
/// @param response  A pointer returned by om_cancel, om_capture, om_update, om_refund, om_sync, om_release,
///                  om_extend or om_batch, or NULL (then nothing happens). Passing any other pointer, or the same
///                  pointer twice, is undefined behaviour.
/// Thread safety: may be called from any thread. Since ABI 1.
@c(om_free)
public func om_free(_ response: UnsafeMutablePointer<CChar>?) {
    free(response)
}

/// The library's semantic version, e.g. "0.2.0".
/// @return A static NUL-terminated string owned by the library: never free it, never write to it.
/// Thread safety: may be called from any thread. Since ABI 1.
@c(om_version)
public func om_version() -> UnsafePointer<CChar> {
    versionText.utf8Start.withMemoryRebound(to: CChar.self, capacity: versionText.utf8CodeUnitCount + 1) { $0 }
}

/// The C ABI version: 1 for this header. It changes only when a C signature changes; a caller built against
/// another ABI version must refuse the library. Within one ABI version functions may be added (om_sync, om_release
/// and om_extend came with library 0.2.0), never changed or removed: a caller that needs a later function looks
/// it up by name, or checks om_version().
/// @return The ABI version number.
/// Thread safety: may be called from any thread. Since ABI 1.
@c(om_abi_version)
public func om_abi_version() -> Int32 {
    Entry.abiVersion
}

/// Static storage for om_version(); a string literal is NUL-terminated and lives as long as the library.
private let versionText: StaticString = "0.2.0"

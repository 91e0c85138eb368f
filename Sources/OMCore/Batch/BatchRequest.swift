/// Many requests at once (docs/contract.md, "Many orders at once: om_batch"): each item is one operation's request,
/// answered exactly as its own entry point answers it; the batch only says how fast Klarna may be called.
package struct BatchRequest: Sendable {
    /// The contract version; only 1 exists.
    package var version: Int
    /// The items in their order: a readable item, or the `"ok": false` error that is its answer.
    package var items: [Result<BatchItem, OMError>]
    /// At most this many requests to Klarna in flight at once.
    package var concurrency: Int
    /// At most this many requests to Klarna started in any one second.
    package var requestsPerSecond: Int

    /// Batches larger than this are refused: 1,000 requests of 16 KiB. Each request keeps its own 1 MiB limit.
    package static let maxBytes = 16 << 20
    /// A batch nests its requests three levels down (the batch, `items`, the item), so each request keeps its own
    /// limit of `RequestDecoder.maxDepth` levels.
    package static let maxDepth = RequestDecoder.maxDepth + 3
    package static let maxItems = 1_000
    package static let defaultConcurrency = 8
    package static let maxConcurrency = 32
    package static let defaultRequestsPerSecond = 20
    /// Klarna's production limit for one merchant (Klarna's API reference, §9.1).
    package static let maxRequestsPerSecond = 200
}

/// One item of a batch: the operation (its entry point) and the request exactly as it was sent, which
/// `RequestDecoder` reads as that entry point reads it.
package struct BatchItem: Sendable {
    package var operation: OrderOperation
    package var request: [UInt8]
}

package import OMJSON

/// Turns a batch's bytes into a `BatchRequest`, or into the one `OMError` that refuses it whole, with the checks of
/// docs/contract.md in order: the batch's size, text and `version` as for a request, then `items`, `concurrency`,
/// `requests_per_second`. A malformed item refuses only itself: its error is its answer.
package enum BatchDecoder {
    package static func decode(_ bytes: [UInt8]) throws(OMError) -> BatchRequest {
        let json = try RequestDecoder.open(
            bytes, maxBytes: BatchRequest.maxBytes, maxDepth: BatchRequest.maxDepth,
            document: "batch")
        let items: [Result<BatchItem, JSONReadError>]
        let concurrency: Int?
        let requestsPerSecond: Int?
        do {
            items = try json.required("items", json.eachObject)
            concurrency = try json.int("concurrency")
            requestsPerSecond = try json.int("requests_per_second")
        } catch {
            throw RequestDecoder.fieldError(error, document: "batch")
        }
        guard items.count <= BatchRequest.maxItems else {
            throw OMError(
                .invalidField, "field `items` must hold at most \(BatchRequest.maxItems) items", field: "items")
        }
        return BatchRequest(
            version: 1,
            items: items.map { $0.mapError { RequestDecoder.fieldError($0) } },
            concurrency: try limit(
                concurrency, "concurrency", default: BatchRequest.defaultConcurrency,
                max: BatchRequest.maxConcurrency),
            requestsPerSecond: try limit(
                requestsPerSecond, "requests_per_second",
                default: BatchRequest.defaultRequestsPerSecond,
                max: BatchRequest.maxRequestsPerSecond))
    }

    /// A positive setting: `default` when absent, `max` when larger.
    static func limit(_ value: Int?, _ field: String, default: Int, max: Int) throws(OMError) -> Int {
        guard let value else { return `default` }
        guard value >= 1 else { throw OMError.invalidField(field, expected: "an integer of at least 1") }
        return Swift.min(value, max)
    }
}

extension BatchItem: JSONReadable {
    package init(json: JSONObjectReader) throws(JSONReadError) {
        try self.init(
            operation: json.required("operation", json.value), request: json.required("request", json.rawObject))
    }
}

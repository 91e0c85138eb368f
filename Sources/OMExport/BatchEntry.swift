import Glibc
import OMCore
import OMCurl

/// `om_batch` and `klarna-om batch`: many requests at once (docs/contract.md, "Many orders at once: om_batch").
/// Each item is answered by the same path its own entry point takes (`Entry.respond(to:bytes:flows:)`), with its
/// Klarna requests going through the batch (`KlarnaBatch`); an operation gets into batches by being an operation.
extension Entry {
    /// Answers a NUL-terminated batch from C. Reads at most `BatchRequest.maxBytes + 1` bytes of it.
    package static func respondToBatch(cString batch: UnsafePointer<CChar>?) -> String {
        guard let batch else {
            return ResponseEncoder.encode(OMResponse(error: OMError(.nullRequest, "batch is NULL")))
        }
        let length = strnlen(batch, BatchRequest.maxBytes + 1)
        return batch.withMemoryRebound(to: UInt8.self, capacity: length) {
            respondToBatch(bytes: Array(UnsafeBufferPointer(start: $0, count: length)))
        }
    }

    /// Answers a batch given as bytes (the executable reads them from standard input).
    package static func respondToBatch(bytes: [UInt8]) -> String {
        let batch: BatchRequest
        do {
            batch = try BatchDecoder.decode(bytes)
        } catch {
            return ResponseEncoder.encode(OMResponse(error: error))
        }
        let traffic = KlarnaBatch(concurrency: batch.concurrency, requestsPerSecond: batch.requestsPerSecond)
        let flows = flows { traffic.transport(allowPlainHTTP: $0, proxy: $1) }
        let results = traffic.run(count: batch.items.count) { index in
            switch batch.items[index] {
            case .success(let item): respond(to: item.operation, bytes: item.request, flows: flows)
            case .failure(let error): ResponseEncoder.encode(OMResponse(error: error))
            }
        }
        return BatchResponse.encode(results: results, log: traffic.log)
    }
}

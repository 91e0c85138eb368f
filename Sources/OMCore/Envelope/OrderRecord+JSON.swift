package import OMJSON

// The response's `record` (docs/contract.md, "What the plugin stores: `record`").

extension OrderRecord: JSONWritable {
    package var json: JSONValue {
        .members([
            "capture_id": .string(captureId),
            "cancelled": cancelled ? .bool(true) : nil,
            "lines_fingerprint": .string(linesFingerprint),
            "refund": refund.map { .members(["id": .integer($0.id), "klarna_refund_id": .string($0.klarnaRefundId)]) },
        ])
    }

    /// Version 1's `order_meta`: the same facts under the established plugin's meta keys, written for readers of the
    /// contract from before `record`; fields of version 1 are never removed. The plugin reads `record` alone.
    package var orderMeta: [String: String] {
        var meta: [String: String] = [:]
        if let captureId { meta["_wc_klarna_capture_id"] = captureId }
        if cancelled { meta["_wc_klarna_cancelled"] = "yes" }
        if let linesFingerprint { meta["_klarna_om_lines_fingerprint"] = linesFingerprint }
        if let refund { meta["_klarna_om_refund_id_\(refund.id)"] = refund.klarnaRefundId }
        return meta
    }
}

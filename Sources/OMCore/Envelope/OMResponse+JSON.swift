package import OMJSON

// Writing the response (docs/contract.md, "Response"): absent fields are left out, `JSONWriter` sorts the keys and
// writes compact JSON, so equal responses are equal bytes.

extension OMResponse: JSONWritable {
    package var json: JSONValue {
        .members([
            "version": .integer(Int64(Self.version)),
            "ok": .bool(ok),
            "operation": .string(operation?.rawValue),
            "outcome": .string(outcome),
            "success": success.map(JSONValue.bool),
            "note": .value(note),
            "record": .value(record),
            "order_meta": record.map { JSONValue.strings($0.orderMeta) },
            "order_status": .string(orderStatus),
            "klarna": .value(klarna),
            "error": .value(error),
            "log": .array(log),
            "adjustments": .array(adjustments),
            "ledger": .value(ledger),
            "state": .value(state),
            "disagreements": .array(disagreements),
        ])
    }
}

extension ErrorBody: JSONWritable {
    package var json: JSONValue {
        .members(["code": .string(code), "message": .string(message), "field": .string(field)])
    }
}

extension ListedDisagreement: JSONWritable {
    package var json: JSONValue {
        .members([
            "code": .string(code), "fix": .string(fix), "text": .string(text),
            "params": .object(params.map { (name: $0.key, value: $0.value.json) }),
        ])
    }
}

extension Note: JSONWritable {
    package var json: JSONValue {
        .members([
            "code": .string(code), "text": .string(text),
            "params": .object(params.map { (name: $0.key, value: $0.value.json) }),
        ])
    }
}

extension NoteParam: JSONWritable {
    package var json: JSONValue {
        switch self {
        case .text(let value): .string(value)
        case .integer(let value): .integer(value)
        case .flag(let value): .bool(value)
        case .money(let value): .string(value.description)
        }
    }
}

extension KlarnaDetails: JSONWritable {
    package var json: JSONValue {
        .members([
            "http_status": .integer(httpStatus.map(Int64.init)),
            "error_code": .string(errorCode),
            "error_messages": errorMessages.map { .array($0.map(JSONValue.string)) },
            "correlation_id": .string(correlationId),
            "klarna_order_id": .string(klarnaOrderId),
            "capture_id": .string(captureId),
            "refund_id": .string(refundId),
        ])
    }
}

extension LogEntry: JSONWritable {
    package var json: JSONValue {
        .members(["level": .string(level.rawValue), "message": .string(message), "context": .strings(context)])
    }
}

extension LineAdjustment: JSONWritable {
    package var json: JSONValue {
        .members([
            "line": .integer(Int64(line)), "name": .string(name), "field": .string(field),
            "rounded": .integer(rounded), "sent": .integer(sent),
        ])
    }
}

extension JSONValue {
    /// An object of string members, as `order_meta` and a log entry's `context` are.
    static func strings(_ members: [String: String]) -> JSONValue {
        .object(members.map { (name: $0.key, value: .string($0.value)) })
    }
}

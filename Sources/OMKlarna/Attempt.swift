import OMCore

/// One request the client sent, as facts. It becomes a `LogEntry` only when the log is read: the request path pays
/// for a small struct, not for a dictionary of strings that most callers never look at.
struct Attempt: Sendable {
    var method: HTTPRequest.Method
    var path: String
    var number: Int
    /// Nil when no answer arrived.
    var status: Int?
    var correlationId: String?
    var key: IdempotencyKey?
    var error: OMError.Code?

    var logEntry: LogEntry {
        var context = ["method": method.rawValue, "path": path, "attempt": String(number)]
        if let status { context["http_status"] = String(status) }
        if let correlationId { context["correlation_id"] = correlationId }
        if let key { context["idempotency_key"] = key.value }
        if let error { context["error"] = error.rawValue }
        let ok = status.map { (200...299).contains($0) } ?? false
        return LogEntry(
            level: ok ? .info : .warning, message: ok ? "klarna request done" : "klarna request failed",
            context: context)
    }
}

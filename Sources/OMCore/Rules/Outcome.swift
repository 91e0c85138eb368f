/// What an operation ended in, before it is rendered into a response: a stable outcome code, whether Klarna now
/// holds what the merchant asked for, the note (by code and parameters), and what to do to the WooCommerce order.
package struct Outcome: Sendable {
    package var operation: OrderOperation
    package var code: OutcomeCode
    package var success: Bool
    /// The note to add; nil adds none.
    package var noteCode: NoteCode?
    package var params: [String: NoteParam]
    /// WooCommerce status to set, without `wc-`; nil leaves the order's status as the merchant set it.
    package var orderStatus: String?
    /// What the order must remember for later operations (a capture id, a cancellation, the lines Klarna holds).
    package var record: OrderRecord
    package var klarna: KlarnaDetails?
    /// The operation's new ledger entry, when the outcome changed it.
    package var ledger: LedgerEntry?
    /// Klarna's order after the operation, when the operation read it or changed it.
    package var state: KlarnaState?
    /// A `sync`'s comparison of the order's WooCommerce status with Klarna's order; nil when it made none.
    package var disagreements: [Disagreement]?

    /// An outcome with its own note (`code.note`) unless `note` names a more specific one.
    package init(
        _ operation: OrderOperation, _ code: OutcomeCode, success: Bool, note: NoteCode? = nil,
        params: [String: NoteParam] = [:], orderStatus: String? = nil, record: OrderRecord = OrderRecord(),
        klarna: KlarnaDetails? = nil, ledger: LedgerEntry? = nil
    ) {
        self.operation = operation
        self.code = code
        self.success = success
        self.noteCode = note ?? code.note
        self.params = params
        self.orderStatus = orderStatus
        self.record = record
        self.klarna = klarna
        self.ledger = ledger
    }

    /// This outcome with the operation's new ledger entry.
    package func with(ledger: LedgerEntry?) -> Outcome {
        var outcome = self
        outcome.ledger = ledger
        return outcome
    }

    /// The response for the plugin, with the note in the order's language and its amounts in the shop's format.
    package func response(
        locale: String?, format: MoneyFormat? = nil, log: [LogEntry] = [],
        adjustments: [LineAdjustment] = []
    ) -> OMResponse {
        var response = OMResponse(operation: operation, outcome: code.rawValue, success: success)
        response.note = noteCode.map {
            NoteCatalog.note($0, params, language: NoteCatalog.Language(locale: locale), format: format)
        }
        response.record = record.isEmpty ? nil : record
        response.orderStatus = orderStatus
        response.klarna = klarna
        response.log = log
        response.adjustments = adjustments.isEmpty ? nil : adjustments
        response.ledger = ledger
        response.state = state
        let language = NoteCatalog.Language(locale: locale)
        response.disagreements = disagreements?.map { NoteCatalog.listed($0, language: language, format: format) }
        return response
    }
}

/// Note parameters, built the same way by every flow.
package enum NoteParams {
    package static func amount(_ money: Money) -> [String: NoteParam] {
        ["amount": .money(money), "currency": .text(money.currency.code)]
    }

    /// `klarna_error` reads " (CAPTURE_NOT_ALLOWED: message; correlation id …)" so templates can append it to a
    /// sentence; `error` is the same without the parentheses, for failures that may not come from Klarna.
    package static func failure(_ error: OMError) -> [String: NoteParam] {
        var parts: [String] = []
        if let klarna = error.klarna {
            let code = klarna.errorCode ?? klarna.httpStatus.map { "HTTP \($0)" } ?? ""
            let message = klarna.errorMessages?.joined(separator: " ") ?? ""
            parts.append([code, message].filter { !$0.isEmpty }.joined(separator: ": "))
            if let correlation = klarna.correlationId { parts.append("correlation id \(correlation)") }
        }
        let klarnaText = parts.filter { !$0.isEmpty }.joined(separator: "; ")
        var params: [String: NoteParam] = [
            "klarna_error": .text(klarnaText.isEmpty ? "" : " (\(klarnaText))"),
            "error": .text(klarnaText.isEmpty ? "\(error.code.rawValue): \(error.message)" : klarnaText),
            "error_code": .text(error.code.rawValue),
        ]
        if let correlation = error.klarna?.correlationId { params["correlation_id"] = .text(correlation) }
        return params
    }
}

extension Dictionary where Key == String, Value == NoteParam {
    /// The union of two parameter sets; the right side wins.
    package func with(_ other: [String: NoteParam]) -> [String: NoteParam] { merging(other) { _, new in new } }
}

/// A response from the core, as `docs/contract.md` specifies it.
///
/// `ok: false` means the core could not run the operation at all (a bad request, an unknown version); `error`
/// says why and nothing else is set. `ok: true` means the operation ran: `outcome` says what happened at
/// Klarna (which can be a refusal), `note` is the order note to add, `record` and `order_status` say what to
/// store and set on the WooCommerce order.
package struct OMResponse: Sendable {
    package var ok: Bool
    package var operation: OrderOperation?
    /// A stable outcome code from the registry (`captured`, `capture_refused`, …).
    package var outcome: String?
    /// Whether Klarna now holds the state the merchant asked for (true also when it already did).
    package var success: Bool?
    package var note: Note?
    /// What the plugin stores on the order for later operations; nil when the operation established nothing.
    package var record: OrderRecord?
    /// The WooCommerce status to set (without `wc-`), e.g. `on-hold` when Klarna refused a capture.
    package var orderStatus: String?
    package var klarna: KlarnaDetails?
    package var error: ErrorBody?
    package var log: [LogEntry]?
    /// Lines whose amount the rounding reconciliation moved by one minor unit so that the lines add up exactly.
    package var adjustments: [LineAdjustment]?
    /// The operation's new entry in the order's intent ledger; nil when unchanged.
    package var ledger: LedgerEntry?
    /// Klarna's order after the operation, as far as the core knows it; nil when the operation learnt nothing.
    package var state: KlarnaState?
    /// A `sync` given the order's WooCommerce status: where it and Klarna's order disagree (empty when they agree).
    package var disagreements: [ListedDisagreement]?

    package static let version = 1

    package init(operation: OrderOperation, outcome: String, success: Bool) {
        self.ok = true
        self.operation = operation
        self.outcome = outcome
        self.success = success
        self.log = []
    }

    /// The `"ok": false` envelope for an error.
    package init(error: OMError) {
        self.ok = false
        self.error = ErrorBody(code: error.code.rawValue, message: error.message, field: error.field)
    }

}

/// The `error` member of an `"ok": false` envelope.
package struct ErrorBody: Sendable, Equatable {
    package var code: String
    package var message: String
    package var field: String?
}

/// An order note: the text in the order's language, plus a stable code and its parameters so a shop can reword it.
package struct Note: Sendable, Equatable {
    package var code: String
    package var text: String
    package var params: [String: NoteParam]

    package init(code: String, text: String, params: [String: NoteParam] = [:]) {
        self.code = code
        self.text = text
        self.params = params
    }
}

/// A note parameter: a string, an integer (amounts in minor units) or a boolean. An amount is given as `money` while
/// the note is being made; rendering writes it in the shop's format, as text, with its minor units beside it
/// (`amount` and `amount_minor`), so a response's params hold only the first three.
package enum NoteParam: Sendable, Equatable {
    case text(String)
    case integer(Int64)
    case flag(Bool)
    case money(Money)
}

/// What Klarna answered, for the note, the log and a support case.
package struct KlarnaDetails: Sendable, Equatable, Hashable {
    package var httpStatus: Int?
    package var errorCode: String?
    package var errorMessages: [String]?
    package var correlationId: String?
    package var klarnaOrderId: String?
    package var captureId: String?
    package var refundId: String?

    package init(
        httpStatus: Int? = nil, errorCode: String? = nil, errorMessages: [String]? = nil,
        correlationId: String? = nil, klarnaOrderId: String? = nil, captureId: String? = nil,
        refundId: String? = nil
    ) {
        self.httpStatus = httpStatus
        self.errorCode = errorCode
        self.errorMessages = errorMessages
        self.correlationId = correlationId
        self.klarnaOrderId = klarnaOrderId
        self.captureId = captureId
        self.refundId = refundId
    }
}

/// A log entry for the plugin to write through `wc_get_logger()`. English, one line, data in `context`, never a
/// secret or personal data. The core configures no logging system of its own.
package struct LogEntry: Sendable, Equatable {
    package enum Level: String, Sendable {
        case debug, info, notice, warning, error
    }
    package var level: Level
    package var message: String
    package var context: [String: String]

    package init(level: Level, message: String, context: [String: String] = [:]) {
        self.level = level
        self.message = message
        self.context = context
    }
}

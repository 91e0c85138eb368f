public import OMJSON

/// The order's intent ledger (docs/contract.md, "Exactly once"): for each operation, how many intents Klarna has
/// definitely answered on this order, and the fingerprint of the one whose outcome is unknown.
///
/// Idempotency keys are derived from it because it is state WooCommerce keeps across its own retries: WooCommerce
/// deletes a refund whose gateway call failed and gives the retry a new id, but it keeps the order's meta.
public struct IntentLedger: Sendable, Equatable {
    public var entries: [OrderOperation: LedgerEntry]

    public init(_ entries: [OrderOperation: LedgerEntry] = [:]) {
        self.entries = entries
    }

    public subscript(operation: OrderOperation) -> LedgerEntry {
        entries[operation] ?? LedgerEntry()
    }
}

/// One operation's entry in the ledger.
public struct LedgerEntry: Sendable, Equatable {
    /// How many intents of this operation Klarna has definitely answered (accepted or refused) on this order.
    public var answered: Int64
    /// The fingerprint (amount and lines) of the intent whose outcome is unknown; nil when there is none.
    public var pending: String?

    public init(answered: Int64 = 0, pending: String? = nil) {
        self.answered = answered
        self.pending = pending
    }

    /// After a definite answer, or once a pending intent is resolved or given up: the next intent gets a new key,
    /// so a slot whose intent got an answer is never sent again.
    public var advanced: LedgerEntry {
        LedgerEntry(answered: answered < Int64.max ? answered + 1 : answered, pending: nil)
    }

    /// After an unknown outcome: the next attempt, whatever it is, goes out under the same key. When another
    /// intent is already pending under that key, either may be the one Klarna carried out, so the entry says
    /// "several" and every later answer under the key is checked.
    public func awaiting(_ fingerprint: String) -> LedgerEntry {
        let marked = pending.map { $0 == fingerprint ? fingerprint : Self.several } ?? fingerprint
        return LedgerEntry(answered: answered, pending: marked)
    }

    /// The pending mark when more than one intent went out under the slot's key; no fingerprint equals it.
    public static let several = "several"

    /// Whether a 2xx answer to the intent with this fingerprint may be Klarna's stored answer to another one.
    public func mayReplayAnother(than fingerprint: String) -> Bool {
        pending.map { $0 != fingerprint } ?? false
    }
}

// MARK: - JSON (`order.meta.ledger` in a request, `ledger` in a response)

extension IntentLedger: JSONReadable {
    /// An object keyed by operation name; names that are no operation are ignored, as unknown keys are everywhere.
    public init(json: JSONObjectReader) throws(JSONReadError) {
        var entries: [OrderOperation: LedgerEntry] = [:]
        for name in json.memberNames {
            guard let operation = OrderOperation(rawValue: name) else { continue }
            let entry: LedgerEntry = try json.required(name, json.object)
            entries[operation] = entry
        }
        self.init(entries)
    }
}

extension LedgerEntry: JSONReadable, JSONWritable {
    public init(json: JSONObjectReader) throws(JSONReadError) {
        try self.init(answered: json.required("answered", json.int64), pending: json.string("pending"))
    }

    public var json: JSONValue {
        .members(["answered": .integer(answered), "pending": .string(pending)])
    }
}

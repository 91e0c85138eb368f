package import OMJSON

/// The order's intent ledger (docs/contract.md, "Exactly once"): for each operation, how many intents Klarna has
/// definitely answered on this order, and the fingerprint of the one whose outcome is unknown.
///
/// Idempotency keys are derived from it because it is state WooCommerce keeps across its own retries: WooCommerce
/// deletes a refund whose gateway call failed and gives the retry a new id, but it keeps the order's meta.
package struct IntentLedger: Sendable, Equatable {
    package var entries: [OrderOperation: LedgerEntry]

    package init(_ entries: [OrderOperation: LedgerEntry] = [:]) {
        self.entries = entries
    }

    package subscript(operation: OrderOperation) -> LedgerEntry {
        entries[operation] ?? LedgerEntry()
    }
}

/// One operation's entry in the ledger.
package struct LedgerEntry: Sendable, Equatable {
    /// How many intents of this operation Klarna has definitely answered (accepted or refused) on this order.
    package var answered: Int64
    /// While an attempt's outcome is unknown: the fingerprint (amount and lines) of the intent the slot's key was made
    /// for. Every attempt in the slot goes out under that key until an answer is definite.
    package var pending: String?
    /// Another intent than `pending`'s went out under the key too: a 2xx may be either one's, so each is checked.
    package var mixed: Bool

    package init(answered: Int64 = 0, pending: String? = nil, mixed: Bool = false) {
        self.answered = answered
        self.pending = pending
        self.mixed = mixed
    }

    /// The fingerprint the key of an intent with `fingerprint` is made from: the pending intent's while one is
    /// unresolved (a retry, whatever WooCommerce did in between, reuses its key), otherwise the intent's own (two
    /// different intents built from the same ledger, by two admins at once or from a stale copy, never share a key).
    package func keyFingerprint(for fingerprint: String) -> String { pending ?? fingerprint }

    /// After a definite answer, or once a pending intent is resolved or given up: the next intent gets a new key,
    /// so a slot whose intent got an answer is never sent again.
    package var advanced: LedgerEntry {
        LedgerEntry(answered: answered < Int64.max ? answered + 1 : answered)
    }

    /// After an unknown outcome of the intent with `fingerprint`: the slot keeps its key, and remembers when another
    /// intent than the key's went out under it.
    package func awaiting(_ fingerprint: String) -> LedgerEntry {
        LedgerEntry(
            answered: answered, pending: pending ?? fingerprint,
            mixed: mixed || (pending.map { $0 != fingerprint } ?? false))
    }

    /// Whether a 2xx answer to the intent with this fingerprint may be Klarna's stored answer to another one.
    package func mayReplayAnother(than fingerprint: String) -> Bool {
        guard let pending else { return false }
        return mixed || pending != fingerprint
    }
}

// MARK: - JSON (`order.meta.ledger` in a request, `ledger` in a response)

extension IntentLedger: JSONReadable {
    /// An object keyed by operation name; names that are no operation are ignored, as unknown keys are everywhere.
    package init(json: JSONObjectReader) throws(JSONReadError) {
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
    package init(json: JSONObjectReader) throws(JSONReadError) {
        try self.init(
            answered: json.int64("answered") ?? 0, pending: json.string("pending"),
            mixed: json.bool("mixed") ?? false)
    }

    package var json: JSONValue {
        .members(["answered": .integer(answered), "pending": .string(pending), "mixed": mixed ? .bool(true) : nil])
    }
}

/// What an operation ended in: a stable code of the contract's outcome registry (docs/contract.md, "Outcome
/// codes"), compared as a value. Codes are only ever added.
package struct OutcomeCode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    package let rawValue: String
    package init(rawValue: String) { self.rawValue = rawValue }
    package var description: String { rawValue }

    /// The note that says this outcome unless a more specific one is given: the one of the same name; none for the
    /// skips of orders that are not Klarna's, which are silent.
    /// A successful sync is silent too: it only refreshes the state the order screen shows.
    package var note: NoteCode? {
        self == .skippedNotKlarna || self == .skippedNoKlarnaOrder || self == .synced
            ? nil : NoteCode(rawValue: rawValue)
    }

    package static let cancelled = Self(rawValue: "cancelled")
    package static let alreadyCancelled = Self(rawValue: "already_cancelled")
    package static let cancelRefusedCaptured = Self(rawValue: "cancel_refused_captured")
    package static let nothingHeld = Self(rawValue: "nothing_held")
    package static let cancelFailed = Self(rawValue: "cancel_failed")
    package static let updated = Self(rawValue: "updated")
    package static let updateUnchanged = Self(rawValue: "update_unchanged")
    package static let updateRefusedCaptured = Self(rawValue: "update_refused_captured")
    package static let updateRefused = Self(rawValue: "update_refused")
    package static let updateFailed = Self(rawValue: "update_failed")
    package static let captured = Self(rawValue: "captured")
    package static let alreadyCaptured = Self(rawValue: "already_captured")
    package static let overCaptured = Self(rawValue: "over_captured")
    package static let nothingToCapture = Self(rawValue: "nothing_to_capture")
    package static let captureRefused = Self(rawValue: "capture_refused")
    package static let captureFailed = Self(rawValue: "capture_failed")
    package static let refunded = Self(rawValue: "refunded")
    package static let refundRefused = Self(rawValue: "refund_refused")
    package static let refundFailed = Self(rawValue: "refund_failed")
    package static let skippedNotKlarna = Self(rawValue: "skipped_not_klarna")
    package static let skippedNoKlarnaOrder = Self(rawValue: "skipped_no_klarna_order")
    package static let skippedDisconnected = Self(rawValue: "skipped_disconnected")
    package static let synced = Self(rawValue: "synced")
    package static let syncFailed = Self(rawValue: "sync_failed")
    package static let released = Self(rawValue: "released")
    package static let releaseRefused = Self(rawValue: "release_refused")
    package static let releaseFailed = Self(rawValue: "release_failed")
    package static let extended = Self(rawValue: "extended")
    package static let extendRefused = Self(rawValue: "extend_refused")
    package static let extendFailed = Self(rawValue: "extend_failed")

    /// Every outcome of the registry, for the tests that keep code, notes and contract in step.
    package static let all: [OutcomeCode] = [
        .cancelled, .alreadyCancelled, .cancelRefusedCaptured, .nothingHeld, .cancelFailed, .updated, .updateUnchanged,
        .updateRefusedCaptured, .updateRefused, .updateFailed, .captured, .alreadyCaptured, .overCaptured,
        .nothingToCapture, .captureRefused, .captureFailed, .refunded, .refundRefused, .refundFailed, .skippedNotKlarna,
        .skippedNoKlarnaOrder, .skippedDisconnected, .synced, .syncFailed, .released, .releaseRefused, .releaseFailed,
        .extended, .extendRefused, .extendFailed,
    ]
}

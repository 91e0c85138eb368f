/// What an operation ended in: a stable code of the contract's outcome registry (docs/contract.md, "Outcome
/// codes"), compared as a value. Codes are only ever added.
public struct OutcomeCode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    /// The note that says this outcome unless a more specific one is given: the one of the same name; none for the
    /// skips of orders that are not Klarna's, which are silent.
    /// A successful sync is silent too: it only refreshes the state the order screen shows.
    public var note: NoteCode? {
        self == .skippedNotKlarna || self == .skippedNoKlarnaOrder || self == .synced ? nil : NoteCode(rawValue: rawValue)
    }

    public static let cancelled = Self(rawValue: "cancelled")
    public static let alreadyCancelled = Self(rawValue: "already_cancelled")
    public static let cancelRefusedCaptured = Self(rawValue: "cancel_refused_captured")
    public static let nothingHeld = Self(rawValue: "nothing_held")
    public static let cancelFailed = Self(rawValue: "cancel_failed")
    public static let updated = Self(rawValue: "updated")
    public static let updateUnchanged = Self(rawValue: "update_unchanged")
    public static let updateRefusedCaptured = Self(rawValue: "update_refused_captured")
    public static let updateRefused = Self(rawValue: "update_refused")
    public static let updateFailed = Self(rawValue: "update_failed")
    public static let captured = Self(rawValue: "captured")
    public static let alreadyCaptured = Self(rawValue: "already_captured")
    public static let overCaptured = Self(rawValue: "over_captured")
    public static let nothingToCapture = Self(rawValue: "nothing_to_capture")
    public static let captureRefused = Self(rawValue: "capture_refused")
    public static let captureFailed = Self(rawValue: "capture_failed")
    public static let refunded = Self(rawValue: "refunded")
    public static let refundRefused = Self(rawValue: "refund_refused")
    public static let refundFailed = Self(rawValue: "refund_failed")
    public static let skippedNotKlarna = Self(rawValue: "skipped_not_klarna")
    public static let skippedNoKlarnaOrder = Self(rawValue: "skipped_no_klarna_order")
    public static let skippedDisconnected = Self(rawValue: "skipped_disconnected")
    public static let synced = Self(rawValue: "synced")
    public static let syncFailed = Self(rawValue: "sync_failed")
    public static let released = Self(rawValue: "released")
    public static let releaseRefused = Self(rawValue: "release_refused")
    public static let releaseFailed = Self(rawValue: "release_failed")
    public static let extended = Self(rawValue: "extended")
    public static let extendRefused = Self(rawValue: "extend_refused")
    public static let extendFailed = Self(rawValue: "extend_failed")

    /// Every outcome of the registry, for the tests that keep code, notes and contract in step.
    public static let all: [OutcomeCode] = [
        .cancelled, .alreadyCancelled, .cancelRefusedCaptured, .nothingHeld, .cancelFailed, .updated, .updateUnchanged,
        .updateRefusedCaptured, .updateRefused, .updateFailed, .captured, .alreadyCaptured, .overCaptured,
        .nothingToCapture, .captureRefused, .captureFailed, .refunded, .refundRefused, .refundFailed, .skippedNotKlarna,
        .skippedNoKlarnaOrder, .skippedDisconnected, .synced, .syncFailed, .released, .releaseRefused, .releaseFailed,
        .extended, .extendRefused, .extendFailed,
    ]
}

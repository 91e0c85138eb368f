/// Which order note an outcome carries: a stable code (docs/contract.md, "Outcome codes"), compared as a value.
/// A note code can be more specific than its outcome (the reason of a refusal, how a refund went out); shops reword
/// notes by it. An outcome's own note has the outcome's name (`OutcomeCode.note`).
public struct NoteCode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public static let cancelled = Self(rawValue: "cancelled")
    public static let alreadyCancelled = Self(rawValue: "already_cancelled")
    public static let cancelRefusedCaptured = Self(rawValue: "cancel_refused_captured")
    public static let refundedStatusRefused = Self(rawValue: "refunded_status_refused")
    public static let nothingHeld = Self(rawValue: "nothing_held")
    public static let cancelFailed = Self(rawValue: "cancel_failed")
    public static let authorizationExpired = Self(rawValue: "authorization_expired")
    public static let nothingHeldReleased = Self(rawValue: "nothing_held_released")
    public static let updated = Self(rawValue: "updated")
    public static let updateUnchanged = Self(rawValue: "update_unchanged")
    public static let updateRefusedCaptured = Self(rawValue: "update_refused_captured")
    public static let updateRefused = Self(rawValue: "update_refused")
    public static let updateRefusedCancelled = Self(rawValue: "update_refused_cancelled")
    public static let updateFailed = Self(rawValue: "update_failed")
    public static let captured = Self(rawValue: "captured")
    public static let alreadyCaptured = Self(rawValue: "already_captured")
    public static let overCaptured = Self(rawValue: "over_captured")
    public static let nothingToCapture = Self(rawValue: "nothing_to_capture")
    public static let captureRefused = Self(rawValue: "capture_refused")
    public static let captureRefusedNoKlarnaOrder = Self(rawValue: "capture_refused_no_klarna_order")
    public static let captureRefusedCancelled = Self(rawValue: "capture_refused_cancelled")
    public static let captureRefusedExpired = Self(rawValue: "capture_refused_expired")
    public static let captureRefusedFraud = Self(rawValue: "capture_refused_fraud")
    public static let captureRefusedAmount = Self(rawValue: "capture_refused_amount")
    public static let captureFailed = Self(rawValue: "capture_failed")
    public static let refunded = Self(rawValue: "refunded")
    public static let refundedWithRest = Self(rawValue: "refunded_with_rest")
    public static let refundedAmountOnly = Self(rawValue: "refunded_amount_only")
    public static let refundRefused = Self(rawValue: "refund_refused")
    public static let refundRefusedNotCaptured = Self(rawValue: "refund_refused_not_captured")
    public static let refundRefusedNoKlarnaOrder = Self(rawValue: "refund_refused_no_klarna_order")
    public static let refundRefusedEarlierAttempt = Self(rawValue: "refund_refused_earlier_attempt")
    public static let refundFailed = Self(rawValue: "refund_failed")
    public static let skippedDisconnected = Self(rawValue: "skipped_disconnected")
    public static let notProcessed = Self(rawValue: "not_processed")
    public static let capturedShipment = Self(rawValue: "captured_shipment")
    public static let captureRefusedMoreThanLeft = Self(rawValue: "capture_refused_more_than_left")
    public static let refundRefusedOverRefund = Self(rawValue: "refund_refused_over_refund")
    public static let credentialsRefused = Self(rawValue: "credentials_refused")
    public static let syncFailed = Self(rawValue: "sync_failed")
    public static let released = Self(rawValue: "released")
    public static let releaseRefused = Self(rawValue: "release_refused")
    public static let releaseRefusedNotCaptured = Self(rawValue: "release_refused_not_captured")
    public static let releaseRefusedNothingLeft = Self(rawValue: "release_refused_nothing_left")
    public static let releaseFailed = Self(rawValue: "release_failed")
    public static let extended = Self(rawValue: "extended")
    public static let extendedExpiryUnread = Self(rawValue: "extended_expiry_unread")
    public static let extendRefused = Self(rawValue: "extend_refused")
    public static let extendFailed = Self(rawValue: "extend_failed")

    /// Every note code, for the tests that keep code, templates and contract in step: the outcomes' own notes and
    /// the more specific ones. `not_processed` is the plugin's own note when the core could not run (written in PHP).
    public static let all: [NoteCode] = OutcomeCode.all.compactMap(\.note) + [
        .refundedStatusRefused, .authorizationExpired, .nothingHeldReleased, .updateRefusedCancelled, .captureRefusedNoKlarnaOrder, .captureRefusedCancelled,
        .captureRefusedExpired, .captureRefusedFraud, .captureRefusedAmount, .refundedWithRest, .refundedAmountOnly,
        .refundRefusedNotCaptured, .refundRefusedNoKlarnaOrder, .refundRefusedEarlierAttempt, .notProcessed,
        .capturedShipment, .captureRefusedMoreThanLeft, .refundRefusedOverRefund, .credentialsRefused,
        .releaseRefusedNotCaptured, .releaseRefusedNothingLeft, .extendedExpiryUnread,
    ]
}

/// Which order note an outcome carries: a stable code (docs/contract.md, "Outcome codes"), compared as a value.
/// A note code can be more specific than its outcome (the reason of a refusal, how a refund went out); shops reword
/// notes by it. An outcome's own note has the outcome's name (`OutcomeCode.note`).
package struct NoteCode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    package let rawValue: String
    package init(rawValue: String) { self.rawValue = rawValue }
    package var description: String { rawValue }

    package static let cancelled = Self(rawValue: "cancelled")
    package static let alreadyCancelled = Self(rawValue: "already_cancelled")
    package static let cancelRefusedCaptured = Self(rawValue: "cancel_refused_captured")
    package static let refundedStatusRefused = Self(rawValue: "refunded_status_refused")
    package static let nothingHeld = Self(rawValue: "nothing_held")
    package static let cancelFailed = Self(rawValue: "cancel_failed")
    package static let authorizationExpired = Self(rawValue: "authorization_expired")
    package static let nothingHeldReleased = Self(rawValue: "nothing_held_released")
    package static let updated = Self(rawValue: "updated")
    package static let updateUnchanged = Self(rawValue: "update_unchanged")
    package static let updateRefusedCaptured = Self(rawValue: "update_refused_captured")
    package static let updateRefused = Self(rawValue: "update_refused")
    package static let updateRefusedCancelled = Self(rawValue: "update_refused_cancelled")
    package static let updateFailed = Self(rawValue: "update_failed")
    package static let captured = Self(rawValue: "captured")
    package static let alreadyCaptured = Self(rawValue: "already_captured")
    package static let overCaptured = Self(rawValue: "over_captured")
    package static let nothingToCapture = Self(rawValue: "nothing_to_capture")
    package static let captureRefused = Self(rawValue: "capture_refused")
    package static let captureRefusedNoKlarnaOrder = Self(rawValue: "capture_refused_no_klarna_order")
    package static let captureRefusedCancelled = Self(rawValue: "capture_refused_cancelled")
    package static let captureRefusedExpired = Self(rawValue: "capture_refused_expired")
    package static let captureRefusedFraud = Self(rawValue: "capture_refused_fraud")
    package static let captureRefusedAmount = Self(rawValue: "capture_refused_amount")
    package static let captureFailed = Self(rawValue: "capture_failed")
    package static let refunded = Self(rawValue: "refunded")
    package static let refundedWithRest = Self(rawValue: "refunded_with_rest")
    package static let refundedAmountOnly = Self(rawValue: "refunded_amount_only")
    package static let refundRefused = Self(rawValue: "refund_refused")
    package static let refundRefusedNotCaptured = Self(rawValue: "refund_refused_not_captured")
    package static let refundRefusedNoKlarnaOrder = Self(rawValue: "refund_refused_no_klarna_order")
    package static let refundRefusedEarlierAttempt = Self(rawValue: "refund_refused_earlier_attempt")
    package static let refundFailed = Self(rawValue: "refund_failed")
    package static let skippedDisconnected = Self(rawValue: "skipped_disconnected")
    package static let notProcessed = Self(rawValue: "not_processed")
    package static let capturedShipment = Self(rawValue: "captured_shipment")
    package static let captureRefusedMoreThanLeft = Self(rawValue: "capture_refused_more_than_left")
    package static let refundRefusedOverRefund = Self(rawValue: "refund_refused_over_refund")
    package static let credentialsRefused = Self(rawValue: "credentials_refused")
    package static let syncFailed = Self(rawValue: "sync_failed")
    package static let released = Self(rawValue: "released")
    package static let releaseRefused = Self(rawValue: "release_refused")
    package static let releaseRefusedNotCaptured = Self(rawValue: "release_refused_not_captured")
    package static let releaseRefusedNothingLeft = Self(rawValue: "release_refused_nothing_left")
    package static let releaseFailed = Self(rawValue: "release_failed")
    package static let extended = Self(rawValue: "extended")
    package static let extendedExpiryUnread = Self(rawValue: "extended_expiry_unread")
    package static let extendRefused = Self(rawValue: "extend_refused")
    package static let extendFailed = Self(rawValue: "extend_failed")

    /// Every note code, for the tests that keep code, templates and contract in step: the outcomes' own notes and
    /// the more specific ones. `not_processed` is the plugin's own note when the core could not run (written in PHP).
    package static let all: [NoteCode] =
        OutcomeCode.all.compactMap(\.note) + [
            .refundedStatusRefused, .authorizationExpired, .nothingHeldReleased, .updateRefusedCancelled,
            .captureRefusedNoKlarnaOrder, .captureRefusedCancelled,
            .captureRefusedExpired, .captureRefusedFraud, .captureRefusedAmount, .refundedWithRest, .refundedAmountOnly,
            .refundRefusedNotCaptured, .refundRefusedNoKlarnaOrder, .refundRefusedEarlierAttempt, .notProcessed,
            .capturedShipment, .captureRefusedMoreThanLeft, .refundRefusedOverRefund, .credentialsRefused,
            .releaseRefusedNotCaptured, .releaseRefusedNothingLeft, .extendedExpiryUnread,
        ]
}

/// What an operation established at Klarna, applied to the state the core knew before it: the stored state, or the
/// order as read earlier in the same operation. Only what the answer proves is changed; whatever it leaves open
/// becomes unknown rather than guessed.
package enum KlarnaStateEffect: Sendable, Equatable {
    /// Klarna created this capture (201).
    case captured(id: String, amount: Int64, shippingInfo: [ShippingInfo])
    /// Klarna created this refund (201); a refund changes no status.
    case refunded(id: String, amount: Int64)
    case cancelled
    /// Klarna holds this order amount (204 to the update).
    case updated(amount: Int64)
    /// Klarna released what remained authorized (204). The status it then shows is undocumented (`CLOSED` or
    /// `CAPTURED`), so it is left unknown.
    case released
    /// Klarna moved the authorization's expiry (204) without saying to when: the stored expiry no longer holds.
    case extended
}

extension KlarnaState {
    /// This state after `effect`, marked as derived unless it comes from a read in the same operation.
    package func applying(_ effect: KlarnaStateEffect) -> KlarnaState {
        var next = self
        switch effect {
        case .captured(let id, let amount, let shippingInfo):
            next.captures =
                (captures ?? []) + [
                    CaptureRecord(
                        id: id, amount: amount,
                        shippingInfo: shippingInfo.isEmpty ? nil : shippingInfo)
                ]
            next.captured = Self.sum(captured, amount)
            next.remaining = Self.difference(remaining, amount)
            // Klarna's status follows its amounts: everything authorized captured is CAPTURED.
            if let authorized, let total = next.captured {
                next.status = total >= authorized ? "CAPTURED" : "PART_CAPTURED"
            } else {
                next.status = nil
            }
        case .refunded(let id, let amount):
            next.refunds = (refunds ?? []) + [RefundRecord(id: id, amount: amount)]
            next.refunded = Self.sum(refunded, amount)
        case .cancelled:
            next.status = "CANCELLED"
            next.remaining = 0
        case .updated(let amount):
            next.authorized = amount
            next.remaining = captured.flatMap { Self.difference(amount, $0) }
        case .released:
            next.remaining = 0
            next.status = nil
        case .extended:
            next.expiresAt = nil
        }
        return next
    }

    /// `a + b`, unknown when `a` is unknown or the sum is out of range (stored states come from the request).
    static func sum(_ a: Int64?, _ b: Int64) -> Int64? {
        guard let a else { return nil }
        let (value, overflow) = a.addingReportingOverflow(b)
        return overflow ? nil : value
    }

    /// `a - b`, unknown likewise.
    static func difference(_ a: Int64?, _ b: Int64) -> Int64? {
        guard let a else { return nil }
        let (value, overflow) = a.subtractingReportingOverflow(b)
        return overflow ? nil : value
    }
}

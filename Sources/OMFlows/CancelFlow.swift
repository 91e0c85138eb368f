import OMCore
import OMKlarna

/// Cancel: WooCommerce status → Cancelled (or Refunded set by hand). Klarna cancels only orders with no capture. For
/// a captured order Klarna's own numbers decide: while Klarna holds money the customer has not got back, the order
/// goes On hold with a note to refund first, because WooCommerce must not show Cancelled or Refunded then; once the
/// customer has it all back, an authorization Klarna still keeps open is released, and the status stands.
enum CancelFlow {
    /// A cancel has no details: every attempt in a ledger slot is the same intent.
    static let fingerprint = "cancel"
    /// What a cancel sends when Klarna's order is captured and refunded: the release of what stays authorized.
    static let releaseFingerprint = "release-remaining"

    static func run(_ context: FlowContext) throws(OMError) -> Outcome {
        let params = context.params()
        let slot = context.ledger
        if !(context.order.meta?.captureIds ?? []).isEmpty {
            // Klarna cancels no captured order: its order says what the customer is still owed (WooCommerce's total
            // may have been edited since the capture). The read also settles an earlier attempt left pending.
            switch context.readOrder() {
            case .success(let order):
                return try settle(order, context: context, slot: slot, params: params, klarna: nil)
            case .failure(let error): return failed(error, params: params)
            }
        }
        do {
            let receipt = try context.client.cancelOrder(
                context.klarnaOrderId, key: context.key(slot, for: fingerprint))
            context.observations.record(.cancelled)
            return Outcome(
                .cancel, .cancelled, success: true, note: .cancelled, params: params,
                record: OrderRecord(cancelled: true),
                klarna: KlarnaDetails(
                    httpStatus: receipt.httpStatus, correlationId: receipt.correlationId,
                    klarnaOrderId: context.klarnaOrderId),
                ledger: slot.advanced)
        } catch  where error.isKlarnaRefusal(.klarnaCancelNotAllowed) {
            // Klarna said no: its order says why (cancelled already, expired, captured).
            guard case .success(let order) = context.readOrder() else {
                return failed(error, params: params).with(ledger: slot.advanced)
            }
            return try settle(
                order, context: context, slot: slot.advanced,
                params: params.with(NoteParams.failure(error)), klarna: error.klarna)
        } catch {
            return failed(error, params: params).with(ledger: slot.after(error, fingerprint: fingerprint))
        }
    }

    /// Klarna's order cannot be cancelled (or is captured): the status stands when the customer is owed nothing.
    static func settle(
        _ order: Order, context: FlowContext, slot: LedgerEntry, params: [String: NoteParam],
        klarna: KlarnaDetails?
    ) throws(OMError) -> Outcome {
        // The read settles whatever was pending in the slot: its next key is new.
        let slot = slot.pending == nil ? slot : slot.advanced
        let changed = slot == context.ledger ? nil : slot
        let captured = order.capturedAmount ?? 0
        switch order.status {
        case .cancelled?:
            return Outcome(
                .cancel, .alreadyCancelled, success: true, note: .alreadyCancelled, params: params,
                record: OrderRecord(cancelled: true), klarna: klarna, ledger: changed)
        case .expired?,
            .closed? where captured == 0:
            // Nothing was captured and the authorization is gone: the customer owes and holds nothing.
            return Outcome(
                .cancel, .nothingHeld, success: true, note: .authorizationExpired, params: params,
                klarna: klarna, ledger: changed)
        default:
            break
        }
        guard captured > 0 else {
            return failed(
                OMError(.klarnaHTTPError, "Klarna's order is \(order.status?.rawValue ?? "unknown")"), params: params
            ).with(ledger: changed)
        }
        var outcome = try OrderRules.moneyHeld(
            context.order, captured: captured, refunded: order.refundedAmount ?? 0,
            params: params.with(["klarna_error": params["klarna_error"] ?? .text("")]),
            klarna: klarna)
        if let first = order.captures?.first?.captureId { outcome.record.captureId = first }
        outcome.ledger = changed
        let remaining = order.remainingAuthorizedAmount ?? 0
        guard outcome.code == .nothingHeld, remaining > 0 else { return outcome }
        // The customer has all back, but Klarna still authorizes the rest (captured below the authorization):
        // released, so nothing stays open to be captured.
        do {
            _ = try context.client.releaseRemainingAuthorization(
                context.klarnaOrderId,
                key: context.key(slot, for: releaseFingerprint))
            context.observations.record(.released)
            outcome.noteCode = .nothingHeldReleased
            outcome.params = outcome.params.with(["remaining": .money(context.money(remaining))])
            return outcome.with(ledger: slot.advanced)
        } catch {
            return failed(error, params: params).with(
                ledger: slot.after(error, fingerprint: releaseFingerprint) ?? changed)
        }
    }

    static func failed(_ error: OMError, params: [String: NoteParam]) -> Outcome {
        Outcome(
            .cancel, .cancelFailed, success: false, note: .cancelFailed, params: params.with(NoteParams.failure(error)),
            orderStatus: OrderRules.holdStatus, klarna: error.klarna)
    }
}

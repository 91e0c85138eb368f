import OMCore
import OMKlarna

/// A POST without a body (release, extend): every attempt in the operation's ledger slot is the same intent, sent
/// under the slot's key. Klarna's answer to such a POST says nothing of the order, so the order is read afterwards:
/// after a 204 to complete the state, after Klarna's `NOT_ALLOWED` to explain it (a 401 is not read again).
enum PlainIntent {
    enum Answer {
        /// Klarna did it; its order as read afterwards, or why that read failed.
        case done(KlarnaDetails, read: Result<Order, OMError>)
        /// Klarna refused (or the request could not be made and must be fixed); its order when read.
        case refused(OMError, read: Order?)
        /// The outcome is unknown, or nothing reached Klarna: retrying is safe, under the same key.
        case failed(OMError)
    }

    /// Sends the intent through `post`; `effect` is what Klarna's 204 establishes. Also answers the ledger entry to
    /// store (nil: unchanged).
    static func send(
        _ context: FlowContext, effect: KlarnaStateEffect,
        _ post: (String, IdempotencyKey) throws(OMError) -> KlarnaClient.Receipt
    ) -> (Answer, LedgerEntry?) {
        let slot = context.ledger
        let fingerprint = context.operation.rawValue  // no details: every attempt in the slot is the same intent
        do {
            let receipt = try post(context.klarnaOrderId, context.key(slot, for: fingerprint))
            context.observations.record(effect)
            let details = KlarnaDetails(
                httpStatus: receipt.httpStatus, correlationId: receipt.correlationId,
                klarnaOrderId: context.klarnaOrderId)
            return (.done(details, read: context.readOrder()), slot.advanced)
        } catch {
            let ledger = slot.after(error, fingerprint: fingerprint)
            guard error.isRefusal else { return (.failed(error), ledger) }
            let read = error.isKlarnaRefusal(.klarnaNotAllowed) ? try? context.readOrder().get() : nil
            return (.refused(error, read: read), ledger)
        }
    }
}

import OMCore
import OMKlarna

/// Extend: the merchant needs more time before capturing (a delayed shipment), so Klarna moves the authorization's
/// expiry to today plus the merchant's authorization period, at most 180 days after the purchase. Klarna answers
/// without the new date, so its order is read afterwards: the note shows the new expiry, and a refusal's read shows
/// why. Its own ledger entry (`extend`); each extension the merchant asks for is a new intent (`PlainIntent`).
enum ExtendFlow {
    static func run(_ context: FlowContext) -> Outcome {
        let params = context.params()
        let (answer, ledger) = PlainIntent.send(context, effect: .extended) { (id, key) throws(OMError) in
            try context.client.extendAuthorizationTime(id, key: key)
        }
        switch answer {
        case .done(let klarna, read: .success(let order)) where !(order.expiresAt ?? "").isEmpty:
            return Outcome(
                .extend, .extended, success: true,
                params: params.with(["expires_at": .text(UTCTimestamp.noteText(order.expiresAt ?? ""))]),
                klarna: klarna, ledger: ledger)
        case .done(let klarna, read: .success):
            return Outcome(
                .extend, .extended, success: true, note: .extendedExpiryUnread,
                params: params.with(["error": .text("Klarna's order has no expires_at")]), klarna: klarna,
                ledger: ledger)
        case .done(let klarna, read: .failure(let error)):
            return Outcome(
                .extend, .extended, success: true, note: .extendedExpiryUnread,
                params: params.with(NoteParams.failure(error)), klarna: klarna, ledger: ledger)
        case .failed(let error):
            return Outcome(
                .extend, .extendFailed, success: false, params: params.with(NoteParams.failure(error)),
                klarna: error.klarna, ledger: ledger)
        case .refused(let error, read: _):
            return Outcome(
                .extend, .extendRefused, success: false, params: params.with(NoteParams.failure(error)),
                klarna: error.klarna, ledger: ledger)
        }
    }
}

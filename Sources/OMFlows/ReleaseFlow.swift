import OMCore
import OMKlarna

/// Release: the merchant will capture nothing more (part of the order will not ship), so what remains of the
/// authorization is released and the customer is not charged for it. Klarna allows it only on a part-captured
/// order; its order is read afterwards, because its status after a release is undocumented and a refusal is
/// explained by it (nothing captured: cancel instead; nothing left to release). Its own ledger entry (`release`),
/// with the same exactly-once rules as every POST (`PlainIntent`).
enum ReleaseFlow {
    static func run(_ context: FlowContext) -> Outcome {
        let params = context.params()
        let (answer, ledger) = PlainIntent.send(context, effect: .released) { (id, key) throws(OMError) in
            try context.client.releaseRemainingAuthorization(id, key: key)
        }
        switch answer {
        case .done(let klarna, read: _):
            return Outcome(.release, .released, success: true, params: params, klarna: klarna, ledger: ledger)
        case .failed(let error):
            return Outcome(
                .release, .releaseFailed, success: false, params: params.with(NoteParams.failure(error)),
                klarna: error.klarna, ledger: ledger)
        case .refused(let error, let order):
            var note: NoteCode?
            if let order {
                if (order.capturedAmount ?? 0) == 0 && order.status != .cancelled && order.status != .expired {
                    note = .releaseRefusedNotCaptured
                } else if (order.remainingAuthorizedAmount ?? 0) == 0 {
                    note = .releaseRefusedNothingLeft
                }
            }
            return Outcome(
                .release, .releaseRefused, success: false, note: note,
                params: params.with(NoteParams.failure(error)), klarna: error.klarna, ledger: ledger)
        }
    }
}

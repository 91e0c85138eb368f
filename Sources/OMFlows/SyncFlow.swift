import OMCore
import OMKlarna

/// Sync: reads Klarna's order so the order screen shows what Klarna holds (the response's `state`), for example
/// after the merchant worked in Klarna's Merchant Portal. It changes nothing at Klarna and no WooCommerce status;
/// it records on the order what later operations must know before they act: a capture (so a capture or update
/// reads first) and a cancellation. Given the order's WooCommerce status, it lists where that and Klarna's order
/// disagree (the reconciliation's rows).
enum SyncFlow {
    static func run(_ context: FlowContext) throws(OMError) -> Outcome {
        switch context.readOrder() {
        case .success(let order):
            var record = OrderRecord()
            if (context.order.meta?.captureIds ?? []).isEmpty { record.captureId = order.captures?.first?.captureId }
            record.cancelled = order.status == .cancelled && context.order.meta?.cancelled != true
            var outcome = Outcome(
                .sync, .synced, success: true, params: context.params(), record: record,
                klarna: KlarnaDetails(httpStatus: 200, klarnaOrderId: context.klarnaOrderId))
            // Compared with the state this answer carries: Klarna's order as just read.
            if context.order.status != nil, let state = context.observations.state(request: context.request) {
                outcome.disagreements = try Disagreements.find(context.order, klarna: state)
            }
            return outcome
        case .failure(let error):
            return Outcome(
                .sync, .syncFailed, success: false, params: context.params().with(NoteParams.failure(error)),
                klarna: error.klarna)
        }
    }
}

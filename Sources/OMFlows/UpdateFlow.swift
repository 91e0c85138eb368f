import OMCore
import OMKlarna

/// Update: the merchant put the order On hold, edited its items, and set it back to Processing. Sends the complete
/// new set of lines and the amount in one PATCH, or nothing when Klarna already holds exactly these lines. When Klarna
/// refuses, the order stays On hold with a note that says why and what to do.
enum UpdateFlow {
    static let fingerprintKey = "_klarna_om_lines_fingerprint"

    static func run(_ context: FlowContext) throws(OMError) -> (Outcome, [LineAdjustment]) {
        let lines = try OrderLinesBuilder.build(context.order)
        let params = context.params(amount: context.money(lines.amount))
        let fingerprint = lines.fingerprint
        if context.order.meta?.linesFingerprint == fingerprint {
            return (Outcome(.update, "update_unchanged", success: true, note: "update_unchanged", params: params), [])
        }
        let body = UpdateAuthorization(orderAmount: lines.amount,
                                       description: "Order \(context.order.number ?? String(context.order.id)) edited",
                                       orderLines: lines.lines)
        do {
            let receipt = try context.client.updateAuthorization(context.klarnaOrderId, body,
                                                                 key: context.key("update", fingerprint))
            return (Outcome(.update, "updated", success: true, note: "updated", params: params,
                            meta: [fingerprintKey: fingerprint],
                            klarna: KlarnaDetails(httpStatus: receipt.httpStatus, correlationId: receipt.correlationId,
                                                  klarnaOrderId: context.klarnaOrderId)),
                    lines.adjustments)
        } catch {
            return (explain(error, params: params, context: context), lines.adjustments)
        }
    }

    static func explain(_ error: OMError, params: [String: NoteParam], context: FlowContext) -> Outcome {
        let failure = params.with(NoteParams.failure(error))
        let status = error.klarna?.httpStatus ?? 0
        guard (400...499).contains(status), status != 409, status != 429 else {
            return Outcome(.update, "update_failed", success: false, note: "update_failed", params: failure,
                           orderStatus: OrderRules.holdStatus, klarna: error.klarna)
        }
        if let order = context.readOrder(), (order.capturedAmount ?? 0) > 0 {
            return Outcome(.update, "update_refused_captured", success: false, note: "update_refused_captured",
                           params: failure, orderStatus: OrderRules.holdStatus, klarna: error.klarna)
        }
        return Outcome(.update, "update_refused", success: false, note: "update_refused", params: failure,
                       orderStatus: OrderRules.holdStatus, klarna: error.klarna)
    }
}

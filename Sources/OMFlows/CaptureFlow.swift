import OMCore
import OMKlarna

/// Capture: WooCommerce status Processing → Completed. Captures the WooCommerce order total with exact lines in one
/// request. When Klarna refuses, one read explains why (already captured, part-captured, cancelled, expired, fraud,
/// amount above what remains) and anything but "already captured" puts the order On hold, so nobody ships goods
/// Klarna did not charge for.
enum CaptureFlow {
    static func run(_ context: FlowContext) throws(OMError) -> (Outcome, [LineAdjustment]) {
        let lines = try OrderLinesBuilder.build(context.order)
        // A capture id stored on the order (or copied onto it, as renewals did under the old plugin): Klarna's
        // state decides between "done", "capture what remains" and "that id was not Klarna's: capture".
        if !(context.order.meta?.captureIds ?? []).isEmpty {
            guard let klarnaOrder = context.readOrder() else {
                return (failed(OMError(.klarnaUnexpectedResponse, "Klarna's order could not be read"), context), [])
            }
            let nothingCaptured = klarnaOrder.status == .authorized && (klarnaOrder.capturedAmount ?? 0) == 0
            if !nothingCaptured { return (afterEarlierCapture(klarnaOrder, context: context), []) }
        }
        // A zero-value order (a free trial, a fully discounted renewal): there is nothing for Klarna to capture.
        if lines.amount == 0 {
            return (Outcome(.capture, "nothing_to_capture", success: true, note: "nothing_to_capture",
                            params: context.params(amount: context.money(0))), [])
        }
        let body = CaptureObject(capturedAmount: lines.amount, description: description(context),
                                 reference: context.order.number ?? String(context.order.id), orderLines: lines.lines)
        do {
            let created = try context.client.createCapture(context.klarnaOrderId, body,
                                                           key: context.key("capture", String(lines.amount), lines.fingerprint))
            return (captured(created, amount: lines.amount, context: context), lines.adjustments)
        } catch {
            guard error.code.rawValue == "klarna_capture_not_allowed", let klarnaOrder = context.readOrder() else {
                return (refusedOrFailed(error, context: context), lines.adjustments)
            }
            return (explain(error, klarnaOrder, wanted: lines.amount, context: context), lines.adjustments)
        }
    }

    static func description(_ context: FlowContext) -> String {
        "Order \(context.order.number ?? String(context.order.id))"
    }

    static func captured(_ created: KlarnaClient.Created, amount: Int64, context: FlowContext) -> Outcome {
        Outcome(.capture, "captured", success: true, note: "captured",
                params: context.params(amount: context.money(amount)).with(["capture_id": .text(created.id)]),
                meta: ["_wc_klarna_capture_id": created.id],
                klarna: KlarnaDetails(httpStatus: 201, correlationId: created.correlationId,
                                      klarnaOrderId: context.klarnaOrderId, captureId: created.id))
    }

    /// The order carries a capture id already: never a second full capture.
    static func afterEarlierCapture(_ klarnaOrder: Order, context: FlowContext) -> Outcome {
        let remaining = klarnaOrder.remainingAuthorizedAmount ?? 0
        if klarnaOrder.status == .partCaptured && remaining > 0 {
            return captureRemaining(remaining, context: context)
        }
        if klarnaOrder.status == .captured || klarnaOrder.status == .partCaptured || klarnaOrder.status == .closed {
            return alreadyCaptured(klarnaOrder, context: context, klarna: nil)
        }
        return explain(OMError(.klarnaHTTPError, "Klarna order is \(klarnaOrder.status?.rawValue ?? "unknown")"),
                       klarnaOrder, wanted: context.total.minorUnits, context: context)
    }

    /// Part-captured elsewhere (for example in the Merchant Portal): capture exactly what Klarna still holds.
    static func captureRemaining(_ remaining: Int64, context: FlowContext) -> Outcome {
        do {
            let created = try context.client.createCapture(
                context.klarnaOrderId,
                CaptureObject(capturedAmount: remaining, description: description(context),
                              reference: context.order.number ?? String(context.order.id)),
                key: context.key("capture-remaining", String(remaining)))
            return captured(created, amount: remaining, context: context)
        } catch {
            return refusedOrFailed(error, context: context)
        }
    }

    static func alreadyCaptured(_ klarnaOrder: Order, context: FlowContext, klarna: KlarnaDetails?) -> Outcome {
        let captureId = klarnaOrder.captures?.last?.captureId ?? context.order.meta?.captureIds?.last ?? ""
        return Outcome(.capture, "already_captured", success: true, note: "already_captured",
                       params: context.params(amount: context.money(klarnaOrder.capturedAmount))
                           .with(["capture_id": .text(captureId)]),
                       meta: captureId.isEmpty ? [:] : ["_wc_klarna_capture_id": captureId], klarna: klarna)
    }

    /// Klarna said CAPTURE_NOT_ALLOWED; its order says why.
    static func explain(_ error: OMError, _ klarnaOrder: Order, wanted: Int64, context: FlowContext) -> Outcome {
        let remaining = klarnaOrder.remainingAuthorizedAmount ?? 0
        let params = context.params(amount: context.money(wanted)).with(NoteParams.failure(error))
        func refused(_ note: String, _ extra: [String: NoteParam] = [:]) -> Outcome {
            Outcome(.capture, "capture_refused", success: false, note: note, params: params.with(extra),
                    orderStatus: OrderRules.holdStatus, klarna: error.klarna)
        }
        switch klarnaOrder.status {
        case .captured?:
            return alreadyCaptured(klarnaOrder, context: context, klarna: error.klarna)
        case .partCaptured? where remaining > 0 && (klarnaOrder.capturedAmount ?? 0) + remaining == wanted:
            return captureRemaining(remaining, context: context)
        case .cancelled?:
            return refused("capture_refused_cancelled")
        case .expired?, .closed?:
            return refused("capture_refused_expired")
        default:
            if let fraud = klarnaOrder.fraudStatus, fraud != .accepted {
                return refused("capture_refused_fraud", ["fraud_status": .text(fraud.rawValue)])
            }
            if wanted > remaining {
                return refused("capture_refused_amount", ["difference": .text(context.money(wanted - remaining).description),
                                                          "remaining": .text(context.money(remaining).description)])
            }
            return refused("capture_refused")
        }
    }

    /// A Klarna decision (4xx) is a refusal; anything else (network, 5xx after retries) leaves the outcome open.
    static func refusedOrFailed(_ error: OMError, context: FlowContext) -> Outcome {
        if let status = error.klarna?.httpStatus, (400...499).contains(status), status != 409, status != 429 {
            return Outcome(.capture, "capture_refused", success: false, note: "capture_refused",
                           params: context.params().with(NoteParams.failure(error)),
                           orderStatus: OrderRules.holdStatus, klarna: error.klarna)
        }
        return failed(error, context)
    }

    static func failed(_ error: OMError, _ context: FlowContext) -> Outcome {
        Outcome(.capture, "capture_failed", success: false, note: "capture_failed",
                params: context.params().with(NoteParams.failure(error)), orderStatus: OrderRules.holdStatus,
                klarna: error.klarna)
    }
}

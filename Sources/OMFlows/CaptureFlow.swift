import OMCore
import OMKlarna

/// Capture: WooCommerce status → Completed. Captures what WooCommerce still expects: the order total minus what
/// Klarna has already captured; or, with `capture.items`, one shipment of it, never more than that. Klarna's order is
/// read first; only when Klarna holds exactly the order's lines (an update left them) and nothing is recorded or
/// pending does the capture go out in one request. Anything but "Klarna now holds what was asked" puts the order On
/// hold, so nobody ships goods Klarna did not charge for, and nobody is charged twice.
enum CaptureFlow {
    static func run(_ context: FlowContext) throws(OMError) -> (Outcome, [LineAdjustment]) {
        let lines = try OrderLinesBuilder.build(context.order)
        let shipment = Shipment(context.request.capture)
        // A shipment the order cannot hold (no such product, a quantity above the ordered one) is the request's
        // fault, whatever Klarna holds: refused before Klarna is asked anything.
        _ = try shipment?.lines(first: true, context: context)
        var pass = Pass(context: context)
        // Klarna may hold a capture WooCommerce does not know of (made in the Merchant Portal, or an attempt whose
        // answer was lost) beside an authorization above the total (items lowered without an update): a capture of
        // the total could then charge twice. So Klarna's order is read first, unless Klarna holds exactly these lines
        // (an update left them there: the authorization is this total, and Klarna refuses more than what remains).
        let authorizationIsTheTotal = context.order.meta?.linesFingerprint == lines.fingerprint
        let captureRecorded = !(context.order.meta?.captureIds ?? []).isEmpty || pass.slot.pending != nil
        if lines.amount == 0 && !captureRecorded {
            // A zero-value order (a free trial, a fully discounted renewal): nothing to send, nothing to read.
            return (
                Outcome(.capture, .nothingToCapture, success: true, params: context.params(amount: context.money(0))),
                []
            )
        }
        if captureRecorded || !authorizationIsTheTotal {
            switch context.readOrder() {
            case .success(let order): pass.klarnaOrder = order
            case .failure(let error): return (failed(error, context, pass: pass), [])
            }
        }
        // A refusal, or Klarna's stored answer to an earlier attempt, sends us back to plan from Klarna's order:
        // three passes are the most that can be useful.
        for _ in 0..<3 {
            let plan: CapturePlan
            if let order = pass.klarnaOrder {
                plan = try CapturePlan(klarnaOrder: order, lines: lines, shipment: shipment, context: context)
            } else {
                plan = try CapturePlan(lines: lines, shipment: shipment, context: context)
            }
            switch plan {
            case .nothingToCapture:
                // A zero-value order (a free trial, a fully discounted renewal): nothing for Klarna to capture.
                return (
                    Outcome(
                        .capture, .nothingToCapture, success: true, note: .nothingToCapture,
                        params: context.params(amount: context.money(0)), ledger: pass.settled), []
                )
            case .done(let order):
                return (
                    alreadyCaptured(
                        order, context: context, klarna: pass.refusal?.error.klarna,
                        ledger: pass.settled), []
                )
            case .overCaptured(let captured, let excess):
                let params = context.params().with([
                    "captured": .money(context.money(captured)),
                    "excess": .money(context.money(excess)),
                ])
                return (
                    Outcome(
                        .capture, .overCaptured, success: false, note: .overCaptured, params: params,
                        orderStatus: OrderRules.holdStatus, record: pass.captureRecord, ledger: pass.settled), []
                )
            case .refused(let note, let extra, let wanted):
                let params = context.params(amount: context.money(wanted)).with(extra)
                    .with(pass.refusal.map { NoteParams.failure($0.error) } ?? ["klarna_error": .text("")])
                return (
                    Outcome(
                        .capture, .captureRefused, success: false, note: note, params: params,
                        orderStatus: OrderRules.holdStatus, record: pass.captureRecord,
                        klarna: pass.refusal?.error.klarna, ledger: pass.changed), []
                )
            case .capture(let set, let left):
                let shipped = shipment != nil && left > 0 ? left : nil
                if let outcome = try send(set, left: shipped, context: context, pass: &pass) {
                    return (outcome, set.adjustments)
                }
            }
        }
        return (failed(OMError(.internalError, "the capture could not be planned"), context, pass: pass), [])
    }

    /// What one run has learnt so far: the ledger slot, Klarna's order when read, and Klarna's last refusal.
    struct Pass {
        let context: FlowContext
        var slot: LedgerEntry
        var klarnaOrder: Order?
        /// Klarna's refusal, with the fingerprint of the capture it refused (nil when it may have been the stored
        /// answer to an earlier attempt).
        var refusal: (fingerprint: String?, error: OMError)?
        /// A capture Klarna turned out to hold without a read showing it (an earlier attempt's, answered again).
        var earlierCaptureId: String?

        init(context: FlowContext) {
            self.context = context
            slot = context.ledger
        }

        /// The ledger entry to store, nil when unchanged.
        var changed: LedgerEntry? { slot == context.ledger ? nil : slot }
        /// After a read showed the job settled: a pending attempt was, or was overtaken by, what Klarna holds.
        var settled: LedgerEntry? {
            let entry = slot.pending == nil ? slot : slot.advanced
            return entry == context.ledger ? nil : entry
        }
        /// A capture Klarna holds, recorded on the order so that the next attempt reads before it captures.
        var captureRecord: OrderRecord {
            OrderRecord(captureId: klarnaOrder?.captures?.first?.captureId ?? earlierCaptureId)
        }
    }

    /// Sends one planned capture, with the shipment's tracking when the request gives it; `left` is what a shipment
    /// leaves to capture (nil: nothing, or not a shipment). Returns the outcome, or nil to plan again from Klarna's
    /// order (Klarna refused, or answered with an earlier attempt's capture).
    static func send(_ set: LineSet, left: Int64?, context: FlowContext, pass: inout Pass) throws(OMError) -> Outcome? {
        let fingerprint = set.fingerprint
        if let refusal = pass.refusal, refusal.fingerprint == fingerprint {
            // Klarna refused exactly this, and its order does not say why: say what Klarna said.
            return failed(refusal.error, context, pass: pass)
        }
        let tracking = context.request.capture?.shippingInfo ?? []
        let body = CaptureObject(
            capturedAmount: set.amount, description: "Order \(context.orderReference)",
            reference: context.orderReference, orderLines: set.lines.isEmpty ? nil : set.lines,
            shippingInfo: tracking.isEmpty ? nil : tracking)
        let replayable = pass.slot.mayReplayAnother(than: fingerprint)
        let created: KlarnaClient.Created
        do {
            created = try context.client.createCapture(
                context.klarnaOrderId, body, key: context.key(pass.slot, for: fingerprint))
        } catch  where error.reach == .refused {
            pass.slot = pass.slot.advanced
            pass.refusal = (replayable ? nil : fingerprint, error)
            // Klarna said no: its order says why (already captured, cancelled, expired, fraud, the amount).
            guard error.isKlarnaRefusal(.klarnaCaptureNotAllowed), case .success(let order) = context.readOrder()
            else { return failed(error, context, pass: pass) }
            pass.klarnaOrder = order
            return nil
        } catch {
            pass.slot = pass.slot.after(error, fingerprint: fingerprint) ?? pass.slot
            return failed(error, context, pass: pass)
        }
        if replayable {
            // The key carries an earlier attempt: Klarna may have answered with that attempt's capture.
            switch Result(catching: { () throws(OMError) in
                try context.client.getCapture(context.klarnaOrderId, captureId: created.id)
            }) {
            case .failure(let error):
                pass.slot = pass.slot.awaiting(fingerprint)
                return failed(error.unresolved, context, pass: pass)
            case .success(let capture) where capture.capturedAmount != set.amount:
                pass.slot = pass.slot.advanced
                pass.earlierCaptureId = capture.captureId ?? created.id
                switch context.readOrder() {
                case .success(let order):
                    pass.klarnaOrder = order
                    return nil
                case .failure(let error):
                    return failed(error.unresolved, context, pass: pass)
                }
            case .success:
                break
            }
        }
        pass.slot = pass.slot.advanced
        context.observations.record(.captured(id: created.id, amount: set.amount, shippingInfo: tracking))
        return captured(created, amount: set.amount, left: left, context: context, ledger: pass.slot)
    }

    /// The capture was made: a shipment that leaves something to capture says how much.
    static func captured(
        _ created: KlarnaClient.Created, amount: Int64, left: Int64?, context: FlowContext,
        ledger: LedgerEntry
    ) -> Outcome {
        var params = context.params(amount: context.money(amount)).with(["capture_id": .text(created.id)])
        if let left { params["left"] = .money(context.money(left)) }
        return Outcome(
            .capture, .captured, success: true, note: left == nil ? .captured : .capturedShipment,
            params: params, record: OrderRecord(captureId: created.id),
            klarna: KlarnaDetails(
                httpStatus: 201, correlationId: created.correlationId,
                klarnaOrderId: context.klarnaOrderId, captureId: created.id),
            ledger: ledger)
    }

    static func alreadyCaptured(
        _ klarnaOrder: Order, context: FlowContext, klarna: KlarnaDetails?,
        ledger: LedgerEntry?
    ) -> Outcome {
        let captureId = klarnaOrder.captures?.last?.captureId ?? context.order.meta?.captureIds?.last ?? ""
        return Outcome(
            .capture, .alreadyCaptured, success: true, note: .alreadyCaptured,
            params: context.params(amount: context.money(klarnaOrder.capturedAmount))
                .with(["capture_id": .text(captureId)]),
            record: OrderRecord(captureId: captureId.isEmpty ? nil : captureId), klarna: klarna,
            ledger: ledger)
    }

    /// The capture did not happen: refused (Klarna's decision, or something to fix first) or failed (worth
    /// retrying as it is: the key stays the same). Either way the order is held.
    static func failed(_ error: OMError, _ context: FlowContext, pass: Pass) -> Outcome {
        Outcome(
            .capture, error.isRefusal ? .captureRefused : .captureFailed, success: false,
            params: context.params().with(NoteParams.failure(error)), orderStatus: OrderRules.holdStatus,
            record: pass.captureRecord, klarna: error.klarna, ledger: pass.changed)
    }
}

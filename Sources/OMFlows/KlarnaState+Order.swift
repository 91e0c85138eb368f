import OMCore
import OMKlarna

extension KlarnaState {
    /// Klarna's order as read, in the contract's terms. Where it lives (environment, region, portal) is what this
    /// request resolved; fields Klarna left out stay unknown.
    init(order: Order, readAt: String, request: OMRequest) {
        self.init(source: .read)
        self.readAt = readAt
        status = order.status?.rawValue
        fraudStatus = order.fraudStatus?.rawValue
        authorized = order.orderAmount
        captured = order.capturedAmount
        refunded = order.refundedAmount
        remaining = order.remainingAuthorizedAmount
        captures = order.captures.map { list in
            list.map { capture in
                CaptureRecord(
                    id: capture.captureId, amount: capture.capturedAmount, capturedAt: capture.capturedAt,
                    shippingInfo: capture.shippingInfo.flatMap { $0.isEmpty ? nil : $0 })
            }
        }
        refunds = order.refunds.map { list in
            list.map { RefundRecord(id: $0.refundId, amount: $0.refundedAmount, refundedAt: $0.refundedAt) }
        }
        expiresAt = order.expiresAt.flatMap { $0.isEmpty ? nil : $0 }
        // Klarna's examples spell currencies in either case.
        let currency =
            order.purchaseCurrency.flatMap { $0.isEmpty ? nil : $0.uppercased() } ?? request.order.currency.code
        self = locating(request: request, currency: currency)
        klarnaOrderId = order.orderId.flatMap { $0.isEmpty ? nil : $0 } ?? klarnaOrderId
    }

    /// This state with where the order lives, as this request resolved it: the order id, environment, region and
    /// Merchant Portal (absent when unknown), and its currency.
    func locating(request: OMRequest, currency: String) -> KlarnaState {
        var state = self
        state.klarnaOrderId = request.order.klarna?.orderId
        state.environment = request.config.environment.rawValue
        state.region = request.config.resolvedRegion?.rawValue
        state.portalURL = request.config.merchantPortalURL
        state.currency = currency
        return state
    }
}

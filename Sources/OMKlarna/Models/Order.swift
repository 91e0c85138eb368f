package import OMCore
package import OMJSON

/// Klarna's `Order` read model (get order). Every field is optional and unknown members are ignored: Klarna adds
/// fields over time and returns "" for unset strings.
package struct Order: Sendable, Equatable {
    package var orderId: String?
    package var status: OrderStatus?
    package var fraudStatus: FraudStatus?
    package var orderAmount: Int64?
    package var originalOrderAmount: Int64?
    package var capturedAmount: Int64?
    package var refundedAmount: Int64?
    package var remainingAuthorizedAmount: Int64?
    package var purchaseCurrency: String?
    package var purchaseCountry: String?
    package var locale: String?
    package var orderLines: [OrderLine]?
    package var merchantReference1: String?
    package var merchantReference2: String?
    package var klarnaReference: String?
    package var billingAddress: Address?
    package var shippingAddress: Address?
    package var createdAt: String?
    package var expiresAt: String?
    package var captures: [Capture]?
    package var refunds: [Refund]?
    package var initialPaymentMethod: InitialPaymentMethod?
}

/// Klarna's order `status`, an open set: unknown values decode as they are.
package struct OrderStatus: RawRepresentable, Sendable, Hashable {
    package let rawValue: String
    package init(rawValue: String) { self.rawValue = rawValue }

    package static let authorized = OrderStatus(rawValue: "AUTHORIZED")
    package static let partCaptured = OrderStatus(rawValue: "PART_CAPTURED")
    package static let captured = OrderStatus(rawValue: "CAPTURED")
    package static let cancelled = OrderStatus(rawValue: "CANCELLED")
    package static let expired = OrderStatus(rawValue: "EXPIRED")
    package static let closed = OrderStatus(rawValue: "CLOSED")
}

/// Klarna's `fraud_status`, an open set.
package struct FraudStatus: RawRepresentable, Sendable, Hashable {
    package let rawValue: String
    package init(rawValue: String) { self.rawValue = rawValue }

    package static let accepted = FraudStatus(rawValue: "ACCEPTED")
    package static let pending = FraudStatus(rawValue: "PENDING")
    package static let rejected = FraudStatus(rawValue: "REJECTED")
}

/// Klarna's `Capture` read model.
package struct Capture: Sendable, Equatable {
    package var captureId: String?
    package var klarnaReference: String?
    package var capturedAmount: Int64?
    package var capturedAt: String?
    package var description: String?
    package var reference: String?
    package var orderLines: [OrderLine]?
    package var refundedAmount: Int64?
    package var shippingInfo: [ShippingInfo]?
}

/// Klarna's `Refund` read model.
package struct Refund: Sendable, Equatable {
    package var refundId: String?
    package var refundedAmount: Int64?
    package var refundedAt: String?
    package var description: String?
    package var reference: String?
    package var orderLines: [OrderLine]?
    package var creditInvoice: Bool?
}

/// Klarna's `initial_payment_method`.
package struct InitialPaymentMethod: Sendable, Equatable {
    package var type: String?
    package var description: String?
    package var numberOfInstallments: Int?
}

/// Klarna's error body. All fields optional; `error_message` (singular) appears on some Klarna APIs' 401s.
struct ErrorMessage {
    var errorCode: String?
    var errorMessages: [String]?
    var errorMessage: String?
    var correlationId: String?
    var serviceVersion: String?
}

// MARK: - Reading Klarna's answers (member names as in Klarna's spec)

extension Order: JSONReadable {
    package init(json: JSONObjectReader) throws(JSONReadError) {
        try self.init(
            orderId: json.string("order_id"),
            status: json.value("status"),
            fraudStatus: json.value("fraud_status"),
            orderAmount: json.int64("order_amount"),
            originalOrderAmount: json.int64("original_order_amount"),
            capturedAmount: json.int64("captured_amount"),
            refundedAmount: json.int64("refunded_amount"),
            remainingAuthorizedAmount: json.int64("remaining_authorized_amount"),
            purchaseCurrency: json.string("purchase_currency"),
            purchaseCountry: json.string("purchase_country"),
            locale: json.string("locale"),
            orderLines: json.objects("order_lines"),
            merchantReference1: json.string("merchant_reference1"),
            merchantReference2: json.string("merchant_reference2"),
            klarnaReference: json.string("klarna_reference"),
            billingAddress: json.object("billing_address"),
            shippingAddress: json.object("shipping_address"),
            createdAt: json.string("created_at"),
            expiresAt: json.string("expires_at"),
            captures: json.objects("captures"),
            refunds: json.objects("refunds"),
            initialPaymentMethod: json.object("initial_payment_method"))
    }
}

extension Capture: JSONReadable {
    package init(json: JSONObjectReader) throws(JSONReadError) {
        try self.init(
            captureId: json.string("capture_id"),
            klarnaReference: json.string("klarna_reference"),
            capturedAmount: json.int64("captured_amount"),
            capturedAt: json.string("captured_at"),
            description: json.string("description"),
            reference: json.string("reference"),
            orderLines: json.objects("order_lines"),
            refundedAmount: json.int64("refunded_amount"),
            shippingInfo: json.objects("shipping_info"))
    }
}

extension Refund: JSONReadable {
    package init(json: JSONObjectReader) throws(JSONReadError) {
        try self.init(
            refundId: json.string("refund_id"),
            refundedAmount: json.int64("refunded_amount"),
            refundedAt: json.string("refunded_at"),
            description: json.string("description"),
            reference: json.string("reference"),
            orderLines: json.objects("order_lines"),
            creditInvoice: json.bool("credit_invoice"))
    }
}

extension InitialPaymentMethod: JSONReadable {
    package init(json: JSONObjectReader) throws(JSONReadError) {
        try self.init(
            type: json.string("type"),
            description: json.string("description"),
            numberOfInstallments: json.int("number_of_installments"))
    }
}

extension ErrorMessage: JSONReadable {
    init(json: JSONObjectReader) throws(JSONReadError) {
        try self.init(
            errorCode: json.string("error_code"),
            errorMessages: json.strings("error_messages"),
            errorMessage: json.string("error_message"),
            correlationId: json.string("correlation_id"),
            serviceVersion: json.string("service_version"))
    }
}

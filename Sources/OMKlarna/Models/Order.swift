public import OMCore
public import OMJSON

/// Klarna's `Order` read model (get order). Every field is optional and unknown members are ignored: Klarna adds
/// fields over time and returns "" for unset strings.
public struct Order: Sendable, Equatable {
    public var orderId: String?
    public var status: OrderStatus?
    public var fraudStatus: FraudStatus?
    public var orderAmount: Int64?
    public var originalOrderAmount: Int64?
    public var capturedAmount: Int64?
    public var refundedAmount: Int64?
    public var remainingAuthorizedAmount: Int64?
    public var purchaseCurrency: String?
    public var purchaseCountry: String?
    public var locale: String?
    public var orderLines: [OrderLine]?
    public var merchantReference1: String?
    public var merchantReference2: String?
    public var klarnaReference: String?
    public var billingAddress: Address?
    public var shippingAddress: Address?
    public var createdAt: String?
    public var expiresAt: String?
    public var captures: [Capture]?
    public var refunds: [Refund]?
    public var initialPaymentMethod: InitialPaymentMethod?
}

/// Klarna's order `status`, an open set: unknown values decode as they are.
public struct OrderStatus: RawRepresentable, Sendable, Hashable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let authorized = OrderStatus(rawValue: "AUTHORIZED")
    public static let partCaptured = OrderStatus(rawValue: "PART_CAPTURED")
    public static let captured = OrderStatus(rawValue: "CAPTURED")
    public static let cancelled = OrderStatus(rawValue: "CANCELLED")
    public static let expired = OrderStatus(rawValue: "EXPIRED")
    public static let closed = OrderStatus(rawValue: "CLOSED")
}

/// Klarna's `fraud_status`, an open set.
public struct FraudStatus: RawRepresentable, Sendable, Hashable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let accepted = FraudStatus(rawValue: "ACCEPTED")
    public static let pending = FraudStatus(rawValue: "PENDING")
    public static let rejected = FraudStatus(rawValue: "REJECTED")
}

/// Klarna's `Capture` read model.
public struct Capture: Sendable, Equatable {
    public var captureId: String?
    public var klarnaReference: String?
    public var capturedAmount: Int64?
    public var capturedAt: String?
    public var description: String?
    public var reference: String?
    public var orderLines: [OrderLine]?
    public var refundedAmount: Int64?
    public var shippingInfo: [ShippingInfo]?
}

/// Klarna's `Refund` read model.
public struct Refund: Sendable, Equatable {
    public var refundId: String?
    public var refundedAmount: Int64?
    public var refundedAt: String?
    public var description: String?
    public var reference: String?
    public var orderLines: [OrderLine]?
    public var creditInvoice: Bool?
}

/// Klarna's `initial_payment_method`.
public struct InitialPaymentMethod: Sendable, Equatable {
    public var type: String?
    public var description: String?
    public var numberOfInstallments: Int?
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
    public init(json: JSONObjectReader) throws(JSONReadError) {
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
    public init(json: JSONObjectReader) throws(JSONReadError) {
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
    public init(json: JSONObjectReader) throws(JSONReadError) {
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
    public init(json: JSONObjectReader) throws(JSONReadError) {
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

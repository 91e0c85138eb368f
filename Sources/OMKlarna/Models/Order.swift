public import OMCore

/// Klarna's `Order` read model (get order). Every field is optional and unknown keys are ignored: Klarna adds
/// fields over time and returns "" for unset strings.
public struct Order: Sendable, Codable, Equatable {
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

    enum CodingKeys: String, CodingKey {
        case orderId = "order_id"
        case status
        case fraudStatus = "fraud_status"
        case orderAmount = "order_amount"
        case originalOrderAmount = "original_order_amount"
        case capturedAmount = "captured_amount"
        case refundedAmount = "refunded_amount"
        case remainingAuthorizedAmount = "remaining_authorized_amount"
        case purchaseCurrency = "purchase_currency"
        case purchaseCountry = "purchase_country"
        case locale
        case orderLines = "order_lines"
        case merchantReference1 = "merchant_reference1"
        case merchantReference2 = "merchant_reference2"
        case klarnaReference = "klarna_reference"
        case billingAddress = "billing_address"
        case shippingAddress = "shipping_address"
        case createdAt = "created_at"
        case expiresAt = "expires_at"
        case captures
        case refunds
        case initialPaymentMethod = "initial_payment_method"
    }
}

/// Klarna's order `status`, an open set: unknown values decode as they are.
public struct OrderStatus: RawRepresentable, Sendable, Codable, Hashable {
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
public struct FraudStatus: RawRepresentable, Sendable, Codable, Hashable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let accepted = FraudStatus(rawValue: "ACCEPTED")
    public static let pending = FraudStatus(rawValue: "PENDING")
    public static let rejected = FraudStatus(rawValue: "REJECTED")
}

/// Klarna's `Capture` read model.
public struct Capture: Sendable, Codable, Equatable {
    public var captureId: String?
    public var klarnaReference: String?
    public var capturedAmount: Int64?
    public var capturedAt: String?
    public var description: String?
    public var reference: String?
    public var orderLines: [OrderLine]?
    public var refundedAmount: Int64?
    public var shippingInfo: [ShippingInfo]?

    enum CodingKeys: String, CodingKey {
        case captureId = "capture_id"
        case klarnaReference = "klarna_reference"
        case capturedAmount = "captured_amount"
        case capturedAt = "captured_at"
        case description
        case reference
        case orderLines = "order_lines"
        case refundedAmount = "refunded_amount"
        case shippingInfo = "shipping_info"
    }
}

/// Klarna's `Refund` read model.
public struct Refund: Sendable, Codable, Equatable {
    public var refundId: String?
    public var refundedAmount: Int64?
    public var refundedAt: String?
    public var description: String?
    public var reference: String?
    public var orderLines: [OrderLine]?
    public var creditInvoice: Bool?

    enum CodingKeys: String, CodingKey {
        case refundId = "refund_id"
        case refundedAmount = "refunded_amount"
        case refundedAt = "refunded_at"
        case description
        case reference
        case orderLines = "order_lines"
        case creditInvoice = "credit_invoice"
    }
}

/// Klarna's `initial_payment_method`.
public struct InitialPaymentMethod: Sendable, Codable, Equatable {
    public var type: String?
    public var description: String?
    public var numberOfInstallments: Int?

    enum CodingKeys: String, CodingKey {
        case type
        case description
        case numberOfInstallments = "number_of_installments"
    }
}

/// Klarna's error body. All fields optional; `error_message` (singular) appears on some Klarna APIs' 401s.
struct ErrorMessage: Decodable {
    var errorCode: String?
    var errorMessages: [String]?
    var errorMessage: String?
    var correlationId: String?
    var serviceVersion: String?

    enum CodingKeys: String, CodingKey {
        case errorCode = "error_code"
        case errorMessages = "error_messages"
        case errorMessage = "error_message"
        case correlationId = "correlation_id"
        case serviceVersion = "service_version"
    }
}

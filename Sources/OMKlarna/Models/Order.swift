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
}

/// Klarna's `initial_payment_method`.
public struct InitialPaymentMethod: Sendable, Codable, Equatable {
    public var type: String?
    public var description: String?
    public var numberOfInstallments: Int?
}

/// Klarna's error body. All fields optional; `error_message` (singular) appears on some Klarna APIs' 401s.
struct ErrorMessage: Decodable {
    var errorCode: String?
    var errorMessages: [String]?
    var errorMessage: String?
    var correlationId: String?
    var serviceVersion: String?
}

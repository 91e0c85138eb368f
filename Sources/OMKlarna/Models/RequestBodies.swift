public import OMCore

/// Klarna's `CaptureObject`: the body of "create capture".
public struct CaptureObject: Sendable, Codable, Equatable {
    public var capturedAmount: Int64
    public var description: String?
    public var reference: String?
    public var orderLines: [OrderLine]?
    public var shippingInfo: [ShippingInfo]?
    public var shippingDelay: Int64?

    public init(capturedAmount: Int64, description: String? = nil, reference: String? = nil,
                orderLines: [OrderLine]? = nil, shippingInfo: [ShippingInfo]? = nil, shippingDelay: Int64? = nil) {
        self.capturedAmount = capturedAmount
        self.description = description
        self.reference = reference
        self.orderLines = orderLines
        self.shippingInfo = shippingInfo
        self.shippingDelay = shippingDelay
    }

    enum CodingKeys: String, CodingKey {
        case capturedAmount = "captured_amount"
        case description
        case reference
        case orderLines = "order_lines"
        case shippingInfo = "shipping_info"
        case shippingDelay = "shipping_delay"
    }
}

/// Klarna's `RefundObject`: the body of "create refund".
public struct RefundObject: Sendable, Codable, Equatable {
    public var refundedAmount: Int64
    public var description: String?
    public var reference: String?
    public var orderLines: [OrderLine]?

    public init(refundedAmount: Int64, description: String? = nil, reference: String? = nil, orderLines: [OrderLine]? = nil) {
        self.refundedAmount = refundedAmount
        self.description = description
        self.reference = reference
        self.orderLines = orderLines
    }

    enum CodingKeys: String, CodingKey {
        case refundedAmount = "refunded_amount"
        case description
        case reference
        case orderLines = "order_lines"
    }
}

/// Klarna's `Update authorization`: the new amount and the complete new set of lines (omitted lines are deleted).
public struct UpdateAuthorization: Sendable, Codable, Equatable {
    public var orderAmount: Int64
    public var description: String?
    public var orderLines: [OrderLine]?

    public init(orderAmount: Int64, description: String? = nil, orderLines: [OrderLine]? = nil) {
        self.orderAmount = orderAmount
        self.description = description
        self.orderLines = orderLines
    }

    enum CodingKeys: String, CodingKey {
        case orderAmount = "order_amount"
        case description
        case orderLines = "order_lines"
    }
}

/// Klarna's `Update merchant references`. A present field overwrites; an empty string clears.
public struct UpdateMerchantReferences: Sendable, Codable, Equatable {
    public var merchantReference1: String?
    public var merchantReference2: String?

    public init(merchantReference1: String? = nil, merchantReference2: String? = nil) {
        self.merchantReference1 = merchantReference1
        self.merchantReference2 = merchantReference2
    }

    enum CodingKeys: String, CodingKey {
        case merchantReference1 = "merchant_reference1"
        case merchantReference2 = "merchant_reference2"
    }
}

/// Klarna's `UpdateConsumer`. Only the shipping address can still be changed; the billing address cannot.
public struct UpdateConsumer: Sendable, Codable, Equatable {
    public var shippingAddress: Address?

    public init(shippingAddress: Address?) {
        self.shippingAddress = shippingAddress
    }

    enum CodingKeys: String, CodingKey {
        case shippingAddress = "shipping_address"
    }
}

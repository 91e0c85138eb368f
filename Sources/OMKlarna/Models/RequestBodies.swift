public import OMCore
public import OMJSON

/// Klarna's `CaptureObject`: the body of "create capture".
public struct CaptureObject: Sendable, Equatable {
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
}

/// Klarna's `RefundObject`: the body of "create refund".
public struct RefundObject: Sendable, Equatable {
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
}

/// Klarna's `Update authorization`: the new amount and the complete new set of lines (omitted lines are deleted).
public struct UpdateAuthorization: Sendable, Equatable {
    public var orderAmount: Int64
    public var description: String?
    public var orderLines: [OrderLine]?

    public init(orderAmount: Int64, description: String? = nil, orderLines: [OrderLine]? = nil) {
        self.orderAmount = orderAmount
        self.description = description
        self.orderLines = orderLines
    }
}

/// Klarna's `Update merchant references`. A present field overwrites; an empty string clears.
public struct UpdateMerchantReferences: Sendable, Equatable {
    public var merchantReference1: String?
    public var merchantReference2: String?

    public init(merchantReference1: String? = nil, merchantReference2: String? = nil) {
        self.merchantReference1 = merchantReference1
        self.merchantReference2 = merchantReference2
    }
}

/// Klarna's `UpdateConsumer`. Only the shipping address can still be changed; the billing address cannot.
public struct UpdateConsumer: Sendable, Equatable {
    public var shippingAddress: Address?

    public init(shippingAddress: Address?) {
        self.shippingAddress = shippingAddress
    }
}

// MARK: - Writing request bodies (member names as in Klarna's spec; strings cut to the spec's maxLength)

extension CaptureObject: JSONWritable {
    public var json: JSONValue {
        .members([
            "captured_amount": .integer(capturedAmount),
            "description": .string(description, maxLength: 255),
            "reference": .string(reference, maxLength: 255),
            "order_lines": .array(orderLines),
            "shipping_info": .array(shippingInfo),
            "shipping_delay": .integer(shippingDelay),
        ])
    }
}

extension RefundObject: JSONWritable {
    public var json: JSONValue {
        .members([
            "refunded_amount": .integer(refundedAmount),
            "description": .string(description, maxLength: 255),
            "reference": .string(reference, maxLength: 255),
            "order_lines": .array(orderLines),
        ])
    }
}

extension UpdateAuthorization: JSONWritable {
    public var json: JSONValue {
        .members([
            "order_amount": .integer(orderAmount),
            "description": .string(description, maxLength: 255),
            "order_lines": .array(orderLines),
        ])
    }
}

extension UpdateMerchantReferences: JSONWritable {
    public var json: JSONValue {
        .members([
            "merchant_reference1": .string(merchantReference1, maxLength: 255),
            "merchant_reference2": .string(merchantReference2, maxLength: 255),
        ])
    }
}

extension UpdateConsumer: JSONWritable {
    public var json: JSONValue {
        .members(["shipping_address": .value(shippingAddress)])
    }
}

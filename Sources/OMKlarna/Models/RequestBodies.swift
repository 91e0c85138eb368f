package import OMCore
package import OMJSON

/// Klarna's `CaptureObject`: the body of "create capture".
package struct CaptureObject: Sendable, Equatable {
    package var capturedAmount: Int64
    package var description: String?
    package var reference: String?
    package var orderLines: [OrderLine]?
    package var shippingInfo: [ShippingInfo]?
    package var shippingDelay: Int64?

    package init(
        capturedAmount: Int64, description: String? = nil, reference: String? = nil,
        orderLines: [OrderLine]? = nil, shippingInfo: [ShippingInfo]? = nil, shippingDelay: Int64? = nil
    ) {
        self.capturedAmount = capturedAmount
        self.description = description
        self.reference = reference
        self.orderLines = orderLines
        self.shippingInfo = shippingInfo
        self.shippingDelay = shippingDelay
    }
}

/// Klarna's `RefundObject`: the body of "create refund".
package struct RefundObject: Sendable, Equatable {
    package var refundedAmount: Int64
    package var description: String?
    package var reference: String?
    package var orderLines: [OrderLine]?

    package init(
        refundedAmount: Int64, description: String? = nil, reference: String? = nil, orderLines: [OrderLine]? = nil
    ) {
        self.refundedAmount = refundedAmount
        self.description = description
        self.reference = reference
        self.orderLines = orderLines
    }
}

/// Klarna's `Update authorization`: the new amount and the complete new set of lines (omitted lines are deleted).
package struct UpdateAuthorization: Sendable, Equatable {
    package var orderAmount: Int64
    package var description: String?
    package var orderLines: [OrderLine]?

    package init(orderAmount: Int64, description: String? = nil, orderLines: [OrderLine]? = nil) {
        self.orderAmount = orderAmount
        self.description = description
        self.orderLines = orderLines
    }
}

/// Klarna's `Update merchant references`. A present field overwrites; an empty string clears.
package struct UpdateMerchantReferences: Sendable, Equatable {
    package var merchantReference1: String?
    package var merchantReference2: String?

    package init(merchantReference1: String? = nil, merchantReference2: String? = nil) {
        self.merchantReference1 = merchantReference1
        self.merchantReference2 = merchantReference2
    }
}

/// Klarna's `UpdateConsumer`. Only the shipping address can still be changed; the billing address cannot.
package struct UpdateConsumer: Sendable, Equatable {
    package var shippingAddress: Address?

    package init(shippingAddress: Address?) {
        self.shippingAddress = shippingAddress
    }
}

// MARK: - Writing request bodies (member names as in Klarna's spec; strings cut to the spec's maxLength)

extension CaptureObject: JSONWritable {
    package var json: JSONValue {
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
    package var json: JSONValue {
        .members([
            "refunded_amount": .integer(refundedAmount),
            "description": .string(description, maxLength: 255),
            "reference": .string(reference, maxLength: 255),
            "order_lines": .array(orderLines),
        ])
    }
}

extension UpdateAuthorization: JSONWritable {
    package var json: JSONValue {
        .members([
            "order_amount": .integer(orderAmount),
            "description": .string(description, maxLength: 255),
            "order_lines": .array(orderLines),
        ])
    }
}

extension UpdateMerchantReferences: JSONWritable {
    package var json: JSONValue {
        .members([
            "merchant_reference1": .string(merchantReference1, maxLength: 255),
            "merchant_reference2": .string(merchantReference2, maxLength: 255),
        ])
    }
}

extension UpdateConsumer: JSONWritable {
    package var json: JSONValue {
        .members(["shipping_address": .value(shippingAddress)])
    }
}

public import OMCore
public import OMJSON

/// Klarna's `UpdateShippingInfo`: the body of "add shipping info", 1 to 500 entries.
public struct UpdateShippingInfo: Sendable, Equatable {
    public var shippingInfo: [ShippingInfo]

    public init(shippingInfo: [ShippingInfo]) {
        self.shippingInfo = shippingInfo
    }
}

// MARK: - JSON (`ShippingInfo`, in the core, cuts its strings to the spec's maxLength)

extension UpdateShippingInfo: JSONWritable {
    public var json: JSONValue {
        .members(["shipping_info": .array(shippingInfo)])
    }
}

package import OMCore
package import OMJSON

/// Klarna's `UpdateShippingInfo`: the body of "add shipping info", 1 to 500 entries.
package struct UpdateShippingInfo: Sendable, Equatable {
    package var shippingInfo: [ShippingInfo]

    package init(shippingInfo: [ShippingInfo]) {
        self.shippingInfo = shippingInfo
    }
}

// MARK: - JSON (`ShippingInfo`, in the core, cuts its strings to the spec's maxLength)

extension UpdateShippingInfo: JSONWritable {
    package var json: JSONValue {
        .members(["shipping_info": .array(shippingInfo)])
    }
}

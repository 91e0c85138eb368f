package import OMJSON

/// The request's `capture` member: one shipment (some items, with or without the shipping lines) and how it travels.
/// Without it, or without items, a capture takes what WooCommerce still expects, as setting Completed does.
package struct CaptureRequest: Sendable {
    package var items: [ShipmentItem]?
    /// Whether the order's shipping lines go with this shipment; nil: with the first capture only.
    package var shipping: Bool?
    package var shippingInfo: [ShippingInfo]?

    package init(items: [ShipmentItem]? = nil, shipping: Bool? = nil, shippingInfo: [ShippingInfo]? = nil) {
        self.items = items
        self.shipping = shipping
        self.shippingInfo = shippingInfo
    }

    /// A shipment of particular items (rather than the rest of the order).
    package var isShipment: Bool { !(items ?? []).isEmpty }
}

/// One product line of a shipment: the order item and how many of its units ship.
package struct ShipmentItem: Sendable, Equatable {
    package var itemId: Int64
    package var quantity: Int64

    package init(itemId: Int64, quantity: Int64) {
        self.itemId = itemId
        self.quantity = quantity
    }
}

// MARK: - JSON

extension CaptureRequest: JSONReadable {
    package init(json: JSONObjectReader) throws(JSONReadError) {
        try self.init(
            items: json.objects("items"), shipping: json.bool("shipping"),
            shippingInfo: json.objects("shipping_info"))
        for (index, info) in (shippingInfo ?? []).enumerated() {
            if let method = info.shippingMethod, !ShippingInfo.methods.contains(method) {
                let path = (json.path.isEmpty ? "" : json.path + ".") + "shipping_info[\(index)].shipping_method"
                throw JSONReadError(path: path, problem: .notAllowed)
            }
        }
    }
}

extension ShipmentItem: JSONReadable {
    package init(json: JSONObjectReader) throws(JSONReadError) {
        try self.init(itemId: json.required("item_id", json.int64), quantity: json.required("quantity", json.int64))
    }
}

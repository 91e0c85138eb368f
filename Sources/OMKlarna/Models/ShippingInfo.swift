/// Klarna's `shipping_info`: how a capture was shipped.
public struct ShippingInfo: Sendable, Codable, Equatable {
    public var shippingCompany: String?
    /// One of Klarna's methods (`Home`, `PickUpPoint`, `Own`, …).
    public var shippingMethod: String?
    public var trackingNumber: String?
    public var trackingUri: String?
    public var returnShippingCompany: String?
    public var returnTrackingNumber: String?
    public var returnTrackingUri: String?

    public init(shippingCompany: String? = nil, shippingMethod: String? = nil, trackingNumber: String? = nil,
                trackingUri: String? = nil, returnShippingCompany: String? = nil, returnTrackingNumber: String? = nil,
                returnTrackingUri: String? = nil) {
        self.shippingCompany = shippingCompany
        self.shippingMethod = shippingMethod
        self.trackingNumber = trackingNumber
        self.trackingUri = trackingUri
        self.returnShippingCompany = returnShippingCompany
        self.returnTrackingNumber = returnTrackingNumber
        self.returnTrackingUri = returnTrackingUri
    }

    enum CodingKeys: String, CodingKey {
        case shippingCompany = "shipping_company"
        case shippingMethod = "shipping_method"
        case trackingNumber = "tracking_number"
        case trackingUri = "tracking_uri"
        case returnShippingCompany = "return_shipping_company"
        case returnTrackingNumber = "return_tracking_number"
        case returnTrackingUri = "return_tracking_uri"
    }
}

/// Klarna's `UpdateShippingInfo`: the body of "add shipping info", 1 to 500 entries.
public struct UpdateShippingInfo: Sendable, Codable, Equatable {
    public var shippingInfo: [ShippingInfo]

    public init(shippingInfo: [ShippingInfo]) {
        self.shippingInfo = shippingInfo
    }

    enum CodingKeys: String, CodingKey {
        case shippingInfo = "shipping_info"
    }
}

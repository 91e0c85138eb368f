public import OMJSON

/// Klarna's `shipping_info`: how a capture was shipped.
public struct ShippingInfo: Sendable, Equatable {
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
}

/// Klarna's `UpdateShippingInfo`: the body of "add shipping info", 1 to 500 entries.
public struct UpdateShippingInfo: Sendable, Equatable {
    public var shippingInfo: [ShippingInfo]

    public init(shippingInfo: [ShippingInfo]) {
        self.shippingInfo = shippingInfo
    }
}

// MARK: - JSON (member names as in Klarna's spec; written strings cut to the spec's maxLength)

extension ShippingInfo: JSONReadable, JSONWritable {
    public init(json: JSONObjectReader) throws(JSONReadError) {
        try self.init(shippingCompany: json.string("shipping_company"), shippingMethod: json.string("shipping_method"),
                      trackingNumber: json.string("tracking_number"), trackingUri: json.string("tracking_uri"),
                      returnShippingCompany: json.string("return_shipping_company"),
                      returnTrackingNumber: json.string("return_tracking_number"),
                      returnTrackingUri: json.string("return_tracking_uri"))
    }

    public var json: JSONValue {
        .members([
            "shipping_company": .string(shippingCompany, maxLength: 100),
            "shipping_method": .string(shippingMethod),
            "tracking_number": .string(trackingNumber, maxLength: 100),
            "tracking_uri": .string(trackingUri, maxLength: 1024),
            "return_shipping_company": .string(returnShippingCompany, maxLength: 100),
            "return_tracking_number": .string(returnTrackingNumber, maxLength: 100),
            "return_tracking_uri": .string(returnTrackingUri, maxLength: 1024),
        ])
    }
}

extension UpdateShippingInfo: JSONWritable {
    public var json: JSONValue {
        .members(["shipping_info": .array(shippingInfo)])
    }
}

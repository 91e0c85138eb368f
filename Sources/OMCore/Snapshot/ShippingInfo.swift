package import OMJSON

/// Klarna's `shipping_info`: how a capture was shipped. The plugin gives it with a capture (`capture.shipping_info`),
/// Klarna keeps it with the capture, and the order's `state` shows it. It lives in the core because the request and
/// the state carry it, not only Klarna's bodies.
package struct ShippingInfo: Sendable, Equatable {
    /// Klarna's `shipping_method` values; a capture request naming another is refused before anything is sent,
    /// because Klarna would refuse the whole capture for it.
    package static let methods: Set<String> = [
        "PickUpStore", "Home", "BoxReg", "BoxUnreg", "PickUpPoint", "Own", "Postal", "DHLPackstation", "Digital",
        "Undefined", "PickUpWarehouse", "ClickCollect", "PalletDelivery",
    ]

    package var shippingCompany: String?
    /// One of Klarna's methods (`Home`, `PickUpPoint`, `Own`, …).
    package var shippingMethod: String?
    package var trackingNumber: String?
    package var trackingUri: String?
    package var returnShippingCompany: String?
    package var returnTrackingNumber: String?
    package var returnTrackingUri: String?

    package init(
        shippingCompany: String? = nil, shippingMethod: String? = nil, trackingNumber: String? = nil,
        trackingUri: String? = nil, returnShippingCompany: String? = nil, returnTrackingNumber: String? = nil,
        returnTrackingUri: String? = nil
    ) {
        self.shippingCompany = shippingCompany
        self.shippingMethod = shippingMethod
        self.trackingNumber = trackingNumber
        self.trackingUri = trackingUri
        self.returnShippingCompany = returnShippingCompany
        self.returnTrackingNumber = returnTrackingNumber
        self.returnTrackingUri = returnTrackingUri
    }
}

// MARK: - JSON (member names as in Klarna's spec; written strings cut to the spec's maxLength, so Klarna's bodies
// and the state hold the same text)

extension ShippingInfo: JSONReadable, JSONWritable {
    /// Any method is read (Klarna's answers may hold newer ones); a capture request checks its own (`CaptureRequest`).
    package init(json: JSONObjectReader) throws(JSONReadError) {
        try self.init(
            shippingCompany: json.string("shipping_company"), shippingMethod: json.string("shipping_method"),
            trackingNumber: json.string("tracking_number"), trackingUri: json.string("tracking_uri"),
            returnShippingCompany: json.string("return_shipping_company"),
            returnTrackingNumber: json.string("return_tracking_number"),
            returnTrackingUri: json.string("return_tracking_uri"))
    }

    package var json: JSONValue {
        let cut = { (text: String?, limit: Int) in text.map { JSONValue.string(KlarnaText.cut($0, toLength: limit)) } }
        return .members([
            "shipping_company": cut(shippingCompany, 100),
            "shipping_method": .string(shippingMethod),
            "tracking_number": cut(trackingNumber, 100),
            "tracking_uri": cut(trackingUri, 1024),
            "return_shipping_company": cut(returnShippingCompany, 100),
            "return_tracking_number": cut(returnTrackingNumber, 100),
            "return_tracking_uri": cut(returnTrackingUri, 1024),
        ])
    }
}

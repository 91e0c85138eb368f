package import OMJSON

// The state as JSON: `state` in a response, `order.meta.state` in a request (what the plugin stored from the last
// response). Member names as in docs/contract.md; absent members are unknown.

extension KlarnaState: JSONReadable, JSONWritable {
    package init(json: JSONObjectReader) throws(JSONReadError) {
        self.init(source: try json.value("source") ?? .derived)
        readAt = try json.string("read_at")
        klarnaOrderId = try json.string("klarna_order_id")
        environment = try json.string("environment")
        region = try json.string("region")
        status = try json.string("status")
        fraudStatus = try json.string("fraud_status")
        currency = try json.string("currency")
        authorized = try json.int64("authorized")
        captured = try json.int64("captured")
        refunded = try json.int64("refunded")
        remaining = try json.int64("remaining")
        captures = try json.objects("captures")
        refunds = try json.objects("refunds")
        expiresAt = try json.string("expires_at")
        portalURL = try json.string("portal_url")
    }

    package var json: JSONValue {
        .members([
            "source": .string(source.rawValue),
            "read_at": .string(readAt),
            "klarna_order_id": .string(klarnaOrderId),
            "environment": .string(environment),
            "region": .string(region),
            "status": .string(status),
            "fraud_status": .string(fraudStatus),
            "currency": .string(currency),
            "authorized": .integer(authorized),
            "captured": .integer(captured),
            "refunded": .integer(refunded),
            "remaining": .integer(remaining),
            "captures": .array(captures),
            "refunds": .array(refunds),
            "expires_at": .string(expiresAt),
            "portal_url": .string(portalURL),
        ])
    }
}

extension KlarnaState.CaptureRecord: JSONReadable, JSONWritable {
    package init(json: JSONObjectReader) throws(JSONReadError) {
        try self.init(
            id: json.string("id"), amount: json.int64("amount"), capturedAt: json.string("captured_at"),
            shippingInfo: json.objects("shipping_info"))
    }

    package var json: JSONValue {
        .members([
            "id": .string(id), "amount": .integer(amount), "captured_at": .string(capturedAt),
            "shipping_info": .array(shippingInfo),
        ])
    }
}

extension KlarnaState.RefundRecord: JSONReadable, JSONWritable {
    package init(json: JSONObjectReader) throws(JSONReadError) {
        try self.init(id: json.string("id"), amount: json.int64("amount"), refundedAt: json.string("refunded_at"))
    }

    package var json: JSONValue {
        .members(["id": .string(id), "amount": .integer(amount), "refunded_at": .string(refundedAt)])
    }
}

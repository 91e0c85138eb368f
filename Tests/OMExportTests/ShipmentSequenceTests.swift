import Foundation
import OMTestSupport
import Testing

/// Issue 14 as a merchant meets it, through the C ABI against the Klarna sandbox: an order of two hoodies and three
/// caps ships in two parcels, each captured with its tracking from the order screen; Completed then captures the
/// rest; two refunds span the captures. After every step Klarna's order equals the `state` the response carried (the
/// plugin stores it and draws the Klarna box from it), the lines Klarna received are exact, and every note writes
/// money as the shop does.
@Suite struct ShipmentSequenceTests {
    /// The shop writes "67,50 €": comma decimals, dot thousands, the symbol after a no-break space.
    static var format: [String: Any] {
        [
            "symbol": "€", "position": "right_space", "decimal_separator": ",",
            "thousand_separator": ".", "decimals": 2,
        ]
    }

    static func tracking(_ number: String) -> [[String: Any]] {
        [
            [
                "shipping_company": "DHL", "shipping_method": "Home", "tracking_number": number,
                "tracking_uri": "https://www.dhl.com/track?id=\(number)",
            ]
        ]
    }

    static func shipment(hoodies: Int, caps: Int, tracking number: String) -> [String: Any] {
        [
            "items": [
                ["item_id": WooCommerceOrder.Product.hoodie.rawValue, "quantity": hoodies],
                ["item_id": WooCommerceOrder.Product.cap.rawValue, "quantity": caps],
            ],
            "shipping_info": tracking(number),
        ]
    }

    @Test func twoShipmentsThenCompletedThenRefundsAcrossTheCaptures() throws {
        let sandbox = try #require(SandboxServer.shared, "sandbox: \(SandboxServer.startError)")
        let klarnaOrderId = try sandbox.seedOrder([
            "purchase_currency": "EUR",
            "order_lines": [
                [
                    "type": "physical", "reference": "HOODIE-M", "name": "Hoodie", "quantity": 2, "unit_price": 5000,
                    "tax_rate": 2500, "total_amount": 10000, "total_tax_amount": 2000,
                ],
                [
                    "type": "physical", "reference": "CAP-1", "name": "Cap", "quantity": 3, "unit_price": 1250,
                    "tax_rate": 2500, "total_amount": 3750, "total_tax_amount": 750,
                ],
                [
                    "type": "shipping_fee", "reference": "flat_rate:3", "name": "Flat rate", "quantity": 1,
                    "unit_price": 500,
                    "tax_rate": 2500, "total_amount": 500, "total_tax_amount": 100,
                ],
            ],
        ])
        let config = sandbox.config(timeoutMs: 10_000)
        var order = WooCommerceOrder(
            id: Int64.random(in: 10_000...99_999_999), klarnaOrderId: klarnaOrderId,
            quantities: [.hoodie: 2, .cap: 3], config: config, core: FlowTableTests.call)
        order.format = Self.format
        #expect(order.total == 14_250)
        let step = { (name: String, response: [String: Any], outcome: String, note: String?) throws in
            #expect(response["outcome"] as? String == outcome, "\(name): \(response)")
            #expect((response["note"] as? [String: Any])?["code"] as? String == note, "\(name)")
            let state = try #require(response["state"] as? [String: Any], "\(name): a state")
            #expect(Self.differences(state, try sandbox.order(klarnaOrderId)) == [], "\(name)")
        }

        // The box's first view: Klarna's order read.
        try step("sync", try order.act("sync"), "synced", nil)

        // First parcel: a hoodie and a cap, with the shipping (the first capture).
        var response = try order.act("capture", capture: Self.shipment(hoodies: 1, caps: 1, tracking: "JJD01"))
        try step("first parcel", response, "captured", "captured_shipment")
        #expect(
            Self.text(response).contains("67,50\u{00A0}€") && Self.text(response).contains("75,00\u{00A0}€"),
            "the amount and what is left, as the shop writes them: \(Self.text(response))")
        #expect(
            (response["state"] as? [String: Any])?["source"] as? String == "read",
            "Klarna's order read first: the lines the box stored do not prove what Klarna holds")

        // Second parcel: the same again, without shipping; Klarna's order is read first (a capture is recorded).
        response = try order.act("capture", capture: Self.shipment(hoodies: 1, caps: 1, tracking: "JJD02"))
        try step("second parcel", response, "captured", "captured_shipment")
        #expect(Self.text(response).contains("62,50\u{00A0}€") && Self.text(response).contains("12,50\u{00A0}€"))
        #expect((response["state"] as? [String: Any])?["source"] as? String == "read")

        // The last cap ships without tracking from the box: Completed captures what WooCommerce still expects.
        response = try #require(try order.setStatus("completed"))
        try step("completed", response, "captured", "captured")
        #expect(Self.text(response).contains("12,50\u{00A0}€"))

        // Refunds: one hoodie, then a hoodie and two caps, which spans the first two captures.
        response = try order.refund(amount: 5_000, items: [WooCommerceOrder.refundLine(.hoodie)])
        try step("first refund", response, "refunded", "refunded")
        response = try order.refund(
            amount: 7_500,
            items: [
                WooCommerceOrder.refundLine(.hoodie),
                WooCommerceOrder.refundLine(.cap, quantity: 2),
            ])
        try step("second refund", response, "refunded", "refunded")
        #expect(Self.text(response).contains("75,00\u{00A0}€"))

        let klarna = try sandbox.order(klarnaOrderId)
        let captures = klarna["captures"] as? [[String: Any]] ?? []
        #expect(captures.map { $0["captured_amount"] as? Int } == [6_750, 6_250, 1_250])
        #expect(
            captures.map { Self.lines($0) } == [
                ["HOODIE-M 1 5000 1000", "CAP-1 1 1250 250", "flat_rate:3 1 500 100"],
                ["HOODIE-M 1 5000 1000", "CAP-1 1 1250 250"], [],
            ])
        #expect(
            captures.map { (($0["shipping_info"] as? [[String: Any]])?.first?["tracking_number"] as? String) }
                == ["JJD01", "JJD02", nil])
        #expect(klarna["captured_amount"] as? Int == 14_250 && klarna["status"] as? String == "CAPTURED")
        #expect(klarna["refunded_amount"] as? Int == 12_500)
        #expect((klarna["refunds"] as? [[String: Any]])?.map { $0["refunded_amount"] as? Int } == [5_000, 7_500])
        #expect(captures.map { $0["refunded_amount"] as? Int } == [6_750, 5_750, 0], "Klarna allocated the refunds")
        #expect(order.status == "completed" && order.refundedThroughKlarna == 12_500)
    }

    static func text(_ response: [String: Any]) -> String {
        (response["note"] as? [String: Any])?["text"] as? String ?? ""
    }

    static func lines(_ capture: [String: Any]) -> [String] {
        (capture["order_lines"] as? [[String: Any]] ?? []).map {
            "\($0["reference"] ?? "") \($0["quantity"] ?? "") \($0["total_amount"] ?? "") \($0["total_tax_amount"] ?? "")"
        }
    }

    /// Where the state the response carried differs from Klarna's order: every field the state holds must be
    /// Klarna's (a field it leaves out is unknown, which is allowed, except Klarna's amounts and status once a read
    /// has been made).
    static func differences(_ state: [String: Any], _ klarna: [String: Any]) -> [String] {
        var found: [String] = []
        let pairs = [
            ("status", "status"), ("fraud_status", "fraud_status"), ("authorized", "order_amount"),
            ("captured", "captured_amount"), ("refunded", "refunded_amount"),
            ("remaining", "remaining_authorized_amount"), ("expires_at", "expires_at"),
            ("currency", "purchase_currency"),
        ]
        for (ours, theirs) in pairs {
            guard let value = state[ours] else {
                if ours != "expires_at" && ours != "fraud_status" { found.append("\(ours) is unknown") }
                continue
            }
            if "\(value)" != "\(klarna[theirs] ?? "nil")" {
                found.append("\(ours): \(value) ≠ Klarna's \(klarna[theirs] ?? "nil")")
            }
        }
        if state["klarna_order_id"] as? String != klarna["order_id"] as? String { found.append("klarna_order_id") }
        for (kind, idKey, amountKey, timeKey) in [
            ("captures", "capture_id", "captured_amount", "captured_at"),
            ("refunds", "refund_id", "refunded_amount", "refunded_at"),
        ] {
            let ours = state[kind] as? [[String: Any]] ?? []
            let theirs = klarna[kind] as? [[String: Any]] ?? []
            guard ours.count == theirs.count else {
                found.append("\(kind): \(ours.count) ≠ Klarna's \(theirs.count)")
                continue
            }
            for (index, (mine, klarnas)) in zip(ours, theirs).enumerated() {
                if mine["id"] as? String != klarnas[idKey] as? String { found.append("\(kind)[\(index)].id") }
                if mine["amount"] as? Int != klarnas[amountKey] as? Int { found.append("\(kind)[\(index)].amount") }
                if let time = mine[timeKey] as? String, time != klarnas[timeKey] as? String {
                    found.append("\(kind)[\(index)].\(timeKey)")
                }
                let info = mine["shipping_info"] as? [[String: String]] ?? []
                let klarnaInfo = klarnas["shipping_info"] as? [[String: String]] ?? []
                if kind == "captures" && info != klarnaInfo { found.append("\(kind)[\(index)].shipping_info") }
            }
        }
        return found
    }
}

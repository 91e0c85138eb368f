import Foundation
import OMCore
import OMTestSupport
import Testing

/// One shipment's lines (`capture.items`): the shipped share of each item's exact amounts, rounded as every capture
/// is, the shipping and the order-level lines only where they belong.
@Suite struct ShipmentLinesTests {
    /// Three caps for EUR 25.00 (20.00 + 5.00 VAT): one is 8.333…, which no line can carry exactly. With shipping
    /// (5.00) and gift wrap given as a discount (−1.00) the order comes to 29.00.
    static func caps(total: String = "29.00", giftCards: [[String: Any]] = []) throws -> OrderSnapshot {
        try snapshot(
            total: total, tax: "5.80",
            items: [item(13, name: "Cap", quantity: 3, subtotal: "20.00", subtotalTax: "5.00", tax: "5.00")],
            shipping: [
                [
                    "item_id": 12, "method_id": "flat_rate", "instance_id": "3", "name": "Flat rate",
                    "total": "4.00", "total_tax": "1.00",
                    "taxes": [["rate_id": 1, "percent": "25", "amount": "1.00"]],
                ]
            ],
            fees: [["item_id": 14, "name": "Gift wrap", "total": "-0.80", "total_tax": "-0.20"]],
            giftCards: giftCards)
    }

    @Test func anItemsShareOfItsExactAmounts() throws {
        let one = try ShipmentLinesBuilder.build(
            try Self.caps(), items: [ShipmentItem(itemId: 13, quantity: 1)],
            shipping: false, orderLevelLines: false)
        #expect(
            one.lines.map(\.quantity) == [1] && one.lines.map(\.totalAmount) == [833]
                && one.lines.map(\.totalTaxAmount) == [167])
        #expect(one.lines.first?.unitPrice == 833 && one.lines.first?.taxRate == 2500)
        expectInvariants(one, amount: 833, tax: 167)
        let two = try ShipmentLinesBuilder.build(
            try Self.caps(), items: [ShipmentItem(itemId: 13, quantity: 2)],
            shipping: false, orderLevelLines: false)
        expectInvariants(two, amount: 1_667, tax: 333)
        #expect(two.adjustments.isEmpty)
    }

    @Test func theFirstShipmentTakesTheShippingAndTheOrderLevelLines() throws {
        let first = try ShipmentLinesBuilder.build(
            try Self.caps(), items: [ShipmentItem(itemId: 13, quantity: 1)],
            shipping: true, orderLevelLines: true)
        #expect(first.lines.map(\.type) == [.physical, .shippingFee, .discount])
        expectInvariants(first, amount: 833 + 500 - 100, tax: 167 + 100 - 20)
        let later = try ShipmentLinesBuilder.build(
            try Self.caps(), items: [ShipmentItem(itemId: 13, quantity: 2)],
            shipping: false, orderLevelLines: false)
        // What WooCommerce expects in all: 29.00; the two shipments' exact shares add up to it to the cent.
        #expect(first.amount + later.amount == 2_900)
    }

    /// A gift card is an order-level line: the first shipment carries it, later ones are products alone, and the
    /// shipments add up to WooCommerce's total, the card deducted (29.00 − 10.00).
    @Test func theFirstShipmentCarriesTheGiftCard() throws {
        let order = try Self.caps(
            total: "19.00", giftCards: [["kind": "gift_card", "code": "GC-1", "amount": "10.00"]])
        let first = try ShipmentLinesBuilder.build(
            order, items: [ShipmentItem(itemId: 13, quantity: 1)],
            shipping: true, orderLevelLines: true)
        #expect(first.lines.map(\.type) == [.physical, .shippingFee, .discount, .giftCard])
        expectInvariants(first, amount: 833 + 500 - 100 - 1_000, tax: 167 + 100 - 20)
        let later = try ShipmentLinesBuilder.build(
            order, items: [ShipmentItem(itemId: 13, quantity: 2)],
            shipping: false, orderLevelLines: false)
        #expect(later.lines.map(\.type) == [.physical])
        #expect(first.amount + later.amount == 1_900)
    }

    @Test func sharesThatMissTheExactSumMoveOneUnitAndSaySo() throws {
        // Three products of 10.00 for three units each: a third of each is 3.333…, plainly 3.33 three times (9.99),
        // while the exact sum is 10.00. One line takes the cent, and it is reported.
        let order = try snapshot(
            total: "30.00",
            items: [
                item(1, name: "A", quantity: 3, subtotal: "10.00", rate: nil),
                item(2, name: "B", quantity: 3, subtotal: "10.00", rate: nil),
                item(3, name: "C", quantity: 3, subtotal: "10.00", rate: nil),
            ])
        let set = try ShipmentLinesBuilder.build(
            order, items: (1...3).map { ShipmentItem(itemId: $0, quantity: 1) },
            shipping: false, orderLevelLines: false)
        #expect(set.lines.map(\.totalAmount) == [334, 333, 333])
        #expect(set.adjustments == [LineAdjustment(line: 0, name: "A", field: "total_amount", rounded: 333, sent: 334)])
        expectInvariants(set, amount: 1_000, tax: 0)
    }

    @Test func usOrdersCarryTheSharesTaxOnOneSalesTaxLine() throws {
        let order = try snapshot(
            currency: "USD", total: "21.78", tax: "1.78", country: "US",
            items: [
                item(1, name: "Mug", quantity: 2, subtotal: "20.00", tax: "1.78", rate: "8.875")
            ])
        let set = try ShipmentLinesBuilder.build(
            order, items: [ShipmentItem(itemId: 1, quantity: 1)], shipping: false,
            orderLevelLines: false)
        #expect(set.lines.map(\.type) == [.physical, .salesTax])
        #expect(set.lines.map(\.totalAmount) == [1_000, 89] && set.lines.allSatisfy { ($0.totalTaxAmount ?? 0) == 0 })
        expectInvariants(set, amount: 1_089, tax: 0)
    }

    @Test func itemsThatAreNoProductOrInAnImpossibleQuantityAreRefusedByField() throws {
        let order = try Self.caps()
        let cases: [([ShipmentItem], String)] = [
            ([ShipmentItem(itemId: 12, quantity: 1)], "capture.items[0].item_id"),  // the shipping line, no product
            ([ShipmentItem(itemId: 99, quantity: 1)], "capture.items[0].item_id"),
            (
                [ShipmentItem(itemId: 13, quantity: 1), ShipmentItem(itemId: 13, quantity: 1)],
                "capture.items[1].item_id"
            ),
            ([ShipmentItem(itemId: 13, quantity: 0)], "capture.items[0].quantity"),
            ([ShipmentItem(itemId: 13, quantity: 4)], "capture.items[0].quantity"),
            ([ShipmentItem(itemId: 13, quantity: -1)], "capture.items[0].quantity"),
        ]
        for (items, field) in cases {
            #expect(throws: OMError.self) {
                try ShipmentLinesBuilder.build(order, items: items, shipping: false, orderLevelLines: false)
            }
            do {
                _ = try ShipmentLinesBuilder.build(order, items: items, shipping: false, orderLevelLines: false)
            } catch {
                #expect(error.code == .invalidField && error.field == field, "\(items)")
            }
        }
    }

    @Test func theRequestsCaptureMemberIsReadAndItsShippingMethodChecked() throws {
        let capture =
            #""capture":{"items":[{"item_id":11,"quantity":1}],"shipping":false,"shipping_info":[{"shipping_company":"DHL","shipping_method":"PickUpPoint","tracking_number":"1"}]},"#
        let request = try decode(
            validRequest.replacingOccurrences(of: #""version":1,"#, with: #""version":1,"# + capture))
        #expect(request.capture?.items == [ShipmentItem(itemId: 11, quantity: 1)] && request.capture?.shipping == false)
        #expect(request.capture?.shippingInfo?.first?.shippingMethod == "PickUpPoint")
        let unknown = capture.replacingOccurrences(of: "PickUpPoint", with: "Drone")
        let error = decodingError(
            validRequest.replacingOccurrences(of: #""version":1,"#, with: #""version":1,"# + unknown))
        #expect(error?.code == .invalidField && error?.field == "capture.shipping_info[0].shipping_method")
    }

    /// Generated orders cut into random shipments: every shipment keeps the invariants of a capture, every line is
    /// within one unit of its exact share, and the shipments of every unit add up to the order's lines within one unit
    /// per line.
    @Test func propertyShipmentsOfGeneratedOrdersAddUpExactly() throws {
        var generator = OrderGenerator(seed: 20_261_201)
        var random = SplitMix64(seed: 14)
        for id in 0..<1_000 {
            let order = try decodeOrder(generator.order(id: id))
            let products = order.items ?? []
            guard products.allSatisfy({ $0.quantity > 0 }) else { continue }
            var left = Dictionary(uniqueKeysWithValues: products.map { ($0.itemId, $0.quantity) })
            var first = true
            var shipped: Int64 = 0
            var lineCount = 0
            while left.values.contains(where: { $0 > 0 }) {
                let items = left.filter { $0.value > 0 }.sorted { $0.key < $1.key }.compactMap { (itemId, quantity) in
                    random.below(2) == 0 && !first
                        ? nil : ShipmentItem(itemId: itemId, quantity: 1 + Int64(random.below(Int(quantity))))
                }
                guard !items.isEmpty else { continue }
                let set = try ShipmentLinesBuilder.build(order, items: items, shipping: first, orderLevelLines: first)
                expectInvariants(set, amount: set.amount, tax: set.taxAmount)
                #expect(set.adjustments.allSatisfy { abs($0.sent - $0.rounded) <= 1 })
                for item in items { left[item.itemId, default: 0] -= item.quantity }
                shipped += set.amount
                lineCount += set.lines.count
                first = false
            }
            let whole = try OrderLinesBuilder.build(order)
            #expect(abs(shipped - whole.amount) <= Int64(lineCount + whole.lines.count), "order \(id)")
        }
    }
}

import Foundation
import OMCore
import Testing

@Suite struct RefundLinesTests {
    let order: OrderSnapshot

    init() throws {
        order = try snapshot(total: "130.00", tax: "26.00",
                             items: [item(11, name: "Hoodie", quantity: 2, subtotal: "80.00", subtotalTax: "20.00", tax: "20.00",
                                          extra: ["sku": "HOODIE", "product_id": 7]),
                                     item(12, name: "Hoodie (gift)", quantity: 1, subtotal: "20.00", subtotalTax: "5.00", tax: "5.00",
                                          extra: ["sku": "HOODIE", "product_id": 7])],
                             shipping: [["item_id": 13, "name": "Free shipping", "total": "0", "total_tax": "0"],
                                        ["item_id": 14, "name": "Express", "total": "4.00", "total_tax": "1.00",
                                         "taxes": [["rate_id": 1, "percent": "25", "amount": "1.00"]]]])
    }

    func refund(_ amount: String, _ items: [[String: Any]]) throws -> RefundSnapshot {
        let request: [String: Any] = ["version": 1, "refund": ["id": 5, "amount": amount, "items": items],
                                      "order": ["id": 1, "currency": "EUR", "totals": ["total": "1"], "payment_method": "kco"],
                                      "config": ["environment": "sandbox", "base_url": "http://127.0.0.1:1", "username": "u", "password": "p"]]
        let text = String(decoding: try JSONSerialization.data(withJSONObject: request), as: UTF8.self)
        return try #require(try RequestDecoder.decode(text, for: .refund).refund)
    }

    @Test func linesAreMatchedByItemIdNotProductId() throws {
        let set = try RefundLinesBuilder.build(order: order, refund: refund("25.00", [["item_id": 12, "quantity": -1, "total": "-20.00", "total_tax": "-5.00"]]))
        expectInvariants(set, amount: 2500, tax: 500)
        #expect(set.lines.map(\.name) == ["Hoodie (gift)"])
        #expect(set.lines.first?.taxRate == 2500)
    }

    @Test func shippingRefundWhenTheOriginalWasFreeTakesItsRateFromTheRefund() throws {
        let set = try RefundLinesBuilder.build(order: order, refund: refund("6.00", [["item_id": 13, "total": "-5.00", "total_tax": "-1.00"]]))
        expectInvariants(set, amount: 600, tax: 100)
        #expect(set.lines.first?.type?.rawValue == "shipping_fee")
        #expect(set.lines.first?.taxRate == 2000)
    }

    @Test func anAmountOnlyRefundSendsNoLines() throws {
        let set = try RefundLinesBuilder.build(order: order, refund: refund("7.35", []))
        #expect(set.lines.isEmpty && set.amount == 735)
    }

    @Test func anAmountBeyondTheItemsGetsItsOwnLine() throws {
        let set = try RefundLinesBuilder.build(order: order, refund: refund("60.00", [["item_id": 11, "quantity": -1, "total": "-40.00", "total_tax": "-10.00"]]))
        expectInvariants(set, amount: 6000)
        #expect(set.lines.map(\.totalAmount) == [5000, 1000])
    }

    /// Items at 25 % and 12 % and a loyalty discount entered as a fee of −10.00, which WooCommerce taxes pro rata
    /// (−8.00 at 25 %, −2.00 at 12 %). The refund stores each item as −refund_total, so the fee comes back positive.
    static func orderWithNegativeFee() throws -> OrderSnapshot {
        try snapshot(total: "110.16", tax: "20.16",
                     items: [item(1, name: "Shirt", subtotal: "80.00", subtotalTax: "20.00", tax: "20.00"),
                             item(2, name: "Book", subtotal: "20.00", subtotalTax: "2.40", tax: "2.40", rate: "12")],
                     fees: [["item_id": 3, "name": "Loyalty", "total": "-10.00", "total_tax": "-2.24",
                             "taxes": [["rate_id": 1, "percent": "25", "amount": "-2.00"],
                                       ["rate_id": 2, "percent": "12", "amount": "-0.24"]]]])
    }

    @Test func aRefundedNegativeFeeIsANegativeDiscountLine() throws {
        let order = try Self.orderWithNegativeFee()
        let set = try RefundLinesBuilder.build(order: order, refund: refund("110.16", [
            ["item_id": 1, "quantity": -1, "total": "-80.00", "total_tax": "-20.00"],
            ["item_id": 2, "quantity": -1, "total": "-20.00", "total_tax": "-2.40"],
            ["item_id": 3, "total": "10.00", "total_tax": "2.24"],
        ]))
        expectInvariants(set, amount: 11016, tax: 2016)
        #expect(set.lines.map { $0.type?.rawValue } == ["physical", "physical", "discount"])
        #expect(set.lines.map(\.totalAmount) == [10000, 2240, -1224])
        #expect(set.lines.map(\.totalTaxAmount) == [2000, 240, -224])
        #expect(set.adjustments.isEmpty)
    }

    @Test func unknownItemsAreRefused() throws {
        #expect(throws: OMError.self) {
            try RefundLinesBuilder.build(order: order, refund: refund("5.00", [["item_id": 99, "total": "-5.00"]]))
        }
    }
}

import Foundation
import OMCore
import Testing

@Suite struct RefundLinesTests {
    let order: OrderSnapshot

    init() throws {
        order = try snapshot(
            total: "130.00", tax: "26.00",
            items: [
                item(
                    11, name: "Hoodie", quantity: 2, subtotal: "80.00", subtotalTax: "20.00", tax: "20.00",
                    extra: ["sku": "HOODIE", "product_id": 7]),
                item(
                    12, name: "Hoodie (gift)", quantity: 1, subtotal: "20.00", subtotalTax: "5.00", tax: "5.00",
                    extra: ["sku": "HOODIE", "product_id": 7]),
            ],
            shipping: [
                ["item_id": 13, "name": "Free shipping", "total": "0", "total_tax": "0"],
                [
                    "item_id": 14, "name": "Express", "total": "4.00", "total_tax": "1.00",
                    "taxes": [["rate_id": 1, "percent": "25", "amount": "1.00"]],
                ],
            ])
    }

    func refund(_ amount: String, _ items: [[String: Any]], reason: String? = nil) throws -> RefundSnapshot {
        var refund: [String: Any] = ["id": 5, "amount": amount, "items": items]
        if let reason { refund["reason"] = reason }
        let request: [String: Any] = [
            "version": 1, "refund": refund,
            "order": ["id": 1, "currency": "EUR", "totals": ["total": "1"], "payment_method": "kco"],
            "config": ["environment": "sandbox", "base_url": "http://127.0.0.1:1", "username": "u", "password": "p"],
        ]
        let text = String(decoding: try JSONSerialization.data(withJSONObject: request), as: UTF8.self)
        return try #require(try RequestDecoder.decode(text, for: .refund).refund)
    }

    @Test func linesAreMatchedByItemIdNotProductId() throws {
        let set = try RefundLinesBuilder.build(
            order: order,
            refund: refund("25.00", [["item_id": 12, "quantity": -1, "total": "-20.00", "total_tax": "-5.00"]]))
        expectInvariants(set, amount: 2500, tax: 500)
        #expect(set.lines.map(\.name) == ["Hoodie (gift)"])
        #expect(set.lines.first?.taxRate == 2500)
    }

    @Test func shippingRefundWhenTheOriginalWasFreeTakesItsRateFromTheRefund() throws {
        let set = try RefundLinesBuilder.build(
            order: order, refund: refund("6.00", [["item_id": 13, "total": "-5.00", "total_tax": "-1.00"]]))
        expectInvariants(set, amount: 600, tax: 100)
        #expect(set.lines.first?.type?.rawValue == "shipping_fee")
        #expect(set.lines.first?.taxRate == 2000)
    }

    @Test func anAmountOnlyRefundSendsNoLines() throws {
        let refunded = try RefundLinesBuilder.buildShaped(order: order, refund: refund("7.35", []))
        #expect(refunded.lineSet.lines.isEmpty && refunded.lineSet.amount == 735)
        #expect(refunded.shape == .amountOnly(itemsTotal: nil))
    }

    /// Items worth 50.00 and a refund of 60.00: the items go along, and one more line carries the other 10.00. Its name
    /// carries the reason, cut to Klarna's 255.
    @Test func anAmountBeyondTheItemsGetsItsOwnLine() throws {
        let reason = String(repeating: "Damaged in transit. ", count: 15)
        let refunded = try RefundLinesBuilder.buildShaped(
            order: order,
            refund: refund(
                "60.00", [["item_id": 11, "quantity": -1, "total": "-40.00", "total_tax": "-10.00"]], reason: reason))
        expectInvariants(refunded.lineSet, amount: 6000)
        #expect(refunded.lineSet.lines.map(\.totalAmount) == [5000, 1000])
        #expect(refunded.shape == .itemsAndRest(rest: 1000))
        #expect(refunded.lineSet.lines.last?.name == String(("Refund: " + reason).prefix(255)))
    }

    /// "Refund the rest" after an amount-only refund of 30.00: the merchant fills every line (130.00, the whole order)
    /// and types what is left, 100.00. The amount is the refund; the lines cannot describe it, so none go along.
    @Test func itemsAddingUpToMoreThanTheAmountAreSentAsTheAmountAlone() throws {
        let refunded = try RefundLinesBuilder.buildShaped(
            order: order,
            refund: refund(
                "100.00",
                [
                    ["item_id": 11, "quantity": -2, "total": "-80.00", "total_tax": "-20.00"],
                    ["item_id": 12, "quantity": -1, "total": "-20.00", "total_tax": "-5.00"],
                    ["item_id": 14, "total": "-4.00", "total_tax": "-1.00"],
                ]))
        #expect(
            refunded.lineSet.lines.isEmpty && refunded.lineSet.amount == 10000 && refunded.lineSet.adjustments.isEmpty)
        #expect(refunded.shape == .amountOnly(itemsTotal: 13000))
    }

    /// A shipping line whose refund fields are 4.004 and 1.001 (5.005, which rounds to 5.01), while the form's sum and
    /// so the refund is 5.00: the line moves one unit down and the move is reported.
    @Test func aShippingLineWhoseFieldsAndAmountDifferByRoundingGoesAlong() throws {
        let refunded = try RefundLinesBuilder.buildShaped(
            order: order, refund: refund("5.00", [["item_id": 14, "total": "-4.004", "total_tax": "-1.001"]]))
        expectInvariants(refunded.lineSet, amount: 500, tax: 100)
        #expect(refunded.shape == .items)
        #expect(
            refunded.lineSet.adjustments == [
                LineAdjustment(line: 0, name: "Express", field: "total_amount", rounded: 501, sent: 500)
            ])
    }

    /// The merchant typed one cent more than the line's fields: within rounding, so the line moves one unit up.
    @Test func anAmountOneUnitAboveTheFieldsMovesTheLineUp() throws {
        let refunded = try RefundLinesBuilder.buildShaped(
            order: order,
            refund: refund("50.01", [["item_id": 11, "quantity": -1, "total": "-40.00", "total_tax": "-10.00"]]))
        expectInvariants(refunded.lineSet, amount: 5001, tax: 1000)
        #expect(refunded.shape == .items)
        #expect(
            refunded.lineSet.adjustments == [
                LineAdjustment(line: 0, name: "Hoodie", field: "total_amount", rounded: 5000, sent: 5001)
            ])
    }

    /// By quantity: one of three items at 9.99 with 25 % VAT included. The form fills the line total from the stored
    /// total (23.976 / 3 × 1, to 6 decimals) and the tax to the currency's decimals (5.994 / 3 → 2.00).
    @Test func aRefundByQuantity() throws {
        let order = try snapshot(
            currency: "SEK", total: "29.97", tax: "5.99",
            items: [item(1, name: "Mug", quantity: 3, subtotal: "23.976", subtotalTax: "5.994", tax: "5.994")])
        let refunded = try RefundLinesBuilder.buildShaped(
            order: order,
            refund: refund("9.99", [["item_id": 1, "quantity": -1, "total": "-7.992", "total_tax": "-2.00"]]))
        expectInvariants(refunded.lineSet, amount: 999, tax: 200)
        #expect(refunded.shape == .items && refunded.lineSet.adjustments.isEmpty)
        #expect(refunded.lineSet.lines.first.map { [$0.quantity, $0.unitPrice, $0.taxRate ?? 0] } == [1, 999, 2500])
    }

    /// By line amount: 10.00 and its 2.50 of tax typed into a hoodie's fields, no quantity.
    @Test func aRefundByLineAmount() throws {
        let refunded = try RefundLinesBuilder.buildShaped(
            order: order,
            refund: refund("12.50", [["item_id": 11, "quantity": 0, "total": "-10.00", "total_tax": "-2.50"]]))
        expectInvariants(refunded.lineSet, amount: 1250, tax: 250)
        #expect(refunded.shape == .items)
        #expect(refunded.lineSet.lines.first.map { [$0.quantity, $0.unitPrice, $0.totalAmount] } == [1, 1250, 1250])
    }

    /// SEK, "round tax at subtotal" on, so the form fills taxes to 6 decimals. What is left is 25.01; the form's
    /// fields add up to 25.00 (10.00 + 2.50 twice), while each line rounds on its own to 12.51 (12.505), 25.02 in all.
    /// Whether the merchant types what is left or keeps the form's sum, the lines go along, each at most one öre moved.
    @Test func aRemainderWhoseFieldsAndRoundingStraddleWhatIsLeft() throws {
        let order = try snapshot(
            currency: "SEK", total: "25.01", tax: "5.00",
            items: [
                item(1, name: "Tea", subtotal: "10.004", subtotalTax: "2.501", tax: "2.501"),
                item(2, name: "Coffee", subtotal: "10.004", subtotalTax: "2.501", tax: "2.501"),
            ])
        let items: [[String: Any]] = [
            ["item_id": 1, "quantity": -1, "total": "-10.004", "total_tax": "-2.501"],
            ["item_id": 2, "quantity": -1, "total": "-10.004", "total_tax": "-2.501"],
        ]
        let whatIsLeft = try RefundLinesBuilder.buildShaped(order: order, refund: refund("25.01", items))
        expectInvariants(whatIsLeft.lineSet, amount: 2501, tax: 500)
        #expect(whatIsLeft.shape == .items)
        #expect(whatIsLeft.lineSet.lines.map(\.totalAmount) == [1251, 1250])
        #expect(
            whatIsLeft.lineSet.adjustments == [
                LineAdjustment(line: 1, name: "Coffee", field: "total_amount", rounded: 1251, sent: 1250)
            ])
        let formsSum = try RefundLinesBuilder.buildShaped(order: order, refund: refund("25.00", items))
        expectInvariants(formsSum.lineSet, amount: 2500, tax: 500)
        #expect(formsSum.shape == .items)
        #expect(formsSum.lineSet.lines.map(\.totalAmount) == [1250, 1250])
    }

    /// The builder refuses only what the merchant must fix: an amount that is not above zero, an unknown item, an
    /// amount out of range.
    @Test(arguments: [("0.00", "invalid_amount"), ("-5.00", "invalid_amount")])
    func anAmountNotAboveZeroIsRefused(amount: String, code: String) throws {
        let error = #expect(throws: OMError.self) {
            try RefundLinesBuilder.buildShaped(order: order, refund: refund(amount, []))
        }
        #expect(error?.code.rawValue == code && error?.field == "refund.amount")
    }

    @Test func amountsOutOfRangeAreOverflows() throws {
        let huge: [String: Any] = ["item_id": 11, "total": "-9223372036854.775807", "total_tax": "-1"]
        let error = #expect(throws: OMError.self) {
            try RefundLinesBuilder.buildShaped(order: order, refund: refund("1.00", [huge, huge]))
        }
        #expect(error?.code == .amountOverflow)
    }

    /// Items at 25 % and 12 % and a loyalty discount entered as a fee of −10.00, which WooCommerce taxes pro rata
    /// (−8.00 at 25 %, −2.00 at 12 %). The refund stores each item as −refund_total, so the fee comes back positive.
    static func orderWithNegativeFee() throws -> OrderSnapshot {
        try snapshot(
            total: "110.16", tax: "20.16",
            items: [
                item(1, name: "Shirt", subtotal: "80.00", subtotalTax: "20.00", tax: "20.00"),
                item(2, name: "Book", subtotal: "20.00", subtotalTax: "2.40", tax: "2.40", rate: "12"),
            ],
            fees: [
                [
                    "item_id": 3, "name": "Loyalty", "total": "-10.00", "total_tax": "-2.24",
                    "taxes": [
                        ["rate_id": 1, "percent": "25", "amount": "-2.00"],
                        ["rate_id": 2, "percent": "12", "amount": "-0.24"],
                    ],
                ]
            ])
    }

    @Test func aRefundedNegativeFeeIsANegativeDiscountLine() throws {
        let order = try Self.orderWithNegativeFee()
        let refunded = try RefundLinesBuilder.buildShaped(
            order: order,
            refund: refund(
                "110.16",
                [
                    ["item_id": 1, "quantity": -1, "total": "-80.00", "total_tax": "-20.00"],
                    ["item_id": 2, "quantity": -1, "total": "-20.00", "total_tax": "-2.40"],
                    ["item_id": 3, "total": "10.00", "total_tax": "2.24"],
                ]))
        #expect(refunded.shape == .items)
        let set = refunded.lineSet
        expectInvariants(set, amount: 11016, tax: 2016)
        #expect(set.lines.map { $0.type?.rawValue } == ["physical", "physical", "discount"])
        #expect(set.lines.map(\.totalAmount) == [10000, 2240, -1224])
        #expect(set.lines.map(\.totalTaxAmount) == [2000, 240, -224])
        #expect(set.adjustments.isEmpty)
    }

    @Test func unknownItemsAreRefused() throws {
        let error = #expect(throws: OMError.self) {
            try RefundLinesBuilder.build(order: order, refund: refund("5.00", [["item_id": 99, "total": "-5.00"]]))
        }
        #expect(error?.code == .unknownRefundItem && error?.field == "refund.items[0].item_id")
    }
}

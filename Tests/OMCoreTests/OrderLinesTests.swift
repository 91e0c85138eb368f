import Foundation
import OMCore
import OMTestSupport
import Testing

/// Builds a snapshot from a small description; amounts are WooCommerce decimal strings.
func snapshot(
    currency: String = "EUR", total: String, tax: String? = nil, country: String = "SE",
    items: [[String: Any]] = [], shipping: [[String: Any]] = [], fees: [[String: Any]] = [],
    giftCards: [[String: Any]] = []
) throws -> OrderSnapshot {
    var totals: [String: Any] = ["total": total]
    if let tax { totals["total_tax"] = tax }
    return try decodeOrder([
        "id": 1, "currency": currency, "totals": totals, "items": items, "shipping_lines": shipping,
        "fees": fees, "gift_cards": giftCards, "payment_method": "kco",
        "klarna": ["order_id": "k", "purchase_country": country],
    ])
}

func item(
    _ id: Int, name: String = "Item", quantity: Int = 1, subtotal: String, subtotalTax: String = "0",
    total: String? = nil, tax: String = "0", rate: String? = "25", extra: [String: Any] = [:]
) -> [String: Any] {
    var item: [String: Any] = [
        "item_id": id, "name": name, "quantity": quantity, "subtotal": subtotal,
        "subtotal_tax": subtotalTax, "total": total ?? subtotal, "total_tax": tax,
    ]
    if let rate { item["taxes"] = [["rate_id": 1, "percent": rate, "amount": tax]] }
    return item.merging(extra) { _, new in new }
}

/// The invariants every line set must keep, whatever the order.
func expectInvariants(
    _ set: LineSet, amount: Int64, tax: Int64? = nil, sourceLocation: SourceLocation = #_sourceLocation
) {
    var sum: Int64 = 0
    var taxSum: Int64 = 0
    for line in set.lines {
        #expect(
            line.totalAmount == line.quantity * line.unitPrice - (line.totalDiscountAmount ?? 0),
            sourceLocation: sourceLocation)
        #expect((line.totalDiscountAmount ?? 0) >= 0, sourceLocation: sourceLocation)
        #expect((line.taxRate ?? 0) >= 0, sourceLocation: sourceLocation)
        #expect(
            line.name.utf16.count <= 255 && (line.reference ?? "").utf16.count <= 64, sourceLocation: sourceLocation)
        sum += line.totalAmount
        taxSum += line.totalTaxAmount ?? 0
    }
    #expect(sum == amount, sourceLocation: sourceLocation)
    #expect(set.amount == amount, sourceLocation: sourceLocation)
    if let tax { #expect(taxSum == tax, sourceLocation: sourceLocation) }
}

@Suite struct OrderLinesTests {
    /// Klarna's own worked example (EUR, 25 % VAT): a shirt with a discount, shipping, and a voucher.
    @Test func klarnasWorkedExample() throws {
        let order = try snapshot(
            total: "264.00", tax: "52.80",
            items: [
                item(
                    1, name: "Shirt", quantity: 2, subtotal: "200.00", subtotalTax: "50.00",
                    total: "180.00", tax: "45.00", extra: ["sku": "SHIRT"])
            ],
            shipping: [
                [
                    "item_id": 2, "name": "Shipping", "total": "39.20", "total_tax": "9.80",
                    "taxes": [["rate_id": 1, "percent": "25.0000", "amount": "9.80"]],
                ]
            ],
            fees: [
                [
                    "item_id": 3, "name": "Voucher", "total": "-8.00", "total_tax": "-2.00",
                    "taxes": [["rate_id": 1, "percent": "25.0000", "amount": "-2.00"]],
                ]
            ])
        let set = try OrderLinesBuilder.build(order)
        let view = set.lines.map {
            [
                $0.type?.rawValue ?? "", String($0.quantity), String($0.unitPrice), String($0.totalDiscountAmount ?? 0),
                String($0.totalAmount), String($0.taxRate ?? 0), String($0.totalTaxAmount ?? 0),
            ]
        }
        #expect(
            view == [
                ["physical", "2", "12500", "2500", "22500", "2500", "4500"],
                ["shipping_fee", "1", "4900", "0", "4900", "2500", "980"],
                ["discount", "1", "-1000", "0", "-1000", "2500", "-200"],
            ])
        #expect(set.amount == 26400)
        #expect(set.taxAmount == 5280)
        #expect(set.adjustments.isEmpty)
    }

    /// Three thirds of EUR 100.00: plain rounding gives 99.99; the largest remainder gives one line the cent.
    @Test func roundingRemaindersAreReconciledAndReported() throws {
        let third = item(0, subtotal: "33.333333", rate: "0")
        let order = try snapshot(
            total: "100.00", tax: "0",
            items: [third, item(1, subtotal: "33.333333", rate: "0"), item(2, subtotal: "33.333334", rate: "0")])
        let set = try OrderLinesBuilder.build(order)
        expectInvariants(set, amount: 10000, tax: 0)
        #expect(set.lines.map(\.totalAmount) == [3333, 3333, 3334])
        let order2 = try snapshot(
            total: "100.00", tax: "0",
            items: (0..<3).map { item($0, subtotal: "33.333333", rate: "0") })
        let set2 = try OrderLinesBuilder.build(order2)
        expectInvariants(set2, amount: 10000, tax: 0)
        #expect(set2.lines.map(\.totalAmount) == [3334, 3333, 3333])
        #expect(
            set2.adjustments == [
                LineAdjustment(line: 0, name: "Item", field: "total_amount", rounded: 3333, sent: 3334)
            ])
    }

    @Test func linesThatDoNotAddUpAreNeverSent() throws {
        let order = try snapshot(total: "100.00", items: [item(1, subtotal: "90.00", rate: "0")])
        #expect(throws: OMError.self) { try OrderLinesBuilder.build(order) }
    }

    @Test func taxRatesComeFromTheOrdersOwnTaxData() throws {
        let order = try snapshot(
            total: "32.30", tax: "2.30",
            items: [
                item(1, subtotal: "10.00", tax: "0.75", rate: "7.5000"),
                item(2, subtotal: "10.00", tax: "0", rate: "0"),
                [
                    "item_id": 3, "name": "Two rates", "quantity": 1, "subtotal": "10.00", "total": "10.00",
                    "total_tax": "1.55",
                    "taxes": [
                        ["rate_id": 1, "percent": "10", "amount": "1.00"],
                        ["rate_id": 2, "percent": "5.5", "amount": "0.55"],
                    ],
                ],
            ])
        let set = try OrderLinesBuilder.build(order)
        expectInvariants(set, amount: 3230, tax: 230)
        #expect(set.lines.map(\.taxRate) == [750, 0, 1550])
    }

    @Test func negativeFeesAreDiscountsAndPositiveOnesSurcharges() throws {
        let order = try snapshot(
            total: "22.00", tax: "0",
            items: [item(1, subtotal: "20.00", rate: "0")],
            fees: [
                ["item_id": 2, "name": "Loyalty", "total": "-3.00"],
                ["item_id": 3, "name": "Handling", "total": "5.00"],
            ])
        let set = try OrderLinesBuilder.build(order)
        expectInvariants(set, amount: 2200, tax: 0)
        #expect(set.lines.map { $0.type?.rawValue } == ["physical", "discount", "surcharge"])
        #expect(set.lines[1].unitPrice == -300 && set.lines[1].totalAmount == -300)
    }

    @Test func usOrdersCarryTaxOnOneSalesTaxLine() throws {
        let order = try snapshot(
            currency: "USD", total: "108.88", tax: "8.88", country: "US",
            items: [item(1, quantity: 2, subtotal: "90.00", tax: "7.99", rate: "8.875")],
            shipping: [["item_id": 2, "name": "Ground", "total": "10.00", "total_tax": "0.89"]])
        let set = try OrderLinesBuilder.build(order)
        expectInvariants(set, amount: 10888, tax: 0)
        #expect(set.lines.map { $0.type?.rawValue } == ["physical", "shipping_fee", "sales_tax"])
        #expect(set.lines.allSatisfy { $0.taxRate == 0 && $0.totalTaxAmount == 0 })
        #expect(set.lines.last?.totalAmount == 888)
    }

    @Test func currencyExponentComesFromISO4217() throws {
        let order = try snapshot(
            currency: "JPY", total: "3300", tax: "300",
            items: [item(1, quantity: 3, subtotal: "3000", subtotalTax: "300", tax: "300", rate: "10")])
        let set = try OrderLinesBuilder.build(order)
        expectInvariants(set, amount: 3300, tax: 300)
        #expect(set.lines.first?.unitPrice == 1100)
    }

    @Test func giftCardsZeroPricesDeletedProductsAndLongTexts() throws {
        let longName = String(repeating: "Ả", count: 300)
        let order = try snapshot(
            total: "15.00", tax: "0",
            items: [
                item(
                    1, subtotal: "25.00", rate: "0",
                    extra: [
                        "sku": String(repeating: "S", count: 80),
                        "product_deleted": true,
                        "product_url": "https://shop.example/p",
                    ]),
                item(2, name: longName, quantity: 2, subtotal: "0", rate: nil),
            ],
            giftCards: [["kind": "gift_card", "code": "GC-1", "amount": "10.00"]])
        let set = try OrderLinesBuilder.build(order)
        expectInvariants(set, amount: 1500, tax: 0)
        #expect(set.lines[0].productUrl == nil)
        #expect(set.lines[0].reference?.count == 64)
        #expect(set.lines[1].quantity == 2 && set.lines[1].totalAmount == 0)
        #expect(set.lines[1].name.unicodeScalars.count == 255)
        #expect(set.lines[2].type?.rawValue == "gift_card" && set.lines[2].totalAmount == -1000)
    }

    /// A shop's own reference for the card's line (the existing plugin's `klarna_pw_gift_card_sku`) wins over the code.
    @Test func aGiftCardsReferenceWhenGivenIsKlarnasReference() throws {
        let order = try snapshot(
            total: "15.00", tax: "0", items: [item(1, subtotal: "25.00", rate: "0")],
            giftCards: [["kind": "gift_card", "code": "GC-1", "reference": "gift_card", "amount": "10.00"]])
        let set = try OrderLinesBuilder.build(order)
        #expect(set.lines[1].reference == "gift_card" && set.lines[1].totalAmount == -1000)
    }

    /// The line of a card the plugin sends (docs/contract.md, `gift_cards`): Klarna's reference is the card's code
    /// (the kind without one), the name "Gift card" unless one is sent, quantity 1, no tax, minus the amount; store
    /// credit alike as `store_credit`. With them the lines add up to the total WooCommerce stored, the cards deducted.
    @Test func giftCardAndStoreCreditLinesTakeTheirReferenceFromTheCode() throws {
        let order = try snapshot(
            total: "85.00", tax: "21.00",
            items: [item(1, name: "Hoodie", quantity: 2, subtotal: "80.00", subtotalTax: "20.00", tax: "20.00")],
            shipping: [
                [
                    "item_id": 2, "name": "Flat rate", "total": "4.00", "total_tax": "1.00",
                    "taxes": [["rate_id": 1, "percent": "25", "amount": "1.00"]],
                ]
            ],
            giftCards: [
                ["kind": "gift_card", "code": "PWGC-ABCD-1234", "amount": "15.00"],
                ["kind": "store_credit", "name": "Account funds", "amount": "5"],
            ])
        let set = try OrderLinesBuilder.build(order)
        expectInvariants(set, amount: 8_500, tax: 2_100)
        let cards = Array(set.lines.suffix(2))
        #expect(cards.map(\.type) == [.giftCard, .storeCredit])
        #expect(cards.map(\.reference) == ["PWGC-ABCD-1234", "store_credit"])
        #expect(cards.map(\.name) == ["Gift card", "Account funds"])
        #expect(
            cards.map(\.quantity) == [1, 1] && cards.map(\.unitPrice) == [-1_500, -500]
                && cards.map(\.totalAmount) == [-1_500, -500])
        #expect(cards.map { $0.totalTaxAmount ?? 0 } == [0, 0] && cards.map { $0.taxRate ?? 0 } == [0, 0])
    }

    /// A flag straddling the name's 255 and a combining accent straddling the reference's 64 are left out whole, never
    /// split (a cut by Unicode scalars kept half the flag, 256 UTF-16 units, and an "e" without its accent).
    @Test func namesAndReferencesAreCutOnGraphemeClusterBoundaries() throws {
        let order = try snapshot(
            total: "10.00", tax: "0",
            items: [
                item(
                    1, name: String(repeating: "a", count: 254) + "🇸🇪", subtotal: "10.00", rate: "0",
                    extra: ["sku": String(repeating: "x", count: 63) + "e\u{301}"])
            ])
        let line = try #require(try OrderLinesBuilder.build(order).lines.first)
        #expect(line.name == String(repeating: "a", count: 254))
        #expect(line.reference == String(repeating: "x", count: 63))
    }

    @Test func severalShippingLines() throws {
        let shipping = (0..<3).map {
            [
                "item_id": 10 + $0, "method_id": "flat_rate", "instance_id": "\($0)", "name": "Box \($0)",
                "total": "1.00", "total_tax": "0.25",
            ] as [String: Any]
        }
        let order = try snapshot(total: "3.75", tax: "0.75", shipping: shipping)
        let set = try OrderLinesBuilder.build(order)
        expectInvariants(set, amount: 375, tax: 75)
        #expect(set.lines.map(\.reference) == ["flat_rate:0", "flat_rate:1", "flat_rate:2"])
    }

    /// Thousands of orders computed the way WooCommerce computes them: every invariant holds for every one.
    @Test func propertyEveryGeneratedOrderAddsUpExactly() throws {
        var generator = OrderGenerator(seed: 20_261_127)
        for id in 0..<5_000 {
            let raw = generator.order(id: id)
            let order = try decodeOrder(raw)
            let set = try OrderLinesBuilder.build(order)
            let total = try order.totals.total.exactMinorUnits(exponent: order.currency.exponent)
            let us = order.klarna?.purchaseCountry == "US"
            let tax = us ? 0 : try order.totals.totalTax?.exactMinorUnits(exponent: order.currency.exponent)
            expectInvariants(set, amount: total, tax: tax)
            #expect(set.adjustments.allSatisfy { abs($0.sent - $0.rounded) <= 1 })
            #expect(set.fingerprint == (try OrderLinesBuilder.build(order)).fingerprint)
        }
    }
}

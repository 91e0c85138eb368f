import Foundation
import OMKlarna
import OMTestSupport
import Testing

/// Issue 11, "every refund WooCommerce accepts reaches Klarna exactly", through the C ABI against the sandbox (which
/// checks Klarna's schema, the lines' arithmetic and that they add up to the refunded amount): the amount the merchant
/// entered is the refund; lines go along when they describe it; strings are cut to Klarna's limits.
@Suite struct RefundAmountRuleTests {
    let sandbox: SandboxServer

    init() throws { sandbox = try #require(SandboxServer.shared, "sandbox: \(SandboxServer.startError)") }

    /// One WooCommerce refund: its id, amount, reason and items as WooCommerce stores them (negated).
    struct Refund {
        var id: Int
        var amount: String
        var items: [[String: Any]] = []
        var reason = "Returned"
    }

    /// Seeds and captures a Klarna order of `captured` minor units, then sends the refunds one after another through
    /// `om_refund` with the order snapshot changed by `order`. Returns the answers and Klarna's refunds.
    func refund(
        captured: Int64, order change: (inout [String: Any]) -> Void = { _ in }, _ refunds: [Refund]
    ) throws
        -> (answers: [[String: Any]], klarnaRefunds: [[String: Any]])
    {
        let id = try sandbox.seedOrder(["order_lines": [], "order_amount": captured])
        _ = try sandbox.client().createCapture(
            id, CaptureObject(capturedAmount: captured), key: IdempotencyKey(intent: ["c", id]))
        var request = FlowTableTests.standardRequest(klarnaOrderId: id, sandbox: sandbox)
        DecisionTable.order(&request, change)
        var answers: [[String: Any]] = []
        var stored: [[String: Any]] = []
        var ledger: Any = ["answered": 0]
        for refund in refunds {
            // As WooCommerce and the plugin: the refund is saved before the gateway is called, and the ledger entry
            // the last answer returned is sent with the next request.
            let saved: [String: Any] = ["id": refund.id, "amount": refund.amount, "refunded_payment": false]
            DecisionTable.meta(&request, ["capture_ids": ["c-1"], "ledger": ["refund": ledger]])
            DecisionTable.order(&request) { $0["refunds"] = stored + [saved] }
            request["refund"] = [
                "id": refund.id, "amount": refund.amount, "reason": refund.reason, "items": refund.items,
            ]
            let answer = try FlowTableTests.call("refund", request)
            #expect(answer["outcome"] as? String == "refunded", "\(answer)")
            answers.append(answer)
            ledger = answer["ledger"] ?? ledger
            stored.append(saved.merging(["refunded_payment": true]) { _, new in new })
        }
        return (answers, try sandbox.order(id)["refunds"] as? [[String: Any]] ?? [])
    }

    static func totals(_ refund: [String: Any]?) -> [Int] {
        (refund?["order_lines"] as? [[String: Any]] ?? []).compactMap { $0["total_amount"] as? Int }
    }

    /// A reason longer than Klarna's 255 for a refund's description: cut, never splitting a letter and its marks, an
    /// emoji sequence or a flag, and the refund goes through (it was refused whole).
    @Test(arguments: [
        String(repeating: "Returned: wrong size. ", count: 14),
        String(repeating: "أُرْجِعَ الْمُنْتَجُ بِسَبَبِ عَيْبٍ ", count: 12),
        String(repeating: "הַמּוּצָר הוּחְזַר ", count: 20),
        String(repeating: "a👨‍👩‍👧‍👦🇸🇪", count: 30),
    ])
    func aLongReasonReachesKlarnaCutToItsLimit(reason: String) throws {
        #expect(reason.utf16.count > 255)
        let (_, klarnaRefunds) = try refund(captured: 10500, [Refund(id: 81, amount: "10.00", reason: reason)])
        let description = try #require(klarnaRefunds.first?["description"] as? String)
        #expect(description.utf16.count <= 255 && description.utf16.count > 240)
        let wholeClusters = Array(reason).starts(with: Array(description))
        #expect(wholeClusters)
    }

    /// "Refund the rest" after an amount-only refund of 30.00: every line filled (105.00, the whole order) and what is
    /// left typed, 75.00. Klarna receives 75.00 without lines; the order is refunded in full.
    @Test func theRestAfterAnAmountOnlyRefundIsSentAsItsAmount() throws {
        let (_, klarnaRefunds) = try refund(
            captured: 10500,
            [
                Refund(id: 91, amount: "30.00"),
                Refund(
                    id: 92, amount: "75.00",
                    items: [
                        ["item_id": 11, "quantity": -2, "total": "-80.00", "total_tax": "-20.00"],
                        ["item_id": 12, "total": "-4.00", "total_tax": "-1.00"],
                    ]),
            ])
        #expect(klarnaRefunds.map { $0["refunded_amount"] as? Int } == [3000, 7500])
        #expect(Self.totals(klarnaRefunds.last).isEmpty)
    }

    /// By quantity (one hoodie), by line amount (10.00 and its 2.50 typed into the hoodie's fields), and the shipping
    /// line whose fields (4.004 and 1.001, 5.005) and amount (5.00) differ by rounding: the line moves one cent, reported.
    @Test func byQuantityByLineAmountAndAShippingLineThatDiffersByRounding() throws {
        let (answers, klarnaRefunds) = try refund(
            captured: 10500,
            [
                Refund(
                    id: 101, amount: "50.00",
                    items: [["item_id": 11, "quantity": -1, "total": "-40.00", "total_tax": "-10.00"]]),
                Refund(
                    id: 102, amount: "12.50",
                    items: [["item_id": 11, "quantity": 0, "total": "-10.00", "total_tax": "-2.50"]]),
                Refund(id: 103, amount: "5.00", items: [["item_id": 12, "total": "-4.004", "total_tax": "-1.001"]]),
            ])
        #expect(klarnaRefunds.map { $0["refunded_amount"] as? Int } == [5000, 1250, 500])
        #expect(klarnaRefunds.map(Self.totals) == [[5000], [1250], [500]])
        let moved = answers.last?["adjustments"] as? [[String: Any]]
        #expect(moved?.count == 1 && moved?.first?["rounded"] as? Int == 501 && moved?.first?["sent"] as? Int == 500)
    }

    /// SEK with tax kept to 6 decimals: what is left is 25.01, the form's fields add up to 25.00 and each line rounds
    /// to 12.51 (25.02 in all). The merchant types what is left; the lines go along, one moved down one öre.
    @Test func aRemainderWhoseFieldsAndRoundingStraddleWhatIsLeft() throws {
        let line = { (id: Int, name: String) -> [String: Any] in
            [
                "item_id": id, "name": name, "quantity": 1, "subtotal": "10.004", "subtotal_tax": "2.501",
                "total": "10.004",
                "total_tax": "2.501", "taxes": [["rate_id": 1, "percent": "25.0000", "amount": "2.501"]],
            ]
        }
        let (answers, klarnaRefunds) = try refund(
            captured: 2501,
            order: { order in
                order["currency"] = "SEK"
                order["totals"] = ["total": "25.01", "total_tax": "5.00"]
                order["items"] = [line(1, "Te"), line(2, "Kaffe")]
                order["shipping_lines"] = []
            },
            [
                Refund(
                    id: 111, amount: "25.01",
                    items: [
                        ["item_id": 1, "quantity": -1, "total": "-10.004", "total_tax": "-2.501"],
                        ["item_id": 2, "quantity": -1, "total": "-10.004", "total_tax": "-2.501"],
                    ])
            ])
        #expect(klarnaRefunds.first?["refunded_amount"] as? Int == 2501)
        #expect(Self.totals(klarnaRefunds.first) == [1251, 1250])
        #expect((answers.first?["adjustments"] as? [[String: Any]])?.count == 1)
    }

    /// A discount entered as a fee (−10.00, taxed pro rata at 25 % and 12 %), refunded with everything else: the fee
    /// comes back as a negative discount line and the lines add up to the order total.
    @Test func aFullRefundOfAnOrderWithANegativeFee() throws {
        let (_, klarnaRefunds) = try refund(
            captured: 11016,
            order: { order in
                order["totals"] = ["total": "110.16", "total_tax": "20.16"]
                order["items"] = [
                    [
                        "item_id": 1, "name": "Shirt", "quantity": 1, "subtotal": "80.00", "total": "80.00",
                        "total_tax": "20.00",
                        "taxes": [["rate_id": 1, "percent": "25", "amount": "20.00"]],
                    ],
                    [
                        "item_id": 2, "name": "Book", "quantity": 1, "subtotal": "20.00", "total": "20.00",
                        "total_tax": "2.40",
                        "taxes": [["rate_id": 2, "percent": "12", "amount": "2.40"]],
                    ],
                ]
                order["shipping_lines"] = []
                order["fees"] = [
                    [
                        "item_id": 3, "name": "Loyalty", "total": "-10.00", "total_tax": "-2.24",
                        "taxes": [
                            ["rate_id": 1, "percent": "25", "amount": "-2.00"],
                            ["rate_id": 2, "percent": "12", "amount": "-0.24"],
                        ],
                    ]
                ]
            },
            [
                Refund(
                    id: 121, amount: "110.16",
                    items: [
                        ["item_id": 1, "quantity": -1, "total": "-80.00", "total_tax": "-20.00"],
                        ["item_id": 2, "quantity": -1, "total": "-20.00", "total_tax": "-2.40"],
                        ["item_id": 3, "total": "10.00", "total_tax": "2.24"],
                    ])
            ])
        #expect(klarnaRefunds.first?["refunded_amount"] as? Int == 11016)
        #expect(Self.totals(klarnaRefunds.first) == [10000, 2240, -1224])
        #expect((klarnaRefunds.first?["order_lines"] as? [[String: Any]])?.last?["type"] as? String == "discount")
    }
}

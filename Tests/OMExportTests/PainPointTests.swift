import Foundation
import OMCore
import OMKlarna
import OMTestSupport
import Testing

/// One test per pain point of the existing plugin (../shared/reference/peer-kom.md §16) that this product fixes,
/// through the C ABI against the sandbox where Klarna is involved.
@Suite struct PainPointTests {
    let sandbox: SandboxServer

    init() throws { sandbox = try #require(SandboxServer.shared, "sandbox: \(SandboxServer.startError)") }

    func standard() throws -> (String, [String: Any]) {
        let id = try sandbox.seedOrder(["order_lines": DecisionTable.seedLines])
        return (id, FlowTableTests.standardRequest(klarnaOrderId: id, sandbox: sandbox))
    }

    /// 1. Rounding: the rate comes from the order's tax data (2500), not from rounded amounts (2506 in KCO #585),
    /// and the lines add up to the total, so Klarna never sees "captured amount higher than remaining".
    @Test func p1TaxRateFromTheOrderNotFromRoundedAmounts() throws {
        let (id, base) = try standard()
        var request = base
        DecisionTable.order(&request) { order in
            order["shipping_lines"] = [
                [
                    "item_id": 12, "method_id": "flat_rate", "instance_id": "3", "name": "Flat rate",
                    "total": "3.99", "total_tax": "1.01",
                    "taxes": [["rate_id": 1, "percent": "25.0000", "amount": "1.01"]],
                ]
            ]
            order["totals"] = ["total": "105.00", "total_tax": "21.01"]
        }
        let response = try FlowTableTests.call("capture", request)
        #expect(response["outcome"] as? String == "captured")
        let line = ((try sandbox.order(id)["captures"] as? [[String: Any]])?.first?["order_lines"] as? [[String: Any]])?
            .last
        #expect(line?["tax_rate"] as? Int == 2500)
        #expect(line?["total_amount"] as? Int == 500)
    }

    /// 2. Never Completed without a capture: every refusal or failure asks for On hold, and says why.
    @Test func p2CompletedWithoutCaptureBecomesOnHold() throws {
        let refusals = DecisionTable.rows.filter {
            $0.operation == "capture" && !["captured", "already_captured"].contains($0.outcome)
                && !$0.outcome.hasPrefix("skipped")
        }
        #expect(refusals.count >= 7)
        #expect(refusals.allSatisfy { $0.status == "on-hold" && $0.note != nil })
    }

    /// 3. Double capture: the same completion sent twice (a retry, a double click, a second hook) captures once.
    @Test func p3TheSameCaptureTwiceCapturesOnce() throws {
        let (id, request) = try standard()
        let first = try FlowTableTests.call("capture", request)
        let second = try FlowTableTests.call("capture", request)  // the same save again, nothing stored in between
        let captureId = (first["klarna"] as? [String: Any])?["capture_id"] as? String
        #expect(captureId != nil)
        #expect(second["outcome"] as? String == "already_captured")
        #expect(
            ((second["note"] as? [String: Any])?["params"] as? [String: Any])?["capture_id"] as? String == captureId)
        #expect((try sandbox.order(id)["captures"] as? [Any])?.count == 1)
        let posts = try sandbox.requests(for: id).filter { $0["method"] as? String == "POST" }
        #expect(posts.count == 1, "the second save read Klarna's order and sent nothing")
    }

    /// 3b. A stale capture id copied onto another order does not block its real capture wrongly: Klarna's state decides.
    @Test func p3StaleCaptureIdDoesNotBlockTheRealCapture() throws {
        let (id, base) = try standard()
        var request = base
        DecisionTable.meta(&request, ["capture_ids": ["copied-from-parent"]])
        let response = try FlowTableTests.call("capture", request)
        // Klarna holds the full amount uncaptured: the stored id is not Klarna's, so the order is captured.
        #expect(response["outcome"] as? String == "captured")
        #expect(try sandbox.order(id)["captured_amount"] as? Int == 10500)
    }

    /// 4. Part-captured orders (captured elsewhere, e.g. in the Merchant Portal): the rest is captured, not refused.
    @Test func p4PartCapturedOrdersCaptureWhatRemains() throws {
        let row = try #require(DecisionTable.rows.first { $0.name == "capture, part-captured: only what remains" })
        #expect(row.outcome == "captured" && row.requests == ["GET ", "POST /captures"])
    }

    /// 5. Edits Klarna refuses keep the order On hold with the reason, instead of silently diverging.
    @Test func p5RefusedEditsKeepTheOrderOnHold() throws {
        let declined = try sandbox.seedOrder(["order_lines": DecisionTable.seedLines, "decline_increase": true])
        var declinedRequest = FlowTableTests.standardRequest(klarnaOrderId: declined, sandbox: sandbox)
        DecisionTable.editQuantity(&declinedRequest, to: 3)
        let response = try FlowTableTests.call("update", declinedRequest)
        #expect(response["order_status"] as? String == "on-hold")
        #expect(((response["note"] as? [String: Any])?["text"] as? String)?.contains("NOT_ALLOWED") == true)
        #expect(try sandbox.order(declined)["order_amount"] as? Int == 10500)
    }

    /// 9. Negative fees are discounts, never surcharges.
    @Test func p9NegativeFeesAreDiscounts() throws {
        let (id, base) = try standard()
        var request = base
        DecisionTable.order(&request) { order in
            order["fees"] = [
                [
                    "item_id": 13, "name": "Loyalty discount", "total": "-4.00", "total_tax": "-1.00",
                    "taxes": [["rate_id": 1, "percent": "25.0000", "amount": "-1.00"]],
                ]
            ]
            order["totals"] = ["total": "100.00", "total_tax": "20.00"]
        }
        #expect(try FlowTableTests.call("capture", request)["outcome"] as? String == "captured")
        let lines = (try sandbox.order(id)["captures"] as? [[String: Any]])?.first?["order_lines"] as? [[String: Any]]
        #expect(lines?.last?["type"] as? String == "discount")
        #expect(lines?.last?["total_amount"] as? Int == -500)
    }

    /// 12. Fraud review pending: no capture, On hold, the status in the note.
    @Test func p12PendingFraudReviewHoldsTheOrder() throws {
        let row = try #require(DecisionTable.rows.first { $0.name == "capture, fraud review pending" })
        #expect(row.status == "on-hold" && row.note == "capture_refused_fraud")
    }

    /// 13. Zero-value orders (free trials, fully discounted renewals) are not sent to Klarna as a failing capture.
    @Test func p13ZeroValueOrdersAreNotCapturedAsAnError() throws {
        let (id, base) = try standard()
        var request = base
        DecisionTable.order(&request) { order in
            order["items"] = [
                ["item_id": 11, "name": "Trial", "quantity": 1, "subtotal": "0", "total": "0", "total_tax": "0"]
            ]
            order["shipping_lines"] = [] as [Any]
            order["totals"] = ["total": "0.00", "total_tax": "0.00"]
        }
        let response = try FlowTableTests.call("capture", request)
        #expect(response["outcome"] as? String == "nothing_to_capture")
        #expect(response["success"] as? Bool == true)
        #expect(response["order_status"] == nil)
        #expect(try sandbox.requests(for: id).isEmpty)
    }

    /// 6. Refund lines: matched by item id, tax from the refund's own numbers, unit price × quantity exact.
    @Test func p6RefundLinesAreExact() throws {
        let (id, base) = try standard()
        _ = try sandbox.client().createCapture(
            id, CaptureObject(capturedAmount: 10500), key: IdempotencyKey(intent: ["c", id]))
        var request = base
        DecisionTable.refund(
            &request, amount: "100.00",
            items: [["item_id": 11, "quantity": -2, "total": "-80.00", "total_tax": "-20.00"]])
        let response = try FlowTableTests.call("refund", request)
        #expect(response["outcome"] as? String == "refunded")
        let line = ((try sandbox.order(id)["refunds"] as? [[String: Any]])?.first?["order_lines"] as? [[String: Any]])?
            .first
        #expect(line?["quantity"] as? Int == 2)
        #expect(line?["unit_price"] as? Int == 5000)
        #expect(line?["total_amount"] as? Int == 10000)
    }

    /// 7. Deleted products: no crash, a line with the stored name and no product links.
    @Test func p7DeletedProductsAreCapturedNormally() throws {
        let (id, base) = try standard()
        var request = base
        DecisionTable.order(&request) { order in
            var items = order["items"] as? [[String: Any]] ?? []
            items[0]["product_deleted"] = true
            items[0]["product_id"] = 0
            items[0]["product_url"] = "https://shop.example/gone"
            order["items"] = items
        }
        #expect(try FlowTableTests.call("capture", request)["outcome"] as? String == "captured")
        let line = ((try sandbox.order(id)["captures"] as? [[String: Any]])?.first?["order_lines"] as? [[String: Any]])?
            .first
        #expect(line?["product_url"] == nil)
    }

    /// 8. A refund Klarna did not make is never reported as made.
    @Test func p8RefusedRefundIsNotASuccess() throws {
        let (_, base) = try standard()
        var request = base
        DecisionTable.refund(&request, amount: "10.00", items: [])
        let response = try FlowTableTests.call("refund", request)
        #expect(response["success"] as? Bool == false)
        #expect(response["record"] == nil && response["order_meta"] == nil, "nothing to store")
    }

    /// 14. Errors keep Klarna's error code and correlation id; logs carry no secret. (The snapshot carries no personal
    /// data; addresses an older plugin still sends go nowhere: RetiredFieldsTests.)
    @Test func p14ErrorsKeepKlarnasIdsAndLogsStayClean() throws {
        let (_, base) = try standard()
        var request = base
        DecisionTable.editQuantity(&request, to: 3)
        // Klarna holds these lines (an update left them): the capture goes out, and Klarna refuses the amount.
        let fingerprint = Self.fingerprint(of: request)
        DecisionTable.order(&request) { order in
            var meta = order["meta"] as? [String: Any] ?? [:]
            meta["lines_fingerprint"] = fingerprint
            order["meta"] = meta
        }
        let response = try FlowTableTests.call("capture", request)
        let klarna = response["klarna"] as? [String: Any]
        #expect(klarna?["error_code"] as? String == "CAPTURE_NOT_ALLOWED")
        #expect((klarna?["correlation_id"] as? String)?.isEmpty == false)
        let note = (response["note"] as? [String: Any])?["text"] as? String ?? ""
        #expect(note.contains("CAPTURE_NOT_ALLOWED") && note.contains("correlation id"))
        let text = String(describing: response)
        #expect(!text.contains(SandboxServer.password))
    }

    /// The fingerprint of a request's lines, as the core computes it.
    static func fingerprint(of request: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: request),
            let decoded = try? RequestDecoder.decode(String(decoding: data, as: UTF8.self), for: .capture),
            let lines = try? OrderLinesBuilder.build(decoded.order)
        else { return "" }
        return lines.fingerprint
    }

    /// 16. Notes in the shop's language: every note exists in English and Vietnamese.
    @Test func p16EveryNoteIsTranslated() throws {
        for (code, texts) in NoteCatalog.templates {
            #expect(texts[.english] != nil && texts[.vietnamese] != nil, "\(code)")
            let placeholders = { (text: String) in
                Set(text.split(separator: "{").dropFirst().map { $0.prefix { $0 != "}" } })
            }
            #expect(placeholders(texts[.english] ?? "") == placeholders(texts[.vietnamese] ?? ""), "\(code)")
        }
        let (_, base) = try standard()
        var request = base
        request["locale"] = "vi_VN"
        let note = (try FlowTableTests.call("cancel", request)["note"] as? [String: Any])?["text"] as? String
        #expect(note?.hasPrefix("Hoàn tất hủy đơn hàng Klarna") == true)
    }
}

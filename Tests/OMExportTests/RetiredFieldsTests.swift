import Foundation
import OMTestSupport
import Testing

/// Members that left the request because nothing sent them (issue 12). The reader ignores members it does not know,
/// so a plugin that still sends one keeps working, and what the member holds goes nowhere.
@Suite struct RetiredFieldsTests {
    /// `order.billing_address` and `order.shipping_address` (personal data) from an older plugin: the capture is
    /// accepted and runs as without them. None of their values reaches Klarna's requests or the response (note, log,
    /// meta), and the billing country no longer stands in for a missing `klarna.purchase_country`: a US billing
    /// address makes no `sales_tax` line.
    @Test func addressesOfAnOlderPluginAreAcceptedAndGoNowhere() throws {
        let sandbox = try #require(SandboxServer.shared, "sandbox: \(SandboxServer.startError)")
        let klarnaOrderId = try sandbox.seedOrder(["order_lines": DecisionTable.seedLines])
        let address = [
            "given_name": "Nguyễn Thị", "family_name": "Minh Khai", "organization_name": "Công ty Sen",
            "email": "minh.khai@example.vn", "phone": "+84 912 345 678", "street_address": "12 Lý Thường Kiệt",
            "street_address2": "Tầng 7", "postal_code": "100000", "city": "Hà Nội", "region": "Hoàn Kiếm",
            "country": "US",
        ]
        var request = FlowTableTests.standardRequest(klarnaOrderId: klarnaOrderId, sandbox: sandbox)
        DecisionTable.order(&request) { order in
            order["billing_address"] = address
            order["shipping_address"] = address
            order["klarna"] = ["order_id": klarnaOrderId]
        }

        let response = try FlowTableTests.call("capture", request)
        #expect(response["ok"] as? Bool == true, "\(response)")
        #expect(response["outcome"] as? String == "captured")
        let captures = try sandbox.order(klarnaOrderId)["captures"] as? [[String: Any]]
        let lines = captures?.first?["order_lines"] as? [[String: Any]] ?? []
        #expect(lines.map { $0["type"] as? String } == ["physical", "shipping_fee"], "no sales_tax line")
        let answered = String(describing: response)
        let sent = try sandbox.requests(for: klarnaOrderId).map { String(describing: $0["body"] ?? "") }.joined()
        for (field, value) in address where field != "country" {
            #expect(!answered.contains(value) && !sent.contains(value), "\(field)")
        }
    }
}

import Foundation
import OMKlarna
import OMTestSupport
import Testing

/// Issue 10's symptoms, each as the merchant met it: sequences of actions on one order through the C ABI against
/// the Klarna sandbox, with WooCommerce's own behaviour between them (WooCommerceOrder), asserting what Klarna holds
/// at the end. Each would have moved money twice, or left WooCommerce and Klarna telling different stories.
@Suite struct ExactlyOnceTests {
    /// A Klarna order authorized for `hoodies` hoodies plus shipping, and its WooCommerce order.
    static func shop(
        hoodies: Int = 2, authorizedHoodies: Int? = nil, status: String = "processing",
        timeoutMs: Int = 10_000, seed: [String: Any] = [:]
    ) throws -> (WooCommerceOrder, SandboxServer) {
        let sandbox = try #require(SandboxServer.shared, "sandbox: \(SandboxServer.startError)")
        let order = try shop(
            on: sandbox, hoodies: hoodies, authorizedHoodies: authorizedHoodies, status: status,
            timeoutMs: timeoutMs, seed: seed)
        return (order, sandbox)
    }

    /// The same shop on a given sandbox.
    static func shop(
        on sandbox: SandboxServer, hoodies: Int = 2, authorizedHoodies: Int? = nil,
        status: String = "processing", timeoutMs: Int = 10_000,
        seed: [String: Any] = [:]
    ) throws -> WooCommerceOrder {
        let authorized = authorizedHoodies ?? hoodies
        var spec: [String: Any] = [
            "purchase_currency": "EUR",
            "order_lines": [
                [
                    "type": "physical", "reference": "HOODIE-M", "name": "Hoodie", "quantity": authorized,
                    "unit_price": 5000,
                    "tax_rate": 2500, "total_amount": 5000 * authorized, "total_tax_amount": 1000 * authorized,
                ],
                [
                    "type": "shipping_fee", "reference": "flat_rate:3", "name": "Flat rate", "quantity": 1,
                    "unit_price": 500,
                    "tax_rate": 2500, "total_amount": 500, "total_tax_amount": 100,
                ],
            ],
        ]
        spec.merge(seed) { _, new in new }
        let klarnaOrderId = try sandbox.seedOrder(spec)
        let config = sandbox.config(timeoutMs: timeoutMs)
        return WooCommerceOrder(
            id: Int64.random(in: 10_000...99_999_999), klarnaOrderId: klarnaOrderId,
            quantities: [.hoodie: hoodies], status: status, config: config,
            core: FlowTableTests.call)
    }

    // MARK: - Symptom 1: a refund whose answer was lost, retried with a new WooCommerce refund id

    @Test(arguments: [5_000 as Int64, 10_500])
    func aLostRefundRetriedWithANewRefundIdRefundsOnce(amount: Int64) throws {
        var (order, sandbox) = try Self.shop(timeoutMs: 400)
        try order.setStatus("completed")
        // Klarna commits the refund after the operation's budget is spent: the answer never arrives.
        try sandbox.injectFaults(for: order.klarnaOrderId, ["latency_ms": 700])
        let lost = try order.refund(amount: amount)
        #expect(lost["outcome"] as? String == "refund_failed")
        #expect(order.refunds.isEmpty, "WooCommerce deleted the failed refund")
        try sandbox.injectFaults(for: order.klarnaOrderId, ["latency_ms": 0])
        usleep(500_000)  // the slow request has committed at Klarna by now

        let retried = try order.refund(amount: amount)  // a new WooCommerce refund, with a new id
        #expect(retried["outcome"] as? String == "refunded", "\(retried)")
        let klarna = try sandbox.order(order.klarnaOrderId)
        #expect(klarna["refunded_amount"] as? Int == Int(amount))
        #expect((klarna["refunds"] as? [Any])?.count == 1)
        #expect(order.refundedThroughKlarna == amount)
        #expect(order.status == (amount == order.total ? "refunded" : "completed"))
    }

    @Test func aLostLedgerNeverTurnsASecondIdenticalRefundIntoAReplayOfTheFirst() throws {
        var (order, sandbox) = try Self.shop()
        try order.setStatus("completed")
        #expect(try order.refund(amount: 2_500)["outcome"] as? String == "refunded")
        order.forgetLedger()  // the second refund is built from a ledger that never saw the first
        let second = try order.refund(amount: 2_500)
        #expect(second["outcome"] as? String == "refunded")
        let klarna = try sandbox.order(order.klarnaOrderId)
        #expect((klarna["refunds"] as? [Any])?.count == 2, "two refunds reported, two made")
        #expect(klarna["refunded_amount"] as? Int == 5_000)
        #expect(order.refundedThroughKlarna == 5_000)
    }

    @Test func aRetryWithAnotherAmountAfterALostAnswerIsRefusedAndSaysWhatKlarnaDid() throws {
        var (order, sandbox) = try Self.shop(timeoutMs: 400)
        try order.setStatus("completed")
        try sandbox.injectFaults(for: order.klarnaOrderId, ["latency_ms": 700])
        _ = try order.refund(amount: 5_000)
        try sandbox.injectFaults(for: order.klarnaOrderId, ["latency_ms": 0])
        usleep(500_000)

        let other = try order.refund(amount: 2_500)
        #expect(other["outcome"] as? String == "refund_refused")
        #expect((other["note"] as? [String: Any])?["code"] as? String == "refund_refused_earlier_attempt")
        #expect(((other["note"] as? [String: Any])?["text"] as? String)?.contains("EUR 50.00") == true)
        let klarna = try sandbox.order(order.klarnaOrderId)
        #expect(klarna["refunded_amount"] as? Int == 5_000, "nothing more was refunded")
        // The slot is spent: the next refund is a new intent with a new key.
        let next = try order.refund(amount: 2_500)
        #expect(next["outcome"] as? String == "refunded")
        #expect(try sandbox.order(order.klarnaOrderId)["refunded_amount"] as? Int == 7_500)
    }

    // MARK: - Symptom 2: a later capture of an order whose authorization is larger than its total

    @Test func completingAgainNeverCapturesKlarnasRemainder() throws {
        // Items lowered while On hold (4 hoodies authorized, 2 left), then straight to Completed: no update sent.
        var (order, sandbox) = try Self.shop(hoodies: 2, authorizedHoodies: 4, status: "on-hold")
        let first = try #require(try order.setStatus("completed"))
        #expect(first["outcome"] as? String == "captured")
        try order.setStatus("on-hold")  // by mistake
        let again = try #require(try order.setStatus("completed"))
        #expect(again["outcome"] as? String == "already_captured")
        #expect(order.status == "completed")
        let klarna = try sandbox.order(order.klarnaOrderId)
        #expect(klarna["captured_amount"] as? Int == 10_500)
        #expect((klarna["captures"] as? [Any])?.count == 1)
    }

    @Test func capturedAtKlarnaBeyondTheOrderTotalIsHeldNotASuccess() throws {
        var (order, sandbox) = try Self.shop(hoodies: 2, authorizedHoodies: 4)
        _ = try sandbox.client().createCapture(
            order.klarnaOrderId, .init(capturedAmount: 20_500),
            key: .init(intent: ["portal", order.klarnaOrderId]))
        let response = try #require(try order.setStatus("completed"))
        #expect(response["outcome"] as? String == "over_captured")
        #expect(response["success"] as? Bool == false)
        #expect(order.status == "on-hold")
        let params = (response["note"] as? [String: Any])?["params"] as? [String: Any]
        #expect(params?["excess"] as? String == "EUR 100.00")
        #expect(try sandbox.order(order.klarnaOrderId)["captured_amount"] as? Int == 20_500, "nothing more captured")
    }

    // MARK: - Symptom 3: lines A → B → A

    @Test func undoingAnItemEditReachesKlarna() throws {
        var (order, sandbox) = try Self.shop(hoodies: 2, status: "processing")
        for quantity in [1, 2, 1] {
            try order.setStatus("on-hold")
            order.edit(.hoodie, quantity: quantity)
            let response = try #require(try order.setStatus("processing"))
            #expect(response["outcome"] as? String == "updated", "\(response)")
            #expect(try sandbox.order(order.klarnaOrderId)["order_amount"] as? Int == Int(order.total))
        }
        #expect(try sandbox.order(order.klarnaOrderId)["order_amount"] as? Int == 5_500)
    }

    // MARK: - Symptom 4: a capture Klarna refused, tried again once the reason is gone

    @Test func aRefusedCaptureIsNotReplayedOnceTheReasonIsGone() throws {
        // Three hoodies at WooCommerce, two authorized: Klarna refuses the capture of the higher amount.
        var (order, sandbox) = try Self.shop(hoodies: 3, authorizedHoodies: 2, status: "on-hold")
        let refused = try #require(try order.setStatus("completed"))
        #expect((refused["note"] as? [String: Any])?["code"] as? String == "capture_refused_amount")
        #expect(order.status == "on-hold")
        // The merchant updates the order at Klarna (Processing), then completes it with the very same lines.
        let updated = try #require(try order.setStatus("processing"))
        #expect(updated["outcome"] as? String == "updated")
        let captured = try #require(try order.setStatus("completed"))
        #expect(captured["outcome"] as? String == "captured", "\(captured)")
        #expect(try sandbox.order(order.klarnaOrderId)["captured_amount"] as? Int == 15_500)
    }

    // MARK: - Symptom 5 and 6 (the core's part): Cancelled or Refunded while Klarna holds the money

    @Test(arguments: ["cancelled", "refunded"])
    func aCapturedOrderIsNotCancelledOrRefundedByStatusWhileKlarnaHoldsTheMoney(to: String) throws {
        var (order, sandbox) = try Self.shop()
        try order.setStatus("completed")
        try order.refund(amount: 2_500)
        let response = try #require(try order.setStatus(to))
        #expect(response["outcome"] as? String == "cancel_refused_captured")
        #expect(
            (response["note"] as? [String: Any])?["code"] as? String
                == (to == "cancelled" ? "cancel_refused_captured" : "refunded_status_refused"))
        let params = (response["note"] as? [String: Any])?["params"] as? [String: Any]
        #expect(params?["refundable"] as? String == "EUR 80.00")
        #expect(order.status == "on-hold")
        #expect(
            try sandbox.requests(for: order.klarnaOrderId).filter {
                $0["path"] as? String == "/ordermanagement/v1/orders/\(order.klarnaOrderId)/cancel"
            }.isEmpty)
    }

    @Test func afterAFullRefundTheStatusesAreTrue() throws {
        var (order, _) = try Self.shop()
        try order.setStatus("completed")
        try order.refund(amount: order.total)
        #expect(order.status == "refunded")
        let notesBefore = order.notes.count
        let cancelled = try #require(try order.setStatus("cancelled"))
        #expect(cancelled["outcome"] as? String == "nothing_held")
        #expect(order.status == "cancelled")
        #expect(order.notes.count == notesBefore + 1)
    }

    @Test func refundedByHandWithoutACaptureCancelsAtKlarna() throws {
        var (order, sandbox) = try Self.shop()
        let response = try #require(try order.setStatus("refunded"))
        #expect(response["outcome"] as? String == "cancelled")
        #expect(try sandbox.order(order.klarnaOrderId)["status"] as? String == "CANCELLED")
    }

    @Test func cancellingAfterItemsWereEditedSinceTheCaptureCountsWhatKlarnaHolds() throws {
        var (order, sandbox) = try Self.shop()
        try order.setStatus("completed")
        try order.refund(amount: 8_303)
        try order.refund(amount: 1_675)
        try order.setStatus("on-hold")
        order.edit(.hoodie, quantity: 1)  // WooCommerce's total is now 55.00; Klarna captured 105.00
        let response = try #require(try order.setStatus("cancelled"))
        #expect(response["outcome"] as? String == "cancel_refused_captured")
        #expect(
            ((response["note"] as? [String: Any])?["params"] as? [String: Any])?["refundable"] as? String == "EUR 5.22")
        #expect(order.status == "on-hold")
        #expect(try sandbox.order(order.klarnaOrderId)["status"] as? String == "CAPTURED")
    }

    @Test func processingAgainAfterKlarnaCancelledIsHeld() throws {
        var (order, sandbox) = try Self.shop()
        try order.setStatus("refunded")  // by hand, nothing captured: Klarna cancels
        #expect(try sandbox.order(order.klarnaOrderId)["status"] as? String == "CANCELLED")
        let response = try #require(try order.setStatus("processing"))
        #expect((response["note"] as? [String: Any])?["code"] as? String == "update_refused_cancelled")
        #expect(order.status == "on-hold", "never Processing (to ship) for an order nobody paid")
    }

    // MARK: - Symptom 10: refusals that send nothing, and the operation's budget

    @Test(arguments: [".", "..", "..."])
    func idsMadeOfDotsAreRefusedNotUnknown(id: String) throws {
        let sandbox = try #require(SandboxServer.shared)
        var request = FlowTableTests.standardRequest(klarnaOrderId: id, sandbox: sandbox)
        DecisionTable.meta(&request, ["ledger": ["capture": ["answered": 3]]])
        let response = try FlowTableTests.call("capture", request)
        #expect(response["outcome"] as? String == "capture_refused")
        #expect(
            ((response["note"] as? [String: Any])?["params"] as? [String: Any])?["error_code"] as? String
                == "invalid_klarna_id")
        #expect(response["ledger"] == nil, "nothing was sent: the ledger stays as it was")
    }

    @Test func aFiveHundredBurstLeavesThePendingIntentAndTheRetryUsesItsKey() throws {
        var (order, sandbox) = try Self.shop()
        try order.setStatus("completed")
        try sandbox.injectFaults(
            for: order.klarnaOrderId, ["fail_next": ["count": 3, "status": 503, "retry_after": 0]])
        let failed = try order.refund(amount: 5_000)
        #expect(failed["outcome"] as? String == "refund_failed")
        let ledger = try #require(failed["ledger"] as? [String: Any])
        #expect(ledger["answered"] as? Int == 0)
        #expect((ledger["pending"] as? String)?.count == 64)
        let refunded = try order.refund(amount: 5_000)  // WooCommerce's retry: a new refund, a new id
        #expect(refunded["outcome"] as? String == "refunded")
        let refundKeys = Set(
            try sandbox.requests(for: order.klarnaOrderId)
                .filter { ($0["path"] as? String)?.hasSuffix("/refunds") == true }.compactMap {
                    $0["idempotency_key"] as? String
                })
        #expect(refundKeys.count == 1, "every attempt of the one intent carried one key")
        #expect((refunded["ledger"] as? [String: Any])?["answered"] as? Int == 1)
        #expect(try sandbox.order(order.klarnaOrderId)["refunded_amount"] as? Int == 5_000)
    }
}

/// Proxy variables in the environment must not send Klarna traffic, and the credentials in it, elsewhere.
@Suite struct ProxyEnvironmentTests {
    @Test func theExecutableIgnoresProxyVariables() throws {
        let (order, _) = try ExactlyOnceTests.shop()
        let request = order.request(operation: "capture", transition: ["from": "processing", "to": "completed"])
        let process = Process()
        process.executableURL = LoadedLibraryTests.binFolder.appendingPathComponent("klarna-om")
        process.arguments = ["capture"]
        // Port 9 (discard) on loopback: a proxy there refuses every connection.
        process.environment = [
            "PATH": "/usr/bin:/bin", "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9",
            "ALL_PROXY": "http://127.0.0.1:9", "all_proxy": "http://127.0.0.1:9",
        ]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        try input.fileHandleForWriting.write(contentsOf: try JSONSerialization.data(withJSONObject: request))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let response = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(response["outcome"] as? String == "captured", "\(response)")
    }
}

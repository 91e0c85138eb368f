import Foundation
import OMCore
import OMKlarna
import OMTestSupport
import Testing

/// The decision table of docs/contract.md, one row per test case, run through the C ABI (`om_*` resolved with
/// dlsym from the built library) against the Klarna sandbox. Each row asserts the outcome, the note, the status the
/// order must get, and, from the sandbox's request log, exactly which requests reached Klarna.
@Suite struct FlowTableTests {
    /// One row of the table.
    struct Row: Sendable, CustomStringConvertible {
        var name: String
        var operation: String
        /// Klarna's side before the call: seed fields, plus "capture" (amount captured first) and faults.
        var klarna: [String: any Sendable] = [:]
        /// Changes to the request (the WooCommerce snapshot is its "order").
        var snapshot: @Sendable (inout [String: Any], _ klarnaOrderId: String) -> Void = { _, _ in }
        var outcome: String
        var note: String?
        var status: String?
        /// Requests Klarna must have received, as "METHOD suffix" after /orders/{id}.
        var requests: [String]
        var check: @Sendable (_ response: [String: Any], _ klarnaOrder: [String: Any]) -> Void = { _, _ in }

        var description: String { name }
    }

    static let rows: [Row] = [
        // Cancel
        Row(name: "cancel an authorized order", operation: "cancel", outcome: "cancelled", note: "cancelled",
            requests: ["POST /cancel"],
            check: { response, order in
                #expect(order["status"] as? String == "CANCELLED")
                #expect((response["order_meta"] as? [String: String])?["_wc_klarna_cancelled"] == "yes")
            }),
        Row(name: "cancel, already cancelled in meta: no call", operation: "cancel",
            snapshot: { s, _ in meta(&s, ["cancelled": true]) }, outcome: "already_cancelled", note: "already_cancelled",
            requests: []),
        Row(name: "cancel, captured in meta: refund instead", operation: "cancel", klarna: ["capture": 10500],
            snapshot: { s, _ in meta(&s, ["capture_ids": ["c-1"]]) }, outcome: "cancel_refused_captured",
            note: "cancel_refused_captured", status: "on-hold", requests: ["GET "],
            check: { response, _ in
                #expect(((response["note"] as? [String: Any])?["params"] as? [String: Any])?["refundable"] as? String == "EUR 105.00")
            }),
        Row(name: "cancel, captured and refunded in cash: nothing held", operation: "cancel", klarna: ["capture": 10500],
            snapshot: { s, _ in
                meta(&s, ["capture_ids": ["c-1"]])
                order(&s) { $0["refunds"] = [["id": 90, "amount": "105.00", "refunded_payment": false]] }
            }, outcome: "nothing_held", note: "nothing_held", requests: ["GET "]),
        Row(name: "refunded by hand, captured: hold", operation: "cancel", klarna: ["capture": 10500],
            snapshot: { s, _ in
                meta(&s, ["capture_ids": ["c-1"]])
                order(&s) { $0["transition"] = ["from": "completed", "to": "refunded"] }
            }, outcome: "cancel_refused_captured", note: "refunded_status_refused", status: "on-hold", requests: ["GET "],
            check: { response, _ in
                let params = (response["note"] as? [String: Any])?["params"] as? [String: Any]
                #expect(params?["refundable"] as? String == "EUR 105.00")
            }),
        Row(name: "refunded by hand, not captured: cancelled at Klarna", operation: "cancel",
            snapshot: { s, _ in order(&s) { $0["transition"] = ["from": "processing", "to": "refunded"] } },
            outcome: "cancelled", note: "cancelled", requests: ["POST /cancel"]),
        Row(name: "cancel, captured at Klarna: hold and refund instead", operation: "cancel", klarna: ["capture": 10500],
            outcome: "cancel_refused_captured", note: "cancel_refused_captured", status: "on-hold",
            requests: ["POST /cancel", "GET "]),
        Row(name: "cancel, already cancelled at Klarna", operation: "cancel", klarna: ["status": "CANCELLED"],
            outcome: "already_cancelled", note: "already_cancelled", requests: ["POST /cancel", "GET "]),
        Row(name: "cancel, Klarna down", operation: "cancel", klarna: ["fail": 503], outcome: "cancel_failed",
            note: "cancel_failed", status: "on-hold", requests: ["POST /cancel", "POST /cancel", "POST /cancel"]),
        Row(name: "cancel, no Klarna order id: skipped", operation: "cancel",
            snapshot: { s, _ in klarnaId(&s, nil) }, outcome: "skipped_no_klarna_order", requests: []),

        // Update
        Row(name: "update with edited items", operation: "update",
            snapshot: { s, _ in editQuantity(&s, to: 1) }, outcome: "updated", note: "updated",
            requests: ["PATCH /authorization"],
            check: { response, order in
                #expect(order["order_amount"] as? Int == 5500)
                #expect((response["order_meta"] as? [String: String])?["_klarna_om_lines_fingerprint"]?.count == 64)
            }),
        Row(name: "update, lines unchanged since Klarna accepted them: no call", operation: "update",
            snapshot: { s, _ in meta(&s, ["lines_fingerprint": fingerprintOfStandardOrder]) },
            outcome: "update_unchanged", note: "update_unchanged", requests: []),
        Row(name: "update, captured in meta: no call", operation: "update",
            snapshot: { s, _ in meta(&s, ["capture_ids": ["c-1"]]) }, outcome: "update_refused_captured",
            note: "update_refused_captured", status: "on-hold", requests: []),
        Row(name: "update, Klarna order cancelled", operation: "update", klarna: ["status": "CANCELLED"],
            snapshot: { s, _ in editQuantity(&s, to: 1) }, outcome: "update_refused", note: "update_refused_cancelled",
            status: "on-hold", requests: ["PATCH /authorization", "GET "]),
        Row(name: "update, cancelled in meta: no call", operation: "update",
            snapshot: { s, _ in meta(&s, ["cancelled": true]) }, outcome: "update_refused", note: "update_refused_cancelled",
            status: "on-hold", requests: []),
        Row(name: "update, Klarna declines the higher amount", operation: "update", klarna: ["decline_increase": true],
            snapshot: { s, _ in editQuantity(&s, to: 3) }, outcome: "update_refused", note: "update_refused",
            status: "on-hold", requests: ["PATCH /authorization", "GET "]),
        Row(name: "update, captured at Klarna", operation: "update", klarna: ["capture": 8000],
            snapshot: { s, _ in editQuantity(&s, to: 1) }, outcome: "update_refused_captured",
            note: "update_refused_captured", status: "on-hold", requests: ["PATCH /authorization", "GET "]),

        // Capture
        Row(name: "capture the order total with exact lines", operation: "capture", outcome: "captured", note: "captured",
            requests: ["POST /captures"],
            check: { response, order in
                #expect(order["captured_amount"] as? Int == 10500)
                let captureId = (order["captures"] as? [[String: Any]])?.first?["capture_id"] as? String
                #expect((response["order_meta"] as? [String: String])?["_wc_klarna_capture_id"] == captureId)
                #expect((response["note"] as? [String: Any]).flatMap { $0["text"] as? String }?.contains("EUR 105.00") == true)
            }),
        Row(name: "capture, captured in meta and at Klarna: no second capture", operation: "capture",
            klarna: ["capture": 10500], snapshot: { s, _ in meta(&s, ["capture_ids": ["earlier"]]) },
            outcome: "already_captured", note: "already_captured", requests: ["GET "]),
        Row(name: "capture, part-captured: only what remains", operation: "capture", klarna: ["capture": 4000],
            snapshot: { s, _ in meta(&s, ["capture_ids": ["earlier"]]) }, outcome: "captured", note: "captured",
            requests: ["GET ", "POST /captures"],
            check: { _, order in #expect(order["captured_amount"] as? Int == 10500) }),
        Row(name: "capture, captured beyond the total", operation: "capture", klarna: ["capture": 10500],
            snapshot: { s, _ in editQuantity(&s, to: 1) }, outcome: "over_captured", note: "over_captured",
            status: "on-hold", requests: ["POST /captures", "GET "],
            check: { response, order in
                #expect(((response["note"] as? [String: Any])?["params"] as? [String: Any])?["excess"] as? String == "EUR 50.00")
                #expect(order["captured_amount"] as? Int == 10500)
            }),
        Row(name: "capture, an earlier attempt pending", operation: "capture",
            snapshot: { s, _ in meta(&s, ["ledger": ["capture": ["answered": 2, "pending": fingerprintOfStandardOrder]]]) },
            outcome: "captured", note: "captured", requests: ["GET ", "POST /captures"],
            check: { response, _ in
                #expect((response["ledger"] as? [String: Any])?["answered"] as? Int == 3)
                #expect((response["ledger"] as? [String: Any])?["pending"] == nil)
            }),
        Row(name: "capture, another earlier attempt pending: the answer is checked", operation: "capture",
            snapshot: { s, _ in meta(&s, ["ledger": ["capture": ["answered": 2, "pending": String(repeating: "0", count: 64)]]]) },
            outcome: "captured", note: "captured", requests: ["GET ", "POST /captures", "GET /captures/{id}"],
            check: { response, _ in
                #expect((response["ledger"] as? [String: Any])?["answered"] as? Int == 3)
                #expect((response["ledger"] as? [String: Any])?["pending"] == nil)
            }),
        Row(name: "capture, captured at Klarna without meta", operation: "capture", klarna: ["capture": 10500],
            outcome: "already_captured", note: "already_captured", requests: ["POST /captures", "GET "]),
        Row(name: "capture, Klarna order cancelled", operation: "capture", klarna: ["status": "CANCELLED"],
            outcome: "capture_refused", note: "capture_refused_cancelled", status: "on-hold",
            requests: ["POST /captures", "GET "]),
        Row(name: "capture, authorization expired", operation: "capture",
            klarna: ["expires_at": "2001-01-01T00:00:00+00:00"], outcome: "capture_refused",
            note: "capture_refused_expired", status: "on-hold", requests: ["POST /captures", "GET "]),
        Row(name: "capture, fraud review pending", operation: "capture", klarna: ["fraud_status": "PENDING"],
            outcome: "capture_refused", note: "capture_refused_fraud", status: "on-hold",
            requests: ["POST /captures", "GET "]),
        Row(name: "capture, fraud rejected", operation: "capture", klarna: ["fraud_status": "REJECTED"],
            outcome: "capture_refused", note: "capture_refused_fraud", status: "on-hold",
            requests: ["POST /captures", "GET "]),
        Row(name: "capture, WooCommerce total above what Klarna holds", operation: "capture",
            snapshot: { s, _ in editQuantity(&s, to: 3) }, outcome: "capture_refused", note: "capture_refused_amount",
            status: "on-hold", requests: ["POST /captures", "GET "],
            check: { response, _ in
                let params = (response["note"] as? [String: Any])?["params"] as? [String: Any]
                #expect(params?["difference"] as? String == "EUR 50.00")
                #expect(params?["remaining"] as? String == "EUR 105.00")
            }),
        Row(name: "capture, no Klarna order id: hold, no call", operation: "capture",
            snapshot: { s, _ in klarnaId(&s, nil) }, outcome: "capture_refused", note: "capture_refused_no_klarna_order",
            status: "on-hold", requests: []),
        Row(name: "capture, Klarna down", operation: "capture", klarna: ["fail": 500], outcome: "capture_failed",
            note: "capture_failed", status: "on-hold", requests: ["POST /captures", "POST /captures", "POST /captures"]),
        Row(name: "capture, answer lost after commit: retried, captured once", operation: "capture",
            klarna: ["drop": 1], outcome: "captured", note: "captured", requests: ["POST /captures", "POST /captures"],
            check: { _, order in #expect((order["captures"] as? [Any])?.count == 1) }),

        // Refund
        Row(name: "refund everything", operation: "refund", klarna: ["capture": 10500],
            snapshot: { s, _ in refund(&s, amount: "105.00", items: []) }, outcome: "refunded", note: "refunded",
            requests: ["POST /refunds"],
            check: { response, order in
                #expect(order["refunded_amount"] as? Int == 10500)
                let refundId = (order["refunds"] as? [[String: Any]])?.first?["refund_id"] as? String
                #expect((response["order_meta"] as? [String: String])?["_klarna_om_refund_id_77"] == refundId)
            }),
        Row(name: "refund one hoodie, matched by item id", operation: "refund", klarna: ["capture": 10500],
            snapshot: { s, _ in refund(&s, amount: "50.00", items: [["item_id": 11, "quantity": -1, "total": "-40.00", "total_tax": "-10.00"]]) },
            outcome: "refunded", note: "refunded", requests: ["POST /refunds"],
            check: { _, order in
                let refund = (order["refunds"] as? [[String: Any]])?.first
                let line = (refund?["order_lines"] as? [[String: Any]])?.first
                #expect(line?["reference"] as? String == "HOODIE-M")
                #expect(line?["total_amount"] as? Int == 5000)
                #expect(line?["tax_rate"] as? Int == 2500)
            }),
        Row(name: "refund, nothing captured", operation: "refund",
            snapshot: { s, _ in refund(&s, amount: "10.00", items: []) }, outcome: "refund_refused",
            note: "refund_refused_not_captured", requests: ["POST /refunds", "GET "]),
        Row(name: "refund, more than captured minus refunded: no call", operation: "refund", klarna: ["capture": 10500],
            snapshot: { s, _ in refund(&s, amount: "60.00", items: [], previously: "50.00") }, outcome: "refund_refused",
            note: "refund_refused", requests: []),
        Row(name: "refund, Klarna down", operation: "refund", klarna: ["capture": 10500, "fail": 503],
            snapshot: { s, _ in refund(&s, amount: "10.00", items: []) }, outcome: "refund_failed", note: "refund_failed",
            requests: ["POST /refunds", "POST /refunds", "POST /refunds"]),

        // Any operation
        Row(name: "not paid with Klarna: skipped, no note", operation: "capture",
            snapshot: { s, _ in order(&s) { $0["payment_method"] = "bacs" } }, outcome: "skipped_not_klarna", requests: []),
        Row(name: "order management switched off: note, no call", operation: "capture",
            snapshot: { s, _ in meta(&s, ["disconnected": true]) }, outcome: "skipped_disconnected",
            note: "skipped_disconnected", requests: []),
    ]

    // MARK: - Running a row

    @Test(arguments: rows)
    func row(_ row: Row) throws {
        let sandbox = try #require(SandboxServer.shared, "sandbox: \(SandboxServer.startError)")
        let klarnaOrderId = try Self.seed(row, in: sandbox)
        let before = try sandbox.requests(for: klarnaOrderId).count
        var request = Self.standardRequest(klarnaOrderId: klarnaOrderId, sandbox: sandbox)
        row.snapshot(&request, klarnaOrderId)

        let response = try Self.call(row.operation, request)
        #expect(response["ok"] as? Bool == true, "\(response)")
        #expect(response["outcome"] as? String == row.outcome)
        #expect((response["note"] as? [String: Any])?["code"] as? String == row.note)
        #expect(response["order_status"] as? String == row.status)
        let sent = try sandbox.requests(for: klarnaOrderId).dropFirst(before).map { entry -> String in
            let path = entry["path"] as? String ?? ""
            let suffix = path.replacingOccurrences(of: "/ordermanagement/v1/orders/\(klarnaOrderId)", with: "")
                .replacingOccurrences(of: #"/(captures|refunds)/[0-9a-f-]{36}"#, with: "/$1/{id}", options: .regularExpression)
            return "\(entry["method"] as? String ?? "") " + suffix
        }
        #expect(sent == row.requests)
        row.check(response, try sandbox.order(klarnaOrderId))
        #expect(!"\(response)".contains(SandboxServer.password))
    }

    static func seed(_ row: Row, in sandbox: SandboxServer) throws -> String {
        var spec: [String: Any] = ["order_lines": standardKlarnaLines, "purchase_currency": "EUR"]
        for (key, value) in row.klarna where !["capture", "fail", "drop"].contains(key) { spec[key] = value }
        let id = try sandbox.seedOrder(spec)
        if let amount = row.klarna["capture"] as? Int {
            _ = try sandbox.client().createCapture(id, .init(capturedAmount: Int64(amount)), key: .init(intent: ["seed", id]))
        }
        if let status = row.klarna["fail"] as? Int {
            try sandbox.injectFaults(for: id, ["fail_next": ["count": 3, "status": status]])
        }
        if let drops = row.klarna["drop"] as? Int { try sandbox.injectFaults(for: id, ["drop_next_mutating": drops]) }
        return id
    }

    // MARK: - The standard order: two hoodies at EUR 50.00 and EUR 5.00 shipping, 25 % VAT included

    nonisolated(unsafe) static let standardKlarnaLines: [[String: Any]] = [
        ["type": "physical", "reference": "HOODIE-M", "name": "Hoodie", "quantity": 2, "unit_price": 5000,
         "tax_rate": 2500, "total_amount": 10000, "total_tax_amount": 2000],
        ["type": "shipping_fee", "reference": "flat_rate:3", "name": "Flat rate", "quantity": 1, "unit_price": 500,
         "tax_rate": 2500, "total_amount": 500, "total_tax_amount": 100],
    ]

    static func standardRequest(klarnaOrderId: String, sandbox: SandboxServer) -> [String: Any] {
        [
            "version": 1, "locale": "en_US",
            "config": ["environment": "sandbox", "base_url": sandbox.baseURL, "username": SandboxServer.username,
                       "password": SandboxServer.password, "timeout_ms": 10_000],
            "order": [
                "id": 1042, "number": "1042", "currency": "EUR", "prices_include_tax": true,
                "totals": ["total": "105.00", "total_tax": "21.00"],
                "items": [["item_id": 11, "product_id": 7, "sku": "HOODIE-M", "name": "Hoodie", "quantity": 2,
                           "subtotal": "80.00", "subtotal_tax": "20.00", "total": "80.00", "total_tax": "20.00",
                           "taxes": [["rate_id": 1, "percent": "25.0000", "amount": "20.00"]]]],
                "shipping_lines": [["item_id": 12, "method_id": "flat_rate", "instance_id": "3", "name": "Flat rate",
                                    "total": "4.00", "total_tax": "1.00",
                                    "taxes": [["rate_id": 1, "percent": "25.0000", "amount": "1.00"]]]],
                "payment_method": "klarna_payments",
                "klarna": ["order_id": klarnaOrderId, "purchase_country": "SE"],
            ] as [String: Any],
        ]
    }

    /// The fingerprint of the standard order's lines, as the core computes it.
    static let fingerprintOfStandardOrder: String = {
        let request = standardRequest(klarnaOrderId: "fingerprint", sandbox: SandboxServer.shared!)  // sandbox exists when rows run
        guard let data = try? JSONSerialization.data(withJSONObject: request),
              let decoded = try? RequestDecoder.decode(String(decoding: data, as: UTF8.self), for: .update),
              let lines = try? OrderLinesBuilder.build(decoded.order)
        else { return "" }
        return lines.fingerprint
    }()

    static func order(_ request: inout [String: Any], _ change: (inout [String: Any]) -> Void) {
        var order = request["order"] as? [String: Any] ?? [:]
        change(&order)
        request["order"] = order
    }

    static func meta(_ request: inout [String: Any], _ meta: [String: Any]) {
        order(&request) { $0["meta"] = meta }
    }

    static func klarnaId(_ request: inout [String: Any], _ id: String?) {
        order(&request) { $0["klarna"] = id.map { ["order_id": $0] } ?? [:] }
    }

    /// The merchant edited the hoodie quantity: EUR 40.00 + 10.00 VAT each, shipping unchanged.
    static func editQuantity(_ request: inout [String: Any], to quantity: Int) {
        order(&request) { order in
            let net = "\(40 * quantity).00", tax = "\(10 * quantity).00"
            order["items"] = [["item_id": 11, "product_id": 7, "sku": "HOODIE-M", "name": "Hoodie", "quantity": quantity,
                               "subtotal": net, "subtotal_tax": tax, "total": net, "total_tax": tax,
                               "taxes": [["rate_id": 1, "percent": "25.0000", "amount": tax]]]]
            order["totals"] = ["total": "\(50 * quantity + 5).00", "total_tax": "\(10 * quantity + 1).00"]
        }
    }

    static func refund(_ request: inout [String: Any], amount: String, items: [[String: Any]], previously: String? = nil) {
        var refund: [String: Any] = ["id": 77, "amount": amount, "reason": "Returned", "items": items]
        if let previously { refund["previously_refunded"] = previously }
        request["refund"] = refund
        meta(&request, ["capture_ids": ["c-1"]])
    }

    /// Calls `om_<operation>` through the C ABI and frees the answer.
    static func call(_ operation: String, _ request: [String: Any]) throws -> [String: Any] {
        let library = LoadedLibraryTests.Library.shared
        let function = try #require(library.symbol("om_\(operation)", as: LoadedLibraryTests.OperationFunction.self))
        let free = try #require(library.symbol("om_free", as: LoadedLibraryTests.FreeFunction.self))
        let text = String(decoding: try JSONSerialization.data(withJSONObject: request), as: UTF8.self)
        let pointer = function(text)
        defer { free(pointer) }
        let answer = try #require(pointer.map { String(cString: $0) })
        return try #require(try JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [String: Any])
    }
}

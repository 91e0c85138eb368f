package import Foundation
import OMCore

/// The decision table of docs/contract.md, once, for the two suites that run it: in memory (Tests/OMFlowsTests:
/// the flows over a `RecordingTransport` scripted with Klarna's answers, in milliseconds) and through the C ABI
/// against the Klarna sandbox (Tests/OMExportTests/FlowTableTests, the integration). Each row says the merchant's
/// situation, Klarna's (as sandbox state and as the answers Klarna gives), and what must come out: the outcome, the
/// note, the status the order gets, and exactly which requests reach Klarna.
package struct DecisionRow: Sendable, CustomStringConvertible {
    package var name: String
    package var operation: String
    /// Klarna's side for the sandbox: seed fields, plus "capture" (an amount captured first), "refund" (an amount
    /// refunded at Klarna outside WooCommerce), "refund_in_slot" (an amount refunded earlier in the refund ledger's
    /// first slot, as a lost attempt of `pendingRefund` would have: under its key, with the slot's reference), "fail"
    /// (that status three times) and "drop" (answers lost after commit).
    package var klarna: [String: any Sendable] = [:]
    /// Klarna's answer to each request, in order, for the run in memory.
    package var answers: [RecordingTransport.Answer] = []
    /// Changes to the standard request.
    package var snapshot: @Sendable (inout [String: Any]) -> Void = { _ in }
    package var outcome: String
    package var note: String?
    package var status: String?
    /// Requests Klarna must receive, as "METHOD suffix" after /orders/{id} (capture and refund ids as `{id}`).
    package var requests: [String]
    /// Problems with the response (empty when right), checked in both suites.
    package var checkResponse: @Sendable (_ response: [String: Any]) -> [String] = { _ in [] }
    /// Problems with Klarna's order afterwards, checked against the sandbox.
    package var checkKlarna: @Sendable (_ klarnaOrder: [String: Any]) -> [String] = { _ in [] }

    package var description: String { name }
}

package enum DecisionTable {
    typealias Row = DecisionRow

    /// The standard order's lines at Klarna: two hoodies at EUR 50.00 and EUR 5.00 shipping, 25 % VAT included.
    package static let klarnaLines = """
        [{"type":"physical","reference":"HOODIE-M","name":"Hoodie","quantity":2,"unit_price":5000,"tax_rate":2500,\
        "total_amount":10000,"total_tax_amount":2000},{"type":"shipping_fee","reference":"flat_rate:3",\
        "name":"Flat rate","quantity":1,"unit_price":500,"tax_rate":2500,"total_amount":500,"total_tax_amount":100}]
        """

    /// The same lines as objects, for seeding the sandbox.
    package static var seedLines: [[String: Any]] {
        (try? JSONSerialization.jsonObject(with: Data(klarnaLines.utf8))) as? [[String: Any]] ?? []
    }

    package static let rows: [DecisionRow] = [
        // Cancel
        Row(
            name: "cancel an authorized order", operation: "cancel", answers: [KlarnaAnswer.noContent],
            outcome: "cancelled", note: "cancelled", requests: ["POST /cancel"],
            checkResponse: { expect(record($0)?["cancelled"] as? Bool == true, "the cancellation recorded") },
            checkKlarna: { expect($0["status"] as? String == "CANCELLED", "Klarna's status") }),
        Row(
            name: "cancel, already cancelled in meta: no call", operation: "cancel",
            snapshot: { meta(&$0, ["cancelled": true]) }, outcome: "already_cancelled", note: "already_cancelled",
            requests: []),
        Row(
            name: "cancel, captured in meta: refund instead", operation: "cancel", klarna: ["capture": 10500],
            answers: [KlarnaAnswer.order(status: "CAPTURED", captured: [("c-1", 10500)])],
            snapshot: { meta(&$0, ["capture_ids": ["c-1"]]) }, outcome: "cancel_refused_captured",
            note: "cancel_refused_captured", status: "on-hold", requests: ["GET "],
            checkResponse: { expect(param($0, "refundable") == "EUR 105.00", "refundable") }),
        Row(
            name: "cancel, captured and refunded in cash: nothing held", operation: "cancel",
            klarna: ["capture": 10500],
            answers: [KlarnaAnswer.order(status: "CAPTURED", captured: [("c-1", 10500)])],
            snapshot: {
                meta(&$0, ["capture_ids": ["c-1"]])
                order(&$0) { $0["refunds"] = [["id": 90, "amount": "105.00", "refunded_payment": false]] }
            }, outcome: "nothing_held", note: "nothing_held", requests: ["GET "]),
        Row(
            name: "cancel, captured and refunded, authorization left open: released", operation: "cancel",
            klarna: ["order_amount": 20500, "capture": 10500, "refund": 10500],
            answers: [
                KlarnaAnswer.order(
                    status: "PART_CAPTURED", amount: 20500, captured: [("c-1", 10500)],
                    refunds: [("r-1", 10500, "1042-refund-1")]),
                KlarnaAnswer.noContent,
            ],
            snapshot: {
                meta(&$0, ["capture_ids": ["c-1"]])
                order(&$0) { $0["refunds"] = [["id": 90, "amount": "105.00", "refunded_payment": true]] }
            }, outcome: "nothing_held", note: "nothing_held_released",
            requests: ["GET ", "POST /release-remaining-authorization"],
            checkResponse: { expect(param($0, "remaining") == "EUR 100.00", "what was released") },
            checkKlarna: { expect($0["remaining_authorized_amount"] as? Int == 0, "nothing left authorized") }),
        Row(
            name: "cancel, authorization expired, nothing captured", operation: "cancel",
            klarna: ["expires_at": "2001-01-01T00:00:00+00:00"],
            answers: [KlarnaAnswer.refused("CANCEL_NOT_ALLOWED"), KlarnaAnswer.order(status: "EXPIRED")],
            outcome: "nothing_held", note: "authorization_expired", requests: ["POST /cancel", "GET "]),
        Row(
            name: "refunded by hand, captured: hold", operation: "cancel", klarna: ["capture": 10500],
            answers: [KlarnaAnswer.order(status: "CAPTURED", captured: [("c-1", 10500)])],
            snapshot: {
                meta(&$0, ["capture_ids": ["c-1"]])
                order(&$0) { $0["transition"] = ["from": "completed", "to": "refunded"] }
            }, outcome: "cancel_refused_captured", note: "refunded_status_refused", status: "on-hold",
            requests: ["GET "],
            checkResponse: { expect(param($0, "refundable") == "EUR 105.00", "refundable") }),
        Row(
            name: "refunded by hand, not captured: cancelled at Klarna", operation: "cancel",
            answers: [KlarnaAnswer.noContent],
            snapshot: { order(&$0) { $0["transition"] = ["from": "processing", "to": "refunded"] } },
            outcome: "cancelled", note: "cancelled", requests: ["POST /cancel"]),
        Row(
            name: "cancel, captured at Klarna: hold and refund instead", operation: "cancel",
            klarna: ["capture": 10500],
            answers: [
                KlarnaAnswer.refused("CANCEL_NOT_ALLOWED"),
                KlarnaAnswer.order(status: "CAPTURED", captured: [("c-1", 10500)]),
            ],
            outcome: "cancel_refused_captured", note: "cancel_refused_captured", status: "on-hold",
            requests: ["POST /cancel", "GET "]),
        Row(
            name: "cancel, already cancelled at Klarna", operation: "cancel", klarna: ["status": "CANCELLED"],
            answers: [KlarnaAnswer.refused("CANCEL_NOT_ALLOWED"), KlarnaAnswer.order(status: "CANCELLED")],
            outcome: "already_cancelled", note: "already_cancelled", requests: ["POST /cancel", "GET "]),
        Row(
            name: "cancel, Klarna down", operation: "cancel", klarna: ["fail": 503],
            answers: Array(repeating: KlarnaAnswer.unavailable(), count: 3), outcome: "cancel_failed",
            note: "cancel_failed", status: "on-hold", requests: ["POST /cancel", "POST /cancel", "POST /cancel"],
            checkResponse: { expect(ledger($0)?["pending"] as? String == "cancel", "a pending cancel") }),
        Row(
            name: "cancel, no Klarna order id: skipped", operation: "cancel",
            snapshot: { klarnaId(&$0, nil) }, outcome: "skipped_no_klarna_order", requests: []),

        // Update
        Row(
            name: "update with edited items", operation: "update", answers: [KlarnaAnswer.noContent],
            snapshot: { editQuantity(&$0, to: 1) }, outcome: "updated", note: "updated",
            requests: ["PATCH /authorization"],
            checkResponse: {
                expect((record($0)?["lines_fingerprint"] as? String)?.count == 64, "the fingerprint recorded")
            },
            checkKlarna: { expect($0["order_amount"] as? Int == 5500, "Klarna's amount") }),
        Row(
            name: "update, lines unchanged since Klarna accepted them: no call", operation: "update",
            snapshot: { meta(&$0, ["lines_fingerprint": fingerprintOfStandardOrder]) },
            outcome: "update_unchanged", note: "update_unchanged", requests: []),
        Row(
            name: "update, captured in meta: no call", operation: "update",
            snapshot: { meta(&$0, ["capture_ids": ["c-1"]]) }, outcome: "update_refused_captured",
            note: "update_refused_captured", status: "on-hold", requests: []),
        Row(
            name: "update, Klarna order cancelled", operation: "update", klarna: ["status": "CANCELLED"],
            answers: [KlarnaAnswer.refused("NOT_ALLOWED"), KlarnaAnswer.order(status: "CANCELLED")],
            snapshot: { editQuantity(&$0, to: 1) }, outcome: "update_refused", note: "update_refused_cancelled",
            status: "on-hold", requests: ["PATCH /authorization", "GET "]),
        Row(
            name: "update, cancelled in meta: no call", operation: "update",
            snapshot: { meta(&$0, ["cancelled": true]) }, outcome: "update_refused", note: "update_refused_cancelled",
            status: "on-hold", requests: []),
        Row(
            name: "update, Klarna declines the higher amount", operation: "update", klarna: ["decline_increase": true],
            answers: [KlarnaAnswer.refused("NOT_ALLOWED"), KlarnaAnswer.order()],
            snapshot: { editQuantity(&$0, to: 3) }, outcome: "update_refused", note: "update_refused",
            status: "on-hold", requests: ["PATCH /authorization", "GET "]),
        Row(
            name: "update, captured at Klarna", operation: "update", klarna: ["capture": 8000],
            answers: [
                KlarnaAnswer.refused("NOT_ALLOWED"),
                KlarnaAnswer.order(status: "PART_CAPTURED", captured: [("c-1", 8000)]),
            ],
            snapshot: { editQuantity(&$0, to: 1) }, outcome: "update_refused_captured",
            note: "update_refused_captured", status: "on-hold", requests: ["PATCH /authorization", "GET "]),
        Row(
            name: "update, back to lines Klarna held before (A → B → A)", operation: "update",
            answers: [KlarnaAnswer.noContent],
            snapshot: {
                editQuantity(&$0, to: 1)
                meta(
                    &$0,
                    ["lines_fingerprint": String(repeating: "b", count: 64), "ledger": ["update": ["answered": 2]]])
            }, outcome: "updated", note: "updated", requests: ["PATCH /authorization"],
            checkResponse: { expect(ledger($0)?["answered"] as? Int == 3, "the slot advanced") }),

        // Capture
        Row(
            name: "capture the order total with exact lines", operation: "capture",
            answers: [KlarnaAnswer.order(), KlarnaAnswer.captureCreated],
            outcome: "captured", note: "captured", requests: ["GET ", "POST /captures"],
            checkResponse: {
                expect((record($0)?["capture_id"] as? String)?.isEmpty == false, "the capture id recorded")
                    + expect(note($0)?.contains("EUR 105.00") == true, "the amount in the note")
            },
            checkKlarna: { expect($0["captured_amount"] as? Int == 10500, "Klarna's captured amount") }),
        Row(
            name: "capture, Klarna holds exactly the order's lines (an update left them): one request",
            operation: "capture",
            answers: [KlarnaAnswer.captureCreated],
            snapshot: { meta(&$0, ["lines_fingerprint": fingerprintOfStandardOrder]) },
            outcome: "captured", note: "captured", requests: ["POST /captures"],
            checkKlarna: { expect($0["captured_amount"] as? Int == 10500, "Klarna's captured amount") }),
        Row(
            name: "capture, captured in the Merchant Portal, authorization above the total", operation: "capture",
            klarna: ["order_amount": 20500, "capture": 10500],
            answers: [KlarnaAnswer.order(status: "PART_CAPTURED", amount: 20500, captured: [("c-1", 10500)])],
            outcome: "already_captured", note: "already_captured", requests: ["GET "],
            checkKlarna: { expect($0["captured_amount"] as? Int == 10500, "no second capture") }),
        Row(
            name: "capture, captured in meta and at Klarna: no second capture", operation: "capture",
            klarna: ["capture": 10500], answers: [KlarnaAnswer.order(status: "CAPTURED", captured: [("c-1", 10500)])],
            snapshot: { meta(&$0, ["capture_ids": ["earlier"]]) },
            outcome: "already_captured", note: "already_captured", requests: ["GET "]),
        Row(
            name: "capture, part-captured: only what remains", operation: "capture", klarna: ["capture": 4000],
            answers: [
                KlarnaAnswer.order(status: "PART_CAPTURED", captured: [("c-1", 4000)]), KlarnaAnswer.captureCreated,
            ],
            snapshot: { meta(&$0, ["capture_ids": ["earlier"]]) }, outcome: "captured", note: "captured",
            requests: ["GET ", "POST /captures"],
            checkResponse: { expect(param($0, "amount") == "EUR 65.00", "what remained") },
            checkKlarna: { expect($0["captured_amount"] as? Int == 10500, "Klarna's captured amount") }),
        Row(
            name: "capture id in meta, Klarna has no capture (a copied id)", operation: "capture",
            answers: [KlarnaAnswer.order(), KlarnaAnswer.captureCreated],
            snapshot: { meta(&$0, ["capture_ids": ["copied"]]) }, outcome: "captured", note: "captured",
            requests: ["GET ", "POST /captures"]),
        Row(
            name: "capture, captured beyond the total", operation: "capture", klarna: ["capture": 10500],
            answers: [KlarnaAnswer.order(status: "CAPTURED", captured: [("c-1", 10500)])],
            snapshot: { editQuantity(&$0, to: 1) }, outcome: "over_captured", note: "over_captured",
            status: "on-hold", requests: ["GET "],
            checkResponse: { expect(param($0, "excess") == "EUR 50.00", "the excess") },
            checkKlarna: { expect($0["captured_amount"] as? Int == 10500, "nothing more captured") }),
        Row(
            name: "capture, an earlier attempt pending", operation: "capture",
            answers: [KlarnaAnswer.order(), KlarnaAnswer.captureCreated],
            snapshot: { meta(&$0, ["ledger": ["capture": ["answered": 2, "pending": fingerprintOfStandardOrder]]]) },
            outcome: "captured", note: "captured", requests: ["GET ", "POST /captures"],
            checkResponse: {
                expect(ledger($0)?["answered"] as? Int == 3 && ledger($0)?["pending"] == nil, "the slot advanced")
            }),
        Row(
            name: "capture, another earlier attempt pending: the answer is checked", operation: "capture",
            answers: [KlarnaAnswer.order(), KlarnaAnswer.captureCreated, KlarnaAnswer.capture(amount: 10500)],
            snapshot: {
                meta(&$0, ["ledger": ["capture": ["answered": 2, "pending": String(repeating: "0", count: 64)]]])
            },
            outcome: "captured", note: "captured", requests: ["GET ", "POST /captures", "GET /captures/{id}"],
            checkResponse: {
                expect(ledger($0)?["answered"] as? Int == 3 && ledger($0)?["pending"] == nil, "the slot advanced")
            }),
        Row(
            name: "capture, captured at Klarna without meta", operation: "capture", klarna: ["capture": 10500],
            answers: [KlarnaAnswer.order(status: "CAPTURED", captured: [("c-1", 10500)])],
            outcome: "already_captured", note: "already_captured", requests: ["GET "]),
        Row(
            name: "capture, Klarna holds the lines but captured elsewhere: refused, then read", operation: "capture",
            klarna: ["capture": 10500],
            answers: [
                KlarnaAnswer.refused("CAPTURE_NOT_ALLOWED"),
                KlarnaAnswer.order(status: "CAPTURED", captured: [("c-1", 10500)]),
            ],
            snapshot: { meta(&$0, ["lines_fingerprint": fingerprintOfStandardOrder]) },
            outcome: "already_captured", note: "already_captured", requests: ["POST /captures", "GET "]),
        Row(
            name: "capture, Klarna order cancelled", operation: "capture", klarna: ["status": "CANCELLED"],
            answers: [KlarnaAnswer.order(status: "CANCELLED")],
            outcome: "capture_refused", note: "capture_refused_cancelled", status: "on-hold", requests: ["GET "]),
        Row(
            name: "capture, authorization expired", operation: "capture",
            klarna: ["expires_at": "2001-01-01T00:00:00+00:00"],
            answers: [KlarnaAnswer.order(status: "EXPIRED")],
            outcome: "capture_refused", note: "capture_refused_expired", status: "on-hold", requests: ["GET "]),
        Row(
            name: "capture, fraud review pending", operation: "capture", klarna: ["fraud_status": "PENDING"],
            answers: [KlarnaAnswer.order(fraud: "PENDING")],
            outcome: "capture_refused", note: "capture_refused_fraud", status: "on-hold", requests: ["GET "]),
        Row(
            name: "capture, fraud rejected", operation: "capture", klarna: ["fraud_status": "REJECTED"],
            answers: [KlarnaAnswer.order(fraud: "REJECTED")],
            outcome: "capture_refused", note: "capture_refused_fraud", status: "on-hold", requests: ["GET "]),
        Row(
            name: "capture, WooCommerce total above what Klarna holds", operation: "capture",
            answers: [KlarnaAnswer.order()],
            snapshot: { editQuantity(&$0, to: 3) }, outcome: "capture_refused", note: "capture_refused_amount",
            status: "on-hold", requests: ["GET "],
            checkResponse: {
                expect(param($0, "difference") == "EUR 50.00", "difference")
                    + expect(param($0, "remaining") == "EUR 105.00", "remaining")
            }),
        Row(
            name: "capture, no Klarna order id: hold, no call", operation: "capture",
            snapshot: { klarnaId(&$0, nil) }, outcome: "capture_refused", note: "capture_refused_no_klarna_order",
            status: "on-hold", requests: []),
        Row(
            name: "capture, Klarna down", operation: "capture", klarna: ["fail": 500],
            answers: Array(repeating: KlarnaAnswer.unavailable(500), count: 3),
            snapshot: { meta(&$0, ["lines_fingerprint": fingerprintOfStandardOrder]) }, outcome: "capture_failed",
            note: "capture_failed", status: "on-hold", requests: ["POST /captures", "POST /captures", "POST /captures"]),
        Row(
            name: "capture, answer lost after commit: retried, captured once", operation: "capture",
            klarna: ["drop": 1], answers: [.lost, KlarnaAnswer.captureCreated],
            snapshot: { meta(&$0, ["lines_fingerprint": fingerprintOfStandardOrder]) },
            outcome: "captured", note: "captured", requests: ["POST /captures", "POST /captures"],
            checkKlarna: { expect(($0["captures"] as? [Any])?.count == 1, "one capture") }),

        // Refund
        Row(
            name: "refund everything", operation: "refund", klarna: ["capture": 10500],
            answers: [KlarnaAnswer.refundCreated],
            snapshot: { refund(&$0, amount: "105.00", items: []) }, outcome: "refunded", note: "refunded",
            requests: ["POST /refunds"],
            checkResponse: {
                let refund = record($0)?["refund"] as? [String: Any]
                return expect(
                    refund?["id"] as? Int == 77 && (refund?["klarna_refund_id"] as? String)?.isEmpty == false,
                    "Klarna's refund id recorded for WooCommerce's refund 77")
            },
            checkKlarna: { expect($0["refunded_amount"] as? Int == 10500, "Klarna's refunded amount") }),
        Row(
            name: "refund one hoodie, matched by item id", operation: "refund", klarna: ["capture": 10500],
            answers: [KlarnaAnswer.refundCreated],
            snapshot: {
                refund(
                    &$0, amount: "50.00",
                    items: [["item_id": 11, "quantity": -1, "total": "-40.00", "total_tax": "-10.00"]])
            },
            outcome: "refunded", note: "refunded", requests: ["POST /refunds"],
            checkKlarna: {
                let line = ((($0["refunds"] as? [[String: Any]])?.first)?["order_lines"] as? [[String: Any]])?.first
                return expect(
                    line?["reference"] as? String == "HOODIE-M" && line?["total_amount"] as? Int == 5000
                        && line?["tax_rate"] as? Int == 2500, "the hoodie's line")
            }),
        Row(
            name: "refund, nothing captured", operation: "refund",
            answers: [KlarnaAnswer.refused("REFUND_NOT_ALLOWED"), KlarnaAnswer.order()],
            snapshot: { refund(&$0, amount: "10.00", items: []) }, outcome: "refund_refused",
            note: "refund_refused_not_captured", requests: ["POST /refunds", "GET "]),
        Row(
            name: "refund, more than the total less what WooCommerce refunded: no call", operation: "refund",
            klarna: ["capture": 10500],
            snapshot: {
                refund(&$0, amount: "60.00", items: [])
                order(&$0) {
                    $0["refunds"] = [
                        ["id": 70, "amount": "50.00", "refunded_payment": true],
                        ["id": 77, "amount": "60.00", "refunded_payment": false],
                    ]
                }
            }, outcome: "refund_refused", note: "refund_refused_over_refund", requests: [],
            checkResponse: { expect(param($0, "refundable") == "EUR 55.00", "what is still refundable") }),
        Row(
            name: "refund, more than Klarna still holds: says how much is refundable", operation: "refund",
            klarna: ["capture": 10500, "refund": 8000],
            answers: [
                KlarnaAnswer.refused("REFUND_NOT_ALLOWED"),
                KlarnaAnswer.order(status: "CAPTURED", captured: [("c-1", 10500)], refunds: [("r-0", 8000, "portal")]),
            ],
            snapshot: { refund(&$0, amount: "50.00", items: []) }, outcome: "refund_refused",
            note: "refund_refused_over_refund", requests: ["POST /refunds", "GET "],
            checkResponse: {
                expect(param($0, "refundable") == "EUR 25.00", "what Klarna still holds")
                    + expect(state($0)?["refunded"] as? Int == 8000, "the state read")
            },
            checkKlarna: { expect($0["refunded_amount"] as? Int == 8000, "nothing more refunded") }),
        Row(
            name: "refund, Klarna down", operation: "refund", klarna: ["capture": 10500, "fail": 503],
            answers: Array(repeating: KlarnaAnswer.unavailable(), count: 3),
            snapshot: { refund(&$0, amount: "10.00", items: []) }, outcome: "refund_failed", note: "refund_failed",
            requests: ["POST /refunds", "POST /refunds", "POST /refunds"],
            checkResponse: { expect((ledger($0)?["pending"] as? String)?.count == 64, "the refund pending") }),
        Row(
            name: "refund, an attempt whose answer was lost was carried out (found by its reference)",
            operation: "refund",
            klarna: ["capture": 10500, "refund_in_slot": 1000],
            answers: [
                KlarnaAnswer.order(
                    status: "CAPTURED", captured: [("c-1", 10500)], refunds: [("r-1", 1000, "1042-refund-1")])
            ],
            snapshot: {
                refund(&$0, amount: "10.00", items: [])
                meta(&$0, ["capture_ids": ["c-1"], "ledger": ["refund": ["answered": 0, "pending": pendingRefund]]])
            }, outcome: "refunded", note: "refunded", requests: ["GET "],
            checkResponse: {
                expect(ledger($0)?["answered"] as? Int == 1 && ledger($0)?["pending"] == nil, "the slot resolved")
            },
            checkKlarna: { expect(($0["refunds"] as? [Any])?.count == 1, "no second refund") }),
        Row(
            name: "refund, another earlier attempt was carried out", operation: "refund",
            klarna: ["capture": 10500, "refund_in_slot": 5000],
            answers: [
                KlarnaAnswer.order(
                    status: "CAPTURED", captured: [("c-1", 10500)], refunds: [("r-1", 5000, "1042-refund-1")])
            ],
            snapshot: {
                refund(&$0, amount: "10.00", items: [])
                meta(&$0, ["capture_ids": ["c-1"], "ledger": ["refund": ["answered": 0, "pending": pendingRefund]]])
            }, outcome: "refund_refused", note: "refund_refused_earlier_attempt", requests: ["GET "],
            checkResponse: { expect(param($0, "earlier_amount") == "EUR 50.00", "the earlier amount") },
            checkKlarna: { expect($0["refunded_amount"] as? Int == 5000, "nothing more refunded") }),
        Row(
            name: "refund, an attempt pending but not carried out: sent under its key", operation: "refund",
            klarna: ["capture": 10500],
            answers: [
                KlarnaAnswer.order(status: "CAPTURED", captured: [("c-1", 10500)]), KlarnaAnswer.refundCreated,
                .http(KlarnaAnswer.json(status: 200, #"{"refund_id":"r-2","refunded_amount":1000,"order_lines":[]}"#)),
            ],
            snapshot: {
                refund(&$0, amount: "10.00", items: [])
                meta(
                    &$0,
                    [
                        "capture_ids": ["c-1"],
                        "ledger": ["refund": ["answered": 0, "pending": String(repeating: "0", count: 64)]],
                    ])
            }, outcome: "refunded", note: "refunded", requests: ["GET ", "POST /refunds", "GET /refunds/{id}"],
            checkKlarna: { expect($0["refunded_amount"] as? Int == 1000, "one refund") }),

        // One shipment's capture
        Row(
            name: "capture one shipment with its tracking", operation: "capture",
            answers: [KlarnaAnswer.order(), KlarnaAnswer.captureCreated],
            snapshot: {
                meta(&$0, ["state": storedState(authorized: 10500)])
                shipment(&$0, items: [(11, 1)])
            }, outcome: "captured", note: "captured_shipment", requests: ["GET ", "POST /captures"],
            checkResponse: {
                expect(
                    param($0, "amount") == "EUR 55.00" && param($0, "left") == "EUR 50.00", "the shipment and the rest")
                    + expect(
                        state($0)?["source"] as? String == "read" && state($0)?["captured"] as? Int == 5500
                            && state($0)?["remaining"] as? Int == 5000
                            && state($0)?["status"] as? String == "PART_CAPTURED",
                        "the stored state with the capture")
                    + expect(
                        ((state($0)?["captures"] as? [[String: Any]])?.first?["shipping_info"] as? [[String: Any]])?
                            .first?["tracking_number"] as? String == "JJD000390007", "the tracking in the state")
            },
            checkKlarna: {
                let capture = ($0["captures"] as? [[String: Any]])?.first
                let lines = capture?["order_lines"] as? [[String: Any]] ?? []
                return expect($0["captured_amount"] as? Int == 5500, "Klarna's captured amount")
                    + expect(
                        lines.map { "\($0["reference"] ?? "") \($0["quantity"] ?? "") \($0["total_amount"] ?? "")" }
                            == ["HOODIE-M 1 5000", "flat_rate:3 1 500"], "the shipment's lines")
                    + expect(
                        (capture?["shipping_info"] as? [[String: Any]])?.first?["shipping_company"] as? String == "DHL",
                        "the shipping info")
            }),
        Row(
            name: "capture a later shipment: its items alone, what is left read first", operation: "capture",
            klarna: ["capture": 5500],
            answers: [
                KlarnaAnswer.order(status: "PART_CAPTURED", captured: [("c-1", 5500)]), KlarnaAnswer.captureCreated,
            ],
            snapshot: {
                meta(&$0, ["capture_ids": ["c-1"]])
                shipment(&$0, items: [(11, 1)])
            }, outcome: "captured", note: "captured", requests: ["GET ", "POST /captures"],
            checkResponse: {
                expect(param($0, "amount") == "EUR 50.00", "one hoodie, no shipping")
                    + expect(
                        state($0)?["source"] as? String == "read" && state($0)?["captured"] as? Int == 10500
                            && state($0)?["status"] as? String == "CAPTURED", "the read with the capture")
            },
            checkKlarna: {
                expect($0["captured_amount"] as? Int == 10500 && $0["status"] as? String == "CAPTURED", "all captured")
            }),
        Row(
            name: "capture a shipment worth more than WooCommerce still expects: hold, no capture",
            operation: "capture",
            klarna: ["capture": 10000],
            answers: [KlarnaAnswer.order(status: "PART_CAPTURED", captured: [("c-1", 10000)])],
            snapshot: {
                meta(&$0, ["capture_ids": ["c-1"]])
                shipment(&$0, items: [(11, 1)])
            }, outcome: "capture_refused", note: "capture_refused_more_than_left", status: "on-hold",
            requests: ["GET "],
            checkResponse: {
                expect(param($0, "left") == "EUR 5.00" && param($0, "amount") == "EUR 50.00", "what is left")
            },
            checkKlarna: { expect($0["captured_amount"] as? Int == 10000, "nothing more captured") }),

        // Klarna's side of the order: sync, release, extend
        Row(
            name: "sync: Klarna's order becomes the state", operation: "sync", klarna: ["capture": 4000],
            answers: [KlarnaAnswer.order(status: "PART_CAPTURED", captured: [("c-1", 4000)])],
            outcome: "synced", note: nil, requests: ["GET "],
            checkResponse: {
                let state = state($0) ?? [:]
                return expect(
                    state["source"] as? String == "read" && (state["read_at"] as? String)?.hasSuffix("Z") == true,
                    "a read, with its time")
                    + expect(
                        state["status"] as? String == "PART_CAPTURED" && state["authorized"] as? Int == 10500
                            && state["captured"] as? Int == 4000 && state["remaining"] as? Int == 6500
                            && state["refunded"] as? Int == 0 && (state["captures"] as? [Any])?.count == 1,
                        "Klarna's status and amounts")
                    + expect(
                        state["environment"] as? String == "sandbox" && state["currency"] as? String == "EUR"
                            && state["portal_url"] == nil && state["expires_at"] != nil, "where the order lives")
                    + expect((record($0)?["capture_id"] as? String)?.isEmpty == false, "the capture recorded")
            }),
        Row(
            name: "sync, Completed but Klarna captured part: the disagreement and its fix", operation: "sync",
            klarna: ["capture": 4000],
            answers: [KlarnaAnswer.order(status: "PART_CAPTURED", captured: [("c-1", 4000)])],
            snapshot: { $0["order"] = ($0["order"] as? [String: Any] ?? [:]).merging(["status": "completed"]) { $1 } },
            outcome: "synced", note: nil, requests: ["GET "],
            checkResponse: {
                let found = $0["disagreements"] as? [[String: Any]] ?? []
                return expect(
                    found.map { "\($0["code"] ?? "") \($0["fix"] ?? "")" } == ["completed_part_captured capture"],
                    "one disagreement: \(found)")
                    + expect((found.first?["text"] as? String)?.contains("EUR 65.00") == true, "what is not captured")
                    + expect($0["order_status"] == nil && $0["note"] == nil, "nothing changed, no note")
            }),
        Row(
            name: "sync, Klarna down", operation: "sync", klarna: ["fail": 503],
            answers: Array(repeating: KlarnaAnswer.unavailable(), count: 3), outcome: "sync_failed",
            note: "sync_failed",
            requests: ["GET ", "GET ", "GET "],
            checkResponse: { expect($0["state"] == nil, "no state: the stored one stays") }),
        Row(
            name: "release the rest of a part-captured order", operation: "release", klarna: ["capture": 4000],
            answers: [
                KlarnaAnswer.noContent, KlarnaAnswer.order(status: "CLOSED", captured: [("c-1", 4000)], remaining: 0),
            ],
            snapshot: { meta(&$0, ["capture_ids": ["c-1"]]) }, outcome: "released", note: "released",
            requests: ["POST /release-remaining-authorization", "GET "],
            checkResponse: {
                expect(ledger($0)?["answered"] as? Int == 1, "the release's slot advanced")
                    + expect(
                        state($0)?["remaining"] as? Int == 0 && state($0)?["status"] as? String == "CLOSED",
                        "Klarna's order after the release")
            },
            checkKlarna: {
                expect(
                    $0["remaining_authorized_amount"] as? Int == 0 && $0["status"] as? String == "CLOSED", "released")
            }),
        Row(
            name: "release, nothing captured: not allowed, cancel instead", operation: "release",
            answers: [KlarnaAnswer.refused("NOT_ALLOWED"), KlarnaAnswer.order()],
            outcome: "release_refused", note: "release_refused_not_captured",
            requests: ["POST /release-remaining-authorization", "GET "],
            checkResponse: {
                expect(ledger($0)?["answered"] as? Int == 1, "a definite answer advances the slot")
                    + expect(state($0)?["status"] as? String == "AUTHORIZED", "the state read")
            },
            checkKlarna: { expect($0["remaining_authorized_amount"] as? Int == 10500, "nothing released") }),
        Row(
            name: "extend the authorization: the note shows the new expiry", operation: "extend",
            klarna: ["expires_at": soonExpiry],
            answers: [KlarnaAnswer.noContent, KlarnaAnswer.order(expiresAt: "2031-02-26T00:00:00+00:00")],
            outcome: "extended", note: "extended", requests: ["POST /extend-authorization-time", "GET "],
            checkResponse: {
                let expiry = state($0)?["expires_at"] as? String ?? ""
                return expect(!expiry.isEmpty && expiry != soonExpiry, "the new expiry in the state")
                    + expect(
                        note($0)?.contains(String(expiry.prefix(10)) + " 00:00 UTC") == true,
                        "the new expiry in the note")
                    + expect(ledger($0)?["answered"] as? Int == 1, "the extension's slot advanced")
            },
            checkKlarna: { expect($0["expires_at"] as? String != soonExpiry, "Klarna's expiry moved") }),
        Row(
            name: "extend, authorization expired: refused", operation: "extend",
            klarna: ["expires_at": "2001-01-01T00:00:00+00:00"],
            answers: [KlarnaAnswer.refused("NOT_ALLOWED"), KlarnaAnswer.order(status: "EXPIRED")],
            outcome: "extend_refused", note: "extend_refused", requests: ["POST /extend-authorization-time", "GET "],
            checkResponse: { expect(state($0)?["status"] as? String == "EXPIRED", "the state says why") }),

        // Any operation
        Row(
            name: "order management switched off: note, no call", operation: "capture",
            snapshot: { meta(&$0, ["disconnected": true]) }, outcome: "skipped_disconnected",
            note: "skipped_disconnected", requests: []),
        Row(
            name: "Klarna refuses the credentials: the note points to the gateway's settings", operation: "capture",
            answers: [KlarnaAnswer.unauthorized],
            snapshot: {
                $0["config"] = ($0["config"] as? [String: Any] ?? [:]).merging(["password": "wrong"]) { _, new in new }
                meta(&$0, ["lines_fingerprint": fingerprintOfStandardOrder])
            },
            outcome: "capture_refused", note: "credentials_refused", status: "on-hold", requests: ["POST /captures"],
            checkResponse: {
                expect(note($0)?.contains("WooCommerce → Settings → Payments → Klarna") == true, "where to fix it")
            }),
    ]

    /// An expiry two days from now, which an extension moves.
    package static let soonExpiry: String = {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date().addingTimeInterval(2 * 86_400))
    }()

    /// The state the plugin stored from a read of the standard order, nothing captured.
    package static func storedState(authorized: Int) -> [String: Any] {
        [
            "source": "read", "read_at": "2030-01-01T00:00:00Z", "status": "AUTHORIZED", "fraud_status": "ACCEPTED",
            "currency": "EUR", "authorized": authorized, "captured": 0, "refunded": 0, "remaining": authorized,
            "captures": [] as [Any], "refunds": [] as [Any],
        ]
    }

    /// The merchant captures one shipment: these items (item id, quantity), with DHL tracking.
    package static func shipment(_ request: inout [String: Any], items: [(Int, Int)]) {
        request["capture"] =
            [
                "items": items.map { ["item_id": $0.0, "quantity": $0.1] },
                "shipping_info": [
                    [
                        "shipping_company": "DHL", "shipping_method": "Home", "tracking_number": "JJD000390007",
                        "tracking_uri": "https://www.dhl.com/track?id=JJD000390007",
                    ]
                ],
            ] as [String: Any]
    }

    // MARK: - The standard order

    /// The request for the standard order at the sandbox (or anywhere: the in-memory suite never connects).
    package static func standardRequest(
        klarnaOrderId: String, baseURL: String = "http://127.0.0.1:9",
        username: String = SandboxServer.username,
        password: String = SandboxServer.password
    ) -> [String: Any] {
        [
            "version": 1, "locale": "en_US",
            "config": [
                "environment": "sandbox", "base_url": baseURL, "username": username, "password": password,
                "timeout_ms": 10_000,
            ],
            "order": [
                "id": 1042, "number": "1042", "currency": "EUR", "prices_include_tax": true,
                "totals": ["total": "105.00", "total_tax": "21.00"],
                "items": [
                    [
                        "item_id": 11, "product_id": 7, "sku": "HOODIE-M", "name": "Hoodie", "quantity": 2,
                        "subtotal": "80.00", "subtotal_tax": "20.00", "total": "80.00", "total_tax": "20.00",
                        "taxes": [["rate_id": 1, "percent": "25.0000", "amount": "20.00"]],
                    ]
                ],
                "shipping_lines": [
                    [
                        "item_id": 12, "method_id": "flat_rate", "instance_id": "3", "name": "Flat rate",
                        "total": "4.00", "total_tax": "1.00",
                        "taxes": [["rate_id": 1, "percent": "25.0000", "amount": "1.00"]],
                    ]
                ],
                "payment_method": "klarna_payments",
                "klarna": ["order_id": klarnaOrderId, "purchase_country": "SE"],
            ] as [String: Any],
        ]
    }

    /// The fingerprint of a 10.00 refund without lines: a pending attempt of it (what "refund_in_slot" seeds).
    package static let pendingRefund: String = LineSet.amountOnly(1000).fingerprint

    /// The fingerprint of the standard order's lines, as the core computes it.
    package static let fingerprintOfStandardOrder: String = {
        let request = standardRequest(klarnaOrderId: "fingerprint")
        guard let data = try? JSONSerialization.data(withJSONObject: request),
            let decoded = try? RequestDecoder.decode(String(decoding: data, as: UTF8.self), for: .update),
            let lines = try? OrderLinesBuilder.build(decoded.order)
        else { return "" }
        return lines.fingerprint
    }()

    package static func order(_ request: inout [String: Any], _ change: (inout [String: Any]) -> Void) {
        var order = request["order"] as? [String: Any] ?? [:]
        change(&order)
        request["order"] = order
    }

    package static func meta(_ request: inout [String: Any], _ meta: [String: Any]) {
        order(&request) { $0["meta"] = meta }
    }

    package static func klarnaId(_ request: inout [String: Any], _ id: String?) {
        order(&request) { $0["klarna"] = id.map { ["order_id": $0] } ?? [:] }
    }

    /// The merchant edited the hoodie quantity: EUR 40.00 + 10.00 VAT each, shipping unchanged.
    package static func editQuantity(_ request: inout [String: Any], to quantity: Int) {
        order(&request) { order in
            let net = "\(40 * quantity).00"
            let tax = "\(10 * quantity).00"
            order["items"] = [
                [
                    "item_id": 11, "product_id": 7, "sku": "HOODIE-M", "name": "Hoodie", "quantity": quantity,
                    "subtotal": net, "subtotal_tax": tax, "total": net, "total_tax": tax,
                    "taxes": [["rate_id": 1, "percent": "25.0000", "amount": tax]],
                ]
            ]
            order["totals"] = ["total": "\(50 * quantity + 5).00", "total_tax": "\(10 * quantity + 1).00"]
        }
    }

    /// The refund WooCommerce is creating (id 77), on an order whose capture is recorded.
    package static func refund(_ request: inout [String: Any], amount: String, items: [[String: Any]]) {
        request["refund"] = ["id": 77, "amount": amount, "reason": "Returned", "items": items]
        meta(&request, ["capture_ids": ["c-1"]])
    }

    // MARK: - Reading a response

    static func expect(_ holds: Bool, _ what: String) -> [String] { holds ? [] : [what] }
    static func record(_ response: [String: Any]) -> [String: Any]? { response["record"] as? [String: Any] }
    static func param(_ response: [String: Any], _ name: String) -> String? {
        ((response["note"] as? [String: Any])?["params"] as? [String: Any])?[name] as? String
    }
    static func note(_ response: [String: Any]) -> String? { (response["note"] as? [String: Any])?["text"] as? String }
    static func ledger(_ response: [String: Any]) -> [String: Any]? { response["ledger"] as? [String: Any] }
    static func state(_ response: [String: Any]) -> [String: Any]? { response["state"] as? [String: Any] }
}

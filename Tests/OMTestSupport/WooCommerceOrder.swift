package import Foundation

/// WooCommerce's side of one Klarna order, as thin as the tests allow: what the plugin would send the core for a
/// merchant's action, and what it keeps from each answer (note, meta, ledger, status). WooCommerce itself cannot run
/// here; this model follows what it does at the points the product depends on (woocommerce-facts.md):
/// - a status change runs the operation the plugin maps it to, and a response's `order_status` replaces the status
///   being saved;
/// - a refund is saved with a new id before the gateway is called, deleted when the gateway fails (so the
///   merchant's retry is a new refund with a new id), and a full refund sets the status to Refunded;
/// - meta and the intent ledger survive everything.
/// The plugin's own PHP is tested against the same behaviour in php-glue/tests.
package struct WooCommerceOrder {
    /// Runs one operation of the core: `om_<operation>` through the C ABI, or the executable.
    package typealias Core = (_ operation: String, _ request: [String: Any]) throws -> [String: Any]

    package let id: Int64
    package let klarnaOrderId: String
    package private(set) var status: String
    /// Items: quantity of each product, as the merchant edits them while the order is On hold.
    package private(set) var quantities: [Product: Int]
    package private(set) var meta: [String: String] = [:]
    package private(set) var ledger: [String: Any] = [:]
    /// WooCommerce's refunds, newest last: id, amount (minor units), whether the gateway paid it out.
    package private(set) var refunds: [(id: Int64, amount: Int64, refundedPayment: Bool)] = []
    package private(set) var notes: [String] = []
    /// `_klarna_om_state`: the `state` of the last response that carried one.
    package private(set) var state: [String: Any]?
    /// The shop's money format, sent with every request when set.
    package var format: [String: Any]?
    private var nextRefundId: Int64
    /// The request's `config`; tests shorten its `timeout_ms` to make Klarna "slow".
    package var config: [String: Any]
    private let core: Core

    /// The shop's products: EUR prices with 25 % VAT included.
    package enum Product: Int64, CaseIterable, Sendable {
        case hoodie = 11
        case cap = 13

        var name: String { self == .hoodie ? "Hoodie" : "Cap" }
        var sku: String { self == .hoodie ? "HOODIE-M" : "CAP-1" }
        /// Net and tax per unit, in cents.
        var unit: (net: Int64, tax: Int64) { self == .hoodie ? (4_000, 1_000) : (1_000, 250) }
    }

    /// Shipping: EUR 4.00 + 1.00 VAT.
    static let shipping: (net: Int64, tax: Int64) = (400, 100)

    package init(
        id: Int64, klarnaOrderId: String, quantities: [Product: Int], status: String = "processing",
        config: [String: Any], core: @escaping Core
    ) {
        self.id = id
        self.klarnaOrderId = klarnaOrderId
        self.quantities = quantities
        self.status = status
        self.config = config
        self.core = core
        nextRefundId = id * 100
    }

    /// The order total in cents, as WooCommerce computes it.
    package var total: Int64 {
        quantities.reduce(Self.shipping.net + Self.shipping.tax) { sum, entry in
            sum + Int64(entry.value) * (entry.key.unit.net + entry.key.unit.tax)
        }
    }

    /// What WooCommerce has refunded, and the part of it the gateway paid out.
    package var refunded: Int64 { refunds.reduce(0) { $0 + $1.amount } }
    package var refundedThroughKlarna: Int64 { refunds.filter(\.refundedPayment).reduce(0) { $0 + $1.amount } }

    /// The ledger's meta is lost, or written back from a copy of the order read before the last answer was stored.
    package mutating func forgetLedger() {
        ledger = [:]
    }

    /// The merchant edits the items (WooCommerce allows it on an order that is On hold, Pending or Processing).
    package mutating func edit(_ product: Product, quantity: Int) {
        quantities[product] = quantity > 0 ? quantity : nil
    }

    /// The merchant saves the order with another status. Returns the core's response, nil when no operation ran.
    @discardableResult
    package mutating func setStatus(_ to: String) throws -> [String: Any]? {
        let from = status
        guard let operation = Self.operation(from: from, to: to) else {
            status = to
            return nil
        }
        let response = try core(operation, request(operation: operation, transition: ["from": from, "to": to]))
        status = to
        apply(response, operation: operation)
        return response
    }

    /// The plugin's mapping of status changes to operations (OrderHooks::operation_for).
    package static func operation(from: String, to: String) -> String? {
        switch (from, to) {
        case (_, "cancelled") where from != "cancelled", (_, "refunded") where from != "refunded": "cancel"
        case (_, "completed") where from != "completed": "capture"
        case ("on-hold", "processing"), ("cancelled", "processing"), ("refunded", "processing"): "update"
        default: nil
        }
    }

    /// The merchant refunds through the refund button ("Refund … via Klarna"): WooCommerce saves a refund with a new
    /// id, calls the gateway, and deletes the refund when the gateway fails. `items` are WooCommerce's refund lines
    /// (negative, as stored). Returns the core's response.
    @discardableResult
    package mutating func refund(
        amount: Int64, items: [[String: Any]] = [], reason: String = "Returned"
    ) throws
        -> [String: Any]
    {
        nextRefundId += 1
        let refundId = nextRefundId
        refunds.append((refundId, amount, false))
        var request = request(operation: "refund")
        request["refund"] = ["id": refundId, "amount": Self.decimal(amount), "reason": reason, "items": items]
        let response = try core("refund", request)
        apply(response, operation: "refund")
        guard response["success"] as? Bool == true else {
            refunds.removeAll { $0.id == refundId }
            return response
        }
        refunds = refunds.map { $0.id == refundId ? ($0.id, $0.amount, true) : $0 }
        if refunded >= total { try setStatus("refunded") }  // WooCommerce: woocommerce_order_fully_refunded
        return response
    }

    /// The merchant records a refund with "Refund manually" (no gateway call: `refunded_payment` false), as
    /// WooCommerce does; a full one sets the status to Refunded, which the plugin turns into a cancel.
    @discardableResult
    package mutating func refundManually(amount: Int64) throws -> [String: Any]? {
        nextRefundId += 1
        refunds.append((nextRefundId, amount, false))
        return refunded >= total ? try setStatus("refunded") : nil
    }

    /// The merchant uses the order screen's Klarna box: `sync`, `release`, `extend`, or `capture` of one shipment
    /// (`capture`: the request's `capture` member). Returns the core's response.
    @discardableResult
    package mutating func act(_ operation: String, capture: [String: Any]? = nil) throws -> [String: Any] {
        var request = request(operation: operation)
        if let capture { request["capture"] = capture }
        let response = try core(operation, request)
        apply(response, operation: operation)
        return response
    }

    /// The request the plugin builds for an operation (SnapshotBuilder).
    package func request(operation: String, transition: [String: String]? = nil) -> [String: Any] {
        var items: [[String: Any]] = []
        for product in Product.allCases {
            guard let quantity = quantities[product] else { continue }
            let net = Int64(quantity) * product.unit.net
            let tax = Int64(quantity) * product.unit.tax
            items.append([
                "item_id": product.rawValue, "product_id": product.rawValue, "sku": product.sku,
                "name": product.name, "quantity": quantity,
                "subtotal": Self.decimal(net), "subtotal_tax": Self.decimal(tax),
                "total": Self.decimal(net), "total_tax": Self.decimal(tax),
                "taxes": [["rate_id": 1, "percent": "25.0000", "amount": Self.decimal(tax)]],
            ])
        }
        let tax = quantities.reduce(Self.shipping.tax) { $0 + Int64($1.value) * $1.key.unit.tax }
        var storedMeta: [String: Any] = [:]
        if let capture = meta["_wc_klarna_capture_id"] { storedMeta["capture_ids"] = [capture] }
        if let fingerprint = meta["_klarna_om_lines_fingerprint"] { storedMeta["lines_fingerprint"] = fingerprint }
        if meta["_wc_klarna_cancelled"] == "yes" { storedMeta["cancelled"] = true }
        if !ledger.isEmpty { storedMeta["ledger"] = ledger }
        if let state { storedMeta["state"] = state }
        var order: [String: Any] = [
            "id": id, "number": String(id), "currency": "EUR", "prices_include_tax": true,
            "totals": ["total": Self.decimal(total), "total_tax": Self.decimal(tax)],
            "items": items,
            "shipping_lines": [
                [
                    "item_id": 12, "method_id": "flat_rate", "instance_id": "3", "name": "Flat rate",
                    "total": Self.decimal(Self.shipping.net), "total_tax": Self.decimal(Self.shipping.tax),
                    "taxes": [["rate_id": 1, "percent": "25.0000", "amount": Self.decimal(Self.shipping.tax)]],
                ]
            ],
            "payment_method": "klarna_payments",
            "klarna": ["order_id": klarnaOrderId, "purchase_country": "SE"],
            "refunds": refunds.map {
                ["id": $0.id, "amount": Self.decimal($0.amount), "refunded_payment": $0.refundedPayment]
            },
        ]
        if !storedMeta.isEmpty { order["meta"] = storedMeta }
        if let transition { order["transition"] = transition }
        var request: [String: Any] = [
            "version": 1, "operation": operation, "locale": "en_US", "config": config,
            "order": order,
        ]
        if let format { request["format"] = format }
        return request
    }

    /// ResponseApplier: the note, the record under the plugin's meta keys (OrderMeta), the ledger entry, the status.
    mutating func apply(_ response: [String: Any], operation: String) {
        if let note = (response["note"] as? [String: Any])?["text"] as? String { notes.append(note) }
        let record = response["record"] as? [String: Any] ?? [:]
        if let captureId = record["capture_id"] as? String { meta["_wc_klarna_capture_id"] = captureId }
        if record["cancelled"] as? Bool == true { meta["_wc_klarna_cancelled"] = "yes" }
        if let fingerprint = record["lines_fingerprint"] as? String {
            meta["_klarna_om_lines_fingerprint"] = fingerprint
        }
        if let refund = record["refund"] as? [String: Any], let id = refund["id"] as? Int,
            let klarnaRefundId = refund["klarna_refund_id"] as? String
        {
            meta["_klarna_om_refund_id_\(id)"] = klarnaRefundId
        }
        if let entry = response["ledger"] { ledger[operation] = entry }
        if let status = response["order_status"] as? String { self.status = status }
        if let state = response["state"] as? [String: Any] { self.state = state }
    }

    /// "105.00" from 10500 cents.
    package static func decimal(_ cents: Int64) -> String {
        let sign = cents < 0 ? "-" : ""
        let magnitude = cents.magnitude
        return "\(sign)\(magnitude / 100).\(magnitude % 100 < 10 ? "0" : "")\(magnitude % 100)"
    }

    /// A refund line of one unit of a product, as WooCommerce stores it (negative).
    package static func refundLine(_ product: Product, quantity: Int = 1) -> [String: Any] {
        [
            "item_id": product.rawValue, "quantity": -quantity,
            "total": decimal(-Int64(quantity) * product.unit.net),
            "total_tax": decimal(-Int64(quantity) * product.unit.tax),
        ]
    }
}

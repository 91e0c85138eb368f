/// What Klarna receives for one capture, update or refund: the lines, the amount they add up to, and what the
/// rounding reconciliation changed. Built only by `OrderLinesBuilder` and `RefundLinesBuilder`, which guarantee:
/// every line's `total_amount == quantity × unit_price − total_discount_amount`, and the lines add up to `amount`
/// (a refund sent as its amount alone has no lines).
package struct LineSet: Sendable, Equatable {
    package var lines: [OrderLine]
    /// The amount to send: `order_amount`, `captured_amount` or `refunded_amount`.
    package var amount: Int64
    /// The sum of the lines' `total_tax_amount`.
    package var taxAmount: Int64
    package var adjustments: [LineAdjustment]

    /// A stable digest of the amount and the lines, to tell whether Klarna already holds exactly these.
    package var fingerprint: String {
        var text = "amount=\(amount)\n"
        for line in lines {
            let fields: [String] = [
                line.type?.rawValue ?? "", line.reference ?? "", line.name, String(line.quantity),
                String(line.unitPrice), String(line.taxRate ?? 0), String(line.totalAmount),
                String(line.totalDiscountAmount ?? 0), String(line.totalTaxAmount ?? 0),
            ]
            text += fields.joined(separator: "\u{1F}") + "\n"
        }
        return SHA256.hex(text)
    }
}

/// One rounding decision: a line whose amount differs from plain rounding so that the lines add up exactly.
package struct LineAdjustment: Sendable, Equatable {
    package var line: Int
    package var name: String
    /// `total_amount` or `total_tax_amount`.
    package var field: String
    /// Plain rounding (half away from zero) of WooCommerce's exact amount, and what was sent instead.
    package var rounded: Int64
    package var sent: Int64

    package init(line: Int, name: String, field: String, rounded: Int64, sent: Int64) {
        self.line = line
        self.name = name
        self.field = field
        self.rounded = rounded
        self.sent = sent
    }
}

/// A line before rounding: WooCommerce's exact amounts and what Klarna needs to know about it.
struct DraftLine {
    var type: OrderLine.Kind
    var reference: String?
    var name: String
    var quantity: Int64
    /// Before coupons, tax included where tax is included: the price the customer saw. Products only.
    var grossSubtotal: FineAmount?
    /// After coupons, tax included where tax is included.
    var gross: FineAmount
    var tax: FineAmount
    var taxRate: Int64
    var productUrl: String?
    var imageUrl: String?
}

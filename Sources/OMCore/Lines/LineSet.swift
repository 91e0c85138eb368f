/// What Klarna receives for one capture, update or refund: the lines, the amount they add up to, and what the
/// rounding reconciliation changed. Built only by `OrderLinesBuilder` and `RefundLinesBuilder`, which guarantee:
/// every line's `total_amount == quantity × unit_price − total_discount_amount`, and the lines add up to `amount`.
public struct LineSet: Sendable, Equatable {
    public var lines: [OrderLine]
    /// The amount to send: `order_amount`, `captured_amount` or `refunded_amount`.
    public var amount: Int64
    /// The sum of the lines' `total_tax_amount`.
    public var taxAmount: Int64
    public var adjustments: [LineAdjustment]

    /// A stable digest of the amount and the lines, to tell whether Klarna already holds exactly these.
    public var fingerprint: String {
        var text = "amount=\(amount)\n"
        for line in lines {
            let fields: [String] = [line.type?.rawValue ?? "", line.reference ?? "", line.name, String(line.quantity),
                                    String(line.unitPrice), String(line.taxRate ?? 0), String(line.totalAmount),
                                    String(line.totalDiscountAmount ?? 0), String(line.totalTaxAmount ?? 0)]
            text += fields.joined(separator: "\u{1F}") + "\n"
        }
        return SHA256.hex(text)
    }
}

/// One rounding decision: a line whose amount differs from plain rounding so that the lines add up exactly.
public struct LineAdjustment: Sendable, Equatable, Encodable {
    public var line: Int
    public var name: String
    /// `total_amount` or `total_tax_amount`.
    public var field: String
    /// Plain rounding (half away from zero) of WooCommerce's exact amount, and what was sent instead.
    public var rounded: Int64
    public var sent: Int64

    public init(line: Int, name: String, field: String, rounded: Int64, sent: Int64) {
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

enum LineRounding {
    /// Rounds drafts so that their totals add up to `amount` and their taxes to `taxAmount` (largest remainder),
    /// then derives unit prices and discounts so each line's arithmetic holds exactly.
    static func finish(_ drafts: [DraftLine], amount: Int64, taxAmount: Int64?) throws(OMError) -> LineSet {
        guard let totals = LargestRemainder.allocate(drafts.map(\.gross), total: amount) else {
            let sum = (try? drafts.map(\.gross).sum().roundedMinorUnits) ?? 0
            throw OMError(.linesDoNotAddUp,
                          "the order's lines add up to \(sum) minor units but the amount to send is \(amount); nothing was sent")
        }
        let taxTarget: Int64
        if let taxAmount {
            taxTarget = taxAmount
        } else {
            taxTarget = try drafts.map(\.tax).sum().roundedMinorUnits
        }
        guard let taxes = LargestRemainder.allocate(drafts.map(\.tax), total: taxTarget) else {
            let sum = (try? drafts.map(\.tax).sum().roundedMinorUnits) ?? 0
            throw OMError(.linesDoNotAddUp,
                          "the lines' tax adds up to \(sum) minor units but the order's tax is \(taxTarget); nothing was sent")
        }
        var lines: [OrderLine] = []
        var adjustments: [LineAdjustment] = []
        for (index, draft) in drafts.enumerated() {
            let total = totals[index], tax = taxes[index]
            if total != draft.gross.roundedMinorUnits {
                adjustments.append(LineAdjustment(line: index, name: draft.name, field: "total_amount",
                                                  rounded: draft.gross.roundedMinorUnits, sent: total))
            }
            if tax != draft.tax.roundedMinorUnits {
                adjustments.append(LineAdjustment(line: index, name: draft.name, field: "total_tax_amount",
                                                  rounded: draft.tax.roundedMinorUnits, sent: tax))
            }
            let (quantity, unitPrice, discount) = try pricing(draft, total: total)
            lines.append(OrderLine(type: draft.type, reference: draft.reference.map { truncated($0, to: 64) },
                                   name: truncated(draft.name, to: 255), quantity: quantity, unitPrice: unitPrice,
                                   taxRate: draft.taxRate, totalAmount: total, totalDiscountAmount: discount,
                                   totalTaxAmount: tax, productUrl: draft.productUrl.map { truncated($0, to: 1024) },
                                   imageUrl: draft.imageUrl.map { truncated($0, to: 1024) }))
        }
        return LineSet(lines: lines, amount: amount, taxAmount: taxTarget, adjustments: adjustments)
    }

    /// Quantity, unit price and discount with `quantity × unit − discount == total` exactly and `discount ≥ 0`.
    /// The unit price is the price before coupons where known, rounded up so the discount is never negative.
    static func pricing(_ draft: DraftLine, total: Int64) throws(OMError) -> (Int64, Int64, Int64) {
        guard draft.quantity > 0, total >= 0 else { return (1, total, 0) }
        let before = max(draft.grossSubtotal?.roundedMinorUnits ?? total, total)
        let unit = before / draft.quantity + (before % draft.quantity == 0 ? 0 : 1)
        let (full, overflow) = unit.multipliedReportingOverflow(by: draft.quantity)
        guard !overflow else { throw OMError(.amountOverflow, "a line's quantity times its price is out of range") }
        return (draft.quantity, unit, full - total)
    }

    /// At most `limit` Unicode scalars: Klarna counts characters, and a cut never splits a scalar.
    static func truncated(_ text: String, to limit: Int) -> String {
        guard text.unicodeScalars.count > limit else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.prefix(limit)))
    }
}

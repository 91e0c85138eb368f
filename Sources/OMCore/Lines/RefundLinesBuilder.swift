/// Builds the lines of a refund from the WooCommerce refund being created, matching each refunded item to the
/// order's item by `item_id` (never by product id: the same product can be on an order twice, or be deleted).
///
/// Amounts come from the refund's own numbers. WooCommerce stores each refunded item as the negation of what was
/// refunded, so the refunded value is that negation (never its magnitude): a refunded negative fee is a negative
/// `discount` line. The tax rate comes from the original line's tax data, or from the refund's numbers when the
/// original had none (a refunded shipping charge on an order whose shipping was free). A refund of an amount only, without items, is
/// sent without lines. A part of the amount not covered by items is sent as one "Refund" line, so the lines always
/// add up to the refunded amount.
public enum RefundLinesBuilder {
    public static func build(order: OrderSnapshot, refund: RefundSnapshot) throws(OMError) -> LineSet {
        let exponent = order.currency.exponent
        let amount = try refund.amount.exactMinorUnits(exponent: exponent)
        let target = amount < 0 ? -amount : amount
        guard target > 0 else { throw OMError(.invalidAmount, "the refund amount must be above zero", field: "refund.amount") }
        let refundLines = refund.items ?? []
        guard !refundLines.isEmpty else {
            return LineSet(lines: [], amount: target, taxAmount: 0, adjustments: [])
        }
        let salesTaxMarket = OrderLinesBuilder.isSalesTaxMarket(order)
        var drafts: [DraftLine] = []
        var salesTax = FineAmount.zero
        for (index, line) in refundLines.enumerated() {
            guard let original = Original(order: order, itemId: line.itemId) else {
                throw OMError(.unknownRefundItem, "refunded item \(line.itemId) is not an item of order \(order.id)",
                              field: "refund.items[\(index)].item_id")
            }
            // WooCommerce stores a refunded item as −refund_total: the refunded value is the negation, so a refunded
            // negative fee (a discount) comes back negative, never as its magnitude.
            let net = try FineAmount(line.total, exponent: exponent).negated
            let tax = try FineAmount(line.totalTax ?? DecimalAmount(significand: 0, scale: 0), exponent: exponent).negated
            let quantity = line.quantity.map { Int64(clamping: $0.magnitude) } ?? 0
            if salesTaxMarket { salesTax = try salesTax.adding(tax) }
            let rate = original.hasTaxData
                ? try TaxRate.basisPoints(shares: original.taxes, net: net, tax: tax)
                : TaxRate.derived(net: net, tax: tax)
            let gross = salesTaxMarket ? net : try net.adding(tax)
            drafts.append(DraftLine(
                type: original.type(refunding: gross),
                reference: original.reference, name: original.name,
                quantity: quantity > 0 ? quantity : 1, gross: gross,
                tax: salesTaxMarket ? .zero : tax, taxRate: salesTaxMarket ? 0 : rate))
        }
        if salesTaxMarket && !salesTax.isZero {
            drafts.append(DraftLine(type: .salesTax, reference: "sales-tax", name: "Sales tax", quantity: 1,
                                    gross: salesTax, tax: .zero, taxRate: 0))
        }
        // Amount beyond the items' sum (more than rounding): one more line carries it.
        let itemsSum = try drafts.map(\.gross).sum()
        let uncovered = try FineAmount(minorUnits: target).adding(itemsSum.negated)
        if uncovered.micros >= FineAmount.perMinorUnit * Int64(drafts.count + 1) {
            drafts.append(DraftLine(type: .physical, reference: "refund", name: refund.reason.flatMap { $0.isEmpty ? nil : "Refund: \($0)" } ?? "Refund",
                                    quantity: 1, gross: uncovered, tax: .zero, taxRate: 0))
        }
        return try LineRounding.finish(drafts, amount: target, taxAmount: salesTaxMarket ? 0 : nil)
    }

    /// The order line a refunded item refers to: a product, a shipping line or a fee.
    struct Original {
        /// Products and shipping keep their type; nil for a fee, whose type follows the sign of what is refunded.
        var fixedType: OrderLine.Kind?
        var reference: String
        var name: String
        var taxes: [TaxShare]?
        var hasTaxData: Bool { !(taxes ?? []).isEmpty }

        /// A refunded negative fee is a discount and a positive one a surcharge, as the order's own fee lines are.
        func type(refunding gross: FineAmount) -> OrderLine.Kind {
            fixedType ?? (gross.micros < 0 ? .discount : .surcharge)
        }

        init?(order: OrderSnapshot, itemId: Int64) {
            if let item = order.items?.first(where: { $0.itemId == itemId }) {
                fixedType = item.klarnaType
                reference = item.klarnaReference
                name = item.name
                taxes = item.taxes
            } else if let shipping = order.shippingLines?.first(where: { $0.itemId == itemId }) {
                fixedType = .shippingFee
                reference = shipping.klarnaReference
                name = shipping.name
                taxes = shipping.taxes
            } else if let fee = order.fees?.first(where: { $0.itemId == itemId }) {
                reference = "fee-\(fee.itemId)"
                name = fee.name
                taxes = fee.taxes
            } else {
                return nil
            }
        }
    }
}

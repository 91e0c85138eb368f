/// Builds what a refund sends Klarna from the WooCommerce refund being created, matching each refunded item to the
/// order's item by `item_id` (never by product id: the same product can be on an order twice, or be deleted).
///
/// The amount the merchant entered is the refund, and it is always the amount sent: WooCommerce takes it as typed and
/// never recomputes it from the lines. The refunded items go along when they describe it:
/// - within rounding (each line at most one unit from its plain rounding, either way), one line per item;
/// - adding up to less, the items plus one "Refund" line for the rest;
/// - adding up to more (the merchant filled every line and typed what was left), no lines at all.
/// A refund without items is sent without lines. Only what the merchant must fix is refused: an unknown item, an
/// amount that is not above zero, amounts out of range.
///
/// Amounts come from the refund's own numbers. WooCommerce stores each refunded item as the negation of what was
/// refunded, so the refunded value is that negation (never its magnitude): a refunded negative fee is a negative
/// `discount` line. The tax rate comes from the original line's tax data, or from the refund's numbers when the
/// original had none (a refunded shipping charge on an order whose shipping was free).
package enum RefundLinesBuilder {
    /// The lines and amount to send. `buildShaped` also says which shape they took.
    package static func build(order: OrderSnapshot, refund: RefundSnapshot) throws(OMError) -> LineSet {
        try buildShaped(order: order, refund: refund).lineSet
    }

    /// The lines and amount to send, and how the refunded items describe the amount (for the note).
    package static func buildShaped(order: OrderSnapshot, refund: RefundSnapshot) throws(OMError) -> RefundLines {
        let amount = try refund.amount.exactMinorUnits(exponent: order.currency.exponent)
        guard amount > 0 else {
            throw OMError(.invalidAmount, "the refund amount must be above zero", field: "refund.amount")
        }
        let drafts = try refundedDrafts(order: order, refund: refund)
        guard !drafts.isEmpty else {
            return RefundLines(
                lineSet: LineSet(lines: [], amount: amount, taxAmount: 0, adjustments: []),
                shape: .amountOnly(itemsTotal: nil))
        }
        let gross = drafts.map(\.gross)
        if let totals = try LargestRemainder.allocate(gross, total: amount) {
            let set = try LineRounding.lineSet(
                drafts, totals: totals, taxes: LineRounding.reconciledTaxes(drafts), amount: amount)
            return RefundLines(lineSet: set, shape: .items)
        }
        let plain = gross.map(\.roundedMinorUnits)
        var rest = amount
        for line in plain {
            let (difference, overflow) = rest.subtractingReportingOverflow(line)
            guard !overflow else { throw OMError(.amountOverflow, "sum of amounts is out of range") }
            rest = difference
        }
        guard rest > 0 else {
            let set = LineSet(lines: [], amount: amount, taxAmount: 0, adjustments: [])
            return RefundLines(lineSet: set, shape: .amountOnly(itemsTotal: try gross.sum().roundedMinorUnits))
        }
        // Beyond rounding, so `rest` is more than one unit per item: the items stay at plain rounding.
        let restLine = DraftLine(
            type: .physical, reference: "refund",
            name: refund.reason.flatMap { $0.isEmpty ? nil : "Refund: \($0)" } ?? "Refund",
            quantity: 1, gross: try FineAmount(minorUnits: rest), tax: .zero, taxRate: 0)
        let set = try LineRounding.lineSet(
            drafts + [restLine], totals: plain + [rest],
            taxes: LineRounding.reconciledTaxes(drafts) + [0], amount: amount)
        return RefundLines(lineSet: set, shape: .itemsAndRest(rest: rest))
    }

    /// One draft per refunded item at its exact refunded value; on US orders the tax moves to one `sales_tax` draft.
    static func refundedDrafts(order: OrderSnapshot, refund: RefundSnapshot) throws(OMError) -> [DraftLine] {
        let exponent = order.currency.exponent
        let salesTaxMarket = OrderLinesBuilder.isSalesTaxMarket(order)
        var drafts: [DraftLine] = []
        var salesTax = FineAmount.zero
        for (index, line) in (refund.items ?? []).enumerated() {
            guard let original = Original(order: order, itemId: line.itemId) else {
                throw OMError(
                    .unknownRefundItem, "refunded item \(line.itemId) is not an item of order \(order.id)",
                    field: "refund.items[\(index)].item_id")
            }
            // WooCommerce stores a refunded item as −refund_total: the refunded value is the negation, so a refunded
            // negative fee (a discount) comes back negative, never as its magnitude.
            let net = try FineAmount(line.total, exponent: exponent).negated
            let tax = try FineAmount(line.totalTax ?? DecimalAmount(significand: 0, scale: 0), exponent: exponent)
                .negated
            let quantity = line.quantity.map { Int64(clamping: $0.magnitude) } ?? 0
            if salesTaxMarket { salesTax = try salesTax.adding(tax) }
            let rate =
                original.hasTaxData
                ? try TaxRate.basisPoints(shares: original.taxes, net: net, tax: tax)
                : TaxRate.derived(net: net, tax: tax)
            let gross = salesTaxMarket ? net : try net.adding(tax)
            drafts.append(
                DraftLine(
                    type: original.type(refunding: gross), reference: original.reference, name: original.name,
                    quantity: quantity > 0 ? quantity : 1, gross: gross,
                    tax: salesTaxMarket ? .zero : tax, taxRate: salesTaxMarket ? 0 : rate))
        }
        if salesTaxMarket && !salesTax.isZero {
            drafts.append(
                DraftLine(
                    type: .salesTax, reference: "sales-tax", name: "Sales tax", quantity: 1,
                    gross: salesTax, tax: .zero, taxRate: 0))
        }
        return drafts
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

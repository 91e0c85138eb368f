/// Turns draft lines (WooCommerce's exact amounts) into Klarna lines of whole minor units that add up exactly.
enum LineRounding {
    /// For captures and updates: rounds the drafts so that their totals add up to `amount` and their taxes to
    /// `taxAmount` (the drafts' own rounded tax sum when nil), each at most one unit from plain rounding.
    /// - Throws: `lines_do_not_add_up` when the order's lines and its total differ by more than that.
    static func finish(_ drafts: [DraftLine], amount: Int64, taxAmount: Int64?) throws(OMError) -> LineSet {
        guard let totals = try LargestRemainder.allocate(drafts.map(\.gross), total: amount) else {
            let sum = (try? drafts.map(\.gross).sum().roundedMinorUnits) ?? 0
            throw OMError(
                .linesDoNotAddUp,
                "the order's lines add up to \(sum) minor units but the amount to send is \(amount); nothing was sent")
        }
        let taxTarget: Int64
        if let taxAmount { taxTarget = taxAmount } else { taxTarget = try drafts.map(\.tax).sum().roundedMinorUnits }
        guard let taxes = try LargestRemainder.allocate(drafts.map(\.tax), total: taxTarget) else {
            let sum = (try? drafts.map(\.tax).sum().roundedMinorUnits) ?? 0
            throw OMError(
                .linesDoNotAddUp,
                "the lines' tax adds up to \(sum) minor units but the order's tax is \(taxTarget); nothing was sent")
        }
        return try lineSet(drafts, totals: totals, taxes: taxes, amount: amount)
    }

    /// The drafts' taxes rounded so that they add up to the rounded sum of their exact taxes, as WooCommerce rounds
    /// a tax total. That sum is always within reach (at most half a unit per line plus half a unit away); plain
    /// rounding is the fallback all the same.
    static func reconciledTaxes(_ drafts: [DraftLine]) throws(OMError) -> [Int64] {
        let taxes = drafts.map(\.tax)
        let target = try taxes.sum().roundedMinorUnits
        guard let reconciled = try LargestRemainder.allocate(taxes, total: target) else {
            return taxes.map(\.roundedMinorUnits)
        }
        return reconciled
    }

    /// Lines from drafts whose totals and taxes are decided: unit prices and discounts are derived so each line's
    /// arithmetic holds exactly, texts are cut to their limits, and every total or tax that differs from plain
    /// rounding is reported. `amount` is what the lines add up to.
    static func lineSet(
        _ drafts: [DraftLine], totals: [Int64], taxes: [Int64], amount: Int64
    ) throws(OMError) -> LineSet {
        var lines: [OrderLine] = []
        var adjustments: [LineAdjustment] = []
        var taxSum: Int64 = 0
        for (index, (draft, (total, tax))) in zip(drafts, zip(totals, taxes)).enumerated() {
            if total != draft.gross.roundedMinorUnits {
                adjustments.append(
                    LineAdjustment(
                        line: index, name: draft.name, field: "total_amount",
                        rounded: draft.gross.roundedMinorUnits, sent: total))
            }
            if tax != draft.tax.roundedMinorUnits {
                adjustments.append(
                    LineAdjustment(
                        line: index, name: draft.name, field: "total_tax_amount",
                        rounded: draft.tax.roundedMinorUnits, sent: tax))
            }
            let (sum, overflow) = taxSum.addingReportingOverflow(tax)
            guard !overflow else { throw OMError(.amountOverflow, "sum of taxes is out of range") }
            taxSum = sum
            let (quantity, unitPrice, discount) = try pricing(draft, total: total)
            // References follow the project's 64 (Klarna allows 255); names and URLs Klarna's own limits, which the
            // request writers apply again: cut here, the lines' fingerprint is of what Klarna receives.
            lines.append(
                OrderLine(
                    type: draft.type, reference: draft.reference.map { KlarnaText.cut($0, toLength: 64) },
                    name: KlarnaText.cut(draft.name, toLength: 255), quantity: quantity, unitPrice: unitPrice,
                    taxRate: draft.taxRate, totalAmount: total, totalDiscountAmount: discount,
                    totalTaxAmount: tax, productUrl: draft.productUrl.map { KlarnaText.cut($0, toLength: 1024) },
                    imageUrl: draft.imageUrl.map { KlarnaText.cut($0, toLength: 1024) }))
        }
        return LineSet(lines: lines, amount: amount, taxAmount: taxSum, adjustments: adjustments)
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
}

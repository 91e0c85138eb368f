/// Builds the lines of one shipment's capture (`capture.items`): each shipped product at its exact amounts times the
/// shipped share of its ordered quantity, the shipping lines when they go along, and the order-level lines (fees,
/// gift cards, store credit) with the first capture, so that later captures are products alone. Rounded as every
/// capture is (`LineRounding`): each line at most one minor unit from its plain rounding, the lines adding up
/// exactly to the amount sent, which is the plain rounding of their exact sum (their tax likewise).
package enum ShipmentLinesBuilder {
    /// - Throws: `invalid_field` naming `capture.items[i]…` for an item that is not a product of the order, shipped
    ///   twice, or shipped in a quantity outside 1 … its ordered quantity.
    package static func build(
        _ order: OrderSnapshot, items: [ShipmentItem], shipping: Bool, orderLevelLines: Bool
    )
        throws(OMError) -> LineSet
    {
        let parts = try OrderDrafts(order)
        var drafts: [DraftLine] = []
        var taxes: [FineAmount] = []
        var shipped: Set<Int64> = []
        for (index, wanted) in items.enumerated() {
            let field = "capture.items[\(index)]"
            guard let found = parts.items.first(where: { $0.item.itemId == wanted.itemId }),
                shipped.insert(wanted.itemId).inserted
            else {
                throw OMError(
                    .invalidField, "field `\(field).item_id` names no product of the order, or one shipped twice",
                    field: field + ".item_id")
            }
            let ordered = found.item.quantity
            guard ordered > 0, (1...ordered).contains(wanted.quantity) else {
                throw OMError(
                    .invalidField, "field `\(field).quantity` must be from 1 to the item's ordered quantity",
                    field: field + ".quantity")
            }
            var draft = found.part.draft
            draft.quantity = wanted.quantity
            draft.gross = draft.gross.share(wanted.quantity, of: ordered)
            draft.tax = draft.tax.share(wanted.quantity, of: ordered)
            draft.grossSubtotal = draft.grossSubtotal?.share(wanted.quantity, of: ordered)
            drafts.append(draft)
            taxes.append(found.part.tax.share(wanted.quantity, of: ordered))
        }
        if shipping {
            drafts += parts.shipping.map(\.draft)
            taxes += parts.shipping.map(\.tax)
        }
        if orderLevelLines {
            drafts += parts.fees.map(\.draft) + parts.giftCards
            taxes += parts.fees.map(\.tax)
        }
        if parts.salesTaxMarket {
            let tax = try taxes.sum()
            if !tax.isZero { drafts.append(.salesTax(tax)) }
        }
        let amount = try drafts.map(\.gross).sum().roundedMinorUnits
        let tax = parts.salesTaxMarket ? 0 : try drafts.map(\.tax).sum().roundedMinorUnits
        return try LineRounding.finish(drafts, amount: amount, taxAmount: tax)
    }
}

extension FineAmount {
    /// This amount × `part` / `whole` (0 < part ≤ whole), truncated toward zero to the millionth of a minor unit. The
    /// exact share is rarely a whole millionth; truncating toward zero keeps it on the same side of every half unit,
    /// so it rounds to whole minor units (half away from zero) exactly as the exact share does.
    func share(_ part: Int64, of whole: Int64) -> FineAmount {
        guard whole > 0, part >= 0, part <= whole else { return self }
        let product = micros.multipliedFullWidth(by: part)
        return FineAmount(micros: whole.dividingFullWidth(product).quotient)  // |quotient| ≤ |micros|: no overflow
    }
}

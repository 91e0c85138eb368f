/// Builds the lines of a capture or an authorization update from the WooCommerce order, exact to the minor unit.
///
/// Products, shipping lines, fees (negative fees become discounts, never surcharges) and gift cards or store credit
/// each become one Klarna line. Coupons are already inside the product lines' totals (WooCommerce's `total` is after
/// coupons), so they show as each line's `total_discount_amount`. Tax rates come from the order's own tax data.
/// US orders carry tax in one `sales_tax` line, as Klarna asks. The amount sent is the WooCommerce order total.
package enum OrderLinesBuilder {
    package static func build(_ order: OrderSnapshot) throws(OMError) -> LineSet {
        let parts = try OrderDrafts(order)
        var drafts =
            parts.items.map(\.part.draft) + parts.shipping.map(\.draft) + parts.fees.map(\.draft) + parts.giftCards
        let total = try order.totals.total.exactMinorUnits(exponent: order.currency.exponent)
        let orderTax = try order.totals.totalTax.map { (tax) throws(OMError) in
            try FineAmount(tax, exponent: order.currency.exponent)
        }
        if parts.salesTaxMarket {
            // WooCommerce's tax total; without one, the lines' own taxes (the drafts carry none on US orders).
            let lineTaxes = parts.items.map(\.part.tax) + parts.shipping.map(\.tax) + parts.fees.map(\.tax)
            var tax = orderTax ?? .zero
            if orderTax == nil { tax = try lineTaxes.sum() }
            if !tax.isZero { drafts.append(.salesTax(tax)) }
            return try LineRounding.finish(drafts, amount: total, taxAmount: 0)
        }
        return try LineRounding.finish(drafts, amount: total, taxAmount: orderTax?.roundedMinorUnits)
    }

    /// The line's tax: WooCommerce's `total_tax`, else the sum of its per-rate shares.
    static func taxAmount(_ total: DecimalAmount?, shares: [TaxShare]?, exponent: Int) throws(OMError) -> FineAmount {
        if let total { return try FineAmount(total, exponent: exponent) }
        var sum = FineAmount.zero
        for share in shares ?? [] { sum = try sum.adding(FineAmount(share.amount, exponent: exponent)) }
        return sum
    }

    /// US orders put tax on one `sales_tax` line (Klarna's tax handling for the US). The country is the one Klarna
    /// holds the order in: the plugin sends `_wc_klarna_country`, else the billing country, as `purchase_country`.
    static func isSalesTaxMarket(_ order: OrderSnapshot) -> Bool {
        order.klarna?.purchaseCountry?.uppercased() == "US"
    }
}

extension OrderLineItem {
    /// Digital for virtual or downloadable products, physical otherwise.
    var klarnaType: OrderLine.Kind { isVirtual == true || isDownloadable == true ? .digital : .physical }
    /// The SKU, else the variation or product id, else the item id: Klarna's `reference`, also used to allocate refunds.
    var klarnaReference: String { sku.flatMap { $0.isEmpty ? nil : $0 } ?? "\(variationId ?? productId ?? itemId)" }
}

extension ShippingLine {
    /// `method_id:instance_id`, e.g. `flat_rate:3`.
    var klarnaReference: String {
        let joined = [methodId, instanceId].compactMap { $0 }.joined(separator: ":")
        return joined.isEmpty ? "shipping" : joined
    }
}

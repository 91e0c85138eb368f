/// Builds the lines of a capture or an authorization update from the WooCommerce order, exact to the minor unit.
///
/// Products, shipping lines, fees (negative fees become discounts, never surcharges) and gift cards or store credit
/// each become one Klarna line. Coupons are already inside the product lines' totals (WooCommerce's `total` is after
/// coupons), so they show as each line's `total_discount_amount`. Tax rates come from the order's own tax data.
/// US orders carry tax in one `sales_tax` line, as Klarna asks. The amount sent is the WooCommerce order total.
public enum OrderLinesBuilder {
    public static func build(_ order: OrderSnapshot) throws(OMError) -> LineSet {
        let exponent = order.currency.exponent
        let salesTaxMarket = isSalesTaxMarket(order)
        var drafts: [DraftLine] = []

        for item in order.items ?? [] {
            let net = try FineAmount(item.total, exponent: exponent)
            let tax = try taxAmount(item.totalTax, shares: item.taxes, exponent: exponent)
            let subtotalNet = try FineAmount(item.subtotal, exponent: exponent)
            let subtotalTax = try FineAmount(item.subtotalTax ?? DecimalAmount(significand: 0, scale: 0), exponent: exponent)
            drafts.append(DraftLine(
                type: item.klarnaType, reference: item.klarnaReference,
                name: item.name, quantity: item.quantity,
                grossSubtotal: salesTaxMarket ? subtotalNet : try subtotalNet.adding(subtotalTax),
                gross: salesTaxMarket ? net : try net.adding(tax), tax: salesTaxMarket ? .zero : tax,
                taxRate: salesTaxMarket ? 0 : try TaxRate.basisPoints(shares: item.taxes, net: net, tax: tax),
                productUrl: item.productDeleted == true ? nil : item.productUrl,
                imageUrl: item.productDeleted == true ? nil : item.imageUrl))
        }
        for shipping in order.shippingLines ?? [] {
            let net = try FineAmount(shipping.total, exponent: exponent)
            let tax = try taxAmount(shipping.totalTax, shares: shipping.taxes, exponent: exponent)
            drafts.append(DraftLine(
                type: .shippingFee, reference: shipping.klarnaReference, name: shipping.name,
                quantity: 1, gross: salesTaxMarket ? net : try net.adding(tax), tax: salesTaxMarket ? .zero : tax,
                taxRate: salesTaxMarket ? 0 : try TaxRate.basisPoints(shares: shipping.taxes, net: net, tax: tax)))
        }
        for fee in order.fees ?? [] {
            let net = try FineAmount(fee.total, exponent: exponent)
            let tax = try taxAmount(fee.totalTax, shares: fee.taxes, exponent: exponent)
            let gross = salesTaxMarket ? net : try net.adding(tax)
            drafts.append(DraftLine(
                type: gross.micros < 0 ? .discount : .surcharge, reference: "fee-\(fee.itemId)", name: fee.name,
                quantity: 1, gross: gross, tax: salesTaxMarket ? .zero : tax,
                taxRate: salesTaxMarket ? 0 : try TaxRate.basisPoints(shares: fee.taxes, net: net, tax: tax)))
        }
        for card in order.giftCards ?? [] {
            let amount = try FineAmount(card.amount, exponent: exponent).magnitude.negated
            drafts.append(DraftLine(
                type: card.kind == .giftCard ? .giftCard : .storeCredit, reference: card.code ?? card.kind.rawValue,
                name: card.name ?? (card.kind == .giftCard ? "Gift card" : "Store credit"), quantity: 1,
                gross: amount, tax: .zero, taxRate: 0))
        }

        let total = try order.totals.total.exactMinorUnits(exponent: exponent)
        let orderTax = try order.totals.totalTax.map { (tax) throws(OMError) in try FineAmount(tax, exponent: exponent) }
        if salesTaxMarket {
            var tax = try drafts.map(\.tax).sum()
            if let orderTax { tax = orderTax }
            if !tax.isZero {
                drafts.append(DraftLine(type: .salesTax, reference: "sales-tax", name: "Sales tax", quantity: 1,
                                        gross: tax, tax: .zero, taxRate: 0))
            }
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

    /// US orders put tax on one `sales_tax` line (Klarna's tax handling for the US).
    static func isSalesTaxMarket(_ order: OrderSnapshot) -> Bool {
        let country = order.klarna?.purchaseCountry ?? order.billingAddress?.country
        return country?.uppercased() == "US"
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

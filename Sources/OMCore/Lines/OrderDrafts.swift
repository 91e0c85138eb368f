/// The order's lines before rounding, by where they come from: the products, the shipping lines, the fees, and gift
/// cards or store credit. A capture of the whole order takes them all (`OrderLinesBuilder`); a shipment takes some
/// products, perhaps the shipping, and the order-level lines with the first capture (`ShipmentLinesBuilder`).
struct OrderDrafts {
    /// A line with its tax: on US orders the draft carries none (tax goes on one `sales_tax` line), so it is kept
    /// beside it.
    struct Part {
        var draft: DraftLine
        var tax: FineAmount
    }

    var items: [(item: OrderLineItem, part: Part)]
    var shipping: [Part]
    var fees: [Part]
    var giftCards: [DraftLine]
    /// US orders put tax on one `sales_tax` line (Klarna's tax handling for the US).
    var salesTaxMarket: Bool

    init(_ order: OrderSnapshot) throws(OMError) {
        let exponent = order.currency.exponent
        let usTax = OrderLinesBuilder.isSalesTaxMarket(order)
        salesTaxMarket = usTax
        items = []
        for item in order.items ?? [] {
            let net = try FineAmount(item.total, exponent: exponent)
            let tax = try OrderLinesBuilder.taxAmount(item.totalTax, shares: item.taxes, exponent: exponent)
            let subtotalNet = try FineAmount(item.subtotal, exponent: exponent)
            let subtotalTax = try FineAmount(
                item.subtotalTax ?? DecimalAmount(significand: 0, scale: 0), exponent: exponent)
            items.append(
                (
                    item,
                    Part(
                        draft: DraftLine(
                            type: item.klarnaType, reference: item.klarnaReference,
                            name: item.name, quantity: item.quantity,
                            grossSubtotal: usTax ? subtotalNet : try subtotalNet.adding(subtotalTax),
                            gross: usTax ? net : try net.adding(tax), tax: usTax ? .zero : tax,
                            taxRate: usTax ? 0 : try TaxRate.basisPoints(shares: item.taxes, net: net, tax: tax),
                            productUrl: item.productDeleted == true ? nil : item.productUrl,
                            imageUrl: item.productDeleted == true ? nil : item.imageUrl), tax: tax)
                ))
        }
        shipping = []
        for line in order.shippingLines ?? [] {
            let net = try FineAmount(line.total, exponent: exponent)
            let tax = try OrderLinesBuilder.taxAmount(line.totalTax, shares: line.taxes, exponent: exponent)
            shipping.append(
                Part(
                    draft: DraftLine(
                        type: .shippingFee, reference: line.klarnaReference, name: line.name,
                        quantity: 1, gross: usTax ? net : try net.adding(tax), tax: usTax ? .zero : tax,
                        taxRate: usTax ? 0 : try TaxRate.basisPoints(shares: line.taxes, net: net, tax: tax)), tax: tax)
            )
        }
        fees = []
        for fee in order.fees ?? [] {
            let net = try FineAmount(fee.total, exponent: exponent)
            let tax = try OrderLinesBuilder.taxAmount(fee.totalTax, shares: fee.taxes, exponent: exponent)
            let gross = usTax ? net : try net.adding(tax)
            fees.append(
                Part(
                    draft: DraftLine(
                        type: gross.micros < 0 ? .discount : .surcharge, reference: "fee-\(fee.itemId)", name: fee.name,
                        quantity: 1, gross: gross, tax: usTax ? .zero : tax,
                        taxRate: usTax ? 0 : try TaxRate.basisPoints(shares: fee.taxes, net: net, tax: tax)), tax: tax))
        }
        giftCards = []
        for card in order.giftCards ?? [] {
            let amount = try FineAmount(card.amount, exponent: exponent).magnitude.negated
            giftCards.append(
                DraftLine(
                    type: card.kind == .giftCard ? .giftCard : .storeCredit,
                    reference: card.reference ?? card.code ?? card.kind.rawValue,
                    name: card.name ?? (card.kind == .giftCard ? "Gift card" : "Store credit"), quantity: 1,
                    gross: amount, tax: .zero, taxRate: 0))
        }
    }
}

extension DraftLine {
    /// The one line that carries a US order's tax.
    static func salesTax(_ tax: FineAmount) -> DraftLine {
        DraftLine(
            type: .salesTax, reference: "sales-tax", name: "Sales tax", quantity: 1, gross: tax, tax: .zero,
            taxRate: 0)
    }
}

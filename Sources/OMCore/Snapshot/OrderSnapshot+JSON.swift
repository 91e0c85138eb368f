package import OMJSON

// Reading the order snapshot and the refund (docs/contract.md, "Request"). Members are read in the order of the
// types' declarations, so that of several problems in one request the first one reported stays the same.

extension JSONObjectReader {
    /// An amount: a decimal string exactly as WooCommerce stores it, never a JSON number.
    func amount(_ name: String) throws(JSONReadError) -> DecimalAmount? {
        try parsed(name, by: DecimalAmount.init(parsing:))
    }

    /// A currency: an ISO 4217 code.
    func currency(_ name: String) throws(JSONReadError) -> Currency? {
        try parsed(name, by: Currency.init(code:))
    }
}

extension OrderSnapshot: JSONReadable {
    package init(json: JSONObjectReader) throws(JSONReadError) {
        try self.init(
            id: json.required("id", json.int64),
            number: json.string("number"),
            status: json.string("status"),
            transition: json.object("transition"),
            currency: json.required("currency", json.currency),
            pricesIncludeTax: json.bool("prices_include_tax"),
            totals: json.required("totals", json.object),
            items: json.objects("items"),
            shippingLines: json.objects("shipping_lines"),
            fees: json.objects("fees"),
            coupons: json.objects("coupons"),
            giftCards: json.objects("gift_cards"),
            paymentMethod: json.string("payment_method"),
            klarna: json.object("klarna"),
            meta: json.object("meta"),
            refunds: json.objects("refunds"))
    }
}

extension StatusTransition: JSONReadable {
    package init(json: JSONObjectReader) throws(JSONReadError) {
        try self.init(from: json.required("from", json.string), to: json.required("to", json.string))
    }
}

extension OrderTotals: JSONReadable {
    package init(json: JSONObjectReader) throws(JSONReadError) {
        try self.init(
            total: json.required("total", json.amount), totalTax: json.amount("total_tax"),
            shippingTotal: json.amount("shipping_total"), shippingTax: json.amount("shipping_tax"),
            discountTotal: json.amount("discount_total"), discountTax: json.amount("discount_tax"))
    }
}

extension OrderLineItem: JSONReadable {
    package init(json: JSONObjectReader) throws(JSONReadError) {
        try self.init(
            itemId: json.required("item_id", json.int64),
            productId: json.int64("product_id"),
            variationId: json.int64("variation_id"),
            sku: json.string("sku"),
            name: json.required("name", json.string),
            quantity: json.required("quantity", json.int64),
            subtotal: json.required("subtotal", json.amount),
            subtotalTax: json.amount("subtotal_tax"),
            total: json.required("total", json.amount),
            totalTax: json.amount("total_tax"),
            taxes: json.objects("taxes"),
            isVirtual: json.bool("is_virtual"),
            isDownloadable: json.bool("is_downloadable"),
            productUrl: json.string("product_url"),
            imageUrl: json.string("image_url"),
            productDeleted: json.bool("product_deleted"))
    }
}

extension TaxShare: JSONReadable {
    package init(json: JSONObjectReader) throws(JSONReadError) {
        try self.init(
            rateId: json.required("rate_id", json.int64), percent: json.required("percent", json.amount),
            amount: json.required("amount", json.amount), subtotalAmount: json.amount("subtotal_amount"))
    }
}

extension ShippingLine: JSONReadable {
    package init(json: JSONObjectReader) throws(JSONReadError) {
        try self.init(
            itemId: json.required("item_id", json.int64), methodId: json.string("method_id"),
            instanceId: json.string("instance_id"), name: json.required("name", json.string),
            total: json.required("total", json.amount), totalTax: json.amount("total_tax"),
            taxes: json.objects("taxes"))
    }
}

extension FeeLine: JSONReadable {
    package init(json: JSONObjectReader) throws(JSONReadError) {
        try self.init(
            itemId: json.required("item_id", json.int64), name: json.required("name", json.string),
            total: json.required("total", json.amount), totalTax: json.amount("total_tax"),
            taxes: json.objects("taxes"))
    }
}

extension CouponLine: JSONReadable {
    package init(json: JSONObjectReader) throws(JSONReadError) {
        try self.init(
            itemId: json.required("item_id", json.int64), code: json.required("code", json.string),
            discount: json.required("discount", json.amount), discountTax: json.amount("discount_tax"))
    }
}

extension GiftCardLine: JSONReadable {
    package init(json: JSONObjectReader) throws(JSONReadError) {
        try self.init(
            kind: json.required("kind", json.value), code: json.string("code"),
            reference: json.string("reference"), name: json.string("name"),
            amount: json.required("amount", json.amount))
    }
}

extension KlarnaOrderReference: JSONReadable {
    package init(json: JSONObjectReader) throws(JSONReadError) {
        try self.init(
            orderId: json.string("order_id"), environment: json.string("environment"),
            region: json.string("region"), purchaseCountry: json.string("purchase_country"))
    }
}

extension StoredOrderMeta: JSONReadable {
    package init(json: JSONObjectReader) throws(JSONReadError) {
        try self.init(
            captureIds: json.strings("capture_ids"),
            linesFingerprint: json.string("lines_fingerprint"), cancelled: json.bool("cancelled"),
            disconnected: json.bool("disconnected"), ledger: json.object("ledger"), state: json.object("state"))
    }
}

extension OrderRefund: JSONReadable {
    package init(json: JSONObjectReader) throws(JSONReadError) {
        try self.init(
            id: json.required("id", json.int64), amount: json.required("amount", json.amount),
            refundedPayment: json.bool("refunded_payment"))
    }
}

extension RefundSnapshot: JSONReadable {
    package init(json: JSONObjectReader) throws(JSONReadError) {
        try self.init(
            id: json.int64("id"), amount: json.required("amount", json.amount), reason: json.string("reason"),
            items: json.objects("items"), previouslyRefunded: json.amount("previously_refunded"))
    }
}

extension RefundLine: JSONReadable {
    package init(json: JSONObjectReader) throws(JSONReadError) {
        try self.init(
            itemId: json.required("item_id", json.int64), quantity: json.int64("quantity"),
            total: json.required("total", json.amount), totalTax: json.amount("total_tax"))
    }
}

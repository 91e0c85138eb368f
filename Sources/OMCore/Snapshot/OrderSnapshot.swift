/// One WooCommerce order as the plugin sees it at the moment of the merchant's action. Amounts are WooCommerce's
/// own decimal strings; the core converts them to minor units of `currency`.
public struct OrderSnapshot: Sendable {
    /// WooCommerce order id.
    public var id: Int64
    /// The order number the shop shows (may differ from `id` with sequential-number plugins).
    public var number: String?
    /// The order's WooCommerce status now, without `wc-`: what `sync` compares Klarna's order with.
    public var status: String?
    public var transition: StatusTransition?
    public var currency: Currency
    public var pricesIncludeTax: Bool?
    public var totals: OrderTotals
    public var items: [OrderLineItem]?
    public var shippingLines: [ShippingLine]?
    public var fees: [FeeLine]?
    public var coupons: [CouponLine]?
    public var giftCards: [GiftCardLine]?
    /// WooCommerce gateway id (`klarna_payments`, `kco`), for the record: the plugin calls the core only for the
    /// gateways it manages.
    public var paymentMethod: String?
    public var klarna: KlarnaOrderReference?
    public var meta: StoredOrderMeta?
    /// WooCommerce's refunds of this order, the one being created included.
    public var refunds: [OrderRefund]?
}

/// A WooCommerce status change, in WooCommerce's slugs without the `wc-` prefix.
public struct StatusTransition: Sendable {
    public var from: String
    public var to: String
}

/// The order's totals as WooCommerce computed them.
public struct OrderTotals: Sendable {
    public var total: DecimalAmount
    public var totalTax: DecimalAmount?
    public var shippingTotal: DecimalAmount?
    public var shippingTax: DecimalAmount?
    public var discountTotal: DecimalAmount?
    public var discountTax: DecimalAmount?
}

/// A product line (`WC_Order_Item_Product`).
public struct OrderLineItem: Sendable {
    public var itemId: Int64
    public var productId: Int64?
    public var variationId: Int64?
    public var sku: String?
    public var name: String
    public var quantity: Int64
    /// Before coupons, without tax.
    public var subtotal: DecimalAmount
    public var subtotalTax: DecimalAmount?
    /// After coupons, without tax.
    public var total: DecimalAmount
    public var totalTax: DecimalAmount?
    public var taxes: [TaxShare]?
    public var isVirtual: Bool?
    public var isDownloadable: Bool?
    public var productUrl: String?
    public var imageUrl: String?
    public var productDeleted: Bool?
}

/// One tax rate's share of a line, from the order's own tax data (never the shop's base rates).
public struct TaxShare: Sendable {
    public var rateId: Int64
    /// The rate in percent as WooCommerce stores it, e.g. "25.0000".
    public var percent: DecimalAmount
    public var amount: DecimalAmount
    /// The subtotal's tax for this rate, before coupons.
    public var subtotalAmount: DecimalAmount?
}

public struct ShippingLine: Sendable {
    public var itemId: Int64
    public var methodId: String?
    public var instanceId: String?
    public var name: String
    public var total: DecimalAmount
    public var totalTax: DecimalAmount?
    public var taxes: [TaxShare]?
}

public struct FeeLine: Sendable {
    public var itemId: Int64
    public var name: String
    /// Negative for a discount given as a fee.
    public var total: DecimalAmount
    public var totalTax: DecimalAmount?
    public var taxes: [TaxShare]?
}

public struct CouponLine: Sendable {
    public var itemId: Int64
    public var code: String
    public var discount: DecimalAmount
    public var discountTax: DecimalAmount?
}

/// A gift card or store credit that paid part of the order (from a gift-card plugin).
public struct GiftCardLine: Sendable {
    public enum Kind: String, Sendable {
        case giftCard = "gift_card"
        case storeCredit = "store_credit"
    }
    public var kind: Kind
    public var code: String?
    /// Klarna's `reference` for the line when the shop sets one (the existing plugin's `klarna_pw_gift_card_sku`);
    /// the code otherwise.
    public var reference: String?
    public var name: String?
    public var amount: DecimalAmount
}

/// What identifies the order at Klarna, as stored on the WooCommerce order.
public struct KlarnaOrderReference: Sendable {
    public var orderId: String?
    /// `_wc_klarna_environment` when stored: the order's own environment wins over the current setting.
    public var environment: String?
    public var region: String?
    public var purchaseCountry: String?
}

/// What the plugin stored from earlier responses (their `record`, `ledger` and `state`) and the merchant's switch.
public struct StoredOrderMeta: Sendable {
    /// `_wc_klarna_capture_id`: Klarna's captures the order recorded.
    public var captureIds: [String]?
    /// Fingerprint of the lines Klarna last accepted in an update.
    public var linesFingerprint: String?
    /// `_wc_klarna_cancelled`: Klarna confirmed a cancel earlier.
    public var cancelled: Bool?
    /// `_kom_disconnect`: the merchant switched order management off for this order.
    public var disconnected: Bool?
    /// `_klarna_om_ledger`: what the keys of this order's operations derive from.
    public var ledger: IntentLedger?
    /// `_klarna_om_state`: Klarna's order as the last response described it.
    public var state: KlarnaState?
}

/// One refund WooCommerce holds for the order, as stored (its amount positive).
public struct OrderRefund: Sendable {
    public var id: Int64
    public var amount: DecimalAmount
    /// The gateway returned the money: the refund went through Klarna (false for a refund recorded by hand).
    public var refundedPayment: Bool?
}

/// The WooCommerce refund being created.
public struct RefundSnapshot: Sendable {
    /// Absent when the gateway was called without a WooCommerce refund object. Never part of a key: WooCommerce
    /// deletes a refund whose gateway call failed, and the merchant's retry gets a new id.
    public var id: Int64?
    /// Positive amount being refunded, in the order's currency.
    public var amount: DecimalAmount
    public var reason: String?
    public var items: [RefundLine]?
    /// What WooCommerce had refunded on this order before this refund (positive). Superseded by `order.refunds`,
    /// read only when those are absent.
    public var previouslyRefunded: DecimalAmount?
}

/// A refunded part of one order item, matched to the original item by `item_id`.
public struct RefundLine: Sendable {
    public var itemId: Int64
    public var quantity: Int64?
    public var total: DecimalAmount
    public var totalTax: DecimalAmount?
}

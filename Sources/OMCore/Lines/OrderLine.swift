/// Klarna's `order_line`: one line of an authorization, capture or refund. Amounts are minor units, tax
/// included; `taxRate` is in basis points (2500 = 25 %). `totalAmount = quantity × unitPrice − totalDiscountAmount`.
public struct OrderLine: Sendable, Equatable {
    /// Klarna's line types; the spec treats the field as an open set, so unknown values decode as they are.
    public struct Kind: RawRepresentable, Sendable, Hashable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        public static let physical = Kind(rawValue: "physical")
        public static let digital = Kind(rawValue: "digital")
        public static let discount = Kind(rawValue: "discount")
        public static let shippingFee = Kind(rawValue: "shipping_fee")
        public static let salesTax = Kind(rawValue: "sales_tax")
        public static let surcharge = Kind(rawValue: "surcharge")
        public static let giftCard = Kind(rawValue: "gift_card")
        public static let storeCredit = Kind(rawValue: "store_credit")
        public static let returnFee = Kind(rawValue: "return_fee")
    }

    public var type: Kind?
    public var reference: String?
    public var name: String
    public var quantity: Int64
    public var quantityUnit: String?
    public var unitPrice: Int64
    public var taxRate: Int64?
    public var totalAmount: Int64
    public var totalDiscountAmount: Int64?
    public var totalTaxAmount: Int64?
    public var merchantData: String?
    public var productUrl: String?
    public var imageUrl: String?
    public var productIdentifiers: ProductIdentifiers?

    public init(type: Kind?, reference: String? = nil, name: String, quantity: Int64, quantityUnit: String? = nil,
                unitPrice: Int64, taxRate: Int64?, totalAmount: Int64, totalDiscountAmount: Int64? = 0,
                totalTaxAmount: Int64?, merchantData: String? = nil, productUrl: String? = nil, imageUrl: String? = nil,
                productIdentifiers: ProductIdentifiers? = nil) {
        self.type = type
        self.reference = reference
        self.name = name
        self.quantity = quantity
        self.quantityUnit = quantityUnit
        self.unitPrice = unitPrice
        self.taxRate = taxRate
        self.totalAmount = totalAmount
        self.totalDiscountAmount = totalDiscountAmount
        self.totalTaxAmount = totalTaxAmount
        self.merchantData = merchantData
        self.productUrl = productUrl
        self.imageUrl = imageUrl
        self.productIdentifiers = productIdentifiers
    }
}

/// Klarna's `product_identifiers`.
public struct ProductIdentifiers: Sendable, Equatable {
    public var categoryPath: String?
    public var globalTradeItemNumber: String?
    public var manufacturerPartNumber: String?
    public var brand: String?
    public var color: String?
    public var size: String?

    public init(categoryPath: String? = nil, globalTradeItemNumber: String? = nil, manufacturerPartNumber: String? = nil,
                brand: String? = nil, color: String? = nil, size: String? = nil) {
        self.categoryPath = categoryPath
        self.globalTradeItemNumber = globalTradeItemNumber
        self.manufacturerPartNumber = manufacturerPartNumber
        self.brand = brand
        self.color = color
        self.size = size
    }
}

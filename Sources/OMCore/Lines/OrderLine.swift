/// Klarna's `order_line`: one line of an authorization, capture or refund. Amounts are minor units, tax
/// included; `taxRate` is in basis points (2500 = 25 %). `totalAmount = quantity × unitPrice − totalDiscountAmount`.
package struct OrderLine: Sendable, Equatable {
    /// Klarna's line types; the spec treats the field as an open set, so unknown values decode as they are.
    package struct Kind: RawRepresentable, Sendable, Hashable {
        package let rawValue: String
        package init(rawValue: String) { self.rawValue = rawValue }

        package static let physical = Kind(rawValue: "physical")
        package static let digital = Kind(rawValue: "digital")
        package static let discount = Kind(rawValue: "discount")
        package static let shippingFee = Kind(rawValue: "shipping_fee")
        package static let salesTax = Kind(rawValue: "sales_tax")
        package static let surcharge = Kind(rawValue: "surcharge")
        package static let giftCard = Kind(rawValue: "gift_card")
        package static let storeCredit = Kind(rawValue: "store_credit")
        package static let returnFee = Kind(rawValue: "return_fee")
    }

    package var type: Kind?
    package var reference: String?
    package var name: String
    package var quantity: Int64
    package var quantityUnit: String?
    package var unitPrice: Int64
    package var taxRate: Int64?
    package var totalAmount: Int64
    package var totalDiscountAmount: Int64?
    package var totalTaxAmount: Int64?
    package var merchantData: String?
    package var productUrl: String?
    package var imageUrl: String?
    package var productIdentifiers: ProductIdentifiers?

    package init(
        type: Kind?, reference: String? = nil, name: String, quantity: Int64, quantityUnit: String? = nil,
        unitPrice: Int64, taxRate: Int64?, totalAmount: Int64, totalDiscountAmount: Int64? = 0,
        totalTaxAmount: Int64?, merchantData: String? = nil, productUrl: String? = nil, imageUrl: String? = nil,
        productIdentifiers: ProductIdentifiers? = nil
    ) {
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
package struct ProductIdentifiers: Sendable, Equatable {
    package var categoryPath: String?
    package var globalTradeItemNumber: String?
    package var manufacturerPartNumber: String?
    package var brand: String?
    package var color: String?
    package var size: String?

    package init(
        categoryPath: String? = nil, globalTradeItemNumber: String? = nil, manufacturerPartNumber: String? = nil,
        brand: String? = nil, color: String? = nil, size: String? = nil
    ) {
        self.categoryPath = categoryPath
        self.globalTradeItemNumber = globalTradeItemNumber
        self.manufacturerPartNumber = manufacturerPartNumber
        self.brand = brand
        self.color = color
        self.size = size
    }
}

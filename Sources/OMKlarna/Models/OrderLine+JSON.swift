public import OMCore

// Klarna's `order_line` and `product_identifiers` as JSON (member names as in Klarna's spec). The types live in the
// pure core, which builds them; how they travel to and from Klarna lives here.

extension OrderLine: JSONReadable, JSONWritable {
    public init(json: JSONObjectReader) throws(JSONReadError) {
        // The core's initializer takes the required members; the optional ones are then set as Klarna sent them.
        self.init(type: .physical, name: try json.required("name", json.string),
                  quantity: try json.required("quantity", json.int64),
                  unitPrice: try json.required("unit_price", json.int64), taxRate: 0,
                  totalAmount: try json.required("total_amount", json.int64), totalTaxAmount: 0)
        type = try json.string("type").map(Kind.init(rawValue:))
        reference = try json.string("reference")
        quantityUnit = try json.string("quantity_unit")
        taxRate = try json.int64("tax_rate")
        totalDiscountAmount = try json.int64("total_discount_amount")
        totalTaxAmount = try json.int64("total_tax_amount")
        merchantData = try json.string("merchant_data")
        productUrl = try json.string("product_url")
        imageUrl = try json.string("image_url")
        productIdentifiers = try json.object("product_identifiers")
    }

    public var json: JSONValue {
        .members([
            "type": .string(type?.rawValue),
            "reference": .string(reference),
            "name": .string(name),
            "quantity": .integer(quantity),
            "quantity_unit": .string(quantityUnit),
            "unit_price": .integer(unitPrice),
            "tax_rate": .integer(taxRate),
            "total_amount": .integer(totalAmount),
            "total_discount_amount": .integer(totalDiscountAmount),
            "total_tax_amount": .integer(totalTaxAmount),
            "merchant_data": .string(merchantData),
            "product_url": .string(productUrl),
            "image_url": .string(imageUrl),
            "product_identifiers": .value(productIdentifiers),
        ])
    }
}

extension ProductIdentifiers: JSONReadable, JSONWritable {
    public init(json: JSONObjectReader) throws(JSONReadError) {
        self.init(categoryPath: try json.string("category_path"),
                  globalTradeItemNumber: try json.string("global_trade_item_number"),
                  manufacturerPartNumber: try json.string("manufacturer_part_number"),
                  brand: try json.string("brand"), color: try json.string("color"), size: try json.string("size"))
    }

    public var json: JSONValue {
        .members([
            "category_path": .string(categoryPath),
            "global_trade_item_number": .string(globalTradeItemNumber),
            "manufacturer_part_number": .string(manufacturerPartNumber),
            "brand": .string(brand),
            "color": .string(color),
            "size": .string(size),
        ])
    }
}

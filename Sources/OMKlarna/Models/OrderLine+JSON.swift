package import OMCore
package import OMJSON

// Klarna's `order_line` and `product_identifiers` as JSON (member names as in Klarna's spec; written strings cut to
// the spec's maxLength: the line reference to Klarna's 255, though the core's lines keep it to 64). The types live in
// the pure core, which builds them; how they travel to and from Klarna lives here.

extension OrderLine: JSONReadable, JSONWritable {
    package init(json: JSONObjectReader) throws(JSONReadError) {
        try self.init(
            type: json.value("type"), reference: json.string("reference"),
            name: json.required("name", json.string), quantity: json.required("quantity", json.int64),
            quantityUnit: json.string("quantity_unit"), unitPrice: json.required("unit_price", json.int64),
            taxRate: json.int64("tax_rate"), totalAmount: json.required("total_amount", json.int64),
            totalDiscountAmount: json.int64("total_discount_amount"),
            totalTaxAmount: json.int64("total_tax_amount"), merchantData: json.string("merchant_data"),
            productUrl: json.string("product_url"), imageUrl: json.string("image_url"),
            productIdentifiers: json.object("product_identifiers"))
    }

    package var json: JSONValue {
        .members([
            "type": .string(type?.rawValue),
            "reference": .string(reference, maxLength: 255),
            "name": .string(name, maxLength: 255),
            "quantity": .integer(quantity),
            "quantity_unit": .string(quantityUnit, maxLength: 10),
            "unit_price": .integer(unitPrice),
            "tax_rate": .integer(taxRate),
            "total_amount": .integer(totalAmount),
            "total_discount_amount": .integer(totalDiscountAmount),
            "total_tax_amount": .integer(totalTaxAmount),
            "merchant_data": .string(merchantData, maxLength: 1024),
            "product_url": .string(productUrl, maxLength: 1024),
            "image_url": .string(imageUrl, maxLength: 1024),
            "product_identifiers": .value(productIdentifiers),
        ])
    }
}

extension ProductIdentifiers: JSONReadable, JSONWritable {
    package init(json: JSONObjectReader) throws(JSONReadError) {
        try self.init(
            categoryPath: json.string("category_path"),
            globalTradeItemNumber: json.string("global_trade_item_number"),
            manufacturerPartNumber: json.string("manufacturer_part_number"),
            brand: json.string("brand"), color: json.string("color"), size: json.string("size"))
    }

    package var json: JSONValue {
        .members([
            "category_path": .string(categoryPath, maxLength: 750),
            "global_trade_item_number": .string(globalTradeItemNumber, maxLength: 50),
            "manufacturer_part_number": .string(manufacturerPartNumber, maxLength: 70),
            "brand": .string(brand, maxLength: 70),
            "color": .string(color, maxLength: 64),
            "size": .string(size, maxLength: 64),
        ])
    }
}

import Foundation
import OMCore
import OMJSON
import OMKlarna
import OMTestSupport
import Testing

/// Every string a request body sends Klarna is cut to its field's `maxLength` in Klarna's schema, whatever the core put
/// in it: the schema itself is the test's reference. That is the sandbox's own schema of Klarna's request bodies
/// (scripts/sandbox/request_bodies.schema.json, written from Klarna's published limits), and also Klarna's full
/// OpenAPI document when `KLARNA_SPEC` names one (CI does when it has it).
@Suite struct RequestLimitsTests {
    /// The schemas by name, from the sandbox's own schema file and from `KLARNA_SPEC`'s document when given. Read only.
    nonisolated(unsafe) static let schemaSources: [(name: String, schemas: [String: Any])] = {
        func json(_ url: URL) -> [String: Any]? {
            (try? Data(contentsOf: url)).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        }
        var sources: [(String, [String: Any])] = []
        let own = json(SandboxServer.root.appendingPathComponent("scripts/sandbox/request_bodies.schema.json"))
        if let definitions = own?["definitions"] as? [String: Any] {
            sources.append(("the sandbox's schema", definitions))
        }
        if let path = ProcessInfo.processInfo.environment["KLARNA_SPEC"], !path.isEmpty,
            let schemas = (json(URL(fileURLWithPath: path))?["components"] as? [String: Any])?["schemas"]
                as? [String: Any]
        {
            sources.append(("Klarna's OpenAPI document", schemas))
        }
        return sources
    }()

    /// One body of each kind with every string field filled with `text`, and the schema Klarna validates it against.
    static func bodies(filledWith text: String) -> [(schema: String, body: any JSONWritable)] {
        let identifiers = ProductIdentifiers(
            categoryPath: text, globalTradeItemNumber: text, manufacturerPartNumber: text,
            brand: text, color: text, size: text)
        let line = OrderLine(
            type: .physical, reference: text, name: text, quantity: 1, quantityUnit: text, unitPrice: 100,
            taxRate: 0, totalAmount: 100, totalTaxAmount: 0, merchantData: text, productUrl: text,
            imageUrl: text, productIdentifiers: identifiers)
        let shipping = ShippingInfo(
            shippingCompany: text, trackingNumber: text, trackingUri: text, returnShippingCompany: text,
            returnTrackingNumber: text, returnTrackingUri: text)
        let address = Address(
            givenName: text, familyName: text, title: text, streetAddress: text, streetAddress2: text,
            postalCode: text, city: text, region: text, email: text, phone: text, attention: text,
            organizationName: text)
        return [
            (
                "CaptureObject",
                CaptureObject(
                    capturedAmount: 100, description: text, reference: text, orderLines: [line],
                    shippingInfo: [shipping])
            ),
            ("RefundObject", RefundObject(refundedAmount: 100, description: text, reference: text, orderLines: [line])),
            ("Update_authorization", UpdateAuthorization(orderAmount: 100, description: text, orderLines: [line])),
            (
                "Update_merchant_references",
                UpdateMerchantReferences(merchantReference1: text, merchantReference2: text)
            ),
            ("UpdateConsumer", UpdateConsumer(shippingAddress: address)),
            ("UpdateShippingInfo", UpdateShippingInfo(shippingInfo: [shipping])),
        ]
    }

    /// Each string in `value` with its path and its schema's `maxLength` (nil where the schema sets none).
    static func strings(
        in value: Any, schema: [String: Any], schemas: [String: Any], path: String
    )
        -> [(path: String, text: String, maxLength: Int?)]
    {
        var schema = schema
        if let reference = schema["$ref"] as? String, let name = reference.split(separator: "/").last,
            let resolved = schemas[String(name)] as? [String: Any]
        {
            schema = resolved
        }
        switch value {
        case let text as String:
            return path.hasSuffix(".type") ? [] : [(path, text, schema["maxLength"] as? Int)]  // a line type is no text
        case let object as [String: Any]:
            let properties = schema["properties"] as? [String: Any] ?? [:]
            return object.keys.sorted().flatMap { key in
                strings(
                    in: object[key] ?? NSNull(), schema: properties[key] as? [String: Any] ?? [:], schemas: schemas,
                    path: "\(path).\(key)")
            }
        case let array as [Any]:
            let items = schema["items"] as? [String: Any] ?? [:]
            return array.enumerated().flatMap {
                strings(in: $1, schema: items, schemas: schemas, path: "\(path)[\($0)]")
            }
        default:
            return []
        }
    }

    /// Filled with 2,000 plain letters, every field that has a limit in Klarna's schema comes out exactly at it: the
    /// writers declare the schema's limits, no smaller and no larger, and leave no limited field out.
    @Test func everyLimitedFieldIsCutToExactlyKlarnasLimit() throws {
        #expect(!Self.schemaSources.isEmpty, "the sandbox's schema of Klarna's request bodies is missing")
        for source in Self.schemaSources {
            try checkEveryLimitedField(source.schemas, source.name)
        }
    }

    func checkEveryLimitedField(_ schemas: [String: Any], _ sourceName: String) throws {
        var limited = 0
        for (name, body) in Self.bodies(filledWith: String(repeating: "x", count: 2_000)) {
            let written = try JSONSerialization.jsonObject(with: Data(JSONWriter.write(body.json)))
            let schema = try #require(schemas[name] as? [String: Any])
            for field in Self.strings(in: written, schema: schema, schemas: schemas, path: name) {
                if let maxLength = field.maxLength {
                    limited += 1
                    #expect(field.text.utf16.count == maxLength, "\(field.path) (\(sourceName))")
                } else {
                    #expect(field.text.utf16.count == 2_000, "\(field.path) has no limit in \(sourceName)")
                }
            }
        }
        // capture 2 + line 6 + identifiers 6 + shipping 6, refund 2 + 12, update 1 + 12, references 2, address 12, shipping 6
        #expect(limited == 20 + 14 + 13 + 2 + 12 + 6, "\(sourceName)")
    }

    /// Filled with emoji, flags and Arabic with its marks, every field keeps whole grapheme clusters within its limit.
    @Test(arguments: ["👨‍👩‍👧‍👦🇸🇪a", "مَرْحَبًا ", "1️⃣🏳️‍🌈"])
    func limitsNeverSplitAGraphemeCluster(unit: String) throws {
        let schemas = try #require(
            Self.schemaSources.first?.schemas, "the sandbox's schema of Klarna's request bodies is missing")
        let text = String(repeating: unit, count: 200)
        for (name, body) in Self.bodies(filledWith: text) {
            let written = try JSONSerialization.jsonObject(with: Data(JSONWriter.write(body.json)))
            let schema = try #require(schemas[name] as? [String: Any])
            for field in Self.strings(in: written, schema: schema, schemas: schemas, path: name) {
                #expect(field.text.utf16.count <= field.maxLength ?? .max, "\(field.path)")
                let wholeClusters = Array(text).starts(with: Array(field.text))
                #expect(wholeClusters, "\(field.path) is not whole clusters of the text")
            }
        }
    }

    /// Issue 11: a 300-character refund reason went out whole as the refund's description and Klarna refused it.
    @Test func aLongRefundReasonGoesOutAsAValidDescription() throws {
        let reason = String(repeating: "Returned: wrong size, customer asked for a refund. ", count: 6)
        #expect(reason.count == 306)
        let written = try #require(
            try JSONSerialization.jsonObject(
                with: Data(
                    JSONWriter.write(
                        RefundObject(refundedAmount: 100, description: reason, reference: "refund-5").json)))
                as? [String: Any])
        #expect(written["description"] as? String == String(reason.prefix(255)))
        #expect(written["reference"] as? String == "refund-5")
    }
}

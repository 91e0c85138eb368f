import OMCore
import OMJSON
import OMTestSupport
import Testing

@testable import OMKlarna

/// Reading the models from Klarna's answers: every field, exact integers, errors that name the field.
@Suite struct KlarnaReadingTests {
    func read<T: JSONReadable>(_ type: T.Type, _ text: String) throws(JSONReadError) -> T {
        try JSONObjectReader.read(type, from: Array(text.utf8), maxDepth: KlarnaClient.answerMaxDepth)
    }

    /// The error an answer gives, as the client's message words it; nil when it reads.
    func problem<T: JSONReadable>(_ type: T.Type, _ text: String) -> String? {
        do {
            _ = try read(type, text)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func readsEveryFieldOfKlarnasOrder() throws {
        let order = try read(Order.self, Self.fullOrder)
        #expect(order.orderId == "f3392f8b-6116-4073-ab96-e330819e2c07")
        #expect(order.status == .partCaptured)
        #expect(order.fraudStatus == .accepted)
        #expect(
            [
                order.orderAmount, order.originalOrderAmount, order.capturedAmount, order.refundedAmount,
                order.remainingAuthorizedAmount,
            ] == [26400, 26400, 10000, 2500, 16400])
        #expect([order.purchaseCurrency, order.purchaseCountry, order.locale] == ["EUR", "DE", "de-DE"])
        #expect(
            [order.merchantReference1, order.merchantReference2, order.klarnaReference] == ["1001", "", "K4MADNY-1"])
        #expect([order.createdAt, order.expiresAt] == ["2026-11-20T10:00:00Z", "2026-12-18T10:00:00Z"])
        let line = try #require(order.orderLines?.first)
        #expect(line.type == .physical && line.reference == "SKU-1" && line.name == "Kapuzenpullover \"Nord\"")
        #expect(
            [
                line.quantity, line.unitPrice, line.taxRate, line.totalAmount, line.totalDiscountAmount,
                line.totalTaxAmount,
            ] == [2, 5000, 1900, 10000, 0, 1597])
        #expect(line.quantityUnit == "pcs" && line.merchantData == #"{"k":1}"#)
        #expect(line.productUrl == "https://shop.example/p/1" && line.imageUrl == "https://shop.example/i/1.jpg")
        #expect(
            line.productIdentifiers
                == ProductIdentifiers(
                    categoryPath: "Kleidung > Pullover",
                    globalTradeItemNumber: "4006381333931",
                    manufacturerPartNumber: "N-1", brand: "Nord",
                    color: "grün", size: "M"))
        #expect(order.orderLines?.last?.type == .shippingFee)
        #expect(order.billingAddress?.givenName == "Jürgen" && order.billingAddress?.phone == "+49 30 1234567")
        #expect(
            order.shippingAddress
                == Address(
                    givenName: "Jürgen", familyName: "Müller", title: "Herr",
                    streetAddress: "Hauptstr. 1", streetAddress2: "2. OG",
                    postalCode: "10115", city: "Berlin", region: "BE", country: "DE",
                    attention: "Empfang", organizationName: "Nord GmbH"))
        let capture = try #require(order.captures?.first)
        #expect(capture.captureId == "c-1" && capture.capturedAmount == 10000 && capture.refundedAmount == 2500)
        #expect(capture.klarnaReference == "K4MADNY-1-1" && capture.capturedAt == "2026-11-21T09:00:00Z")
        #expect(capture.description == "Teil 1" && capture.reference == "wc-1" && capture.orderLines == [])
        #expect(
            capture.shippingInfo == [
                ShippingInfo(
                    shippingCompany: "DHL", shippingMethod: "Home", trackingNumber: "123",
                    trackingUri: "https://dhl.example/123", returnShippingCompany: "DHL",
                    returnTrackingNumber: "R123",
                    returnTrackingUri: "https://dhl.example/R123")
            ])
        let refund = try #require(order.refunds?.first)
        #expect(refund.refundId == "r-1" && refund.refundedAmount == 2500 && refund.creditInvoice == true)
        #expect(refund.refundedAt == "2026-11-22T09:00:00Z" && refund.description == "Rückgabe")
        #expect(refund.reference == "wc-refund-7")
        #expect(
            order.initialPaymentMethod?.type == "FIXED_AMOUNT" && order.initialPaymentMethod?.numberOfInstallments == 12
        )
    }

    @Test func missingAndNullMembersAreNilAndUnknownOnesIgnored() throws {
        let order = try read(Order.self, #"{"order_id":null,"status":"SOMETHING_NEW","new_field":{"x":[1,2]}}"#)
        #expect(order.orderId == nil && order.orderAmount == nil && order.orderLines == nil)
        #expect(order.status?.rawValue == "SOMETHING_NEW")
    }

    @Test func membersAreFoundInAnyOrder() throws {
        let reversed = try read(
            Order.self, #"{"status":"CAPTURED","locale":"sv-SE","captured_amount":5,"order_id":"o"}"#)
        #expect(reversed.orderId == "o" && reversed.capturedAmount == 5 && reversed.locale == "sv-SE")
        #expect(reversed.status == .captured)
    }

    @Test func membersOfANestedObjectNeverAnswerForTheOuterOne() throws {
        let order = try read(
            Order.self,
            #"{"billing_address":{"shipping_address":"x","given_name":"A"},"#
                + #""shipping_address":{"given_name":"B"},"order_lines":[{"name":"n","quantity":1,"#
                + #""unit_price":1,"total_amount":1,"status":"LINE"}],"status":"CAPTURED"}"#)
        #expect(order.billingAddress?.givenName == "A" && order.shippingAddress?.givenName == "B")
        #expect(order.status == .captured && order.orderLines?.first?.name == "n")
        #expect(
            problem(
                Order.self,
                #"{"order_lines":[{"name":"a","quantity":1,"unit_price":1,"total_amount":1},"#
                    + #"{"name":"b","quantity":1,"unit_price":1,"total_amount":1,"product_identifiers":{"brand":7}}]}"#)
                == "order_lines[1].product_identifiers.brand: expected a string, found a number")
    }

    /// The read ends at the first problem, in the order the models read their members.
    @Test func theFirstProblemMetIsTheOneReported() {
        #expect(
            problem(Order.self, #"{"order_id":5,"status":7,"order_lines":[{"quantity":1}]}"#)
                == "order_id: expected a string, found a number")
        #expect(
            problem(Order.self, #"{"order_lines":[{"quantity":1,"unit_price":"x"}],"merchant_reference1":false}"#)
                == "order_lines[0].name: missing")
        #expect(
            problem(Order.self, #"{"order_lines":[{"name":"a","quantity":1,"unit_price":1,"total_amount":1},2]}"#)
                == "order_lines[1]: expected an object, found a number")
    }

    @Test func aNameSentTwiceMakesTheAnswerUnreadable() {
        #expect(
            problem(Order.self, #"{"order_amount":1,"order_amount":2}"#)?.hasPrefix("(top level): not JSON") == true)
    }

    @Test func integersAreExactAndBounded() throws {
        #expect(try read(Order.self, #"{"order_amount":9223372036854775807}"#).orderAmount == .max)
        #expect(try read(Order.self, #"{"order_amount":-9223372036854775808}"#).orderAmount == .min)
        for literal in ["9223372036854775808", "-9223372036854775809", "12.0", "1e3", "0.5", "-0.0"] {
            #expect(
                problem(Order.self, #"{"order_amount":\#(literal)}"#)
                    == "order_amount: expected a whole number that fits Int64")
        }
    }

    @Test func errorsNameTheFieldNeverTheValue() {
        #expect(
            problem(
                Order.self,
                #"{"order_lines":[{"name":"a","quantity":1,"unit_price":1,"total_amount":1},"#
                    + #"{"name":"secret-name","quantity":"2","unit_price":1,"total_amount":2}]}"#)
                == "order_lines[1].quantity: expected an integer, found a string")
        #expect(
            problem(Order.self, #"{"order_lines":[{"quantity":1,"unit_price":1,"total_amount":1}]}"#)
                == "order_lines[0].name: missing")
        #expect(
            problem(Order.self, #"{"billing_address":"Jürgen Müller, Berlin"}"#)
                == "billing_address: expected an object, found a string")
        #expect(problem(Order.self, "[]") == "(top level): expected an object, found an array")
        #expect(
            problem(Order.self, #"{"billing_address":{"email":42}}"#)
                == "billing_address.email: expected a string, found a number")
    }

    /// The client turns an unreadable answer into `klarna_unexpected_response` and never traps, whatever the bytes.
    @Test func theClientSurvivesHostileAnswers() throws {
        let settings = KlarnaClient.Settings(
            baseURL: try KlarnaBaseURL(
                config: KlarnaConfig(
                    environment: .sandbox, baseUrl: "http://127.0.0.1:9", username: "u", password: "p")),
            username: "u", password: "p", userAgent: "t")
        var random = SplitMix64(seed: 99)
        let order = Array(Self.fullOrder.utf8)
        for round in 0..<3_000 {
            var bytes = order
            for _ in 0..<(1 + random.below(3)) where !bytes.isEmpty {
                bytes[random.below(bytes.count)] = UInt8(truncatingIfNeeded: random.next())
            }
            if round % 10 == 0 { bytes = (0..<random.below(64)).map { _ in UInt8(truncatingIfNeeded: random.next()) } }
            let client = KlarnaClient(
                settings: settings, transport: RecordingTransport([.http(HTTPResponse(status: 200, body: bytes))]))
            do {
                _ = try client.getOrder("o-1")
            } catch {
                #expect(error.code == .klarnaUnexpectedResponse)
                #expect(error.klarna?.httpStatus == 200)
            }
        }
    }

    /// An order as Klarna's get order returns it, with every part the read model knows.
    static let fullOrder = #"""
        {"order_id":"f3392f8b-6116-4073-ab96-e330819e2c07","status":"PART_CAPTURED","fraud_status":"ACCEPTED",
         "order_amount":26400,"original_order_amount":26400,"captured_amount":10000,"refunded_amount":2500,
         "remaining_authorized_amount":16400,"purchase_currency":"EUR","purchase_country":"DE","locale":"de-DE",
         "order_lines":[{"type":"physical","reference":"SKU-1","name":"Kapuzenpullover \"Nord\"","quantity":2,
           "quantity_unit":"pcs","unit_price":5000,"tax_rate":1900,"total_amount":10000,"total_discount_amount":0,
           "total_tax_amount":1597,"merchant_data":"{\"k\":1}","product_url":"https://shop.example/p/1",
           "image_url":"https://shop.example/i/1.jpg","product_identifiers":{"category_path":"Kleidung > Pullover",
           "global_trade_item_number":"4006381333931","manufacturer_part_number":"N-1","brand":"Nord","color":"grün",
           "size":"M"}},
          {"type":"shipping_fee","name":"Versand","quantity":1,"unit_price":16400,"tax_rate":1900,"total_amount":16400,
           "total_tax_amount":2618}],
         "merchant_reference1":"1001","merchant_reference2":"","klarna_reference":"K4MADNY-1",
         "billing_address":{"given_name":"Jürgen","family_name":"Müller","email":"j@example.com","street_address":"Hauptstr. 1",
           "postal_code":"10115","city":"Berlin","country":"DE","phone":"+49 30 1234567"},
         "shipping_address":{"given_name":"Jürgen","family_name":"Müller","street_address":"Hauptstr. 1",
           "street_address2":"2. OG","postal_code":"10115","city":"Berlin","region":"BE","country":"DE","title":"Herr",
           "attention":"Empfang","organization_name":"Nord GmbH"},
         "created_at":"2026-11-20T10:00:00Z","expires_at":"2026-12-18T10:00:00Z",
         "captures":[{"capture_id":"c-1","klarna_reference":"K4MADNY-1-1","captured_amount":10000,
           "captured_at":"2026-11-21T09:00:00Z","description":"Teil 1","reference":"wc-1","order_lines":[],
           "refunded_amount":2500,"shipping_info":[{"shipping_company":"DHL","shipping_method":"Home",
           "tracking_number":"123","tracking_uri":"https://dhl.example/123","return_shipping_company":"DHL",
           "return_tracking_number":"R123","return_tracking_uri":"https://dhl.example/R123"}]}],
         "refunds":[{"refund_id":"r-1","refunded_amount":2500,"refunded_at":"2026-11-22T09:00:00Z","description":"Rückgabe",
           "reference":"wc-refund-7","order_lines":[],"credit_invoice":true}],
         "shipping_info":[],"initial_payment_method":{"type":"FIXED_AMOUNT","description":"Ratenkauf",
           "number_of_installments":12},"selected_shipping_option":{"id":"x"}}
        """#
}

/// Writing request bodies under Klarna's names.
@Suite struct KlarnaBodyTests {
    @Test func bodiesCarryEveryFieldUnderKlarnasNames() {
        let line = OrderLine(
            type: .physical, reference: "SKU-1", name: "Hoodie", quantity: 2, quantityUnit: "pcs",
            unitPrice: 5000, taxRate: 2500, totalAmount: 9000, totalDiscountAmount: 1000,
            totalTaxAmount: 1800, merchantData: "m", productUrl: "https://p", imageUrl: "https://i",
            productIdentifiers: ProductIdentifiers(brand: "B"))
        let body = CaptureObject(
            capturedAmount: 9000, description: "d", reference: "r", orderLines: [line],
            shippingInfo: [ShippingInfo(shippingCompany: "DHL", trackingNumber: "1")], shippingDelay: 2)
        #expect(
            String(decoding: JSONWriter.write(body.json), as: UTF8.self)
                == #"{"captured_amount":9000,"description":"d","#
                + #""order_lines":[{"image_url":"https://i","merchant_data":"m","name":"Hoodie","product_identifiers":{"brand":"B"},"#
                + #""product_url":"https://p","quantity":2,"quantity_unit":"pcs","reference":"SKU-1","tax_rate":2500,"#
                + #""total_amount":9000,"total_discount_amount":1000,"total_tax_amount":1800,"type":"physical","unit_price":5000}],"#
                + #""reference":"r","shipping_delay":2,"shipping_info":[{"shipping_company":"DHL","tracking_number":"1"}]}"#
        )
        // What is written reads back as the same line.
        let reread = try? JSONObjectReader.read(OrderLine.self, from: JSONWriter.write(line.json), maxDepth: 4)
        #expect(reread == line)
    }
}

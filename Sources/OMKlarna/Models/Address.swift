package import OMJSON

/// Klarna's `address`. Personal data: sent to Klarna, never logged.
package struct Address: Sendable, Equatable {
    package var givenName: String?
    package var familyName: String?
    package var title: String?
    package var streetAddress: String?
    package var streetAddress2: String?
    package var postalCode: String?
    package var city: String?
    package var region: String?
    package var country: String?
    package var email: String?
    package var phone: String?
    package var attention: String?
    package var organizationName: String?

    package init(
        givenName: String? = nil, familyName: String? = nil, title: String? = nil, streetAddress: String? = nil,
        streetAddress2: String? = nil, postalCode: String? = nil, city: String? = nil, region: String? = nil,
        country: String? = nil, email: String? = nil, phone: String? = nil, attention: String? = nil,
        organizationName: String? = nil
    ) {
        self.givenName = givenName
        self.familyName = familyName
        self.title = title
        self.streetAddress = streetAddress
        self.streetAddress2 = streetAddress2
        self.postalCode = postalCode
        self.city = city
        self.region = region
        self.country = country
        self.email = email
        self.phone = phone
        self.attention = attention
        self.organizationName = organizationName
    }
}

// MARK: - JSON (member names as in Klarna's spec; written strings cut to the spec's maxLength)

extension Address: JSONReadable, JSONWritable {
    package init(json: JSONObjectReader) throws(JSONReadError) {
        try self.init(
            givenName: json.string("given_name"), familyName: json.string("family_name"),
            title: json.string("title"), streetAddress: json.string("street_address"),
            streetAddress2: json.string("street_address2"), postalCode: json.string("postal_code"),
            city: json.string("city"), region: json.string("region"), country: json.string("country"),
            email: json.string("email"), phone: json.string("phone"), attention: json.string("attention"),
            organizationName: json.string("organization_name"))
    }

    package var json: JSONValue {
        .members([
            "given_name": .string(givenName, maxLength: 100),
            "family_name": .string(familyName, maxLength: 100),
            "title": .string(title, maxLength: 20),
            "street_address": .string(streetAddress, maxLength: 100),
            "street_address2": .string(streetAddress2, maxLength: 100),
            "postal_code": .string(postalCode, maxLength: 10),
            "city": .string(city, maxLength: 200),
            "region": .string(region, maxLength: 200),
            "country": .string(country),
            "email": .string(email, maxLength: 100),
            "phone": .string(phone, maxLength: 100),
            "attention": .string(attention, maxLength: 255),
            "organization_name": .string(organizationName, maxLength: 255),
        ])
    }
}

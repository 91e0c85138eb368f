/// Klarna's `address`. Personal data: sent to Klarna, never logged.
public struct Address: Sendable, Codable, Equatable {
    public var givenName: String?
    public var familyName: String?
    public var title: String?
    public var streetAddress: String?
    public var streetAddress2: String?
    public var postalCode: String?
    public var city: String?
    public var region: String?
    public var country: String?
    public var email: String?
    public var phone: String?
    public var attention: String?
    public var organizationName: String?

    public init(givenName: String? = nil, familyName: String? = nil, title: String? = nil, streetAddress: String? = nil,
                streetAddress2: String? = nil, postalCode: String? = nil, city: String? = nil, region: String? = nil,
                country: String? = nil, email: String? = nil, phone: String? = nil, attention: String? = nil,
                organizationName: String? = nil) {
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

    enum CodingKeys: String, CodingKey {
        case givenName = "given_name"
        case familyName = "family_name"
        case title
        case streetAddress = "street_address"
        case streetAddress2 = "street_address2"
        case postalCode = "postal_code"
        case city
        case region
        case country
        case email
        case phone
        case attention
        case organizationName = "organization_name"
    }
}

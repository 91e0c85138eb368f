extension KlarnaConfig {
    /// Klarna's Merchant Portal for this environment, where the merchant looks an order up by its Klarna order id.
    /// Klarna documents one portal per environment, the same for every region (EU, NA, OC): production
    /// https://portal.klarna.com, playground https://portal.playground.klarna.com. Kustom's portal and the local
    /// sandbox's (there is none) are unknown, so nil.
    package var merchantPortalURL: String? {
        guard domain ?? .klarna == .klarna else { return nil }
        switch environment {
        case .production: return "https://portal.klarna.com"
        case .playground: return "https://portal.playground.klarna.com"
        case .sandbox: return nil
        }
    }

    /// The API region the core talks to: the configured one, EU when none is (`KlarnaBaseURL`); nil for the local
    /// sandbox, which has no regions.
    package var resolvedRegion: Region? {
        environment == .sandbox ? nil : region ?? .eu
    }
}

package import OMCore

/// Where the client may connect: one of Klarna's fixed https hosts, or a local sandbox over plain http on a
/// loopback address. Anything else is refused before a byte is sent.
package struct KlarnaBaseURL: Sendable, Equatable {
    /// `https://api.klarna.com` or `http://127.0.0.1:8765`, without a trailing slash.
    package let url: String
    /// True only for a loopback sandbox; the transport then allows plain http.
    package let isLoopbackSandbox: Bool

    /// Resolves the base URL for a request's config. Production and playground hosts come from a closed table
    /// (region × environment × domain) and may not be overridden; `sandbox` requires a loopback `base_url`.
    package init(config: KlarnaConfig) throws(OMError) {
        switch config.environment {
        case .sandbox:
            guard let base = config.baseUrl else {
                throw OMError(
                    .baseURLRefused, "environment `sandbox` needs `config.base_url`", field: "config.base_url")
            }
            url = try Self.loopback(base)
            isLoopbackSandbox = true
        case .production, .playground:
            guard config.baseUrl == nil else {
                throw OMError(
                    .baseURLRefused, "`config.base_url` is only allowed with environment `sandbox`",
                    field: "config.base_url")
            }
            let region = config.region ?? .eu
            let domain = config.domain ?? .klarna
            let prefix = region == .eu ? "api" : "api-\(region.rawValue)"
            let playground = config.environment == .playground ? ".playground" : ""
            url = "https://\(prefix)\(playground).\(domain.rawValue)"
            isLoopbackSandbox = false
        }
    }

    /// The proxy to reach `base` through: the configured one for Klarna's hosts (http or https, one line), never one
    /// for a loopback sandbox. Nil means none, whatever `http_proxy`/`https_proxy` say in the environment.
    package static func proxy(_ configured: String?, for base: KlarnaBaseURL) throws(OMError) -> String? {
        guard let configured, !configured.isEmpty, !base.isLoopbackSandbox else { return nil }
        let wellFormed =
            (configured.hasPrefix("http://") || configured.hasPrefix("https://"))
            && configured.utf8.count <= 2_048 && !configured.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F })
        guard wellFormed else {
            throw OMError(.invalidField, "`config.proxy` must be an http:// or https:// URL", field: "config.proxy")
        }
        return configured
    }

    /// Accepts `http://127.x.y.z[:port]`, `http://[::1][:port]` and `http://localhost[:port]`, optionally with
    /// one trailing slash; no user info, path, query or fragment.
    static func loopback(_ text: String) throws(OMError) -> String {
        let refused = OMError(
            .baseURLRefused,
            "`config.base_url` must be a loopback http URL such as http://127.0.0.1:8765",
            field: "config.base_url")
        guard text.hasPrefix("http://") else { throw refused }
        var authority = Substring(text.dropFirst("http://".count))
        if authority.hasSuffix("/") { authority = authority.dropLast() }
        guard !authority.isEmpty, !authority.contains(where: { "/?#@ \\".contains($0) }) else { throw refused }

        var host = authority
        var port: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw refused }
            host = authority[...close]
            let rest = authority[authority.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { throw refused }
                port = rest.dropFirst()
            }
        } else if let colon = authority.firstIndex(of: ":") {
            host = authority[..<colon]
            port = authority[authority.index(after: colon)...]
        }
        if let port {
            guard !port.isEmpty, port.count <= 5, port.allSatisfy(\.isASCIIDigit), let number = Int(port),
                (1...65535).contains(number)
            else { throw refused }
        }
        guard host == "localhost" || host == "[::1]" || isLoopbackIPv4(host) else { throw refused }
        return "http://" + authority
    }

    static func isLoopbackIPv4(_ host: Substring) -> Bool {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "127" else { return false }
        return parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCIIDigit) && (Int(part) ?? 256) <= 255
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

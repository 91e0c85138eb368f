package import OMCore

/// The User-Agent in Klarna's convention (`Key/Name_version (options)`, space-separated), from the platform
/// versions the request passes in. Never a shop URL or anything secret.
package enum UserAgent {
    package static func make(libraryVersion: String, os: String, platform: PlatformVersions) -> String {
        var parts = [
            "Library/klarna-om_\(clean(libraryVersion)) (libcurl)", "Language/Swift_\(swiftVersion)",
            "OS/\(clean(os))",
        ]
        var options: [String] = []
        if let woocommerce = platform.woocommerce { options.append("WooCommerce_\(clean(woocommerce))") }
        if let php = platform.php { options.append("PHP_\(clean(php))") }
        if let wordpress = platform.wordpress {
            parts.append(
                "Platform/WordPress_\(clean(wordpress))"
                    + (options.isEmpty ? "" : " (\(options.joined(separator: "; ")))"))
        }
        if let plugin = platform.plugin { parts.append("Module/klarna-order-management_\(clean(plugin))") }
        return parts.joined(separator: " ")
    }

    /// Keeps letters, digits and `._-` (at most 32), so a version string cannot inject header syntax.
    static func clean(_ text: String) -> String {
        let kept = text.unicodeScalars.filter { scalar in
            scalar.isASCII
                && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                    || "._-".unicodeScalars.contains(scalar))
        }
        let result = String(String.UnicodeScalarView(kept.prefix(32)))
        return result.isEmpty ? "unknown" : result
    }

    #if swift(>=6.3)
        static let swiftVersion = "6.3"
    #elseif swift(>=6.2)
        static let swiftVersion = "6.2"
    #else
        static let swiftVersion = "6"
    #endif
}

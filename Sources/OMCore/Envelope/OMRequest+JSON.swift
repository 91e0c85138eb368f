package import OMJSON

// Reading the request (docs/contract.md, "Request"). Members are read in the order of the types' declarations, so
// that of several problems in one request the first one reported stays the same.

extension OMRequest: JSONReadable {
    package init(json: JSONObjectReader) throws(JSONReadError) {
        try self.init(
            version: json.required("version", json.int), operation: json.value("operation"),
            locale: json.string("locale"), config: json.required("config", json.object),
            order: json.required("order", json.object), refund: json.object("refund"),
            platform: json.object("platform"), capture: json.object("capture"), format: json.object("format"))
    }
}

extension KlarnaConfig: JSONReadable {
    package init(json: JSONObjectReader) throws(JSONReadError) {
        try self.init(
            environment: json.required("environment", json.value), region: json.value("region"),
            domain: json.value("domain"), baseUrl: json.string("base_url"),
            username: json.required("username", json.string), password: json.required("password", json.string),
            connectTimeoutMs: json.int("connect_timeout_ms"), timeoutMs: json.int("timeout_ms"),
            proxy: json.string("proxy"))
    }
}

extension PlatformVersions: JSONReadable {
    package init(json: JSONObjectReader) throws(JSONReadError) {
        try self.init(
            wordpress: json.string("wordpress"), woocommerce: json.string("woocommerce"),
            php: json.string("php"), plugin: json.string("plugin"))
    }
}

import Glibc
package import OMCore
import OMCurl
import OMFlows
import OMKlarna

/// The one path every request takes, from the C ABI and from the `klarna-om` executable alike:
/// decode, run, encode. It never traps and always returns a JSON envelope.
package enum Entry {
    /// The library's semantic version (also `om_version()`).
    package static let version = "0.2.0"
    /// The C ABI version (also `om_abi_version()`); changes only when a C signature changes.
    package static let abiVersion: Int32 = 1

    /// Answers a NUL-terminated request from C. Reads at most `RequestDecoder.maxBytes + 1` bytes of it.
    package static func respond(to operation: OrderOperation, cString request: UnsafePointer<CChar>?) -> String {
        guard let request else {
            return ResponseEncoder.encode(OMResponse(error: OMError(.nullRequest, "request is NULL")))
        }
        let length = strnlen(request, RequestDecoder.maxBytes + 1)
        return request.withMemoryRebound(to: UInt8.self, capacity: length) {
            respond(to: operation, bytes: Array(UnsafeBufferPointer(start: $0, count: length)))
        }
    }

    /// Answers a request given as bytes (the executable reads them from standard input).
    package static func respond(to operation: OrderOperation, bytes: [UInt8]) -> String {
        respond(to: operation, bytes: bytes, flows: flows)
    }

    /// Answers a request with `flows`: a batch item's go to Klarna through the batch.
    static func respond(to operation: OrderOperation, bytes: [UInt8], flows: OrderManagement) -> String {
        let response: OMResponse
        do {
            let request = try RequestDecoder.decode(bytes, for: operation)
            response = try flows.run(operation, request)
        } catch {
            response = OMResponse(error: error)
        }
        return ResponseEncoder.encode(response)
    }

    private static let flows = flows { CurlTransport(allowPlainHTTP: $0, proxy: $1) }

    /// The flows of this library over `transport`.
    static func flows(
        _ transport: @escaping @Sendable (_ allowPlainHTTP: Bool, _ proxy: String?) -> any Transport
    )
        -> OrderManagement
    {
        OrderManagement(libraryVersion: version, operatingSystem: operatingSystem, makeTransport: transport)
    }

    /// `Linux_6.1.0-18-amd64`, for the User-Agent.
    static let operatingSystem: String = {
        var name = utsname()
        guard uname(&name) == 0 else { return "Linux" }
        let release = withUnsafeBytes(of: &name.release) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        return "Linux_" + release
    }()
}

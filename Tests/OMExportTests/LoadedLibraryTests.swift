import Foundation
import OMCore
import OMExport
import Testing

/// Loads the built libklarna_om.so with dlopen and resolves the om_* symbols by name, exactly as PHP FFI does,
/// then runs the `klarna-om` executable (the C launcher, which loads that library): both must answer the same bytes.
@Suite struct LoadedLibraryTests {
    typealias OperationFunction = @convention(c) (UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>?
    typealias FreeFunction = @convention(c) (UnsafeMutablePointer<CChar>?) -> Void
    typealias VersionFunction = @convention(c) () -> UnsafePointer<CChar>
    typealias ABIFunction = @convention(c) () -> Int32

    /// The folder of the test executable: SwiftPM puts libklarna_om.so and klarna-om beside it (the launcher finds
    /// the library there, in its own folder).
    static let binFolder: URL = {
        let executable =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        var folder = URL(fileURLWithPath: executable).deletingLastPathComponent()
        while folder.path != "/"
            && !FileManager.default.fileExists(atPath: folder.appendingPathComponent("libklarna_om.so").path)
        {
            folder.deleteLastPathComponent()
        }
        return folder
    }()

    /// Loaded once and never closed: the Swift runtime keeps pointers into a loaded image's metadata, so unloading
    /// a Swift library is unsafe (PHP never unloads it either).
    final class Library: @unchecked Sendable {
        static let shared = Library()
        let handle: UnsafeMutableRawPointer?
        private init() {
            handle = dlopen(LoadedLibraryTests.binFolder.appendingPathComponent("libklarna_om.so").path, RTLD_NOW)
        }
        func symbol<T>(_ name: String, as type: T.Type) -> T? {
            guard let handle, let raw = dlsym(handle, name) else { return nil }
            return unsafeBitCast(raw, to: type)
        }
    }

    @Test func exportsEveryFunctionOfTheHeader() throws {
        let library = Library.shared
        try #require(library.handle != nil, "dlopen failed: \(String(cString: dlerror()))")
        for name in [
            "om_cancel", "om_capture", "om_update", "om_refund", "om_sync", "om_release", "om_extend", "om_batch",
            "om_free", "om_version", "om_abi_version",
        ] {
            #expect(library.symbol(name, as: UnsafeMutableRawPointer.self) != nil, "\(name) is not exported")
        }
        #expect(library.symbol("om_internal_nothing", as: UnsafeMutableRawPointer.self) == nil)
    }

    @Test func versionsAndEnvelopeThroughDlsym() throws {
        let library = Library.shared
        let abi = try #require(library.symbol("om_abi_version", as: ABIFunction.self))
        let version = try #require(library.symbol("om_version", as: VersionFunction.self))
        let capture = try #require(library.symbol("om_capture", as: OperationFunction.self))
        let free = try #require(library.symbol("om_free", as: FreeFunction.self))
        #expect(abi() == 1)
        #expect(String(cString: version()).split(separator: ".").count == 3)
        let response = capture("{\"version\":1,")
        defer { free(response) }
        let text = try #require(response.map { String(cString: $0) })
        #expect(
            text == #"{"error":{"code":"invalid_json","message":"request is not valid JSON"},"ok":false,"version":1}"#)
        free(nil)
    }

    @Test(arguments: ["cancel", "capture", "update", "refund", "sync", "release", "extend"])
    func executableSpeaksTheSameJSON(command: String) throws {
        let library = Library.shared
        let call = try #require(library.symbol("om_\(command)", as: OperationFunction.self))
        let free = try #require(library.symbol("om_free", as: FreeFunction.self))
        for request in ["{\"version\":7}", "{\"version\":1,\"config\":{}}", "\u{7B}\"version\":1,\"operation\":\"x\"}"]
        {
            let response = call(request)
            defer { free(response) }
            let fromLibrary = response.map { String(cString: $0) } ?? ""
            let (status, output) = try run(command, stdin: request)
            #expect(status == 0)
            #expect(output == fromLibrary + "\n")
        }
    }

    /// Standard input's bytes, answered as `Entry.respond(to:bytes:)` answers them: the entry point the Swift
    /// executable called with the bytes it read, before the launcher replaced it. Here are the bytes a C string
    /// cannot carry (NUL, which the launcher hands over as 0x01) and the sizes it cuts at 1 MiB + 1 byte.
    static let stdinRequests: [[UInt8]] = {
        func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
        let valid =
            #"{"version":1,"locale":"en_US","config":{"environment":"sandbox","base_url":"http://127.0.0.1:9","#
            + #""username":"u","password":"p"},"order":{"id":7,"currency":"EUR","totals":{"total":"10.00"},"#
            + #""payment_method":"cod","klarna":{"order_id":"k-1"}}}"#
        var requests: [[UInt8]] = [
            [], [0], [0, 0, 0], bytes(valid), bytes(valid) + [0], [0] + bytes(valid),
            bytes(valid) + [0] + bytes("junk"),
            bytes(#"{"version":1,"x":"a"#) + [0] + bytes(#"b"}"#),  // in a string nobody reads
            bytes(#"{"version":1,"x":"a"#) + [0] + bytes(#"b"}"#),  // right after a backslash
            bytes(#"{"version":"#) + [0] + bytes("}"), bytes(#"{"ver"#) + [0] + bytes(#"sion":1}"#),
            [0xC3, 0] + bytes("{}"), [0xFF, 0xFE] + bytes("{}"),
            Array(repeating: UInt8(ascii: "["), count: 1000) + [0] + Array(repeating: UInt8(ascii: "]"), count: 1000),
        ]
        for field in [#""cod""#, #""EUR""#, #""en_US""#, #""k-1""#, #""p""#] {  // in strings the library decodes
            let text = bytes(valid)
            guard let at = text.firstRange(of: bytes(field))?.lowerBound else { continue }
            requests.append(Array(text[..<(at + 2)]) + [0] + Array(text[(at + 2)...]))
        }
        for size in [RequestDecoder.maxBytes, RequestDecoder.maxBytes + 1, 2 * RequestDecoder.maxBytes] {
            requests.append(bytes("{") + Array(repeating: UInt8(ascii: " "), count: size - 2) + bytes("}"))
        }
        requests.append(bytes("{") + Array(repeating: 0, count: RequestDecoder.maxBytes - 2) + bytes("}"))
        return requests
    }()

    @Test(arguments: ["cancel", "capture", "update", "refund", "sync", "release", "extend"])
    func executableAnswersStdinAsTheByteEntryPoint(command: String) throws {
        let operation = try #require(OrderOperation(rawValue: command))
        for request in Self.stdinRequests {
            let expected = Entry.respond(to: operation, bytes: request)
            let (status, output) = try run(command, stdin: Data(request))
            #expect(status == 0)
            #expect(
                output == expected + "\n",
                "\(request.count) bytes: \(String(decoding: request.prefix(60), as: UTF8.self))")
        }
    }

    /// Batches on standard input, answered as `Entry.respondToBatch(bytes:)` answers them: valid ones (orders whose
    /// order management is switched off, so nothing is sent), malformed ones, NUL bytes, and the batch's own size
    /// limit of 16 MiB, far above a request's.
    @Test func executableAnswersABatchAsTheByteEntryPoint() throws {
        func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
        let request =
            #"{"version":1,"config":{"environment":"sandbox","base_url":"http://127.0.0.1:9","username":"u","#
            + #""password":"p"},"order":{"id":7,"currency":"EUR","totals":{"total":"10.00"},"klarna":{"order_id":"k-1"},"#
            + #""meta":{"disconnected":true}}}"#
        let items = OrderOperation.allCases.map { #"{"operation":"\#($0.rawValue)","request":\#(request)}"# }
        let valid = bytes(#"{"version":1,"items":["# + items.joined(separator: ",") + "]}")
        let padded = { (size: Int) in
            Array(valid.dropLast()) + Array(repeating: UInt8(ascii: " "), count: size - valid.count) + bytes("}")
        }
        let batches: [[UInt8]] = [
            valid, [], [0], valid + [0] + bytes("junk"), bytes(#"{"version":1,"items":[7,{"operation":"x"}]}"#),
            bytes(#"{"version":1,"items":[{"operation":"capture","request":{"version":1,"x":"a"#) + [0]
                + bytes(#"b"}}]}"#),
            padded(2 * RequestDecoder.maxBytes), padded(BatchRequest.maxBytes), padded(BatchRequest.maxBytes + 1),
        ]
        for batch in batches {
            let expected = Entry.respondToBatch(bytes: batch)
            let (status, output) = try run("batch", stdin: Data(batch))
            #expect(status == 0)
            #expect(
                output == expected + "\n", "\(batch.count) bytes: \(String(decoding: batch.prefix(60), as: UTF8.self))")
        }
        let answer = Entry.respondToBatch(bytes: valid)
        #expect(
            answer.hasPrefix(#"{"ok":true,"results":[{"log":[],"note":{"code":"skipped_disconnected""#), "\(answer)")
        #expect(Entry.respondToBatch(bytes: padded(2 * RequestDecoder.maxBytes)) == answer)
        #expect(Entry.respondToBatch(bytes: padded(BatchRequest.maxBytes + 1)).contains(#""code":"request_too_large""#))
    }

    @Test func executableRejectsUnknownCommandsWithUsage() throws {
        let (status, output) = try run("charge", stdin: "{}")
        #expect(status == 2)
        #expect(output.isEmpty)
    }

    func run(_ command: String, stdin text: String) throws -> (Int32, String) {
        try run(command, stdin: Data(text.utf8))
    }

    func run(_ command: String, stdin data: Data) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = Self.binFolder.appendingPathComponent("klarna-om")
        process.arguments = [command]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        signal(SIGPIPE, SIG_IGN)  // The executable may exit before reading its input (usage errors).
        try process.run()
        try? input.fileHandleForWriting.write(contentsOf: data)  // cut short when it stops reading at 1 MiB + 1
        try? input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

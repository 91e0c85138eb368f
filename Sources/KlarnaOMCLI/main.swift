import Glibc
import OMCore
import OMExport

// klarna-om: the C ABI's twin for hosts without PHP FFI. `klarna-om capture < request.json > response.json`.
// The same JSON in and out as om_capture(); exit status 0 whenever a response was written.

let usage = """
    usage: klarna-om <cancel|capture|update|refund> < request.json > response.json
           klarna-om version
    """

let arguments = CommandLine.arguments.dropFirst()
/// Writes all of `text` to a file descriptor, retrying short writes.
func emit(_ text: String, to descriptor: Int32) {
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        if written < 0, errno == EINTR { continue }
        guard written > 0 else { return }
        bytes = bytes.dropFirst(written)
    }
}

guard arguments.count == 1, let command = arguments.first else {
    emit(usage + "\n", to: STDERR_FILENO)
    exit(2)
}
if command == "version" {
    print("klarna-om \(Entry.version) (abi \(Entry.abiVersion))")
    exit(0)
}
guard let operation = OrderOperation(rawValue: command) else {
    emit("klarna-om: unknown command\n" + usage + "\n", to: STDERR_FILENO)
    exit(2)
}

/// Reads standard input, but never more than one byte past the request limit.
func readRequest() -> [UInt8] {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while bytes.count <= RequestDecoder.maxBytes {
        let count = chunk.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
        if count < 0, errno == EINTR { continue }
        if count <= 0 { break }
        bytes.append(contentsOf: chunk[0..<count])
    }
    return bytes
}

let response = Entry.respond(to: operation, bytes: readRequest())
emit(response + "\n", to: STDOUT_FILENO)
exit(0)

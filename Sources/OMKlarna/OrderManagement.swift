public import OMCore

/// Runs one operation of the contract for one order: decide from the snapshot, talk to Klarna through the
/// transport, and say what happened.
public struct OrderManagement: Sendable {
    let transport: any Transport

    public init(transport: any Transport) {
        self.transport = transport
    }

    /// Runs `operation` for a decoded request. Errors that stop the operation before it reaches Klarna are thrown;
    /// everything Klarna answers becomes an outcome in the response.
    public func run(_ operation: OrderOperation, _ request: OMRequest) throws(OMError) -> OMResponse {
        throw OMError(.notImplemented, "operation `\(operation.rawValue)` is not implemented yet in this library version")
    }
}

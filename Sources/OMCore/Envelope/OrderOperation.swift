/// The operations of ABI version 1, one per C entry point and CLI sub-command.
public enum OrderOperation: String, Sendable, CaseIterable {
    case cancel
    case capture
    case update
    case refund
}

/// The operations of ABI version 1, one per C entry point and CLI sub-command. Within an ABI version operations are
/// only added (`sync`, `release` and `extend` came with 0.2).
package enum OrderOperation: String, Sendable, CaseIterable {
    case cancel
    case capture
    case update
    case refund
    /// Reads Klarna's order: the state the order screen shows.
    case sync
    /// Releases what remains of the authorization after part of the order was captured.
    case release
    /// Extends the authorization's expiry.
    case extend
}

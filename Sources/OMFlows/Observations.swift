import OMCore
import OMKlarna

/// What one operation learnt about Klarna's order: its last read, and what the operation established at Klarna
/// after it. The response's `state` is made from them (docs/contract.md, "The Klarna side of an order"): the read
/// with those effects applied, or, without a read, the stored state with them applied; nothing at all when the
/// operation neither read nor changed anything, so the plugin keeps the state it has.
final class Observations {
    private var lastRead: (order: Order, at: String)?
    private var effects: [KlarnaStateEffect] = []

    /// Klarna's order as read now: effects recorded before it are already in it.
    func read(_ order: Order, at time: String) {
        lastRead = (order, time)
        effects = []
    }

    func record(_ effect: KlarnaStateEffect) {
        effects.append(effect)
    }

    /// The state to answer with; nil when the operation learnt nothing.
    func state(request: OMRequest) -> KlarnaState? {
        let base: KlarnaState
        if let lastRead {
            base = KlarnaState(order: lastRead.order, readAt: lastRead.at, request: request)
        } else if !effects.isEmpty {
            var stored = request.order.meta?.state ?? KlarnaState(source: .derived)
            stored.source = .derived
            base = stored.locating(request: request, currency: stored.currency ?? request.order.currency.code)
        } else {
            return nil
        }
        return effects.reduce(base) { $0.applying($1) }
    }
}

/// A place where WooCommerce's status says one thing about money and Klarna's order holds another, with the fix
/// (docs/contract.md, "What sync finds"). A `sync` that knows the order's WooCommerce status lists them for the
/// plugin's reconciliation, which changes nothing until the merchant asks for the fix.
package struct Disagreement: Sendable, Equatable {
    /// A stable snake_case code, compared as a value.
    package struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        package let rawValue: String
        package init(rawValue: String) { self.rawValue = rawValue }
        package var description: String { rawValue }

        package static let completedNotCaptured = Self(rawValue: "completed_not_captured")
        package static let completedPartCaptured = Self(rawValue: "completed_part_captured")
        package static let moneyHeld = Self(rawValue: "money_held")
        package static let authorizationOpen = Self(rawValue: "authorization_open")
        package static let amountDiffers = Self(rawValue: "amount_differs")
        package static let overCaptured = Self(rawValue: "over_captured")
        package static let klarnaOrderClosed = Self(rawValue: "klarna_order_closed")

        package static let all: [Code] = [
            .completedNotCaptured, .completedPartCaptured, .moneyHeld, .authorizationOpen,
            .amountDiffers, .overCaptured, .klarnaOrderClosed,
        ]
    }

    /// What makes WooCommerce and Klarna agree again: an operation the plugin runs when asked, a refund the merchant
    /// makes in WooCommerce, or a look by the merchant (`review`).
    package enum Fix: String, Sendable {
        case capture, cancel, update, extend, refund, review
    }

    package var code: Code
    package var fix: Fix
    /// The amounts (as money) and Klarna's status the text names.
    package var params: [String: NoteParam]

    package init(_ code: Code, fix: Fix, params: [String: NoteParam] = [:]) {
        self.code = code
        self.fix = fix
        self.params = params
    }
}

/// A place where WooCommerce's status says one thing about money and Klarna's order holds another, with the fix
/// (docs/contract.md, "What sync finds"). A `sync` that knows the order's WooCommerce status lists them for the
/// plugin's reconciliation, which changes nothing until the merchant asks for the fix.
public struct Disagreement: Sendable, Equatable {
    /// A stable snake_case code, compared as a value.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let completedNotCaptured = Self(rawValue: "completed_not_captured")
        public static let completedPartCaptured = Self(rawValue: "completed_part_captured")
        public static let moneyHeld = Self(rawValue: "money_held")
        public static let authorizationOpen = Self(rawValue: "authorization_open")
        public static let amountDiffers = Self(rawValue: "amount_differs")
        public static let overCaptured = Self(rawValue: "over_captured")
        public static let klarnaOrderClosed = Self(rawValue: "klarna_order_closed")

        public static let all: [Code] = [.completedNotCaptured, .completedPartCaptured, .moneyHeld, .authorizationOpen,
                                         .amountDiffers, .overCaptured, .klarnaOrderClosed]
    }

    /// What makes WooCommerce and Klarna agree again: an operation the plugin runs when asked, a refund the merchant
    /// makes in WooCommerce, or a look by the merchant (`review`).
    public enum Fix: String, Sendable {
        case capture, cancel, update, extend, refund, review
    }

    public var code: Code
    public var fix: Fix
    /// The amounts (as money) and Klarna's status the text names.
    public var params: [String: NoteParam]

    public init(_ code: Code, fix: Fix, params: [String: NoteParam] = [:]) {
        self.code = code
        self.fix = fix
        self.params = params
    }
}

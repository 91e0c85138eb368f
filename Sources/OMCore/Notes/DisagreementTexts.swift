/// A disagreement as the reconciliation lists it (the response's `disagreements`): its code and fix, its text in the
/// order's language with the money in the shop's format, and its parameters (amounts with their minor units).
package struct ListedDisagreement: Sendable, Equatable {
    package var code: String
    package var fix: String
    package var text: String
    package var params: [String: NoteParam]
}

extension NoteCatalog {
    package static func listed(
        _ disagreement: Disagreement, language: Language,
        format: MoneyFormat? = nil
    ) -> ListedDisagreement {
        let key = disagreementKey(disagreement)
        let template = disagreementTemplates[key]?[language] ?? disagreementTemplates[key]?[.english] ?? key
        let rendered = render(disagreement.params, format: format)
        return ListedDisagreement(
            code: disagreement.code.rawValue, fix: disagreement.fix.rawValue,
            text: fill(template, rendered), params: rendered)
    }

    /// A disagreement's template: its code's, or, where the fix changes what the merchant can do, `code/fix`.
    static func disagreementKey(_ disagreement: Disagreement) -> String {
        disagreement.code == .completedNotCaptured && disagreement.fix == .review
            ? "\(disagreement.code.rawValue)/review" : disagreement.code.rawValue
    }

    /// Every disagreement's text, in English and Vietnamese.
    package static let disagreementTemplates: [String: [Language: String]] = [
        "completed_not_captured": [
            .english: "WooCommerce says Completed, but Klarna has captured nothing: capture it.",
            .vietnamese: "WooCommerce ghi Hoàn thành, nhưng Klarna chưa thu khoản nào: hãy thu tiền.",
        ],
        "completed_not_captured/review": [
            .english:
                "WooCommerce says Completed, but Klarna has captured nothing, and its order is {klarna_status}: nothing can be captured any more. Check the order before it ships.",
            .vietnamese:
                "WooCommerce ghi Hoàn thành, nhưng Klarna chưa thu khoản nào, và đơn hàng Klarna đang ở trạng thái {klarna_status}: không thể thu tiền được nữa. Hãy kiểm tra đơn hàng trước khi giao.",
        ],
        "completed_part_captured": [
            .english:
                "WooCommerce says Completed, but Klarna has not captured {uncaptured} of the order: capture what remains.",
            .vietnamese:
                "WooCommerce ghi Hoàn thành, nhưng Klarna còn {uncaptured} của đơn hàng chưa thu: hãy thu phần còn lại.",
        ],
        "money_held": [
            .english:
                "The order is Cancelled or Refunded in WooCommerce, but Klarna still holds {refundable} of the customer's money: refund it in WooCommerce (Refund via Klarna).",
            .vietnamese:
                "Đơn hàng đã Hủy hoặc Đã hoàn tiền trong WooCommerce, nhưng Klarna vẫn giữ {refundable} tiền của khách hàng: hãy hoàn tiền trong WooCommerce (Hoàn tiền qua Klarna).",
        ],
        "authorization_open": [
            .english:
                "The order is Cancelled or Refunded in WooCommerce, but Klarna still holds an authorization of {remaining} for it: cancel it at Klarna.",
            .vietnamese:
                "Đơn hàng đã Hủy hoặc Đã hoàn tiền trong WooCommerce, nhưng Klarna vẫn giữ ủy quyền {remaining} cho đơn này: hãy hủy ủy quyền tại Klarna.",
        ],
        "amount_differs": [
            .english:
                "WooCommerce's order total is {woocommerce}, but Klarna authorized {klarna}: send the order's items to Klarna again (update).",
            .vietnamese:
                "Tổng đơn hàng trong WooCommerce là {woocommerce}, nhưng Klarna đã ủy quyền {klarna}: hãy gửi lại các sản phẩm của đơn hàng cho Klarna (cập nhật).",
        ],
        "over_captured": [
            .english:
                "Klarna has captured {excess} more than the order total: refund {excess} to the customer in Klarna's Merchant Portal.",
            .vietnamese:
                "Klarna đã thu nhiều hơn tổng đơn hàng {excess}: hãy hoàn {excess} cho khách hàng trên Klarna Merchant Portal.",
        ],
        "klarna_order_closed": [
            .english:
                "WooCommerce says the order is still to ship, but Klarna's order is {klarna_status}: it can no longer be captured. Do not ship it before the customer has paid another way.",
            .vietnamese:
                "WooCommerce ghi đơn hàng vẫn chờ giao, nhưng đơn hàng Klarna đang ở trạng thái {klarna_status}: không thể thu tiền được nữa. Đừng giao hàng trước khi khách hàng thanh toán bằng cách khác.",
        ],
    ]
}

/// One row of a dialect's `errors:` list: which upstream failures mean which `FailureKind`.
///
/// Every given condition must hold; a row with none matches every failure.
package struct ErrorRule: Sendable, Equatable {
    package init(retcode: Int64? = nil, status: String? = nil, messageContains: String? = nil, kind: FailureKind) {
        self.retcode = retcode
        self.status = status
        self.messageContains = messageContains
        self.kind = kind
    }

    package var retcode: Int64?
    package var status: String?
    package var messageContains: String?
    package var kind: FailureKind

    package func matches(retcode code: Int64, status text: String, message: String) -> Bool {
        if let retcode, retcode != code { return false }
        if let status, status != text { return false }
        if let messageContains, !message.contains(messageContains) { return false }
        return true
    }
}

/// What a client dialect answers for a failure kind: a fixed retcode, or the upstream's own.
package enum RetcodeChoice: Sendable, Equatable {
    case code(Int64)
    case upstream
}

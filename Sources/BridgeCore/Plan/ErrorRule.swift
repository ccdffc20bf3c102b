/// One row of a dialect's `errors:` list: which upstream failures mean which `FailureKind`.
///
/// Every given condition must hold; a row with none matches every failure.
struct ErrorRule: Sendable, Equatable {
    var retcode: Int64?
    var status: String?
    var messageContains: String?
    var kind: FailureKind

    func matches(retcode code: Int64, status text: String, message: String) -> Bool {
        if let retcode, retcode != code { return false }
        if let status, status != text { return false }
        if let messageContains, !message.contains(messageContains) { return false }
        return true
    }
}

/// What a client dialect answers for a failure kind: a fixed retcode, or the upstream's own.
enum RetcodeChoice: Sendable, Equatable {
    case code(Int64)
    case upstream
}

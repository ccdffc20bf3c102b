/// Why an action failed, in the vocabulary the mapping tables use.
///
/// Upstream tables classify their retcodes into these kinds; client tables turn each kind into the
/// retcode their callers expect. The raw values are the YAML spellings.
package enum FailureKind: String, Sendable, CaseIterable {
    case badRequest = "bad_request"
    case unsupportedAction = "unsupported_action"
    /// The caller's dialect knows the action, but nothing behind the bridge can do it (a table says so).
    case unavailableAction = "unavailable_action"
    case badParam = "bad_param"
    case unsupportedParam = "unsupported_param"
    case unsupportedSegment = "unsupported_segment"
    case badSegmentData = "bad_segment_data"
    case whoAmI = "who_am_i"
    case unknownSelf = "unknown_self"
    case noPermission = "no_permission"
    case operationFailed = "operation_failed"
    case credentialsExpired = "credentials_expired"
    /// The target (group, user, message) does not exist: go-cqhttp's `*_NOT_FOUND`, Lagrange's -1.
    case notFound = "not_found"
    case handlerError = "handler_error"
    case upstreamUnreachable = "upstream_unreachable"
    case upstreamTimeout = "upstream_timeout"
    case upstreamBadResponse = "upstream_bad_response"
    case upstreamRejectedToken = "upstream_rejected_token"
    case internalError = "internal_error"
    /// An upstream failure no rule classified; client tables decide whether to keep its retcode.
    case unclassified
}

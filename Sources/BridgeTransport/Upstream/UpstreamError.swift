import BridgeCore

/// Why an upstream call produced no OneBot answer. Raised by egress clients, mapped by the ingress.
package enum UpstreamError: Error, Sendable {
    case connectFailed(action: String, reason: String)
    case timedOut(action: String, afterMilliseconds: Int64)
    case rejectedToken(action: String, status: Int)
    case unknownAction(action: String, status: Int)
    case badStatus(action: String, status: Int)
    case malformedBody(action: String, reason: String)

    /// The table vocabulary, so each client dialect picks its own retcode.
    package var kind: FailureKind {
        switch self {
        case .connectFailed: .upstreamUnreachable
        case .timedOut: .upstreamTimeout
        case .rejectedToken: .upstreamRejectedToken
        case .unknownAction: .unsupportedAction
        case .badStatus, .malformedBody: .upstreamBadResponse
        }
    }

    /// Whether the same call may succeed if tried again.
    package var isRetryable: Bool {
        switch self {
        case .connectFailed, .timedOut: true
        default: false
        }
    }

    package var message: String {
        switch self {
        case .connectFailed(let action, let reason): "\(action): the upstream is unreachable (\(reason))"
        case .timedOut(let action, let milliseconds): "\(action): the upstream did not answer within \(milliseconds) ms"
        case .rejectedToken(let action, let status):
            "\(action): the upstream refused the bridge's access token (HTTP \(status)); check upstream_token"
        case .unknownAction(let action, let status): "\(action): the upstream does not know this action (HTTP \(status))"
        case .badStatus(let action, let status): "\(action): the upstream answered HTTP \(status)"
        case .malformedBody(let action, let reason): "\(action): the upstream answered garbage (\(reason))"
        }
    }
}

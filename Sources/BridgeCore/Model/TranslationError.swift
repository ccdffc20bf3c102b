/// A request or response that cannot be translated. Thrown by the pure core only.
package enum TranslationError: Error, Sendable, Equatable {
    case badRequest(reason: String)
    case unsupportedAction(action: String, reason: String)
    case unavailableAction(action: String, reason: String)
    case paramBelowMinimum(action: String, name: String, minimum: Int64)
    case missingParam(action: String, name: String)
    case badParamType(action: String, name: String, expected: String, got: String)
    case idNotRepresentable(action: String, name: String, value: String)
    case unsupportedSegment(type: String)
    case badSegmentData(type: String, reason: String)
    case unknownSelf(userID: String)
    case whoAmI

    /// The table vocabulary for this error.
    package var kind: FailureKind {
        switch self {
        case .badRequest: .badRequest
        case .unsupportedAction: .unsupportedAction
        case .unavailableAction: .unavailableAction
        case .missingParam, .badParamType, .idNotRepresentable, .paramBelowMinimum: .badParam
        case .unsupportedSegment: .unsupportedSegment
        case .badSegmentData: .badSegmentData
        case .unknownSelf: .unknownSelf
        case .whoAmI: .whoAmI
        }
    }

    /// A lowercase sentence for the caller's `message`.
    package var message: String {
        switch self {
        case .badRequest(let reason): reason
        case .unsupportedAction(let action, let reason): "action '\(action)' is not supported: \(reason)"
        case .unavailableAction(let action, let reason): "action '\(action)' is not supported: \(reason)"
        case .paramBelowMinimum(let action, let name, let minimum): "\(action): param '\(name)' must be at least \(minimum)"
        case .missingParam(let action, let name): "\(action): missing param '\(name)'"
        case .badParamType(let action, let name, let expected, let got):
            "\(action): param '\(name)' must be \(expected), not \(got)"
        case .idNotRepresentable(let action, let name, let value):
            "\(action): param '\(name)' must be a numeric ID, not '\(value)'"
        case .unsupportedSegment(let type): "message segment '\(type)' is not supported by this upstream"
        case .badSegmentData(let type, let reason): "message segment '\(type)': \(reason)"
        case .unknownSelf(let userID): "no bot account '\(userID)' behind this bridge"
        case .whoAmI: "several bot accounts share this bridge: say which in 'self'"
        }
    }
}

import BridgeCore
import Hummingbird

/// What separates the OneBot 11 face from the legacy CoolQ face: the wire rules of each spec.
package struct HubFaceRules: Sendable {
    package var tokenScheme: AccessToken.Scheme
    package var missingTokenStatus: HTTPResponse.Status
    package var wrongTokenStatus: HTTPResponse.Status
    package var badContentTypeStatus: HTTPResponse.Status
    /// Failure kinds answered with an HTTP status and no body instead of a 200 envelope.
    package var statusForKind: [FailureKind: HTTPResponse.Status]

    /// OneBot 11 §2: 401 no token, 403 wrong token, 406 bad Content-Type, 400 bad body, 404 unknown action.
    package static let onebot11 = HubFaceRules(
        tokenScheme: .onebot11, missingTokenStatus: .unauthorized, wrongTokenStatus: .forbidden,
        badContentTypeStatus: .notAcceptable,
        statusForKind: [.unsupportedAction: .notFound, .unavailableAction: .notFound])

    /// CoolQ HTTP API (seed 003, dialects.md §6): 401 for any token problem, 405 for a bad method,
    /// 404 for an unknown API; an API CoolQ had but nothing here serves is a 200 with its retcode.
    package static let coolq = HubFaceRules(
        tokenScheme: .coolq, missingTokenStatus: .unauthorized, wrongTokenStatus: .unauthorized,
        badContentTypeStatus: .badRequest, statusForKind: [.unsupportedAction: .notFound])
}

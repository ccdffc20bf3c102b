import BridgeCore
import Logging
import Synchronization

/// The one path every client face shares: translate, forward, translate back.
///
/// Holds the translator and the upstream client; bad input, upstream failures and garbage all come
/// back as failure answers in the client's dialect, so callers never see an error.
package final class ActionGateway: Sendable {
    private let translator: Translator
    private let upstream: any UpstreamClient
    private let clock: @Sendable () -> Double
    private let logger: Logger
    /// The upstream bot's QQ number, learned from `get_login_info`; OB12 `get_status` reports it.
    private let selfID = Mutex<String?>(nil)

    package init(translator: Translator, upstream: any UpstreamClient, clock: @escaping @Sendable () -> Double,
                 logger: Logger) {
        self.translator = translator
        self.upstream = upstream
        self.clock = clock
        self.logger = logger
    }

    package var plan: MappingPlan { translator.plan }

    /// Answers one request. Never throws; every failure is an answer in the client's dialect.
    package func handle(_ request: ActionRequest, acceptsStringParams: Bool = false) async -> ActionResponse {
        var knownSelfID = selfID.withLock { $0 }
        if knownSelfID == nil, translator.needsSelfID(request.action) {
            await refreshIdentity()
            knownSelfID = selfID.withLock { $0 }
        }
        let context = TranslationContext(now: clock(), selfID: knownSelfID,
                                         acceptsStringParams: acceptsStringParams)
        let response: ActionResponse
        switch translator.translatedRequest(request, context: context) {
        case .answer(let answer):
            response = answer
        case .forward(let call):
            do {
                let reply = try await upstream.send(call)
                response = translator.translatedResponse(reply, for: call, context: context)
            } catch {
                logger.warning("upstream call failed", metadata: ["onebot.action": "\(call.action)",
                                                                  "error.kind": "\(error.kind.rawValue)"])
                response = translator.failure(error.kind, message: error.message, echo: request.echo)
            }
        }
        logger.debug("action", metadata: ["onebot.action": "\(request.action)", "onebot.retcode": "\(response.retcode)",
                                          "bridge.dialect": "\(translator.plan.clientDialect)"])
        return response
    }

    /// A failure answer for input the face could not even read as a request.
    package func failure(_ kind: FailureKind, message: String, echo: JSONValue? = nil) -> ActionResponse {
        translator.failure(kind, message: message, echo: echo)
    }

    /// Asks the upstream who it is logged in as; keeps the old answer when it cannot say.
    package func refreshIdentity() async {
        let call = UpstreamCall(action: "get_login_info", params: JSONObject(),
                                route: Route(hubAction: "get_login_info", upstreamAction: "get_login_info"),
                                responseOps: .empty, clientAction: "get_login_info", echo: nil)
        guard let reply = try? await upstream.send(call),
            case .object(let data)? = reply.objectValue?["data"],
            let id = data["user_id"].flatMap({ ValueType.string.converted($0) })?.stringValue
        else { return }
        selfID.withLock { $0 = id }
    }
}

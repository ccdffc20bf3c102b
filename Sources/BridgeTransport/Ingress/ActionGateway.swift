import BridgeCore
import Logging
import Synchronization

/// The one path every client face shares: translate, forward, translate back.
///
/// Holds the current translator and upstream client; both can be swapped while serving (mapping
/// reload, upstream auto-detect), and a call in flight finishes with the pair it started with. Bad
/// input, upstream failures and garbage all come back as failure answers in the client's dialect.
package final class ActionGateway: Sendable {
    private struct State: Sendable {
        var translator: Translator
        var upstream: any UpstreamClient
        /// The upstream bot's QQ number, learned from `get_login_info`; OB12 `get_status` reports it.
        var selfID: String?
    }

    private let state: Mutex<State>
    private let clock: @Sendable () -> Double
    private let logger: Logger
    let metrics: BridgeMetrics?
    /// The upstream's WebSocket accounts, for routing by `self` (several QQ accounts on one bridge).
    private let sockets: UpstreamSockets?
    /// Answers OB12 `get_latest_events` (limit, timeout in seconds); nil where no events flow.
    private let eventPoll: (@Sendable (Int, Double) async -> [JSONValue])?

    package init(translator: Translator, upstream: any UpstreamClient, clock: @escaping @Sendable () -> Double,
                 logger: Logger, metrics: BridgeMetrics? = nil,
                 eventPoll: (@Sendable (Int, Double) async -> [JSONValue])? = nil, sockets: UpstreamSockets? = nil) {
        self.eventPoll = eventPoll
        self.sockets = sockets
        self.state = Mutex(State(translator: translator, upstream: upstream, selfID: nil))
        self.clock = clock
        self.logger = logger
        self.metrics = metrics
    }

    package var plan: MappingPlan { state.withLock { $0.translator.plan } }
    /// The event translator of the current plan, made once with it.
    package var eventTranslator: EventTranslator { state.withLock { $0.translator.events } }
    /// The upstream bot's QQ number as last learned, if any.
    package var knownSelfID: String? { state.withLock { $0.selfID } }

    /// Serves later calls with `translator` and `upstream`; the bot identity is learned again.
    package func replace(translator: Translator, upstream: any UpstreamClient) {
        state.withLock { $0 = State(translator: translator, upstream: upstream, selfID: nil) }
    }

    /// Answers one request. Never throws; every failure is an answer in the client's dialect.
    package func handle(_ request: ActionRequest, acceptsStringParams: Bool = false) async -> ActionResponse {
        let started = ContinuousClock.now
        var preparation = prepare(request, acceptsStringParams: acceptsStringParams, deferring: true)
        if case .deferred(let needsIdentity) = preparation {
            if needsIdentity { await refreshIdentity() }
            preparation = prepare(request, acceptsStringParams: acceptsStringParams)
        }
        switch preparation {
        case .answered(var answer, let call):
            if let eventPoll, answer.failure == nil, call.isEventPoll {
                let limit = request.params["limit"]?.intValue ?? 0
                let timeout = request.params["timeout"]?.intValue ?? 0
                answer.data = .array(await eventPoll(Int(limit), Double(timeout)))
            }
            return finish(answer, call: call, started: started, upstreamTime: nil)
        case .deferred:
            preconditionFailure("prepare defers only when asked to, once")
        case .forward(let call, let upstreamCall):
            let sent = ContinuousClock.now
            do {
                let reply = try await call.upstream.send(upstreamCall)
                return finish(reply: .success(reply), call: call, upstreamCall: upstreamCall, started: started, sent: sent)
            } catch {
                return finish(reply: .failure(error), call: call, upstreamCall: upstreamCall, started: started, sent: sent)
            }
        }
    }

    /// A call on its way through the gateway: what was decided before the upstream, kept for the answer.
    /// A class so the closures that carry it across the upstream exchange retain one reference.
    final class PreparedCall: Sendable {
        /// What the answer needs of the request (not the request: copying it into the call retained its params).
        let action: String
        let echo: JSONValue?
        let translator: Translator
        let context: TranslationContext
        let upstream: any UpstreamClient
        let isKnown: Bool
        let isEventPoll: Bool

        init(request: borrowing ActionRequest, translator: Translator, context: TranslationContext,
             upstream: any UpstreamClient, isKnown: Bool, isEventPoll: Bool) {
            action = request.action
            echo = request.echo
            self.translator = translator
            self.context = context
            self.upstream = upstream
            self.isKnown = isKnown
            self.isEventPoll = isEventPoll
        }
    }

    enum Preparation {
        /// Answered without the upstream (a local answer or a failure); the call carries the bookkeeping.
        case answered(ActionResponse, PreparedCall)
        case forward(PreparedCall, UpstreamCall)
        /// Must await something first (the bot's identity, or the event buffer): only when the caller asked
        /// not to wait here (`deferring`), and then nothing was done yet.
        case deferred(needsIdentity: Bool)
    }

    /// The synchronous first half of a call: target account, translation, the upstream to ask.
    func prepare(_ request: ActionRequest, acceptsStringParams: Bool, deferring: Bool = false) -> Preparation {
        let current = state.withLock { $0 }
        // One plan lookup per call; what the hot path asks of it is read off the same value.
        let actionPlan = current.translator.actionPlan(named: request.action)
        let isEventPoll = actionPlan?.route == .local(.latestEvents)
        // OB12 `get_status` lists the bot, so it waits for the bot's identity when that is not known yet.
        let needsIdentity = current.selfID == nil && actionPlan?.responseOps.transforms.contains(.statusBots) == true
        if deferring, needsIdentity || (isEventPoll && eventPoll != nil) {
            return .deferred(needsIdentity: needsIdentity)
        }
        let translator = current.translator
        var context = TranslationContext(now: clock(), selfID: current.selfID, acceptsStringParams: acceptsStringParams)
        let accounts = sockets?.selfIDs ?? []
        if accounts.count > 1 { context.bots = accounts.map { ($0, true) } }
        let prepared = PreparedCall(
            request: request, translator: translator, context: context, upstream: current.upstream, isKnown: actionPlan != nil, isEventPoll: isEventPoll)
        switch Self.targetAccount(request, accounts: accounts, httpSelfID: current.selfID) {
        case .success(let account):
            switch translator.translatedRequest(request, plan: actionPlan, context: context) {
            case .answer(let answer):
                return .answered(answer, prepared)
            case .forward(let call) where account == nil:
                return .forward(prepared, call)
            case .forward(var call):
                call.selfID = account
                return .forward(prepared, call)
            }
        case .failure(let error):
            return .answered(translator.failure(error.kind, message: error.message, echo: request.echo), prepared)
        }
    }

    /// The second half: the upstream's reply (or failure) translated back, metrics and log written.
    func finish(reply: Result<JSONValue, UpstreamError>, call: PreparedCall, upstreamCall: UpstreamCall,
                started: ContinuousClock.Instant, sent: ContinuousClock.Instant) -> ActionResponse {
        let upstreamTime = ContinuousClock.now - sent
        let response: ActionResponse
        switch reply {
        case .success(let reply):
            metrics?.setUpstreamUp(true)
            response = call.translator.translatedResponse(reply, for: upstreamCall, context: call.context)
        case .failure(let error):
            if error.kind == .upstreamUnreachable || error.kind == .upstreamTimeout { metrics?.setUpstreamUp(false) }
            logger.warning("upstream call failed", metadata: ["onebot.action": "\(upstreamCall.action)",
                                                              "error.kind": "\(error.kind.rawValue)"])
            response = call.translator.failure(error.kind, message: error.message, echo: call.echo)
        }
        return finish(response, call: call, started: started, upstreamTime: upstreamTime)
    }

    func finish(_ response: ActionResponse, call: PreparedCall, started: ContinuousClock.Instant,
                upstreamTime: Duration?) -> ActionResponse {
        if !call.isKnown { metrics?.recordUnmapped() }
        let dialect = call.translator.clientDialect
        metrics?.recordRequest(dialect: dialect, action: call.isKnown ? call.action : "other",
                               retcode: response.retcode, total: ContinuousClock.now - started, upstream: upstreamTime)
        logger.debug("action", metadata: ["onebot.action": "\(call.action)", "onebot.retcode": "\(response.retcode)",
                                          "bridge.dialect": "\(dialect)"])
        return response
    }

    /// Which account a request is for (OB12 §4.4): the one its `self` names (10102 if none has that id);
    /// without `self`, the only one, or 10101 when several share the bridge. Meta actions need no `self`.
    static func targetAccount(_ request: ActionRequest, accounts: [String], httpSelfID: String?)
        -> Result<String?, TranslationError>
    {
        let named = request.selfObject?.objectValue?["user_id"].flatMap { ValueType.string.converted($0)?.stringValue }
        if let named {
            if accounts.contains(named) || (accounts.isEmpty && (httpSelfID == nil || httpSelfID == named)) {
                return .success(accounts.isEmpty ? nil : named)
            }
            return .failure(.unknownSelf(userID: named))
        }
        let isMeta = ["get_status", "get_version", "get_supported_actions", "get_latest_events"].contains(request.action)
        if accounts.count > 1, !isMeta { return .failure(.whoAmI) }
        return .success(nil)
    }

    /// A failure answer for input the face could not even read as a request.
    package func failure(_ kind: FailureKind, message: String, echo: JSONValue? = nil) -> ActionResponse {
        state.withLock { $0.translator }.failure(kind, message: message, echo: echo)
    }

    /// Like `refreshIdentity()`, but waits at most `limit`: connection greetings must go out promptly
    /// even when the upstream is slow (the refresh goes on and its answer is kept for later).
    package func refreshIdentity(within limit: Duration) async {
        guard knownSelfID == nil else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.refreshIdentity() }
            group.addTask { try? await Task.sleep(for: limit) }
            await group.next()
        }
    }

    /// Asks the upstream who it is logged in as; keeps the old answer when it cannot say.
    /// Returns whether the upstream answered (what `/readyz` reports).
    @discardableResult
    package func refreshIdentity() async -> Bool {
        let upstream = state.withLock { $0.upstream }
        let call = UpstreamCall(action: "get_login_info", params: JSONObject(),
                                route: Route(hubAction: "get_login_info", upstreamAction: "get_login_info"),
                                responseOps: .empty, clientAction: "get_login_info", echo: nil)
        guard let reply = try? await upstream.send(call),
            case .object(let data)? = reply.objectValue?["data"],
            let id = data["user_id"].flatMap({ ValueType.string.converted($0) })?.stringValue
        else {
            metrics?.setUpstreamUp(false)
            return false
        }
        metrics?.setUpstreamUp(true)
        state.withLock { $0.selfID = id }
        return true
    }
}

import BridgeCore
import BridgeTransport
import Hummingbird
import HummingbirdWebSocket
import Logging
import Synchronization

/// A OneBot 11 HTTP server playing one dialect: `POST|GET /<action>`, params as JSON, form or query.
///
/// It records what it received, so tests and bot developers can see exactly what a bridge sent:
/// `GET /_simulator/received` lists the calls, `DELETE /_simulator/received` forgets them.
/// With `forwardWebSocket` set, the same port also takes OB11 forward WebSockets (`SimulatorForwardWebSocket`).
package struct SimulatorServer: Sendable {
    package let scenario: SimulatorScenario
    package let token: String
    package let recorder = SimulatorRecorder()
    /// How forward WebSockets push events; nil: HTTP only. On by default, as in NapCat and Lagrange,
    /// whose WebSocket server shares the HTTP one's port.
    package var forwardWebSocket: SimulatorEventTiming? = SimulatorEventTiming()

    package init(scenario: SimulatorScenario, token: String = "") {
        self.scenario = scenario
        self.token = token
    }

    /// The HTTP API and, when `forwardWebSocket` is set, the WebSocket upgrade in front of it. Every
    /// WebSocket the router serves shares one event pump, so event numbering goes on across reconnects.
    package func router(logger: Logger = Logger(label: "onebot-simulator")) -> Router<BasicWebSocketRequestContext> {
        let router = Router(context: BasicWebSocketRequestContext.self)
        if let forwardWebSocket {
            // Added first: a middleware only wraps the routes added after it (and the 404 responder).
            let pump = SimulatorEventPump(scenario: scenario, recorder: recorder, timing: forwardWebSocket)
            router.add(middleware: SimulatorForwardWebSocket(token: token, pump: pump, logger: logger))
        }
        router.get("_simulator/received") { _, _ in Response.json(.array(recorder.calls)) }
        router.delete("_simulator/received") { _, _ in
            recorder.clear()
            return Response.json(["status": "ok"])
        }
        router.on(":action", method: .post) { request, context in try await answer(request, context: context) }
        router.on(":action", method: .get) { request, context in try await answer(request, context: context) }
        return router
    }

    private func answer(_ request: Request, context: BasicWebSocketRequestContext) async throws -> Response {
        let action = context.parameters.get("action") ?? ""
        // OB11 §2: 401 without a token, 403 with a wrong one.
        switch Self.verdict(authorization: request.headers[.authorization], token: token) {
        case .missing: return .text("token required", status: .unauthorized)
        case .wrong: return .text("token verify failed", status: .forbidden)
        case .accepted: break
        }
        var params = HTTPParams.query(request)
        if request.method == .post {
            var request = request
            let body = try await request.collectBody(upTo: HTTPParams.maximumBodySize)
            if body.readableBytes > 0 {
                if HTTPParams.mediaType(request) == "application/x-www-form-urlencoded" {
                    for entry in HTTPParams.form(Substring(String(buffer: body))).entries { params[entry.key] = entry.value }
                } else {
                    guard case .object(let object) = try? HTTPParams.json(body) else {
                        return .text("request body is not a JSON object", status: .badRequest)
                    }
                    for entry in object.entries { params[entry.key] = entry.value }
                }
            }
        }
        recorder.record(action: action, params: params, authorization: request.headers[.authorization])
        return .json(scenario.reply(action: action, params: params))
    }
}

extension SimulatorServer {
    /// The HTTP API's and forward WebSocket's token check: exactly `Bearer <token>`, none needed when
    /// `token` is empty. Pure.
    static func verdict(authorization: String?, token: String) -> AccessToken.Verdict {
        guard !token.isEmpty else { return .accepted }
        guard let authorization else { return .missing }
        return AccessToken.constantTimeEqual(authorization, "Bearer \(token)") ? .accepted : .wrong
    }
}

/// The calls a simulator received, newest last; bounded so a long demo cannot grow without limit.
package final class SimulatorRecorder: Sendable {
    static let limit = 10_000
    private let storage = Mutex<[JSONValue]>([])

    package init() {}

    package var calls: [JSONValue] { storage.withLock { $0 } }

    func record(action: String, params: JSONObject, authorization: String?) {
        let call: JSONValue = ["action": .string(action), "params": .object(params),
                               "authorization": authorization.map(JSONValue.string) ?? .null]
        storage.withLock {
            if $0.count >= Self.limit { $0.removeFirst($0.count - Self.limit + 1) }
            $0.append(call)
        }
    }

    package func clear() {
        storage.withLock { $0.removeAll() }
    }
}

extension SimulatorServer {
    /// The simulator as a runnable application on `host:port` (port 0 picks a free one).
    package func application(host: String, port: Int, logger: Logger,
                             onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let dialect = scenario.dialect
        // One router for both: its WebSocket middleware holds the event pump every connection shares.
        let router = router(logger: logger)
        return Application(
            router: router,
            // The bridge's action frames are small, but a bot developer may paste a long forward message.
            server: .http1WebSocketUpgrade(webSocketRouter: router, configuration: .init(ws: .init(maxFrameSize: 1 << 20))),
            configuration: .init(address: .hostname(host, port: port), serverName: "onebot-simulator"),
            onServerRunning: { channel in
                logger.info("simulating \(dialect)", metadata: ["bridge.listen": "\(channel.localAddress?.description ?? "?")"])
                await onRunning(channel.localAddress?.port ?? port)
            },
            logger: logger)
    }
}

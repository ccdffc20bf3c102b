import AsyncHTTPClient
import BridgeCore
import Foundation
import BridgeMapping
import BridgeTransport
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle

/// The composition root: builds the bridge's HTTP application from a configuration and the tables.
package enum BridgeServer {
    /// The application for a fixed configuration (demo, tests). Throws `ConfigurationError` when the
    /// tables have no plan for the configured dialects.
    package static func application(
        configuration: BridgeConfiguration, tables: MappingSet, logger: Logger,
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws(ConfigurationError) -> some ApplicationProtocol {
        let controller = try BridgeController(configuration: configuration, tables: tables, logger: logger)
        return application(controller: controller, source: nil, logger: logger, onRunning: onRunning)
    }

    /// The application around `controller`; with a `source`, it reloads on SIGHUP and file changes.
    package static func application(
        controller: BridgeController, source: ConfigurationSource?, logger: Logger,
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let configuration = controller.configuration
        let router = Router(context: BasicWebSocketRequestContext.self)
        router.get("healthz") { _, _ in Response.json(["status": "ok"]) }
        router.get("readyz") { _, _ in
            await controller.isReady()
                ? Response.json(["status": "ok", "upstream_dialect": .string(controller.upstreamDialect)])
                : Response.json(["status": "failed", "upstream_dialect": .string(controller.upstreamDialect)],
                                status: .serviceUnavailable)
        }
        router.get("metrics") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers,
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: controller.metrics.exposition())))
        }
        registerFaces(on: router, controller: controller, logger: logger)
        let inline = inlineRoutes(controller: controller)
        let address = configuration.listen
        registerWebSockets(on: router, controller: controller, logger: logger)
        return Application(
            router: router,
            // Large replies (member lists) exceed the 16 KB default WebSocket frame limit.
            server: .inlineActions(inline, webSocketResponder: router.buildResponder(), maxFrameSize: 1 << 24),
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: "onebot-bridge"),
            services: [HTTPClientService(client: controller.httpClient),
                       MaintenanceService(controller: controller, source: source, logger: logger),
                       ClientConnectionsService(controller: controller, logger: logger)],
            onServerRunning: { channel in
                logger.info("bridge listening", metadata: [
                    "bridge.listen": "\(channel.localAddress?.description ?? "?")",
                    "bridge.upstream": "\(configuration.upstreamURL)",
                    "bridge.dialect": "\(configuration.upstreamDialect)",
                ])
                Task { await controller.gateways["onebot12"]?.refreshIdentity() }
                await onRunning(channel.localAddress?.port ?? address.port)
            },
            logger: logger)
    }

    /// The faces answered on the event loop ahead of the router (`InlineHTTPFrontHandler`): the OB12 actions.
    static func inlineRoutes(controller: BridgeController) -> [InlineRoute] {
        guard let gateway = controller.gateways["onebot12"] else { return [] }
        let root = controller.configuration.defaultClientDialect == "onebot12"
        return OneBot12HTTPIngress(gateway: gateway, token: AccessToken(controller.configuration.accessToken))
            .inlineRoutes(paths: root ? ["/v12", "/"] : ["/v12"])
    }

    /// Every client face on its path; the root speaks `default_client_dialect`.
    static func registerFaces(on router: Router<BasicWebSocketRequestContext>, controller: BridgeController, logger: Logger) {
        let configuration = controller.configuration
        let token = AccessToken(configuration.accessToken)
        let root = configuration.defaultClientDialect
        if let gateway = controller.gateways["onebot12"] {
            OneBot12HTTPIngress(gateway: gateway, token: token)
                .register(on: router, paths: root == "onebot12" ? ["v12", "/"] : ["v12"])
        }
        let queue = RateLimitedQueue(logger: logger)
        for (client, prefix, rules) in [("onebot11", "v11", HubFaceRules.onebot11), ("coolq", "coolq", HubFaceRules.coolq)] {
            guard let gateway = controller.gateways[client] else { continue }
            let ingress = OneBot11HTTPIngress(gateway: gateway, token: token, rules: rules, queue: queue)
            ingress.register(on: router, prefix: prefix)
            if root == client { ingress.register(on: router, prefix: "") }
        }
    }
}

extension BridgeServer {
    /// The forward WebSockets of the OB12 and OB11 faces, and the upstream's reverse WebSocket.
    static func registerWebSockets(on router: Router<BasicWebSocketRequestContext>, controller: BridgeController,
                                   logger: Logger) {
        let configuration = controller.configuration
        let token = AccessToken(configuration.accessToken)
        WebSocketFaces.registerUpstream(on: router, path: "upstream/ws", token: AccessToken(configuration.upstreamToken),
                                        sockets: controller.sockets, hub: controller.hub, logger: logger)
        UpstreamEventReceiver.register(on: router, path: "upstream/events", secret: configuration.upstreamPostSecret,
                                       hub: controller.hub)
        if let face = onebot12Face(controller: controller) {
            for path: RouterPath in configuration.defaultClientDialect == "onebot12" ? ["v12", "/"] : ["v12"] {
                WebSocketFaces.registerClient(on: router, path: path, token: token, face: face, hub: controller.hub, logger: logger)
            }
        }
        // OB11 §5.1: `/` both, `/api` actions only, `/event` events only.
        for (path, events, actions) in [("v11", true, true), ("v11/api", false, true), ("v11/event", true, false)] {
            if let face = onebot11Face(controller: controller, events: events, actions: actions, logger: logger) {
                WebSocketFaces.registerClient(on: router, path: RouterPath(path), token: token, face: face,
                                              hub: controller.hub, logger: logger)
            }
        }
    }

    /// The OB12 face over any connection: greeting, events, actions through the OB12 gateway.
    static func onebot12Face(controller: BridgeController) -> WebSocketFaces.ClientFace? {
        guard let gateway = controller.gateways["onebot12"] else { return nil }
        return WebSocketFaces.ClientFace(
            interest: .init(dialect: "onebot12"), scheme: .onebot12, sendsEvents: true, answersActions: true,
            greeting: { await onebot12Greeting(controller: controller, gateway: gateway) },
            answer: { frame in await onebot12Answer(frame, gateway: gateway) })
    }

    /// The OB11 face over any connection; `_async` and quick operations work as over HTTP.
    static func onebot11Face(controller: BridgeController, events: Bool, actions: Bool, logger: Logger)
        -> WebSocketFaces.ClientFace?
    {
        guard let gateway = controller.gateways["onebot11"] else { return nil }
        let ingress = OneBot11HTTPIngress(gateway: gateway, token: AccessToken(""), rules: .onebot11,
                                          queue: RateLimitedQueue(logger: logger))
        return WebSocketFaces.ClientFace(
            interest: .init(dialect: "onebot11", messageFormat: .array), scheme: .onebot11,
            sendsEvents: events, answersActions: actions,
            greeting: { events ? [await onebot11Connect(gateway: gateway)] : [] },
            answer: { frame in await onebot11Answer(frame, ingress: ingress, gateway: gateway) })
    }

    /// OB12 §6: `meta.connect` first, then a `status_update` listing the bot.
    static func onebot12Greeting(controller: BridgeController, gateway: ActionGateway) async -> [JSONValue] {
        await gateway.refreshIdentity(within: .seconds(1))
        let online = gateway.knownSelfID != nil
        let now = Date().timeIntervalSince1970
        let accounts = controller.sockets.selfIDs
        let bots: [JSONValue] = accounts.count > 1
            ? accounts.map { ["self": ["platform": "qq", "user_id": .string($0)], "online": true] }
            : [["self": ["platform": "qq", "user_id": .string(gateway.knownSelfID ?? "")], "online": .bool(online)]]
        func meta(_ detail: String, _ key: String, _ value: JSONValue) -> JSONValue {
            ["id": .string(EventID.next()), "time": .double(now), "type": "meta",
             "detail_type": .string(detail), "sub_type": "", .init(stringLiteral: key): value]
        }
        return [meta("connect", "version", gateway.plan.versionData),
                meta("status_update", "status", ["good": .bool(online || accounts.count > 1), "bots": .array(bots)])]
    }

    static func onebot12Answer(_ frame: JSONValue, gateway: ActionGateway) async -> JSONValue {
        if case .string(let reason)? = frame.objectValue?["__malformed"] {
            return gateway.failure(.badRequest, message: reason).envelope()
        }
        do {
            return await gateway.handle(try ActionRequest(envelope: frame, requiresParams: true)).envelope()
        } catch {
            return gateway.failure(error.kind, message: error.message, echo: frame.objectValue?["echo"]).envelope()
        }
    }

    /// OB11 §9.5: `lifecycle/connect` on every WebSocket that carries events.
    /// `self_id` is required by OB11 SDKs (NoneBot's adapter refuses an event without it), so the bot's
    /// identity is learned first; 0 only while the upstream cannot say.
    static func onebot11Connect(gateway: ActionGateway) async -> JSONValue {
        await gateway.refreshIdentity(within: .seconds(1))
        let selfID = gateway.knownSelfID.flatMap(ValueType.exactInteger) ?? 0
        return ["time": .int(Int64(Date().timeIntervalSince1970)), "self_id": .int(selfID), "post_type": "meta_event",
                "meta_event_type": "lifecycle", "sub_type": "connect"]
    }

    static func onebot11Answer(_ frame: JSONValue, ingress: OneBot11HTTPIngress, gateway: ActionGateway) async -> JSONValue {
        let echo = frame.objectValue?["echo"]
        guard frame.objectValue?["__malformed"] == nil, let request = try? ActionRequest(envelope: frame, requiresParams: false)
        else {
            return gateway.failure(.badRequest, message: "the frame is not an action request", echo: echo).envelope()
        }
        var response = await ingress.run(action: request.action, params: request.params)
        response.echo = echo
        return response.envelope()
    }
}

/// Shuts the pooled upstream client down when the application stops.
struct HTTPClientService: Service {
    let client: HTTPClient

    func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}

/// The wall clock, read only at the edge; the core is given the time.
enum Clock {
    static func unixTime() -> Double {
        Date().timeIntervalSince1970
    }
}

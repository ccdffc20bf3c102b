import BridgeCore
import BridgeTransport
import Foundation
import Logging
import ServiceLifecycle

/// The connections the bridge opens to bots: reverse WebSockets it dials and HTTP endpoints it POSTs
/// events to, for both client dialects. Runs until graceful shutdown.
struct ClientConnectionsService: Service {
    let controller: BridgeController
    let logger: Logger

    func run() async throws {
        let configuration = controller.configuration
        let token = configuration.accessToken
        let auth: [(String, String)] = token.isEmpty ? [] : [("Authorization", "Bearer \(token)")]
        let agent = ("User-Agent", "OneBot/12 (qq) onebot-bridge/\(BridgeInfo.version)")
        var dialers: [ReverseWebSocketDialer] = []
        var posters: [EventPoster] = []
        if let face = BridgeServer.onebot12Face(controller: controller) {
            // OB12 §2.4: the sub-protocol names the standard version and the implementation.
            let headers = auth + [agent, ("Sec-WebSocket-Protocol", "12.onebot-bridge")]
            dialers += configuration.onebot12ReverseWebSockets.map {
                ReverseWebSocketDialer(url: $0, headers: { headers }, face: face,
                                       reconnectIntervalMilliseconds: configuration.reconnectIntervalMilliseconds)
            }
            posters += configuration.onebot12Webhooks.map {
                EventPoster(url: $0, style: .onebot12Webhook, headers: { auth + [agent, ("X-OneBot-Version", "12"), ("X-Impl", "onebot-bridge")] },
                            timeoutMilliseconds: configuration.eventPostTimeoutMilliseconds, face: face, quickOperation: { _, _ in })
            }
        }
        if let face = BridgeServer.onebot11Face(controller: controller, events: true, actions: true, logger: logger),
            let gateway = controller.gateways["onebot11"]
        {
            // One dialer per URL and role: Universal carries both, API only actions, Event only events.
            let roles: [(urls: [String], role: String, events: Bool, actions: Bool)] = [
                (configuration.onebot11ReverseWebSockets, "Universal", true, true),
                (configuration.onebot11ReverseWebSocketsAPI, "API", false, true),
                (configuration.onebot11ReverseWebSocketsEvent, "Event", true, false),
            ]
            for (urls, role, events, actions) in roles {
                guard let roleFace = BridgeServer.onebot11Face(controller: controller, events: events, actions: actions, logger: logger)
                else { continue }
                let headers: @Sendable () async -> [(String, String)] = {
                    await gateway.refreshIdentity(within: .seconds(1))
                    return auth + [("X-Self-ID", gateway.knownSelfID ?? "0"), ("X-Client-Role", role),
                                   ("User-Agent", "onebot-bridge/\(BridgeInfo.version)")]
                }
                dialers += urls.map {
                    ReverseWebSocketDialer(url: $0, headers: headers, face: roleFace,
                                           reconnectIntervalMilliseconds: configuration.reconnectIntervalMilliseconds)
                }
            }
            posters += configuration.onebot11HTTPPosts.map {
                EventPoster(url: $0, style: .onebot11Post(secret: configuration.onebot11PostSecret),
                            headers: { [("X-Self-ID", gateway.knownSelfID ?? ""), ("User-Agent", "onebot-bridge/\(BridgeInfo.version)")] },
                            timeoutMilliseconds: configuration.eventPostTimeoutMilliseconds, face: face,
                            quickOperation: { event, operation in await Self.runQuickOperation(event, operation, gateway: gateway) })
            }
        }
        if let gateway = controller.gateways["coolq"], !configuration.coolqHTTPPosts.isEmpty {
            // CoolQ bots read CQ strings; v1–v2 also sent the token on reports, v3+ sign with the secret.
            let ingress = OneBot11HTTPIngress(gateway: gateway, token: AccessToken(""), rules: .coolq,
                                              queue: RateLimitedQueue(logger: logger))
            let face = WebSocketFaces.ClientFace(
                interest: .init(dialect: "coolq", messageFormat: .string,
                                usesLegacyFormat: configuration.coolqPostFormat == "legacy"),
                scheme: .coolq, sendsEvents: true, answersActions: true, greeting: { [] },
                answer: { frame in await BridgeServer.onebot11Answer(frame, ingress: ingress, gateway: gateway) })
            let tokenHeader: [(String, String)] = token.isEmpty ? [] : [("Authorization", "token \(token)")]
            posters += configuration.coolqHTTPPosts.map {
                EventPoster(url: $0, style: .onebot11Post(secret: configuration.onebot11PostSecret),
                            headers: { tokenHeader + [("User-Agent", "CQHttp/4.15.0 (onebot-bridge)")] },
                            timeoutMilliseconds: configuration.eventPostTimeoutMilliseconds, face: face,
                            quickOperation: { event, operation in await Self.runQuickOperation(event, operation, gateway: gateway) })
            }
        }
        let hub = controller.hub
        let client = controller.httpClient
        let (allDialers, allPosters) = (dialers, posters)
        let sockets = controller.sockets
        let upstreamDialer = configuration.upstreamWebSocketURL.map { url in
            let scheme = controller.upstreamAuthScheme
            return UpstreamWebSocketDialer(url: url, authorization: configuration.upstreamToken.isEmpty ? nil : "\(scheme) \(configuration.upstreamToken)",
                                           reconnectIntervalMilliseconds: configuration.reconnectIntervalMilliseconds)
        }
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { try? await Task.sleep(for: .seconds(365 * 86_400)) }
                // Posters subscribe at once (no event may slip by); the id they report is learned meanwhile.
                if let gateway = controller.gateways["onebot11"] { group.addTask { await gateway.refreshIdentity() } }
                if let upstreamDialer { group.addTask { await upstreamDialer.run(sockets: sockets, hub: hub, logger: logger) } }
                for dialer in allDialers { group.addTask { await dialer.run(hub: hub, logger: logger) } }
                for poster in allPosters { group.addTask { await poster.run(hub: hub, client: client, logger: logger) } }
            }
        }
    }

    /// OB11 §4: the bot's reply to a POSTed event is a quick operation on that event.
    static func runQuickOperation(_ event: JSONObject, _ operation: JSONObject, gateway: ActionGateway) async {
        guard let actions = try? QuickOperation.actions(event: event, operation: operation) else { return }
        for action in actions { _ = await gateway.handle(action, acceptsStringParams: true) }
    }
}

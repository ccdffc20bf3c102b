import AsyncHTTPClient
import BridgeCore
import Foundation
import BridgeMapping
import BridgeTransport
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// The composition root: builds the bridge's HTTP application from a configuration and the tables.
package enum BridgeServer {
    /// The application, ready to run. Throws `ConfigurationError` when the tables have no plan for
    /// the configured dialects.
    package static func application(
        configuration: BridgeConfiguration, tables: MappingSet, logger: Logger,
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws(ConfigurationError) -> some ApplicationProtocol {
        let authScheme = tables.upstreams[configuration.upstreamDialect]?.authScheme ?? "Bearer"
        let httpClient = HTTPUpstreamClient.makeHTTPClient()
        let upstream = HTTPUpstreamClient(
            configuration: .init(baseURL: configuration.upstreamURL, token: configuration.upstreamToken,
                                 authScheme: authScheme, timeoutMilliseconds: configuration.upstreamTimeoutMilliseconds),
            client: httpClient)
        // One gateway per client dialect, all sharing the pooled upstream client.
        var gateways: [String: ActionGateway] = [:]
        for client in ["onebot12", "onebot11", "coolq"] {
            let plan: MappingPlan
            do { plan = try tables.plan(client: client, upstream: configuration.upstreamDialect) } catch {
                throw ConfigurationError(error.description)
            }
            gateways[client] = ActionGateway(translator: Translator(plan: plan), upstream: upstream,
                                             clock: { Clock.unixTime() }, logger: logger)
        }
        let router = Router()
        router.get("healthz") { _, _ in Response.json(["status": "ok"]) }
        let token = AccessToken(configuration.accessToken)
        let root = configuration.defaultClientDialect
        if let gateway = gateways["onebot12"] {
            OneBot12HTTPIngress(gateway: gateway, token: token).register(on: router, paths: root == "onebot12" ? ["v12", "/"] : ["v12"])
        }
        let queue = RateLimitedQueue(logger: logger)
        for (client, prefix, rules) in [("onebot11", "v11", HubFaceRules.onebot11), ("coolq", "coolq", HubFaceRules.coolq)] {
            guard let gateway = gateways[client] else { continue }
            let ingress = OneBot11HTTPIngress(gateway: gateway, token: token, rules: rules, queue: queue)
            ingress.register(on: router, prefix: prefix)
            if root == client { ingress.register(on: router, prefix: "") }
        }
        let primary = gateways["onebot12"]
        let address = configuration.listen
        return Application(
            router: router,
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: "onebot-bridge"),
            services: [HTTPClientService(client: httpClient)],
            onServerRunning: { channel in
                logger.info("bridge listening", metadata: [
                    "bridge.listen": "\(channel.localAddress?.description ?? "?")",
                    "bridge.upstream": "\(configuration.upstreamURL)",
                    "bridge.dialect": "\(configuration.upstreamDialect)",
                ])
                Task { await primary?.refreshIdentity() }
                await onRunning(channel.localAddress?.port ?? address.port)
            },
            logger: logger)
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

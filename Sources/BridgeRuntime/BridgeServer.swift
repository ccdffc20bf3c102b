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
        let router = Router()
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
        let address = configuration.listen
        return Application(
            router: router,
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: "onebot-bridge"),
            services: [HTTPClientService(client: controller.httpClient),
                       MaintenanceService(controller: controller, source: source, logger: logger)],
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

    /// Every client face on its path; the root speaks `default_client_dialect`.
    static func registerFaces(on router: Router<BasicRequestContext>, controller: BridgeController, logger: Logger) {
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

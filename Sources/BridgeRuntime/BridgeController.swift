import AsyncHTTPClient
import BridgeCore
import BridgeMapping
import BridgeTransport
import Foundation
import Logging
import Synchronization

/// Owns what the bridge serves with: the gateways of every client face, the pooled upstream client,
/// the configuration and the tables. Swaps them on reload and after upstream auto-detect, so a bad
/// table or configuration is refused while the old plan keeps serving.
package final class BridgeController: Sendable {
    /// The client dialects with a face on this bridge.
    package static let clientDialects = ["onebot12", "onebot11", "coolq"]
    /// Served while an `auto` upstream has not said what it is.
    static let fallbackDialect = "standard"

    private struct Current: Sendable {
        var configuration: BridgeConfiguration
        var tables: MappingSet
        /// The dialect in use: the configured one, or what auto-detect found.
        var dialect: String
        var isDetected: Bool
    }

    package let gateways: [String: ActionGateway]
    package let metrics: BridgeMetrics
    /// The upstream's WebSocket connections; while one is up, actions go over it instead of HTTP.
    package let sockets: UpstreamSockets
    /// Upstream events, translated and fanned out to every client.
    package let hub: EventHub
    let httpClient: HTTPClient
    private let logger: Logger
    private let current: Mutex<Current>

    package init(configuration: BridgeConfiguration, tables: MappingSet, logger: Logger) throws(ConfigurationError) {
        let isAuto = configuration.upstreamDialect == "auto"
        let dialect = isAuto ? Self.fallbackDialect : configuration.upstreamDialect
        let httpClient = HTTPUpstreamClient.makeHTTPClient()
        let metrics = BridgeMetrics()
        let sockets = UpstreamSockets(logger: logger)
        let upstream = Self.upstream(configuration, tables: tables, dialect: dialect, client: httpClient, sockets: sockets)
        let gatewayBox = GatewayBox()
        let hub = EventHub(logger: logger, metrics: metrics) { client in
            gatewayBox.gateways[client]?.eventTranslator
        }
        var gateways: [String: ActionGateway] = [:]
        for client in Self.clientDialects {
            let translator = try Self.translator(client: client, upstream: dialect, tables: tables)
            gateways[client] = ActionGateway(translator: translator, upstream: upstream, clock: { Date().timeIntervalSince1970 },
                                             logger: logger, metrics: metrics,
                                             eventPoll: { limit, timeout in await hub.latest(limit: limit, timeout: timeout) },
                                             sockets: sockets)
        }
        gatewayBox.gateways = gateways
        self.gateways = gateways
        self.metrics = metrics
        self.sockets = sockets
        self.hub = hub
        self.httpClient = httpClient
        self.logger = logger
        self.current = Mutex(Current(configuration: configuration, tables: tables, dialect: dialect, isDetected: !isAuto))
    }

    package var configuration: BridgeConfiguration { current.withLock { $0.configuration } }
    package var upstreamDialect: String { current.withLock { $0.dialect } }
    /// The word before the upstream token in `Authorization`, from the upstream table (dialects.md §2.1).
    package var upstreamAuthScheme: String {
        current.withLock { $0.tables.upstreams[$0.dialect]?.authScheme ?? "Bearer" }
    }

    /// Whether the dialect is known: configured, or detected for `auto`.
    package var isDialectKnown: Bool { current.withLock { $0.isDetected } }

    /// Checks `configuration` and `tables` together and, only if every plan compiles, serves with them.
    package func apply(configuration: BridgeConfiguration, tables: MappingSet, detected: String? = nil)
        throws(ConfigurationError)
    {
        let previous = current.withLock { $0 }
        let isAuto = configuration.upstreamDialect == "auto"
        let keepsDetection = isAuto && previous.isDetected && previous.configuration.upstreamDialect == "auto"
        let dialect = detected ?? (isAuto ? (keepsDetection ? previous.dialect : Self.fallbackDialect) : configuration.upstreamDialect)
        var translators: [String: Translator] = [:]
        for client in Self.clientDialects {
            translators[client] = try Self.translator(client: client, upstream: dialect, tables: tables)
        }
        // Sockets and the faces' token checks are set up once; the rest is swapped below.
        for (key, changed) in [("listen", configuration.listen != previous.configuration.listen),
                               ("access_token", configuration.accessToken != previous.configuration.accessToken),
                               ("default_client_dialect", configuration.defaultClientDialect != previous.configuration.defaultClientDialect)]
        where changed {
            logger.warning("\(key) changed; it takes effect on restart")
        }
        let upstream = Self.upstream(configuration, tables: tables, dialect: dialect, client: httpClient, sockets: sockets)
        for (client, translator) in translators { gateways[client]?.replace(translator: translator, upstream: upstream) }
        current.withLock {
            $0 = Current(configuration: configuration, tables: tables, dialect: dialect,
                         isDetected: !isAuto || detected != nil || keepsDetection)
        }
    }

    /// Reads the configuration and tables again. On any problem the old plan keeps serving and every
    /// problem is logged. Returns whether the new ones were taken.
    @discardableResult
    package func reload(from source: ConfigurationSource) -> Bool {
        do {
            let configuration = try source.load()
            let tables = try Self.loadTables(configuration.mappingsDirectory)
            try apply(configuration: configuration, tables: tables)
            metrics.recordReload(succeeded: true)
            logger.info("reloaded configuration and mappings", metadata: ["bridge.dialect": "\(upstreamDialect)"])
            return true
        } catch {
            metrics.recordReload(succeeded: false)
            logger.error("reload rejected; the previous plan keeps serving", metadata: ["error.message": "\(error)"])
            return false
        }
    }

    /// For `upstream_dialect: auto`: asks `get_version_info` and switches to the dialect its tables
    /// recognise. Returns false when the upstream did not answer (try again later).
    @discardableResult
    package func detectUpstream() async -> Bool {
        let (configuration, tables, isDetected) = current.withLock { ($0.configuration, $0.tables, $0.isDetected) }
        guard configuration.upstreamDialect == "auto", !isDetected else { return true }
        let probe = Self.upstream(configuration, tables: tables, dialect: Self.fallbackDialect, client: httpClient,
                                  sockets: sockets)
        let call = UpstreamCall(action: "get_version_info", params: JSONObject(),
                                route: Route(hubAction: "get_version_info", upstreamAction: "get_version_info"),
                                responseOps: .empty, clientAction: "get_version_info", echo: nil)
        let reply: JSONValue
        do { reply = try await probe.send(call) } catch {
            logger.info("auto-detect: the upstream did not answer get_version_info yet", metadata: ["error.kind": "\(error.kind.rawValue)"])
            return false
        }
        let info = reply.objectValue?["data"]?.objectValue ?? JSONObject()
        let found = tables.detectUpstream(info)
        let dialect = found?.dialect ?? Self.fallbackDialect
        let reason = found?.reason ?? "no table recognised get_version_info \(JSONValue.object(info).jsonText)"
        do {
            try apply(configuration: configuration, tables: tables, detected: dialect)
            logger.info("auto-detected upstream dialect", metadata: ["bridge.dialect": "\(dialect)", "bridge.reason": "\(reason)"])
            return true
        } catch {
            logger.error("auto-detect found \(dialect) but its plan does not compile: \(error.description)")
            return false
        }
    }

    /// Whether the upstream is connected and logged in (`get_login_info` answers).
    package func isReady() async -> Bool {
        guard isDialectKnown, let gateway = gateways["onebot12"] else { return false }
        return await gateway.refreshIdentity()
    }

    /// The tables in `directory`, or the built-in ones; problems become one `ConfigurationError`.
    package static func loadTables(_ directory: String?) throws(ConfigurationError) -> MappingSet {
        do {
            if let directory { return try MappingLoader.load(directory: directory) }
            return try MappingLoader.embedded()
        } catch {
            throw ConfigurationError("mapping tables rejected:\n\(error.description)")
        }
    }

    private static func translator(client: String, upstream: String, tables: MappingSet) throws(ConfigurationError) -> Translator {
        do { return Translator(plan: try tables.plan(client: client, upstream: upstream)) } catch {
            throw ConfigurationError(error.description)
        }
    }

    /// `http://` upstreams get the lean pooled client (bench/README.md has the measurement);
    /// `https://` ones AsyncHTTPClient, which brings TLS.
    private static func upstream(_ configuration: BridgeConfiguration, tables: MappingSet, dialect: String,
                                 client: HTTPClient, sockets: UpstreamSockets) -> any UpstreamClient {
        RoutingUpstreamClient(sockets: sockets, http: httpUpstream(configuration, tables: tables, dialect: dialect, client: client),
                              timeoutMilliseconds: configuration.upstreamTimeoutMilliseconds)
    }

    private static func httpUpstream(_ configuration: BridgeConfiguration, tables: MappingSet, dialect: String,
                                     client: HTTPClient) -> any UpstreamClient {
        let settings = HTTPUpstreamClient.Configuration(
            baseURL: configuration.upstreamURL, token: configuration.upstreamToken,
            authScheme: tables.upstreams[dialect]?.authScheme ?? "Bearer",
            timeoutMilliseconds: configuration.upstreamTimeoutMilliseconds)
        if let pooled = try? PooledHTTPUpstreamClient(configuration: settings) { return pooled }
        return HTTPUpstreamClient(configuration: settings, client: client)
    }
}

/// Lets the event hub reach the gateways that are created after it (their plans change on reload).
private final class GatewayBox: @unchecked Sendable {
    // @unchecked: written once in BridgeController.init before any event can arrive, then only read.
    var gateways: [String: ActionGateway] = [:]
}

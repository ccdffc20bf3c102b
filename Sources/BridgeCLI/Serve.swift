import ArgumentParser
import BridgeMapping
import BridgeRuntime
import Foundation
import Hummingbird

/// `onebot-bridge serve`: run the bridge in front of a real upstream.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the bridge. Settings: flags > ONEBOT_BRIDGE_* environment > --config file > defaults.")

    @Option(help: "A YAML configuration file (see bridge.sample.yaml).") var config: String?
    @Option(help: "host:port to listen on (default 127.0.0.1:8080).") var listen: String?
    @Option(help: "Token clients must present.") var accessToken: String?
    @Option(help: "The upstream OneBot 11 HTTP API URL.") var upstreamURL: String?
    @Option(help: "auto (default), napcat, lagrange, icqq, gocqhttp or standard.") var upstreamDialect: String?
    @Option(help: "Token the upstream expects.") var upstreamToken: String?
    @Option(help: "Longest wait for one upstream answer, in ms.") var upstreamTimeoutMs: Int?
    @Option(help: "A folder of mapping tables to use instead of the built-in ones.") var mappings: String?
    @Flag(help: "Permit a non-loopback listen address without an access token.") var allowPublicWithoutToken = false
    @Option(help: "The upstream's forward WebSocket URL the bridge dials (else the upstream dials /upstream/ws).")
    var upstreamWsUrl: String?
    @Option(help: "Key of the upstream's X-Signature on /upstream/events.") var upstreamPostSecret: String?
    @Option(help: "Comma-separated WebSocket URLs of OB12 bots the bridge dials.") var onebot12ReverseWs: String?
    @Option(help: "Comma-separated URLs the bridge POSTs OB12 events to.") var onebot12Webhook: String?
    @Option(help: "Comma-separated WebSocket URLs of OB11 bots the bridge dials (Universal role).") var onebot11ReverseWs: String?
    @Option(help: "Comma-separated URLs the bridge POSTs OB11 events to.") var onebot11HttpPost: String?
    @Option(help: "HMAC-SHA1 key of OB11 X-Signature.") var onebot11PostSecret: String?
    @Option(help: "Wait before dialing a bot or the upstream again, in ms.") var reconnectIntervalMs: Int?
    @Option(help: "Event-loop threads (default 0: one per CPU the process may run on).") var threads: Int?
    @Option(help: "trace, debug, info, warning, error.") var logLevel: String?
    @Option(help: "text or json.") var logFormat: String?

    func run() async throws {
        // Flag → configuration key; unset flags leave the key to the environment, the file or the default.
        let given: [(String, String?)] = [
            ("listen", listen), ("access_token", accessToken), ("upstream_url", upstreamURL),
            ("upstream_dialect", upstreamDialect), ("upstream_token", upstreamToken),
            ("upstream_timeout_ms", upstreamTimeoutMs.map(String.init)), ("mappings", mappings),
            ("log_level", logLevel), ("log_format", logFormat), ("upstream_ws_url", upstreamWsUrl),
            ("upstream_post_secret", upstreamPostSecret), ("onebot12_reverse_ws", onebot12ReverseWs),
            ("onebot12_webhook", onebot12Webhook), ("onebot11_reverse_ws", onebot11ReverseWs),
            ("onebot11_http_post", onebot11HttpPost), ("onebot11_post_secret", onebot11PostSecret),
            ("reconnect_interval_ms", reconnectIntervalMs.map(String.init)), ("threads", threads.map(String.init)),
            ("allow_public_without_token", allowPublicWithoutToken ? "true" : nil),
        ]
        var flags: [String: String] = [:]
        for case (let key, let value?) in given { flags[key] = value }
        let source = ConfigurationSource(file: config, environment: ProcessInfo.processInfo.environment, flags: flags)
        let configuration = try exitOnError(78) { try source.load() }
        let logger = LogSetup.bootstrap(level: configuration.logLevel, format: configuration.logFormat)
        EventLoopThreads.configure(configuration.threads)
        let tables = try exitOnError(65) { try BridgeController.loadTables(configuration.mappingsDirectory) }
        let controller = try exitOnError(78) {
            try BridgeController(configuration: configuration, tables: tables, logger: logger)
        }
        let app = BridgeServer.application(controller: controller, source: source, logger: logger)
        // run() traps SIGTERM and SIGINT: stop accepting, drain in-flight calls, then exit.
        try await app.run()
    }
}

/// Prints `body`'s error to standard error and exits with `code` (65 bad tables, 78 bad configuration).
func exitOnError<T>(_ code: Int32, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch {
        FileHandle.standardError.write(Data("onebot-bridge: \(error)\n".utf8))
        throw ExitCode(code)
    }
}

/// The tables in `directory`, or the built-in ones.
func loadTables(_ directory: String?) throws -> MappingSet {
    if let directory { return try MappingLoader.load(directory: directory) }
    return try MappingLoader.embedded()
}

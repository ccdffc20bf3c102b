import ArgumentParser
import BridgeMapping
import BridgeRuntime
import BridgeSimulator
import Foundation
import Hummingbird
import Logging

/// `onebot-bridge demo`: the bridge in front of a built-in simulated upstream, in one process.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the bridge in front of a simulated QQ server (no QQ account needed).")

    @Option(help: "host:port for the bridge.") var listen = "127.0.0.1:8080"
    @Option(help: "Which server to simulate: napcat, lagrange, icqq or gocqhttp.") var dialect = "napcat"
    @Option(help: "trace, debug, info, warning, error.") var logLevel = "info"
    @Flag(inversion: .prefixedNo,
          help: "Let the simulator dial ws://<listen>/upstream/ws like NapCat's reverse WebSocket and push scripted events.")
    var events = true
    @Option(help: "Milliseconds between scripted events.") var eventIntervalMs = 3_000

    func run() async throws {
        let logger = LogSetup.bootstrap(level: logLevel)
        let scenario = try exitOnError(78) { try SimulatorScenario.named(dialect) }
        let simulator = SimulatorServer(scenario: scenario)
        let upstream = try await RunningServer.start { onRunning in
            simulator.application(host: "127.0.0.1", port: 0, logger: logger, onRunning: onRunning)
        }
        var configuration = BridgeConfiguration()
        configuration.upstreamURL = "http://127.0.0.1:\(upstream.port)"
        configuration.upstreamDialect = dialect
        configuration = try exitOnError(78) {
            var updated = configuration
            try updated.set("listen", listen, source: "--listen")
            try updated.validate()
            return updated
        }
        let tables = try exitOnError(65) { try MappingLoader.embedded() }
        let banner = Self.banner(bridge: configuration.listen.description, upstream: upstream.port, dialect: dialect)
        let app = try exitOnError(78) {
            try BridgeServer.application(configuration: configuration, tables: tables, logger: logger) { _ in
                // Unbuffered, so the banner shows even when stdout is a pipe.
                FileHandle.standardOutput.write(Data((banner + "\n").utf8))
            }
        }
        defer { Task { await upstream.stop() } }
        // Off by default until the bridge serves /upstream/ws; until then the dialer just keeps retrying.
        let dialing = events ? Task { [listen = configuration.listen] in
            await SimulatorReverseWebSocket(url: Self.reverseWebSocketURL(listen), scenario: scenario,
                                            recorder: simulator.recorder, eventIntervalMilliseconds: eventIntervalMs,
                                            logger: logger).run()
        } : nil
        defer { dialing?.cancel() }
        try await app.run()
    }

    /// Where the bridge's upstream endpoint is; a wildcard listen address is dialed on loopback.
    static func reverseWebSocketURL(_ listen: HostPort) -> String {
        let host = ["", "0.0.0.0", "::"].contains(listen.host) ? "127.0.0.1" : listen.host
        return "ws://\(host.contains(":") ? "[\(host)]" : host):\(listen.port)/upstream/ws"
    }

    static func banner(bridge: String, upstream: Int, dialect: String) -> String {
        """

        onebot-bridge demo
          OneBot 12 HTTP:      http://\(bridge)/v12   (also POST /)
          OneBot 12 WebSocket: ws://\(bridge)/v12     (connect, status_update, then events)
          OneBot 11:           http://\(bridge)/v11/<action>, ws://\(bridge)/v11;  CoolQ: http://\(bridge)/coolq/<action>
          simulated \(dialect): http://127.0.0.1:\(upstream)   (what it received: GET /_simulator/received)

        Try:
          curl -s http://\(bridge)/v12 -H 'Content-Type: application/json' \\
            -d '{"action":"get_self_info","params":{},"echo":"1"}'
          curl -s http://\(bridge)/v12 -H 'Content-Type: application/json' \\
            -d '{"action":"send_message","params":{"detail_type":"group","group_id":"123456","message":[{"type":"text","data":{"text":"hi"}},{"type":"mention","data":{"user_id":"10001"}}]}}'
          curl -s http://\(bridge)/v12 -H 'Content-Type: application/json' \\
            -d '{"action":"get_latest_events","params":{"limit":5,"timeout":5}}'
          curl -s http://127.0.0.1:\(upstream)/_simulator/received

        Ctrl-C stops it.
        """
    }
}

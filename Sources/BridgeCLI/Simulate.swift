import ArgumentParser
import BridgeRuntime
import BridgeSimulator
import Hummingbird
import Logging

/// `onebot-bridge simulate`: a OneBot 11 HTTP server answering with the seeds' example data, and with
/// `--reverse-ws` also a reverse-WebSocket client pushing scripted events to a bridge.
struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a simulated OneBot 11 server (NapCat, Lagrange, icqq or go-cqhttp shaped) for offline work.")

    @Option(help: "napcat, lagrange, icqq or gocqhttp.") var dialect = "napcat"
    @Option(help: "host:port to listen on.") var listen = "127.0.0.1:3000"
    @Option(help: "Require this access token (Bearer); also sent when dialing --reverse-ws.") var token = ""
    @Option(help: "Also dial this bridge URL as a reverse-WebSocket Universal client, e.g. ws://127.0.0.1:8080/upstream/ws.")
    var reverseWs: String?
    @Option(help: "Milliseconds between scripted events on the reverse WebSocket.") var eventIntervalMs = 3_000
    @Option(help: "Stop pushing events after this many (default: never).") var events: Int?
    @Option(help: "Milliseconds between heartbeats on the reverse WebSocket (0: none).") var heartbeatMs = 15_000
    @Option(help: "trace, debug, info, warning, error.") var logLevel = "info"

    func validate() throws {
        guard eventIntervalMs > 0 else { throw ValidationError("--event-interval-ms must be positive") }
        if let events, events < 0 { throw ValidationError("--events must not be negative") }
        if let reverseWs, !(reverseWs.hasPrefix("ws://") || reverseWs.hasPrefix("wss://")) {
            throw ValidationError("--reverse-ws must be a ws:// or wss:// URL, not '\(reverseWs)'")
        }
    }

    func run() async throws {
        let logger = LogSetup.bootstrap(level: logLevel)
        let scenario = try exitOnError(78) { try SimulatorScenario.named(dialect) }
        guard let address = HostPort(listen) else {
            throw ValidationError("--listen must be host:port, not '\(listen)'")
        }
        let server = SimulatorServer(scenario: scenario, token: token)
        let app = server.application(host: address.host, port: address.port, logger: logger)
        // The dialer shares the recorder, so GET /_simulator/received also lists actions sent over WebSocket.
        let dialer = reverseWs.map {
            SimulatorReverseWebSocket(url: $0, scenario: scenario, token: token, recorder: server.recorder,
                                      eventIntervalMilliseconds: eventIntervalMs, eventCount: events,
                                      heartbeatMilliseconds: heartbeatMs, logger: logger)
        }
        let dialing = dialer.map { dialer in Task { await dialer.run() } }
        defer { dialing?.cancel() }
        try await app.run()
    }
}

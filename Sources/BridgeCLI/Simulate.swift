import ArgumentParser
import BridgeRuntime
import BridgeSimulator
import Hummingbird
import Logging

/// `onebot-bridge simulate`: a OneBot 11 HTTP server answering with the seeds' example data, by default
/// also a forward-WebSocket server on the same port, and optionally pushing scripted events to a bridge
/// as a reverse-WebSocket client (`--reverse-ws`) or by HTTP POST (`--post-events`).
struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a simulated OneBot 11 server (NapCat, Lagrange, icqq or go-cqhttp shaped) for offline work.")

    @Option(help: "napcat, lagrange, icqq or gocqhttp.") var dialect = "napcat"
    @Option(help: "host:port to listen on.") var listen = "127.0.0.1:3000"
    @Option(help: "Require this access token (Bearer); also sent when dialing --reverse-ws.") var token = ""
    @Flag(inversion: .prefixedNo,
          help: "Take OB11 forward WebSockets on the listen port (/, /api, /event; paths per dialect).")
    var forwardWs = true
    @Option(help: "Also dial this bridge URL as a reverse-WebSocket Universal client, e.g. ws://127.0.0.1:8080/upstream/ws.")
    var reverseWs: String?
    @Option(help: "Also POST the scripted events to this URL, e.g. http://127.0.0.1:8080/upstream/events.")
    var postEvents: String?
    @Option(help: "X-Signature key of --post-events (NapCat without it signs with --token).") var postSecret: String?
    @Option(help: "Milliseconds between scripted events on every event channel.") var eventIntervalMs = 3_000
    @Option(help: "Stop pushing events after this many per channel (default: never).") var events: Int?
    @Option(help: "Milliseconds between heartbeats on every event channel (0: none).") var heartbeatMs = 15_000
    @Option(help: "trace, debug, info, warning, error.") var logLevel = "info"

    func validate() throws {
        guard eventIntervalMs > 0 else { throw ValidationError("--event-interval-ms must be positive") }
        if let events, events < 0 { throw ValidationError("--events must not be negative") }
        if let reverseWs, !(reverseWs.hasPrefix("ws://") || reverseWs.hasPrefix("wss://")) {
            throw ValidationError("--reverse-ws must be a ws:// or wss:// URL, not '\(reverseWs)'")
        }
        if let postEvents, !(postEvents.hasPrefix("http://") || postEvents.hasPrefix("https://")) {
            throw ValidationError("--post-events must be an http:// or https:// URL, not '\(postEvents)'")
        }
        if postSecret != nil, postEvents == nil { throw ValidationError("--post-secret needs --post-events") }
    }

    func run() async throws {
        let logger = LogSetup.bootstrap(level: logLevel)
        let scenario = try exitOnError(78) { try SimulatorScenario.named(dialect) }
        guard let address = HostPort(listen) else {
            throw ValidationError("--listen must be host:port, not '\(listen)'")
        }
        let timing = SimulatorEventTiming(eventIntervalMilliseconds: eventIntervalMs, eventCount: events,
                                          heartbeatMilliseconds: heartbeatMs)
        var server = SimulatorServer(scenario: scenario, token: token)
        server.forwardWebSocket = forwardWs ? timing : nil
        let app = server.application(host: address.host, port: address.port, logger: logger)
        // The dialer shares the recorder, so GET /_simulator/received also lists actions sent over WebSocket.
        let dialer = reverseWs.map {
            SimulatorReverseWebSocket(url: $0, scenario: scenario, token: token, recorder: server.recorder,
                                      eventIntervalMilliseconds: eventIntervalMs, eventCount: events,
                                      heartbeatMilliseconds: heartbeatMs, logger: logger)
        }
        let poster = postEvents.map {
            SimulatorEventPoster(url: $0, scenario: scenario,
                                 secret: SimulatorEventPoster.signingKey(dialect: dialect, secret: postSecret, token: token),
                                 timing: timing, logger: logger)
        }
        let dialing = dialer.map { dialer in Task { await dialer.run() } }
        let posting = poster.map { poster in Task { await poster.run() } }
        defer {
            dialing?.cancel()
            posting?.cancel()
        }
        try await app.run()
    }
}

import BridgeCore
import Foundation
import HTTPTypes
import HummingbirdWSClient
import Logging

/// A simulated upstream dialing a bridge as an OB11 reverse-WebSocket Universal client (onebot11.md §5.2).
///
/// On each connection it sends `meta_event/lifecycle/connect` first, then the dialect's scripted events
/// every `eventIntervalMilliseconds` (at most `eventCount` in all, across reconnects) and a heartbeat
/// every `heartbeatMilliseconds`, while answering action frames like the HTTP simulator and recording
/// them in `recorder`. When the connection drops it dials again after `backoff`, for ever: a real
/// upstream does the same. A value: start `run()` in a Task; cancelling the Task ends it cleanly.
package struct SimulatorReverseWebSocket: Sendable {
    package var url: String
    package var scenario: SimulatorScenario
    /// The access token; how it is sent depends on the dialect (see `headers`).
    package var token: String
    package var recorder: SimulatorRecorder
    package var eventIntervalMilliseconds: Int
    /// nil: events for ever (the demo); a number: stop pushing events after that many (heartbeats go on).
    package var eventCount: Int?
    /// 0 or less: no heartbeats.
    package var heartbeatMilliseconds: Int
    package var backoff = ReconnectBackoff()
    /// Unix seconds for each event's `time`; injectable so tests can pin it.
    package var clock: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }
    package var logger: Logger

    package init(url: String, scenario: SimulatorScenario, token: String = "", recorder: SimulatorRecorder = SimulatorRecorder(),
                 eventIntervalMilliseconds: Int = 3_000, eventCount: Int? = nil, heartbeatMilliseconds: Int = 15_000,
                 logger: Logger) {
        self.url = url
        self.scenario = scenario
        self.token = token
        self.recorder = recorder
        self.eventIntervalMilliseconds = eventIntervalMilliseconds
        self.eventCount = eventCount
        self.heartbeatMilliseconds = heartbeatMilliseconds
        self.logger = logger
    }

    /// The upgrade request's headers as `dialect` sends them (onebot11.md §5.2, dialects.md §2.1 / §2.3). Pure.
    ///
    /// All dialects connect as one Universal client. NapCat sends `Bearer <t>` even with an empty token
    /// (on the wire HTTP trims it to `Bearer`); go-cqhttp keeps CQHTTP's historical `Token <t>`; Lagrange
    /// and icqq (unverified, so standard) send `Bearer <t>` only when a token is set.
    package static func headers(dialect: String, selfID: Int64, token: String) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [("X-Self-ID", "\(selfID)"), ("X-Client-Role", "Universal")]
        if let agent = userAgent(dialect: dialect) { headers.append(("User-Agent", agent)) }
        if dialect == "napcat" { headers.append(("Authorization", "Bearer \(token)")) }
        if !token.isEmpty, dialect != "napcat" {
            headers.append(("Authorization", dialect == "gocqhttp" ? "Token \(token)" : "Bearer \(token)"))
        }
        return headers
    }

    /// The `User-Agent` `dialect` sends when it connects or POSTs events (dialects.md §2.1 / §2.3); nil:
    /// none known (icqq is unverified). Pure.
    package static func userAgent(dialect: String) -> String? {
        ["napcat": "OneBot/11", "lagrange": "Lagrange.OneBot", "gocqhttp": "CQHttp/4.15.0"][dialect]
    }

    /// Dials, serves and redials until the Task is cancelled.
    package func run() async {
        let timing = SimulatorEventTiming(eventIntervalMilliseconds: eventIntervalMilliseconds, eventCount: eventCount,
                                          heartbeatMilliseconds: heartbeatMilliseconds, clock: clock)
        // One pump for the whole run: event numbering goes on across reconnects.
        let pump = SimulatorEventPump(scenario: scenario, recorder: recorder, timing: timing)
        var attempt = 0
        while !Task.isCancelled {
            let connections = pump.progress.connections
            do {
                try await connect(pump: pump)
                logger.info("reverse WebSocket closed", metadata: ["bridge.url": "\(url)"])
            } catch {
                if Task.isCancelled { break }
                logger.warning("reverse WebSocket failed", metadata: ["bridge.url": "\(url)", "error": "\(error)"])
            }
            // A connection that came up resets the backoff: the next drop is a new outage.
            if pump.progress.connections != connections { attempt = 0 }
            let delay = backoff.delay(attempt: attempt, jitter: .random(in: 0.5...1))
            attempt += 1
            do { try await Task.sleep(for: delay) } catch { break }
        }
    }

    private func connect(pump: SimulatorEventPump) async throws {
        var fields = HTTPFields()
        for header in Self.headers(dialect: scenario.dialect, selfID: pump.script.selfID, token: token) {
            if let name = HTTPField.Name(header.name) { fields.append(HTTPField(name: name, value: header.value)) }
        }
        // Frames up to 1 MiB are never fragmented, and a cancelled run must not wait 15 s for a close reply.
        let configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 20, additionalHeaders: fields,
                                                         closeTimeout: .seconds(1))
        let (logger, url) = (logger, url)
        try await WebSocketClient.connect(url: url, configuration: configuration, logger: logger) { inbound, outbound, _ in
            logger.info("reverse WebSocket connected", metadata: ["bridge.url": "\(url)"])
            try await pump.serve(inbound: inbound, outbound: outbound)
        }
    }
}

/// Delays between reconnect attempts: `initial` doubling up to `maximum`, scaled by a jitter so many
/// simulators restarting together do not dial in lockstep. Pure.
package struct ReconnectBackoff: Sendable, Equatable {
    package var initial: Duration = .milliseconds(200)
    package var maximum: Duration = .seconds(5)

    package init(initial: Duration = .milliseconds(200), maximum: Duration = .seconds(5)) {
        self.initial = initial
        self.maximum = maximum
    }

    /// The delay before retry `attempt` (0 first), times `jitter` (clamped to 0...1).
    package func delay(attempt: Int, jitter: Double) -> Duration {
        var delay = initial
        for _ in 0..<max(0, attempt) where delay < maximum { delay *= 2 }
        return min(delay, maximum) * min(max(jitter, 0), 1)
    }
}

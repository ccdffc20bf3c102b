import AsyncHTTPClient
import BridgeCore
import BridgeTransport
import Logging
import NIOCore
import NIOHTTP1

/// A simulated upstream reporting its scripted events by HTTP POST (onebot11.md §4), e.g. to a
/// bridge's `/upstream/events`.
///
/// Every `eventIntervalMilliseconds` it POSTs the next event (at most `eventCount`), and a heartbeat
/// every `heartbeatMilliseconds`, with the dialect's headers and, when `secret` is set, `X-Signature`.
/// There is no connection, so no lifecycle connect. A failed POST is logged and the event is lost, as
/// OB11 says; a quick-operation reply is logged and ignored. Start `run()` in a Task; cancel to stop.
package struct SimulatorEventPoster: Sendable {
    package var url: String
    package var scenario: SimulatorScenario
    /// The `X-Signature` key; empty: unsigned. See `signingKey(dialect:secret:token:)`.
    package var secret: String
    package var timing: SimulatorEventTiming
    package var timeout: Duration = .seconds(5)
    package var logger: Logger

    package init(url: String, scenario: SimulatorScenario, secret: String = "", timing: SimulatorEventTiming = .init(),
                 logger: Logger) {
        self.url = url
        self.scenario = scenario
        self.secret = secret
        self.timing = timing
        self.logger = logger
    }

    /// The key `dialect` signs reports with (dialects.md §2.1): NapCat has no separate secret and signs
    /// with its access token; the others sign only with `secret`. Pure.
    package static func signingKey(dialect: String, secret: String?, token: String) -> String {
        secret ?? (dialect == "napcat" ? token : "")
    }

    /// The headers of one report of `body` (onebot11.md §4, dialects.md §2.1). Pure.
    package static func headers(dialect: String, selfID: Int64, body: [UInt8], secret: String) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [("Content-Type", "application/json"), ("X-Self-ID", "\(selfID)")]
        if let agent = SimulatorReverseWebSocket.userAgent(dialect: dialect) { headers.append(("User-Agent", agent)) }
        if !secret.isEmpty { headers.append(("X-Signature", "sha1=" + EventPoster.signature(body, secret: secret))) }
        return headers
    }

    /// POSTs events and heartbeats until the Task is cancelled (heartbeats go on after the last event).
    package func run(client: HTTPClient = .shared) async {
        let script = SimulatorEventScript(scenario: scenario, heartbeatMilliseconds: Int64(timing.heartbeatMilliseconds))
        let progress = SimulatorEventProgress()
        let (interval, count, beat, clock) = (max(1, timing.eventIntervalMilliseconds), timing.eventCount,
                                              timing.heartbeatMilliseconds, timing.clock)
        await withDiscardingTaskGroup { group in
            // Events on one task, so they arrive in script order.
            group.addTask {
                while (try? await Task.sleep(for: .milliseconds(interval))) != nil,
                      let number = progress.claimEvent(limit: count) {
                    await report(script.event(number: number, now: clock()), client: client)
                }
            }
            if beat > 0 {
                group.addTask {
                    while (try? await Task.sleep(for: .milliseconds(beat))) != nil {
                        await report(script.heartbeat(now: clock()), client: client)
                    }
                }
            }
        }
    }

    private func report(_ event: JSONValue, client: HTTPClient) async {
        do {
            let (status, reply) = try await post(event, client: client)
            if !(200..<300).contains(status) {
                logger.warning("event POST refused", metadata: ["bridge.url": "\(url)", "http.status": "\(status)"])
            } else if !reply.isEmpty {
                logger.debug("quick operation ignored", metadata: ["bridge.reply": "\(reply)"])
            }
        } catch {
            logger.warning("event POST failed", metadata: ["bridge.url": "\(url)", "error": "\(error)"])
        }
    }

    /// POSTs one event; returns the HTTP status and the reply body (a quick operation, or empty).
    package func post(_ event: JSONValue, client: HTTPClient = .shared) async throws -> (status: Int, reply: String) {
        // Signed and sent as the same bytes: the signature covers the raw body.
        let body = Array(event.jsonText.utf8)
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for header in Self.headers(dialect: scenario.dialect, selfID: scenario.selfID, body: body, secret: secret) {
            request.headers.add(name: header.name, value: header.value)
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await client.execute(request, timeout: .init(timeout))
        let reply = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), String(buffer: reply))
    }
}

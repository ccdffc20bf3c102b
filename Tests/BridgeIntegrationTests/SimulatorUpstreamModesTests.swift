import AsyncHTTPClient
import BridgeCore
import BridgeRuntime
import BridgeSimulator
import BridgeTransport
import HummingbirdWebSocket
import Logging
import Testing

/// The simulator's other ways of reaching a bridge: its forward-WebSocket server (the bridge dials it
/// with `upstream_ws_url`) and HTTP POST event reporting to `/upstream/events`.
@Suite(.serialized) struct SimulatorUpstreamModesTests {
    /// A simulator of `dialect` whose forward WebSockets push `count` events 20 ms apart.
    static func simulator(_ dialect: String, token: String = "", count: Int? = nil, heartbeatMilliseconds: Int = 0)
        async throws -> (server: SimulatorServer, running: RunningServer)
    {
        var server = SimulatorServer(scenario: try SimulatorScenario.named(dialect), token: token)
        server.forwardWebSocket = SimulatorEventTiming(eventIntervalMilliseconds: 20, eventCount: count,
                                                       heartbeatMilliseconds: heartbeatMilliseconds)
        let running = try await RunningServer.start { onRunning in
            server.application(host: "127.0.0.1", port: 0, logger: BridgeHarness.logger, onRunning: onRunning)
        }
        return (server, running)
    }

    /// OB12 events polled from the bridge until `done` holds for all of them, at most five polls.
    static func poll(_ harness: BridgeHarness, until done: ([JSONObject]) -> Bool) async throws -> [JSONObject] {
        var events: [JSONObject] = []
        for _ in 0..<5 where !done(events) {
            let polled = try await harness.call("get_latest_events", ["limit": 5, "timeout": 3])
            events += (polled["data"]?.arrayValue ?? []).compactMap(\.objectValue)
        }
        return events
    }

    static func isPrivateMessage(_ event: JSONObject) -> Bool {
        event["type"] == "message" && event["detail_type"] == "private" && event["user_id"] == "123456789"
    }

    static func isGroupMessage(_ event: JSONObject) -> Bool {
        event["type"] == "message" && event["detail_type"] == "group" && event["group_id"] == "123456"
    }

    // MARK: forward WebSocket

    @Test func bridgeDialsTheSimulatorForwardWebSocket() async throws {
        let steps = SimulatorEventScript(scenario: try SimulatorScenario.named("napcat")).steps.count
        let (simulator, running) = try await Self.simulator("napcat", token: "up", count: steps)
        defer { Task { await running.stop() } }
        let harness = try await BridgeHarness.start(dialect: "napcat") {
            $0.upstreamWebSocketURL = "ws://127.0.0.1:\(running.port)/"
            $0.upstreamToken = "up"
        }
        defer { Task { await harness.stop() } }
        try await BotConnectionsTests.waitUntil { harness.controller.sockets.isConnected }
        #expect(harness.controller.sockets.isConnected, "the token was accepted")

        let events = try await Self.poll(harness) { $0.contains(where: Self.isPrivateMessage) && $0.contains(where: Self.isGroupMessage) }
        #expect(events.contains(where: Self.isPrivateMessage), "\(events)")
        #expect(events.contains(where: Self.isGroupMessage), "\(events)")

        // The harness's own HTTP simulator stays the HTTP upstream, so whatever this one records came over the socket.
        let sent = try await harness.call("send_message", ["detail_type": "private", "user_id": "123456789",
                                                           "message": [["type": "text", "data": ["text": "hi"]]]])
        #expect(sent["retcode"] == 0, "\(sent)")
        let call = simulator.recorder.calls.compactMap(\.objectValue).first {
            $0["action"]?.stringValue?.hasPrefix("send_") == true
        }
        let userID = call?["params"]?.objectValue?["user_id"]
        #expect(userID?.intValue == 123_456_789 || userID?.stringValue == "123456789", "\(simulator.recorder.calls)")
        #expect(call?["authorization"] == .null, "recorded from a frame, not an HTTP request")
    }

    @Test func forwardPathsFollowTheDialect() {
        let cases: [(String, String, Bool, Bool)] = [
            ("gocqhttp", "/", true, true), ("gocqhttp", "/api/", false, true), ("gocqhttp", "/event", true, false),
            ("napcat", "/api", false, true), ("napcat", "/event", true, true), ("napcat", "/anything", true, true),
            ("lagrange", "/event/", true, false), ("lagrange", "/ws", true, true), ("icqq", "/api", false, true),
        ]
        for (dialect, path, events, actions) in cases {
            let services = SimulatorForwardWebSocket<BasicWebSocketRequestContext>.services(dialect: dialect, path: path)
            #expect(services?.events == events && services?.actions == actions, "\(dialect) \(path)")
        }
        #expect(SimulatorForwardWebSocket<BasicWebSocketRequestContext>.services(dialect: "gocqhttp", path: "/ws") == nil)
    }

    @Test func forwardWebSocketServesEventsAndActions() async throws {
        let (simulator, running) = try await Self.simulator("gocqhttp", token: "t", count: 3, heartbeatMilliseconds: 30)
        defer { Task { await running.stop() } }
        let base = "ws://127.0.0.1:\(running.port)"

        let both = TestSocket.connect("\(base)/", headers: [("Authorization", "Bearer t")])
        defer { both.close() }
        let first = await both.next()?.objectValue
        #expect(first?["meta_event_type"] == "lifecycle" && first?["sub_type"] == "connect")
        both.send(["action": "get_login_info", "echo": ["n": 1]])
        var frames: [JSONObject] = []
        while frames.filter({ $0["post_type"] == "message" }).isEmpty || !frames.contains(where: { $0["echo"] != nil })
            || !frames.contains(where: { $0["meta_event_type"] == "heartbeat" }), let frame = await both.next() {
            frames.append(frame.objectValue ?? [:])
        }
        let reply = frames.first { $0["echo"] != nil }
        #expect(reply?["echo"] == ["n": 1] && reply?["retcode"] == 0, "\(frames)")
        #expect(frames.contains { $0["meta_event_type"] == "heartbeat" })

        // `/api` carries actions only: the first frame is the reply, not lifecycle connect.
        let api = TestSocket.connect("\(base)/api", headers: [("Authorization", "Bearer t")])
        defer { api.close() }
        api.send(["action": "get_status", "echo": "s"])
        #expect(await api.next()?.objectValue?["echo"] == "s")
        #expect(simulator.recorder.calls.compactMap { $0.objectValue?["action"]?.stringValue } == ["get_login_info", "get_status"])
    }

    @Test func forwardWebSocketChecksTheToken() async throws {
        let (_, gocq) = try await Self.simulator("gocqhttp", token: "t")
        defer { Task { await gocq.stop() } }
        for headers in [[], [("Authorization", "Bearer wrong")]] {
            let refused = TestSocket.connect("ws://127.0.0.1:\(gocq.port)/", headers: headers)
            #expect(await refused.next(within: 3) == nil)
            #expect(await (try? refused.task.value) == nil, "the upgrade is refused")
        }
        let unknownPath = TestSocket.connect("ws://127.0.0.1:\(gocq.port)/ws", headers: [("Authorization", "Bearer t")])
        #expect(await (try? unknownPath.task.value) == nil)

        // NapCat takes the upgrade, then sends 1403 and hangs up.
        let (_, napcat) = try await Self.simulator("napcat", token: "t")
        defer { Task { await napcat.stop() } }
        let wrong = TestSocket.connect("ws://127.0.0.1:\(napcat.port)/", headers: [("Authorization", "Bearer wrong")])
        defer { wrong.close() }
        #expect(await wrong.next()?.objectValue?["retcode"] == 1403)
        #expect(await wrong.next(within: 3) == nil, "closed after the refusal")
    }

    // MARK: HTTP POST

    @Test func postedEventsReachTheBridgeSigned() async throws {
        let harness = try await BridgeHarness.start(dialect: "napcat") { $0.upstreamPostSecret = "k" }
        defer { Task { await harness.stop() } }
        let scenario = try SimulatorScenario.named("napcat")
        let url = "http://127.0.0.1:\(harness.bridge.port)/upstream/events"
        let steps = SimulatorEventScript(scenario: scenario).steps.count
        let poster = SimulatorEventPoster(url: url, scenario: scenario, secret: "k",
                                          timing: SimulatorEventTiming(eventIntervalMilliseconds: 20, eventCount: steps,
                                                                       heartbeatMilliseconds: 0),
                                          logger: BridgeHarness.logger)
        let posting = Task { await poster.run() }
        defer { posting.cancel() }
        let events = try await Self.poll(harness) { $0.contains(where: Self.isPrivateMessage) && $0.contains(where: Self.isGroupMessage) }
        #expect(events.contains(where: Self.isPrivateMessage), "\(events)")
        #expect(events.contains(where: Self.isGroupMessage), "\(events)")

        // A wrong key is refused; the right one is answered 204 with no quick operation.
        let event = SimulatorEventScript(scenario: scenario).event(number: 0, now: 1_700_000_000)
        var forged = poster
        forged.secret = "not-k"
        #expect(try await forged.post(event).status == 401)
        let accepted = try await poster.post(event)
        #expect(accepted.status == 204 && accepted.reply.isEmpty)
    }

    @Test func postHeadersPerDialect() {
        let body = Array(#"{"post_type":"notice"}"#.utf8)
        func headers(_ dialect: String, _ secret: String) -> [String: String] {
            Dictionary(uniqueKeysWithValues: SimulatorEventPoster.headers(dialect: dialect, selfID: 2_854_196_310, body: body,
                                                                          secret: secret).map { ($0.name, $0.value) })
        }
        #expect(headers("napcat", "k") == ["Content-Type": "application/json", "X-Self-ID": "2854196310", "User-Agent": "OneBot/11",
                                           "X-Signature": "sha1=" + EventPoster.signature(body, secret: "k")])
        #expect(headers("gocqhttp", "")["User-Agent"] == "CQHttp/4.15.0" && headers("gocqhttp", "")["X-Signature"] == nil)
        #expect(headers("icqq", "")["User-Agent"] == nil)
        // NapCat signs with its access token unless given a key; the others only with a secret.
        #expect(SimulatorEventPoster.signingKey(dialect: "napcat", secret: nil, token: "t") == "t")
        #expect(SimulatorEventPoster.signingKey(dialect: "napcat", secret: "s", token: "t") == "s")
        #expect(SimulatorEventPoster.signingKey(dialect: "lagrange", secret: nil, token: "t") == "")
    }
}

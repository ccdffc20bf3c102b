import BridgeCore
import BridgeRuntime
import BridgeSimulator
import Hummingbird
import HummingbirdWebSocket
import Logging
import Synchronization
import Testing

/// The simulator's scripted events and its reverse-WebSocket client, against a stand-in bridge.
@Suite struct SimulatorEventsTests {
    static let now: Int64 = 1_700_000_000
    static let bot: Int64 = 2_854_196_310

    // MARK: pure script

    @Test(arguments: SimulatorScenario.dialects)
    func scriptShapes(dialect: String) throws {
        let script = SimulatorEventScript(scenario: try SimulatorScenario.named(dialect))
        let events = script.events(now: Self.now)
        #expect(events.first == ["time": .int(Self.now), "self_id": .int(Self.bot), "post_type": "meta_event",
                                 "meta_event_type": "lifecycle", "sub_type": "connect"])
        #expect(fields(events.last)["meta_event_type"] == "heartbeat" && fields(events.last)["interval"] == 15_000)
        #expect(fields(fields(events.last)["status"])["online"] == true)
        for event in events.map(fields) {
            #expect(event["time"] == .int(Self.now) && event["self_id"] == .int(Self.bot))
            #expect(["message", "message_sent", "notice", "request", "meta_event"].contains(event["post_type"]?.stringValue ?? ""))
        }
        let messages = events.map(fields).filter { $0["message_type"] != nil }
        let priv = try #require(messages.first { $0["message_type"] == "private" })
        let array = try #require(messages.first { $0["message"]?.arrayValue?.count == 5 })
        #expect(array["message"]?.arrayValue?.map { fields($0)["type"]?.stringValue ?? "" } == ["reply", "at", "text", "image", "face"])
        let mention = try #require(messages.first { segments($0).contains(["type": "at", "data": ["qq": .string("\(Self.bot)")]]) })
        #expect(mention["message_type"] == "group" && mention["group_id"] == 123_456)
        let recall = try #require(events.map(fields).first { $0["notice_type"] == "group_recall" })
        #expect(recall["message_id"] == array["message_id"])
        for kind in ["group_increase", "friend_add", "notify"] { #expect(events.contains { fields($0)["notice_type"] == .string(kind) }) }
        #expect(events.contains { fields($0)["request_type"] == "friend" && fields($0)["flag"]?.stringValue?.isEmpty == false })
        switch dialect {
        case "icqq":
            // Arrays only, base64url string IDs, plain-text raw_message, message_seq / target_id (dialects.md §5).
            #expect(messages.allSatisfy { $0["message_id"]?.stringValue != nil && $0["message"]?.arrayValue != nil })
            #expect(priv["raw_message"] == "hello " && priv["target_id"] == .int(Self.bot))
            #expect(messages.contains { $0["post_type"] == "message_sent" })
        default:
            #expect(priv["message"] == "hello [CQ:face,id=1]" && priv["raw_message"] == "hello [CQ:face,id=1]")
            #expect(messages.allSatisfy { $0["message_id"]?.intValue != nil })
            #expect(array["raw_message"]?.stringValue?.hasPrefix("[CQ:reply,id=") == true)
        }
        if dialect == "gocqhttp" { #expect(priv["target_id"] == .int(Self.bot) && messages.contains { $0["post_type"] == "message_sent" }) }
        if dialect == "napcat" { #expect(priv["message_format"] == "string" && array["message_format"] == "array") }
    }

    @Test(arguments: SimulatorScenario.dialects)
    func messageIDsAreUniqueAndIncreasing(dialect: String) {
        let script = SimulatorEventScript(dialect: dialect, selfID: Self.bot)
        let messages = (0..<script.steps.count * 3).map { fields(script.event(number: $0, now: Self.now)) }
            .filter { $0["message_type"] != nil }
        let ids = messages.compactMap { $0["message_id"] }
        // Three messages a cycle, four where the bot's own reply is reported as message_sent.
        #expect(ids.count == messages.count && ids.count == 3 * (script.steps.contains(.botReplySent) ? 4 : 3))
        #expect(Set(ids.map(\.jsonText)).count == ids.count)
        let order = dialect == "icqq" ? messages.compactMap { $0["message_seq"]?.intValue } : ids.compactMap(\.intValue)
        #expect(order == order.sorted() && order.count == ids.count)
    }

    @Test func headersPerDialect() {
        func headers(_ dialect: String, _ token: String) -> [String: String] {
            Dictionary(uniqueKeysWithValues: SimulatorReverseWebSocket.headers(dialect: dialect, selfID: Self.bot, token: token)
                .map { ($0.name, $0.value) })
        }
        #expect(headers("napcat", "") == ["X-Self-ID": "2854196310", "X-Client-Role": "Universal",
                                          "User-Agent": "OneBot/11", "Authorization": "Bearer "])
        #expect(headers("lagrange", "") == ["X-Self-ID": "2854196310", "X-Client-Role": "Universal", "User-Agent": "Lagrange.OneBot"])
        #expect(headers("lagrange", "t")["Authorization"] == "Bearer t")
        #expect(headers("gocqhttp", "t")["Authorization"] == "Token t" && headers("gocqhttp", "t")["User-Agent"] == "CQHttp/4.15.0")
        #expect(headers("icqq", "t") == ["X-Self-ID": "2854196310", "X-Client-Role": "Universal", "Authorization": "Bearer t"])
    }

    @Test func framesGetTheScenarioReplyWithTheSameEcho() throws {
        let scenario = try SimulatorScenario.named("napcat")
        let recorder = SimulatorRecorder()
        let login = fields(scenario.reply(toFrame: #"{"action":"get_login_info","echo":{"n":[1,"x"]}}"#, recorder: recorder))
        #expect(login["echo"] == ["n": [1, "x"]] && fields(login["data"])["user_id"] == .int(Self.bot))
        let sent = fields(scenario.reply(toFrame: #"{"action":"send_group_msg","params":{"group_id":123456,"message":"hi"}}"#))
        #expect(sent["retcode"] == 0 && sent["echo"] == nil)
        let unknown = fields(scenario.reply(toFrame: #"{"action":"nope","echo":"7"}"#))
        #expect(unknown["retcode"] == 200 && unknown["echo"] == "7")
        #expect(fields(scenario.reply(toFrame: "not json"))["retcode"] == 1400)
        #expect(fields(scenario.reply(toFrame: #"{"action":"x","params":[],"echo":1}"#))["echo"] == 1)
        #expect(recorder.calls == [["action": "get_login_info", "params": [:], "authorization": nil]])
    }

    @Test func backoffDoublesToFiveSecondsWithJitter() {
        let backoff = ReconnectBackoff()
        #expect((0..<6).map { backoff.delay(attempt: $0, jitter: 1) }
            == [.milliseconds(200), .milliseconds(400), .milliseconds(800), .milliseconds(1600), .milliseconds(3200), .seconds(5)])
        #expect(backoff.delay(attempt: 60, jitter: 1) == .seconds(5) && backoff.delay(attempt: 0, jitter: 0.5) == .milliseconds(100))
    }

    // MARK: live, against a stand-in bridge

    @Test(arguments: SimulatorScenario.dialects)
    func dialsAnswersAndPushes(dialect: String) async throws {
        let actions = [#"{"action":"get_login_info","echo":{"seq":1}}"#,
                       #"{"action":"send_group_msg","params":{"group_id":123456,"message":"hi"},"echo":"e2"}"#]
        let bridge = try await StandInBridge.start(actions: actions)
        defer { Task { await bridge.server.stop() } }
        let scenario = try SimulatorScenario.named(dialect)
        let steps = SimulatorEventScript(scenario: scenario).steps.count
        var dialer = SimulatorReverseWebSocket(url: bridge.url, scenario: scenario, token: "secret", eventIntervalMilliseconds: 5,
                                               eventCount: steps, heartbeatMilliseconds: 20, logger: StandInBridge.logger)
        dialer.clock = { Self.now }
        let running = Task { [dialer] in await dialer.run() }
        let seen = try await bridge.collect { seen in
            seen.frames.filter { $0["post_type"] != nil && $0["post_type"] != "meta_event" }.count >= steps
                && seen.frames.contains { $0["meta_event_type"] == "heartbeat" } && seen.frames.filter { $0["echo"] != nil }.count == 2
        }
        running.cancel()
        try await withDeadline { await running.value }

        let headers = try #require(seen.headers.first)
        #expect(headers["x-self-id"] == "2854196310" && headers["x-client-role"] == "Universal")
        #expect(headers["authorization"] == (dialect == "gocqhttp" ? "Token secret" : "Bearer secret"))
        #expect(headers["user-agent"] == ["napcat": "OneBot/11", "lagrange": "Lagrange.OneBot", "gocqhttp": "CQHttp/4.15.0"][dialect])
        #expect(seen.frames.first?["meta_event_type"] == "lifecycle" && seen.frames.first?["sub_type"] == "connect")
        let replies = seen.frames.filter { $0["echo"] != nil }
        #expect(replies.map { $0["echo"] } == [["seq": 1], "e2"] && replies.allSatisfy { $0["retcode"] == 0 })
        #expect(fields(replies.first?["data"])["user_id"] == .int(Self.bot))
        let events = seen.frames.filter { $0["echo"] == nil }
        #expect(events.allSatisfy { $0["post_type"]?.stringValue != nil && $0["time"] == .int(Self.now) })
        let ids = events.compactMap { $0["message_id"] }
        #expect(!ids.isEmpty && ids.allSatisfy { dialect == "icqq" ? $0.stringValue != nil : $0.intValue != nil })
        #expect(dialer.recorder.calls.contains { fields($0)["action"] == "send_group_msg" && fields(fields($0)["params"])["group_id"] == 123_456 })
    }

    @Test func reconnectsAfterTheBridgeDropsIt() async throws {
        let bridge = try await StandInBridge.start(actions: [], dropFirstConnection: true)
        defer { Task { await bridge.server.stop() } }
        let dialer = SimulatorReverseWebSocket(url: bridge.url, scenario: try SimulatorScenario.named("napcat"),
                                               eventIntervalMilliseconds: 5, logger: StandInBridge.logger)
        let running = Task { await dialer.run() }
        // The first connection sees only lifecycle connect; the second must start with it again, then events.
        let seen = try await bridge.collect { $0.headers.count >= 2 && $0.frames.count >= 4 }
        running.cancel()
        try await withDeadline { await running.value }
        #expect(seen.frames.filter { $0["sub_type"] == "connect" }.count == 2)
        let ids = seen.frames.compactMap { $0["message_id"]?.intValue }
        #expect(ids == ids.sorted() && Set(ids).count == ids.count, "numbering goes on across connections")
    }
}

extension SimulatorEventsTests {
    /// A stand-in for the bridge's `/upstream/ws` endpoint: on each connection it sends `actions`, and it
    /// reports the upgrade headers (lower-case names) and every frame it receives.
    struct StandInBridge {
        struct Seen: Sendable {
            var headers: [[String: String]] = []
            var frames: [JSONObject] = []
        }

        final class Counter: Sendable {
            private let count = Mutex(0)
            func next() -> Int { count.withLock { value in defer { value += 1 }; return value } }
        }

        enum Report: Sendable {
            case headers([String: String])
            case frame(JSONObject)
        }

        static let logger: Logger = {
            var logger = Logger(label: "simulator-events")
            logger.logLevel = .critical
            return logger
        }()

        let server: RunningServer
        let reports: AsyncStream<Report>
        var url: String { "ws://127.0.0.1:\(server.port)/upstream/ws" }

        static func start(actions: [String], dropFirstConnection: Bool = false) async throws -> StandInBridge {
            let (reports, sink) = AsyncStream.makeStream(of: Report.self)
            let connections = Counter()
            let router = Router(context: BasicWebSocketRequestContext.self)
            router.ws("upstream/ws") { inbound, outbound, context in
                let number = connections.next()
                var headers: [String: String] = [:]
                for field in context.request.headers { headers[field.name.canonicalName] = field.value }
                sink.yield(.headers(headers))
                for action in actions { try await outbound.write(.text(action)) }
                for try await case .text(let text) in inbound.messages(maxSize: 1 << 20) {
                    sink.yield(.frame(fields(try? JSONParser.parse(text))))
                    if dropFirstConnection && number == 0 { return }
                }
            }
            let server = try await RunningServer.start { onRunning in
                Application(router: Router(), server: .http1WebSocketUpgrade(webSocketRouter: router),
                            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                            onServerRunning: { await onRunning($0.localAddress?.port ?? 0) }, logger: logger)
            }
            return StandInBridge(server: server, reports: reports)
        }

        /// Everything seen until `done` holds; fails after 10 s.
        func collect(until done: @escaping @Sendable (Seen) -> Bool) async throws -> Seen {
            try await withDeadline { [reports] in
                var seen = Seen()
                for await report in reports {
                    switch report {
                    case .headers(let headers): seen.headers.append(headers)
                    case .frame(let frame): seen.frames.append(frame)
                    }
                    if done(seen) { break }
                }
                return seen
            }
        }
    }
}

private struct DeadlinePassed: Error {}

/// `body`'s result, or `DeadlinePassed` after `seconds`; `body` runs unstructured so a stuck one cannot hang the test.
private func withDeadline<T: Sendable>(seconds: Int = 10, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    let (results, sink) = AsyncStream.makeStream(of: Result<T, any Error>.self)
    let work = Task {
        do { sink.yield(.success(try await body())) } catch { sink.yield(.failure(error)) }
    }
    let timer = Task {
        try await Task.sleep(for: .seconds(seconds))
        sink.yield(.failure(DeadlinePassed()))
    }
    defer { work.cancel(); timer.cancel() }
    for await result in results { return try result.get() }
    throw DeadlinePassed()
}

private func fields(_ value: JSONValue?) -> JSONObject { value?.objectValue ?? [:] }

private func segments(_ message: JSONObject) -> [JSONValue] {
    message["message"]?.arrayValue ?? CQCode.segments(from: message["message"]?.stringValue ?? "")
}

import BridgeCore
import BridgeRuntime
import BridgeTransport
import Hummingbird
import HummingbirdWebSocket
import Logging
import Synchronization
import Testing

/// The bridge connecting out to bots: reverse WebSocket (OB12), HTTP POST with signature and quick
/// operation (OB11), and the OB12 webhook whose answer is a list of actions.
@Suite(.serialized) struct BotConnectionsTests {
    static let groupMessage: JSONValue = [
        "time": 1_700_000_000, "self_id": 2_854_196_310, "post_type": "message", "message_type": "group",
        "sub_type": "normal", "message_id": 42, "group_id": 123_456, "user_id": 123_456_789, "message": "ping",
        "raw_message": "ping", "font": 0, "sender": ["user_id": 123_456_789, "nickname": "某人"],
    ]

    /// What a bot-side test server received.
    final class Inbox: Sendable {
        private let storage = Mutex<[JSONValue]>([])
        func append(_ value: JSONValue) { storage.withLock { $0.append(value) } }
        func withLock<T>(_ body: ([JSONValue]) -> T) -> T { storage.withLock { body($0) } }
    }

    /// Starts a bot-side server; `received` collects what the bridge sent it.
    static func botServer(_ build: (Router<BasicWebSocketRequestContext>, Inbox) -> Void) async throws
        -> (RunningServer, Inbox)
    {
        let received = Inbox()
        let router = Router(context: BasicWebSocketRequestContext.self)
        build(router, received)
        let server = try await RunningServer.start { onRunning in
            Application(router: router, server: .http1WebSocketUpgrade(webSocketRouter: router),
                        configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                        onServerRunning: { await onRunning($0.localAddress?.port ?? 0) }, logger: BridgeHarness.logger)
        }
        return (server, received)
    }

    static func waitUntil(_ condition: () -> Bool) async throws {
        for _ in 0..<100 where !condition() { try await Task.sleep(for: .milliseconds(50)) }
    }

    @Test func onebot12ReverseWebSocket() async throws {
        let (bot, received) = try await Self.botServer { router, received in
            router.ws("/") { inbound, outbound, _ in
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    guard case .text(let text) = message, let frame = try? JSONParser.parse(text) else { continue }
                    received.append(frame)
                    if frame.objectValue?["detail_type"] == "connect" {
                        try await outbound.write(.text(#"{"action":"send_user_like","params":{"user_id":"10001"},"echo":"like"}"#))
                    }
                }
            }
        }
        defer { Task { await bot.stop() } }
        let harness = try await BridgeHarness.start(dialect: "napcat") { $0.onebot12ReverseWebSockets = ["ws://127.0.0.1:\(bot.port)/"] }
        defer { Task { await harness.stop() } }
        try await Self.waitUntil { received.withLock { $0.count >= 3 } }
        let frames = received.withLock { $0 }
        #expect(frames.first?.objectValue?["detail_type"] == "connect", "connect comes first")
        #expect(frames.contains { $0.objectValue?["echo"] == "like" && $0.objectValue?["retcode"] == 0 }, "\(frames)")
        #expect(harness.lastParams(of: "send_like")?["times"] == 10)
        let upstream = TestSocket.connect("ws://127.0.0.1:\(harness.bridge.port)/upstream/ws", headers: [("X-Self-ID", "2854196310")])
        defer { upstream.close() }
        try await Task.sleep(for: .milliseconds(300))
        upstream.send(Self.groupMessage)
        try await Self.waitUntil { received.withLock { $0.contains { $0.objectValue?["type"] == "message" } } }
        #expect(received.withLock { $0.contains { $0.objectValue?["group_id"] == "123456" } })
    }

    @Test func onebot11HTTPPostWithSignatureAndQuickOperation() async throws {
        let (bot, received) = try await Self.botServer { router, received in
            router.post("events") { request, context in
                var request = request
                let body = try await request.collectBody(upTo: 1 << 20)
                let signature = request.headers[.init("X-Signature")!] ?? ""
                let expected = "sha1=" + EventPoster.signature(Array(buffer: body), secret: "s3cret")
                received.append(["signed": .bool(signature == expected), "event": (try? HTTPParams.json(body)) ?? .null])
                return Response.json(["reply": "pong", "at_sender": false])
            }
        }
        defer { Task { await bot.stop() } }
        let harness = try await BridgeHarness.start(dialect: "napcat") {
            $0.onebot11HTTPPosts = ["http://127.0.0.1:\(bot.port)/events"]
            $0.onebot11PostSecret = "s3cret"
        }
        defer { Task { await harness.stop() } }
        let upstream = TestSocket.connect("ws://127.0.0.1:\(harness.bridge.port)/upstream/ws", headers: [("X-Self-ID", "2854196310")])
        defer { upstream.close() }
        try await Task.sleep(for: .milliseconds(300))
        upstream.send(Self.groupMessage)
        // The quick operation's reply reaches the upstream over its socket as send_msg.
        let call = await upstream.nextCall("send_msg")
        #expect(call?["action"] == "send_msg")
        #expect(call?["params"]?.objectValue?["group_id"] == 123_456)
        let posted = received.withLock { $0.first?.objectValue }
        #expect(posted?["signed"] == true, "X-Signature is HMAC-SHA1 of the body")
        #expect(posted?["event"]?.objectValue?["message_type"] == "group")
    }

    @Test func onebot12WebhookRunsTheActionsItAnswers() async throws {
        let (bot, received) = try await Self.botServer { router, received in
            router.post("hook") { request, context in
                var request = request
                let body = try await request.collectBody(upTo: 1 << 20)
                received.append((try? HTTPParams.json(body)) ?? .null)
                return Response.json([["action": "send_message",
                                       "params": ["detail_type": "group", "group_id": "123456", "message": "pong"]]])
            }
        }
        defer { Task { await bot.stop() } }
        let harness = try await BridgeHarness.start(dialect: "napcat") { $0.onebot12Webhooks = ["http://127.0.0.1:\(bot.port)/hook"] }
        defer { Task { await harness.stop() } }
        let upstream = TestSocket.connect("ws://127.0.0.1:\(harness.bridge.port)/upstream/ws", headers: [("X-Self-ID", "2854196310")])
        defer { upstream.close() }
        try await Task.sleep(for: .milliseconds(300))
        upstream.send(Self.groupMessage)
        let call = await upstream.nextCall("send_group_msg")
        #expect(call?["action"] == "send_group_msg")
        #expect(received.withLock { $0.first?.objectValue?["type"] } == "message")
    }
}

extension BotConnectionsTests {
    /// A legacy CoolQ bot gets v1–v3's `post_type: "event"` notices and CQ-string messages.
    @Test func coolqLegacyEventPosting() async throws {
        let (bot, received) = try await Self.botServer { router, received in
            router.post("cq") { request, _ in
                var request = request
                let body = try await request.collectBody(upTo: 1 << 20)
                received.append((try? HTTPParams.json(body)) ?? .null)
                return Response(status: .noContent)
            }
        }
        defer { Task { await bot.stop() } }
        let harness = try await BridgeHarness.start(dialect: "napcat") {
            $0.coolqHTTPPosts = ["http://127.0.0.1:\(bot.port)/cq"]
            $0.coolqPostFormat = "legacy"
        }
        defer { Task { await harness.stop() } }
        let upstream = TestSocket.connect("ws://127.0.0.1:\(harness.bridge.port)/upstream/ws", headers: [("X-Self-ID", "2854196310")])
        defer { upstream.close() }
        try await Task.sleep(for: .milliseconds(300))
        upstream.send(["time": 1_700_000_000, "self_id": 2_854_196_310, "post_type": "notice", "notice_type": "friend_add", "user_id": 10001])
        var message = Self.groupMessage.objectValue ?? [:]
        message["message"] = [["type": "text", "data": ["text": "a[b]"]], ["type": "face", "data": ["id": "1"]]]
        upstream.send(.object(message))
        try await Self.waitUntil { received.withLock { $0.count >= 2 } }
        let posted = received.withLock { $0 }
        #expect(posted.first?.objectValue?["post_type"] == "event" && posted.first?.objectValue?["event"] == "friend_add", "\(posted)")
        #expect(posted.last?.objectValue?["message"] == "a&#91;b&#93;[CQ:face,id=1]", "CoolQ reads escaped CQ strings")
    }
}

extension BotConnectionsTests {
    /// OB11 §5.2: a bot may take actions and events on two reverse connections, told apart by X-Client-Role.
    @Test func onebot11ReverseApiAndEventConnections() async throws {
        let (bot, received) = try await Self.botServer { router, received in
            for path in ["api", "event"] {
                router.ws(RouterPath(path)) { inbound, outbound, context in
                    let role = context.request.headers[.init("X-Client-Role")!] ?? "?"
                    received.append(["path": .string(path), "role": .string(role)])
                    if path == "api" {
                        try await outbound.write(.text(#"{"action":"send_like","params":{"user_id":5},"echo":9}"#))
                    }
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        guard case .text(let text) = message, let frame = try? JSONParser.parse(text) else { continue }
                        received.append(["path": .string(path), "frame": frame])
                    }
                }
            }
        }
        defer { Task { await bot.stop() } }
        let harness = try await BridgeHarness.start(dialect: "napcat") {
            $0.onebot11ReverseWebSocketsAPI = ["ws://127.0.0.1:\(bot.port)/api"]
            $0.onebot11ReverseWebSocketsEvent = ["ws://127.0.0.1:\(bot.port)/event"]
        }
        defer { Task { await harness.stop() } }
        try await Self.waitUntil { received.withLock { $0.count >= 4 } }
        let frames = received.withLock { $0.compactMap(\.objectValue) }
        #expect(frames.contains { $0["path"] == "api" && $0["role"] == "API" })
        #expect(frames.contains { $0["path"] == "event" && $0["role"] == "Event" })
        #expect(frames.contains { $0["path"] == "event" && $0["frame"]?.objectValue?["meta_event_type"] == "lifecycle" })
        #expect(frames.contains { $0["path"] == "api" && $0["frame"]?.objectValue?["echo"] == 9 })
        #expect(!frames.contains { $0["path"] == "api" && $0["frame"]?.objectValue?["post_type"] != nil }, "no events on API")
    }
}

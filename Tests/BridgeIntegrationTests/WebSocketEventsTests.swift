import BridgeCore
import BridgeRuntime
import BridgeTransport
import Hummingbird
import HummingbirdWSClient
import Logging
import NIOHTTP1
import Testing

/// A WebSocket peer for tests: frames received are queued, frames to send are written in order.
struct TestSocket {
    let received: AsyncStream<JSONValue>
    private let outgoing: AsyncStream<String>.Continuation
    let task: Task<Void, any Error>

    static func connect(_ url: String, headers: [(String, String)] = []) -> TestSocket {
        let (received, receivedInput) = AsyncStream.makeStream(of: JSONValue.self)
        let (outgoing, outgoingInput) = AsyncStream.makeStream(of: String.self)
        var fields = HTTPFields()
        for (name, value) in headers { fields[.init(name)!] = value }
        let task = Task {
            defer { receivedInput.finish() }
            try await WebSocketClient.connect(url: url, configuration: .init(maxFrameSize: 1 << 24, additionalHeaders: fields),
                                              logger: BridgeHarness.logger) { inbound, outbound, _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { for await text in outgoing { try await outbound.write(.text(text)) } }
                    group.addTask {
                        for try await message in inbound.messages(maxSize: 1 << 24) {
                            if case .text(let text) = message, let value = try? JSONParser.parse(text) { receivedInput.yield(value) }
                        }
                    }
                    _ = try await group.next()
                    group.cancelAll()
                }
            }
        }
        return TestSocket(received: received, outgoing: outgoingInput, task: task)
    }

    func send(_ value: JSONValue) { outgoing.yield(value.jsonText) }

    /// The next frame calling `action`, skipping others (the bridge also asks `get_login_info` on its own).
    func nextCall(_ action: String, within seconds: Double = 5) async -> JSONObject? {
        while let frame = await next(within: seconds)?.objectValue {
            if frame["action"]?.stringValue == action { return frame }
        }
        return nil
    }

    /// The next frame, or nil after `seconds` (tests never hang).
    func next(within seconds: Double = 5) async -> JSONValue? {
        await withTaskGroup(of: JSONValue?.self) { group in
            group.addTask { var iterator = received.makeAsyncIterator(); return await iterator.next() }
            group.addTask { try? await Task.sleep(for: .seconds(seconds)); return nil }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    func close() {
        outgoing.finish()
        task.cancel()
    }
}

/// NapCat dials the bridge over reverse WebSocket; an OB12 bot on forward WebSocket gets connect,
/// status_update and translated events, and its actions reach the upstream over the same socket.
@Suite(.serialized) struct WebSocketEventsTests {
    @Test func reverseUpstreamToForwardOneBot12Client() async throws {
        let harness = try await BridgeHarness.start(dialect: "napcat")
        defer { Task { await harness.stop() } }
        let base = "ws://127.0.0.1:\(harness.bridge.port)"
        let bot = TestSocket.connect("\(base)/v12")
        defer { bot.close() }
        let connect = await bot.next()
        #expect(connect?.objectValue?["detail_type"] == "connect")
        #expect(connect?.objectValue?["version"]?.objectValue?["onebot_version"] == "12")
        #expect(await bot.next()?.objectValue?["detail_type"] == "status_update")

        let upstream = TestSocket.connect("\(base)/upstream/ws", headers: [("X-Self-ID", "2854196310"),
                                                                           ("X-Client-Role", "Universal")])
        defer { upstream.close() }
        try await Task.sleep(for: .milliseconds(300))
        upstream.send(["time": 1_700_000_000, "self_id": 2_854_196_310, "post_type": "message", "message_type": "group",
                       "sub_type": "normal", "message_id": 42, "group_id": 123_456, "user_id": 123_456_789,
                       "message": "hi [CQ:at,qq=2854196310] [CQ:face,id=1]", "raw_message": "hi", "font": 0,
                       "sender": ["user_id": 123_456_789, "nickname": "某人"]])
        let event = await bot.next()?.objectValue
        #expect(event?["type"] == "message" && event?["detail_type"] == "group")
        #expect(event?["group_id"] == "123456" && event?["user_id"] == "123456789")
        #expect(event?["self"]?.objectValue?["user_id"] == "2854196310")
        let types = event?["message"]?.arrayValue?.compactMap { $0.objectValue?["type"]?.stringValue }
        #expect(types == ["text", "mention", "text", "qq.face"], "\(String(describing: event))")

        // The bot's action goes to the upstream over its WebSocket, correlated by the bridge's echo.
        bot.send(["action": "get_self_info", "params": [:], "echo": "bot-1"])
        let call = await upstream.next()?.objectValue
        #expect(call?["action"] == "get_login_info")
        var reply: JSONObject = ["status": "ok", "retcode": 0, "data": ["user_id": 2_854_196_310, "nickname": "bot"]]
        reply["echo"] = call?["echo"]
        upstream.send(.object(reply))
        let answer = await bot.next()?.objectValue
        #expect(answer?["echo"] == "bot-1" && answer?["retcode"] == 0)
        #expect(answer?["data"]?.objectValue?["user_name"] == "bot")

        // The same event waits for HTTP pollers too.
        let polled = try await harness.call("get_latest_events", ["limit": 10])
        #expect(polled["data"]?.arrayValue?.count == 1)
        #expect(polled["data"]?.arrayValue?.first?.objectValue?["id"] == event?["id"], "one event, one id")
    }

    @Test func oneBot11ClientOverForwardWebSocket() async throws {
        let harness = try await BridgeHarness.start(dialect: "napcat")
        defer { Task { await harness.stop() } }
        let base = "ws://127.0.0.1:\(harness.bridge.port)"
        let bot = TestSocket.connect("\(base)/v11")
        defer { bot.close() }
        #expect(await bot.next()?.objectValue?["meta_event_type"] == "lifecycle")
        // No upstream socket: the action goes over HTTP to the simulator, and echo of any type returns.
        bot.send(["action": "send_like", "params": ["user_id": "123456789"], "echo": 7])
        let answer = await bot.next()?.objectValue
        #expect(answer?["echo"] == 7 && answer?["retcode"] == 0)
        #expect(harness.lastParams(of: "send_like")?["user_id"] == 123_456_789)

        let upstream = TestSocket.connect("\(base)/upstream/ws", headers: [("X-Self-ID", "2854196310")])
        defer { upstream.close() }
        try await Task.sleep(for: .milliseconds(300))
        upstream.send(["time": 1_700_000_000, "self_id": 2_854_196_310, "post_type": "notice", "notice_type": "friend_add",
                       "user_id": 10001])
        let event = await bot.next()?.objectValue
        #expect(event?["notice_type"] == "friend_add" && event?["user_id"] == 10001)
    }

    @Test func webSocketAuthBeforeUpgrade() async throws {
        let harness = try await BridgeHarness.start(dialect: "napcat", accessToken: "tok")
        defer { Task { await harness.stop() } }
        let refused = TestSocket.connect("ws://127.0.0.1:\(harness.bridge.port)/v12")
        #expect(await refused.next(within: 2) == nil)
        let bot = TestSocket.connect("ws://127.0.0.1:\(harness.bridge.port)/v12", headers: [("Authorization", "Bearer tok")])
        defer { bot.close() }
        #expect(await bot.next()?.objectValue?["detail_type"] == "connect")
    }
}

extension WebSocketEventsTests {
    /// Nothing lost while the bot reconnects, nothing doubled when the upstream resends.
    @Test func eventsWaitForAReconnectingBotAndAreNotDoubled() async throws {
        let harness = try await BridgeHarness.start(dialect: "napcat")
        defer { Task { await harness.stop() } }
        let base = "ws://127.0.0.1:\(harness.bridge.port)"
        let first = TestSocket.connect("\(base)/v12")
        _ = await first.next()
        _ = await first.next()
        first.close()
        try await Task.sleep(for: .milliseconds(300))

        let upstream = TestSocket.connect("\(base)/upstream/ws", headers: [("X-Self-ID", "2854196310")])
        defer { upstream.close() }
        try await Task.sleep(for: .milliseconds(300))
        let message: JSONValue = ["time": 1_700_000_000, "self_id": 2_854_196_310, "post_type": "message",
                                  "message_type": "private", "sub_type": "friend", "message_id": 77, "user_id": 10001,
                                  "message": "while you were away", "raw_message": "", "font": 0]
        upstream.send(message)
        upstream.send(message)  // resent after an upstream reconnect: the same message id
        upstream.send(["time": 1_700_000_001, "self_id": 2_854_196_310, "post_type": "notice", "notice_type": "friend_add",
                       "user_id": 10002])
        try await Task.sleep(for: .milliseconds(300))

        let again = TestSocket.connect("\(base)/v12")
        defer { again.close() }
        var frames: [JSONObject] = []
        while let frame = await again.next(within: 1.5)?.objectValue { frames.append(frame) }
        let details = frames.map { $0["detail_type"]?.stringValue ?? "?" }
        #expect(details == ["connect", "status_update", "private", "friend_increase"], "\(details)")
    }
}

extension WebSocketEventsTests {
    /// Two QQ accounts behind one bridge: calls go to the account `self` names (OB12 §4.4).
    @Test func severalAccountsAreRoutedBySelf() async throws {
        let harness = try await BridgeHarness.start(dialect: "napcat")
        defer { Task { await harness.stop() } }
        let base = "ws://127.0.0.1:\(harness.bridge.port)/upstream/ws"
        let first = TestSocket.connect(base, headers: [("X-Self-ID", "111"), ("X-Client-Role", "Universal")])
        let second = TestSocket.connect(base, headers: [("X-Self-ID", "222"), ("X-Client-Role", "Universal")])
        defer { first.close(); second.close() }
        try await BotConnectionsTests.waitUntil { harness.controller.sockets.selfIDs.count == 2 }

        let noSelf = try await harness.call("send_user_like", ["user_id": "1"])
        #expect(noSelf["retcode"] == 10101)
        let unknown = try await harness.post(#"{"action":"send_user_like","params":{"user_id":"1"},"self":{"platform":"qq","user_id":"333"}}"#)
        #expect(unknown.body.objectValue?["retcode"] == 10102)

        // Each fake account answers every call, recording which actions reached it.
        let seenBy222 = BotConnectionsTests.Inbox()
        for (socket, inbox) in [(first, BotConnectionsTests.Inbox()), (second, seenBy222)] {
            Task {
                while let call = await socket.next(within: 20)?.objectValue {
                    inbox.append(.object(call))
                    var reply: JSONObject = ["status": "ok", "retcode": 0, "data": ["online": true, "good": true]]
                    reply["echo"] = call["echo"]
                    socket.send(.object(reply))
                }
            }
        }
        let routed = try await harness.post(#"{"action":"send_user_like","params":{"user_id":"1"},"self":{"platform":"qq","user_id":"222"}}"#)
        #expect(routed.body.objectValue?["retcode"] == 0)
        #expect(seenBy222.withLock { $0.contains { $0.objectValue?["action"] == "send_like" } })

        let status = try await harness.call("get_status")
        let bots = status["data"]?.objectValue?["bots"]?.arrayValue?.compactMap { $0.objectValue?["self"]?.objectValue?["user_id"]?.stringValue }
        #expect(bots?.sorted() == ["111", "222"], "both accounts, in connection order")
    }
}

extension WebSocketEventsTests {
    /// OB11 bots name the account with X-Self-ID or `self_id`.
    @Test func onebot11AccountsBySelfID() async throws {
        let harness = try await BridgeHarness.start(dialect: "napcat")
        defer { Task { await harness.stop() } }
        let base = "ws://127.0.0.1:\(harness.bridge.port)/upstream/ws"
        let first = TestSocket.connect(base, headers: [("X-Self-ID", "111")])
        let second = TestSocket.connect(base, headers: [("X-Self-ID", "222")])
        defer { first.close(); second.close() }
        try await BotConnectionsTests.waitUntil { harness.controller.sockets.selfIDs.count == 2 }
        Task {
            while let call = await second.next(within: 10)?.objectValue {
                var reply: JSONObject = ["status": "ok", "retcode": 0, "data": nil]
                reply["echo"] = call["echo"]
                second.send(.object(reply))
            }
        }
        let header = try await harness.request(.GET, "/v11/send_like?user_id=1", headers: [("X-Self-ID", "222")])
        #expect(header.body.objectValue?["retcode"] == 0)
        let param = try await harness.request(.GET, "/v11/send_like?user_id=1&self_id=222")
        #expect(param.body.objectValue?["retcode"] == 0)
        let unknown = try await harness.request(.GET, "/v11/send_like?user_id=1&self_id=333")
        #expect(unknown.body.objectValue?["retcode"] == 100, "OB11 has no 10102; bad param")
    }
}

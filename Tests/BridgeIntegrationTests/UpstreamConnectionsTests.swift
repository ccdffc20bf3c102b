import BridgeCore
import BridgeRuntime
import BridgeTransport
import Hummingbird
import HummingbirdWebSocket
import NIOHTTP1
import Testing

/// The upstream's other connection methods: the bridge dialing its forward WebSocket, and its HTTP POST
/// event reporting with `X-Signature`.
@Suite(.serialized) struct UpstreamConnectionsTests {
    @Test func bridgeDialsTheUpstreamForwardWebSocket() async throws {
        let (napcat, received) = try await BotConnectionsTests.botServer { router, received in
            router.ws("/") { inbound, outbound, context in
                received.append(["authorization": .string(context.request.headers[.authorization] ?? "")])
                try await outbound.write(.text(BotConnectionsTests.groupMessage.jsonText))
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    guard case .text(let text) = message, case .object(let call)? = try? JSONParser.parse(text) else { continue }
                    received.append(.object(call))
                    var reply: JSONObject = ["status": "ok", "retcode": 0, "data": ["user_id": 1, "nickname": "ws"]]
                    reply["echo"] = call["echo"]
                    try await outbound.write(.text(JSONValue.object(reply).jsonText))
                }
            }
        }
        defer { Task { await napcat.stop() } }
        let harness = try await BridgeHarness.start(dialect: "napcat") {
            $0.upstreamWebSocketURL = "ws://127.0.0.1:\(napcat.port)/"
            $0.upstreamToken = "up"
        }
        defer { Task { await harness.stop() } }
        try await BotConnectionsTests.waitUntil { harness.controller.sockets.isConnected }
        // The bridge can see the socket open before the server's handler has run and noted the header.
        try await BotConnectionsTests.waitUntil { received.withLock { !$0.isEmpty } }
        #expect(received.withLock { $0.first?.objectValue?["authorization"] } == "Bearer up")
        // The event the upstream pushed on connect is waiting for pollers.
        let polled = try await harness.call("get_latest_events", ["limit": 5, "timeout": 5])
        #expect(polled["data"]?.arrayValue?.first?.objectValue?["group_id"] == "123456")
        // While the socket is up, actions go over it rather than HTTP.
        let reply = try await harness.call("get_self_info")
        #expect(reply["data"]?.objectValue?["user_name"] == "ws")
        #expect(received.withLock { $0.contains { $0.objectValue?["action"] == "get_login_info" } })
    }

    @Test func upstreamHTTPPostEventsAreVerifiedAndDelivered() async throws {
        let harness = try await BridgeHarness.start(dialect: "napcat") { $0.upstreamPostSecret = "k" }
        defer { Task { await harness.stop() } }
        let body = BotConnectionsTests.groupMessage.jsonText
        let unsigned = try await harness.request(.POST, "/upstream/events", body: body, contentType: "application/json")
        #expect(unsigned.status == 401)
        let signature = "sha1=" + EventPoster.signature(Array(body.utf8), secret: "k")
        let signed = try await harness.request(.POST, "/upstream/events", body: body, contentType: "application/json",
                                               headers: [("X-Signature", signature)])
        #expect(signed.status == 204)
        let polled = try await harness.call("get_latest_events", ["limit": 5])
        #expect(polled["data"]?.arrayValue?.count == 1)
    }
}

// `@testable` for the two wire parsers, which are internal to the transport.
import BridgeCore
import BridgeMapping
import BridgeRuntime
@testable import BridgeTransport
import Hummingbird
import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOPosix
import Synchronization
import Testing

/// The hand-written HTTP/1.1 pieces of the hot path: the upstream response parser, the inline request
/// parser, and the front handler's hand-over to Hummingbird, over real sockets.
@Suite struct HTTPWireParsingTests {
    private func responses(_ chunks: [String], maximumBodySize: Int = 1 << 20) throws -> [HTTP1ResponseParser.Response] {
        var parser = HTTP1ResponseParser(maximumBodySize: maximumBodySize)
        var buffer = ByteBuffer()
        var found: [HTTP1ResponseParser.Response] = []
        for chunk in chunks {
            buffer.writeString(chunk)
            while let response = try parser.next(from: &buffer) { found.append(response) }
        }
        if let last = parser.finish(from: &buffer) { found.append(last) }
        return found
    }

    @Test func contentLengthBodiesSplitAnywhere() throws {
        let wire = "HTTP/1.1 200 OK\r\nContent-Length: 11\r\nContent-Type: application/json\r\n\r\n{\"a\":\"bcd\"}"
            + "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n"
        for cut in [1, 5, 17, 40, wire.utf8.count - 3] {
            let bytes = Array(wire.utf8)
            let found = try responses([String(decoding: bytes[..<cut], as: UTF8.self),
                                       String(decoding: bytes[cut...], as: UTF8.self)])
            #expect(found.map(\.status) == [200, 404])
            #expect(found.first.map { String(buffer: $0.body) } == "{\"a\":\"bcd\"}")
            #expect(found.allSatisfy { $0.keepAlive })
        }
    }

    @Test func chunkedBodiesWithExtensionsAndTrailers() throws {
        let found = try responses(["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\n{\"a\"\r\n",
                                   "3\r\n:1}\r\n0\r\nX-Trailer: y\r\n\r\n"])
        #expect(found.count == 1 && String(buffer: found[0].body) == "{\"a\":1}")
    }

    @Test func interimClosingAndUntilCloseResponses() throws {
        let interim = try responses(["HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"])
        #expect(interim.map(\.status) == [200])
        let closing = try responses(["HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}"])
        #expect(closing.first?.keepAlive == false)
        let legacy = try responses(["HTTP/1.0 200 OK\r\n\r\n{\"x\":", "1}"])
        #expect(legacy.count == 1 && legacy[0].keepAlive == false && String(buffer: legacy[0].body) == "{\"x\":1}")
    }

    @Test func garbageIsRefused() {
        #expect(throws: HTTP1ResponseParser.ParseError.self) { try responses(["SSH-2.0-OpenSSH\r\n\r\n"]) }
        #expect(throws: HTTP1ResponseParser.ParseError.self) {
            try responses(["HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}"])
        }
        #expect(throws: HTTP1ResponseParser.ParseError.tooLarge) {
            try responses(["HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"], maximumBodySize: 10)
        }
        #expect(throws: HTTP1ResponseParser.ParseError.self) {
            try responses(["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"])
        }
    }

    private func parse(_ text: String) -> InlineRequestParser.Outcome {
        let routes = ["/v12", "/"].map { InlineRoute(path: $0) { _, _, _, _ in } }
        return InlineRequestParser.parse(ByteBuffer(string: text), routes: routes, maximumBodySize: 1 << 10)
    }

    @Test func inlineRequestsAreReadWhole() {
        let wire = "POST /v12?access_token=t HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\n"
            + "Authorization: Bearer k\r\nContent-Length: 2\r\n\r\n{}"
        guard case .request(let request, _, let body, let length) = parse(wire + "POST /v12 HTTP/1.1\r\n") else {
            Issue.record("not read")
            return
        }
        #expect(request.path == "/v12" && request.query == "access_token=t")
        #expect(request.contentType == "application/json" && request.authorization == "Bearer k" && !request.closes)
        #expect(String(buffer: body) == "{}" && length == wire.utf8.count)
        guard case .needMore = parse(String(wire.dropLast())) else { Issue.record("a short body must wait"); return }
        guard case .request(let old, _, _, _) = parse("POST / HTTP/1.0\r\nContent-Length: 0\r\n\r\n") else {
            Issue.record("HTTP/1.0 not read"); return
        }
        #expect(old.closes)
    }

    @Test func everythingElseIsHandedOver() {
        for wire in ["GET /v12 HTTP/1.1\r\n\r\n", "POST /v11/send_like HTTP/1.1\r\nContent-Length: 0\r\n\r\n",
                     "post /v12 HTTP/1.1\r\n\r\n",
                     "POST /v12 HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
                     "POST /v12 HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n",
                     "POST /v12 HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
                     "POST /v12 HTTP/1.1\r\nContent-Length: 5000\r\n\r\n",
                     "POST /v12 HTTP/2.0\r\n\r\n", "garbage\r\n\r\n"] {
            guard case .notMine = parse(wire) else { Issue.record("took \(wire.debugDescription)"); return }
        }
    }
}

/// The front handler against a running bridge, over raw TCP: pipelining, hand-over, closing.
@Suite(.serialized) struct InlineFrontHandlerTests {
    /// Writes `wire` on a new connection and reads `count` responses (or until the server closes).
    private func exchange(port: Int, _ wire: String, count: Int) async throws -> [HTTP1ResponseParser.Response] {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: wire))
            var parser = HTTP1ResponseParser(maximumBodySize: 1 << 24)
            var buffer = ByteBuffer()
            var found: [HTTP1ResponseParser.Response] = []
            for try await var bytes in inbound {
                buffer.writeBuffer(&bytes)
                while let response = try parser.next(from: &buffer) { found.append(response) }
                if found.count >= count { break }
            }
            return found
        }
    }

    private func post(_ body: String, path: String = "/v12", extra: String = "") -> String {
        "POST \(path) HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\(extra)Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
    }

    @Test func pipelinedRequestsAnswerInOrderThenHandOver() async throws {
        let harness = try await BridgeHarness.start(dialect: "napcat")
        defer { Task { await harness.stop() } }
        let wire = post(#"{"action":"get_self_info","params":{},"echo":1}"#)
            + post(#"{"action":"get_version","params":{},"echo":2}"#)
            + "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
            + post(#"{"action":"get_self_info","params":{},"echo":3}"#)
        let found = try await exchange(port: harness.bridge.port, wire, count: 4)
        #expect(found.map(\.status) == [200, 200, 200, 200])
        let bodies = found.compactMap { try? HTTPParams.json($0.body).objectValue }
        #expect(bodies.map { $0["echo"] } == [1, 2, nil, 3])
        #expect(bodies[0]["data"]?.objectValue?["user_id"] == "2854196310")
        #expect(bodies[2]["status"] == "ok")  // /healthz, answered by Hummingbird after the hand-over
    }

    @Test func closeAndTokenRulesHoldInline() async throws {
        let harness = try await BridgeHarness.start(dialect: "napcat", accessToken: "k")
        defer { Task { await harness.stop() } }
        let refused = try await exchange(port: harness.bridge.port, post("{}"), count: 1)
        #expect(refused.first?.status == 401)
        let closing = try await exchange(
            port: harness.bridge.port,
            post(#"{"action":"get_version","params":{}}"#, path: "/v12?access_token=k", extra: "Connection: close\r\n")
                + post(#"{"action":"get_version","params":{}}"#),
            count: 2)
        // One answer, then the server closed: the second request was never answered.
        #expect(closing.count == 1 && closing[0].status == 200 && !closing[0].keepAlive)
    }

    @Test func chunkedUpstreamRepliesAreRead() async throws {
        let router = Router()
        router.post("get_login_info") { _, _ in
            // No length: Hummingbird sends this chunked.
            Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: #"{"status":"ok","retcode":0,"#))
                try await writer.write(ByteBuffer(string: #""data":{"user_id":42,"nickname":"n"}}"#))
                try await writer.finish(nil)
            })
        }
        let upstream = try await RunningServer.start { onRunning in
            Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                        onServerRunning: { await onRunning($0.localAddress?.port ?? 0) }, logger: BridgeHarness.logger)
        }
        var configuration = BridgeConfiguration()
        configuration.upstreamURL = "http://127.0.0.1:\(upstream.port)"
        configuration.upstreamDialect = "napcat"
        let harness = try await BridgeHarness.start(configuration: configuration, upstream: upstream)
        defer { Task { await harness.stop() } }
        for _ in 0..<3 {  // the same keep-alive connection, reused
            let reply = try await harness.call("get_self_info")
            #expect(reply["retcode"] == 0 && reply["data"]?.objectValue?["user_id"] == "42")
        }
    }
}

/// What the handlers behind the front handler (Hummingbird's) see of a connection it answered alone.
@Suite struct InlineFrontHandlerEventTests {
    final class EventRecorder: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        var events: [String] = []
        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if let event = event as? ChannelEvent, event == .inputClosed { events.append("inputClosed") }
            context.fireUserInboundEventTriggered(event)
        }
        func channelInactive(context: ChannelHandlerContext) {
            events.append("inactive")
            context.fireChannelInactive()
        }
    }

    /// Hummingbird's upgrade handler reports a torn-down connection that never reached it as an error
    /// unless it was told the input closed first: once per closed keep-alive connection under load.
    @Test func aConnectionNeverHandedOverEndsAsInputClosed() throws {
        let recorder = EventRecorder()
        let channel = EmbeddedChannel(handlers: [InlineHTTPFrontHandler(routes: []), recorder])
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        try channel.close().wait()
        #expect(recorder.events == ["inputClosed", "inactive"])
    }

    @Test func aHandedOverConnectionIsLeftToHummingbird() throws {
        let recorder = EventRecorder()
        let channel = EmbeddedChannel(handlers: [InlineHTTPFrontHandler(routes: []), recorder])
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        try channel.writeInbound(ByteBuffer(string: "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"))
        try channel.close().wait()
        #expect(recorder.events == ["inactive"])
    }
}

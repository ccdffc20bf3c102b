import BridgeCore
import BridgeRuntime
import NIOCore
import NIOHTTP1
import NIOPosix
import Testing

/// An upstream that answers the first request on each connection and closes the connection on the
/// second without a reply: what a keep-alive close crossing the next request looks like.
private final class AnswerOnceHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart
    private var answered = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .end = unwrapInboundIn(data) else { return }
        if answered { return context.close(promise: nil) }
        answered = true
        let body = ByteBuffer(string: #"{"status":"ok","retcode":0,"data":{"user_id":42,"nickname":"n"}}"#)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}

@Suite struct StaleKeepAliveTests {
    @Test func aReusedConnectionClosedBeforeReplyingIsRetriedOnce() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(AnswerOnceHandler())
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        defer { server.close(promise: nil) }
        var configuration = BridgeConfiguration()
        configuration.upstreamURL = "http://127.0.0.1:\(server.localAddress?.port ?? 0)"
        configuration.upstreamDialect = "napcat"
        let harness = try await BridgeHarness.start(configuration: configuration)
        defer { Task { await harness.stop() } }
        for _ in 0..<4 {
            let reply = try await harness.call("get_self_info")
            #expect(reply["retcode"] == 0 && reply["data"]?.objectValue?["user_id"] == "42")
        }
    }
}

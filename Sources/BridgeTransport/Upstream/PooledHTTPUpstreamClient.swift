import BridgeCore
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// A lean OneBot 11 HTTP client for `http://` upstreams: keep-alive HTTP/1.1 connections in a pool,
/// one request in flight per connection, each call with its own deadline, connections kept per event loop.
///
/// Written by hand for speed, and measured first: on this project's 2-core machine AsyncHTTPClient
/// cost about 190 µs of CPU per call (URL parsing, tracing spans, request state machines, two
/// executor hops), which capped the bridge at 4k calls/s where the server side alone does 15k.
/// It speaks only what a OneBot 11 API needs: POST, a JSON body, a complete response. `https://`
/// upstreams still go through `HTTPUpstreamClient` (AsyncHTTPClient).
package final class PooledHTTPUpstreamClient: UpstreamClient, Sendable {
    package let configuration: HTTPUpstreamClient.Configuration
    private let host: String
    private let port: Int
    /// The base URL's path, as bytes for the request line.
    private let pathPrefix: [UInt8]
    /// Every header line but the length, rendered once: a request is the request line, these, the length, the body.
    private let headers: [UInt8]
    private let group: any EventLoopGroup
    /// Idle keep-alive connections per event loop, so a call made on a loop reuses a connection of that
    /// loop and never hops threads.
    private let idle = Mutex<[ObjectIdentifier: [Connection]]>([:])
    /// Idle connections kept per loop beyond this are closed; more may be open while calls are in flight.
    private let maximumIdle = 64

    /// Throws `UpstreamError.connectFailed` when `baseURL` is not an `http://host[:port][/path]` URL.
    package init(configuration: HTTPUpstreamClient.Configuration,
                 group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws(UpstreamError) {
        guard let target = UpstreamURL(configuration.baseURL) else {
            throw .connectFailed(action: "-", reason: "'\(configuration.baseURL)' is not an http:// URL")
        }
        self.configuration = configuration
        self.host = target.host
        self.port = target.port
        self.pathPrefix = Array(target.path.utf8)
        self.group = group
        var headers = "Host: " + (target.port == 80 ? target.host : "\(target.host):\(target.port)") + "\r\n"
        headers += "Content-Type: application/json\r\nUser-Agent: onebot-bridge/\(BridgeInfo.version)\r\n"
        if !configuration.token.isEmpty {
            headers += "Authorization: \(configuration.authScheme) \(configuration.token)\r\n"
        }
        self.headers = Array((headers + "Content-Length: ").utf8)
    }

    package func send(_ call: UpstreamCall) async throws(UpstreamError) -> JSONValue {
        let eventLoop = group.any()
        let result = await withCheckedContinuation { continuation in
            exchange(call, on: eventLoop) { continuation.resume(returning: $0) }
        }
        return try result.get().envelope()
    }

    package func send(_ call: UpstreamCall, on eventLoop: any EventLoop, completion: @escaping UpstreamCompletion) -> Bool {
        exchange(call, on: eventLoop, completion: completion)
        return true
    }

    /// A keep-alive connection and its exchange handler, usable only on the connection's event loop.
    private struct Connection: Sendable {
        var channel: any Channel
        var handler: NIOLoopBound<UpstreamExchangeHandler>
    }

    /// One call on a connection of `eventLoop`; `completion` runs once, on that loop.
    private func exchange(_ call: UpstreamCall, on eventLoop: any EventLoop, completion: @escaping UpstreamCompletion) {
        let request = PendingRequest(bytes: render(call), action: call.action, completion: completion)
        if eventLoop.inEventLoop {
            begin(request, on: eventLoop)
        } else {
            eventLoop.execute { self.begin(request, on: eventLoop) }
        }
    }

    /// Runs on `eventLoop`: an idle connection of it, or a new one.
    private func begin(_ request: PendingRequest, on eventLoop: any EventLoop, reuse: Bool = true) {
        if reuse, let connection = idleConnection(on: eventLoop) {
            start(request, on: connection, reused: true)
        } else {
            connect(on: eventLoop, action: request.action).whenComplete { result in
                switch result {
                case .success(let connection): self.start(request, on: connection, reused: false)
                case .failure(let error):
                    request.completion(.failure(error as? UpstreamError ?? .connectFailed(action: request.action, reason: "\(error)")))
                }
            }
        }
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)
    private static let requestLineStart = Array("POST ".utf8)
    private static let requestLineEnd = Array(" HTTP/1.1\r\n".utf8)
    private static let blankLine = Array("\r\n\r\n".utf8)

    /// `POST <prefix>/<action> HTTP/1.1`, the fixed headers, the length and the JSON body, in one buffer.
    private func render(_ call: UpstreamCall) -> ByteBuffer {
        // The body is serialized once and copied once, into the request's buffer behind the head.
        call.body.withSerialized { (body: UnsafeBufferPointer<UInt8>) -> ByteBuffer in
            let action = call.action.utf8
            let head: Int = Self.requestLineStart.count + pathPrefix.count + 1 + action.count * 3
            let capacity: Int = head + Self.requestLineEnd.count + headers.count + 20 + 4 + body.count
            return ByteBuffer.written(capacity: capacity) { out in
                out.put(Self.requestLineStart)
                out.put(pathPrefix)
                out.put(UInt8(ascii: "/"))
                // Action names come from clients (unknown ones pass through): percent-encode all but safe path bytes.
                for byte in action {
                    switch byte {
                    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                         UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"),
                         UInt8(ascii: "~"):
                        out.put(byte)
                    default:
                        out.put(UInt8(ascii: "%"))
                        out.put(Self.hexDigits[Int(byte >> 4)])
                        out.put(Self.hexDigits[Int(byte & 15)])
                    }
                }
                out.put(Self.requestLineEnd)
                out.put(headers)
                out.putDecimal(body.count)
                out.put(Self.blankLine)
                out.put(body)
            }
        }
    }

    private struct PendingRequest: Sendable {
        var bytes: ByteBuffer
        var action: String
        var completion: UpstreamCompletion
    }

    /// Runs on the connection's event loop. A reused connection that the server closed before replying is
    /// retried once on a new one: servers close idle keep-alive connections (Node's default is after 5 s,
    /// and NapCat runs on Node), and that close can cross the next request on the wire. Nothing was
    /// answered, so the server did not act on it; the same rule as Go's HTTP client.
    private func start(_ request: PendingRequest, on connection: Connection, reused: Bool) {
        let timeout = configuration.timeoutMilliseconds
        // Only `request` is captured, not its action and completion as well: each capture is a retain and a
        // release per call.
        let exchange = UpstreamExchange(request: request.bytes, deadline: .now() + .milliseconds(timeout)) { result in
            switch result {
            case .success(let reply):
                if reply.keepAlive { self.release(connection) } else { connection.channel.close(promise: nil) }
                request.completion(Result { () throws(UpstreamError) in
                    try HTTPUpstreamClient.successBody(status: reply.status, body: reply.body, action: request.action)
                })
            case .failure(UpstreamExchangeError.closedBeforeReply) where reused:
                self.begin(request, on: connection.channel.eventLoop, reuse: false)
            case .failure(UpstreamExchangeError.timedOut):
                request.completion(.failure(.timedOut(action: request.action, afterMilliseconds: timeout)))
            case .failure(let error):
                let reason = "connection lost: \(error)"
                request.completion(.failure(.connectFailed(action: request.action, reason: reason)))
            }
        }
        connection.handler.value.start(exchange)
    }

    /// An idle, still open connection of `eventLoop`.
    private func idleConnection(on eventLoop: any EventLoop) -> Connection? {
        let key = ObjectIdentifier(eventLoop)
        while let connection = idle.withLock({ $0[key]?.popLast() }) {
            if connection.channel.isActive { return connection }
        }
        return nil
    }

    private func connect(on eventLoop: any EventLoop, action: String) -> EventLoopFuture<Connection> {
        ClientBootstrap(group: eventLoop)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connectTimeout(.milliseconds(min(configuration.timeoutMilliseconds, 5_000)))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(UpstreamExchangeHandler())
                }
            }
            .connect(host: host, port: port)
            .flatMapThrowing { channel in
                let handler = try channel.pipeline.syncOperations.handler(type: UpstreamExchangeHandler.self)
                return Connection(channel: channel, handler: NIOLoopBound(handler, eventLoop: channel.eventLoop))
            }
            .flatMapErrorThrowing { error in throw UpstreamError.connectFailed(action: action, reason: "\(error)") }
    }

    private func release(_ connection: Connection) {
        let key = ObjectIdentifier(connection.channel.eventLoop)
        let kept = idle.withLock { pools -> Bool in
            guard pools[key, default: []].count < maximumIdle else { return false }
            pools[key, default: []].append(connection)
            return true
        }
        if !kept { connection.channel.close(promise: nil) }
    }

    deinit {
        shutdown()
    }

    /// Closes every idle connection.
    package func shutdown() {
        for connection in idle.withLock({ pools in defer { pools.removeAll() }; return pools.values.flatMap { $0 } }) {
            connection.channel.close(promise: nil)
        }
    }
}

/// `http://host[:port][/path]`, split once at start-up instead of per call.
struct UpstreamURL {
    var host: String
    var port: Int
    var path: String

    init?(_ text: String) {
        guard text.hasPrefix("http://") else { return nil }
        let rest = text.dropFirst("http://".count)
        let authority = rest.prefix { $0 != "/" }
        path = String(rest.dropFirst(authority.count))
        if path.hasSuffix("/") { path.removeLast() }
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            guard let number = Int(authority[authority.index(after: colon)...]) else { return nil }
            host = String(authority[..<colon])
            port = number
        } else {
            host = String(authority)
            port = 80
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
    }
}

import BridgeCore
import Hummingbird
import HummingbirdWSClient
import Logging
import Synchronization

/// The bridge dialing the upstream's forward WebSocket server (NapCat's or Lagrange's `ws` server,
/// OB11 §5.1): actions and events share the socket. Redials with backoff and jitter until cancelled.
package struct UpstreamWebSocketDialer: Sendable {
    package var url: String
    /// `Authorization` value, with the dialect's word (dialects.md §2.1); nil when no token is set.
    package var authorization: String?
    package var reconnectIntervalMilliseconds: Int64

    package init(url: String, authorization: String?, reconnectIntervalMilliseconds: Int64) {
        self.url = url
        self.authorization = authorization
        self.reconnectIntervalMilliseconds = reconnectIntervalMilliseconds
    }

    package func run(sockets: UpstreamSockets, hub: EventHub, logger: Logger) async {
        var fields = HTTPFields()
        if let authorization { fields[.authorization] = authorization }
        let configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 24, additionalHeaders: fields)
        var failures: Int64 = 0
        let connected = Mutex(false)
        while !Task.isCancelled {
            do {
                connected.withLock { $0 = false }
                try await WebSocketClient.connect(url: url, configuration: configuration, logger: logger) { inbound, outbound, _ in
                    connected.withLock { $0 = true }
                    try await WebSocketFaces.pumpUpstream(inbound: inbound, outbound: outbound, selfID: nil, role: "Universal",
                                                          sockets: sockets, hub: hub, logger: logger)
                }
                failures = 0
            } catch {
                failures = connected.withLock { $0 } ? 1 : failures + 1
                logger.info("upstream WebSocket unreachable; retrying", metadata: ["bridge.url": "\(url)", "error.message": "\(error)"])
            }
            let base = reconnectIntervalMilliseconds * min(max(failures, 1), 10)
            let jitter = Int64.random(in: -(base / 5)...(base / 5))
            try? await Task.sleep(for: .milliseconds(max(base + jitter, 50)))
        }
    }
}

/// The upstream's HTTP POST event reporting (OB11 §4) arriving at `/upstream/events`.
package enum UpstreamEventReceiver {
    /// Checks `X-Signature` when a secret is set (NapCat signs with its access token, others with
    /// `secret`; dialects.md §2.1), then hands the event to the hub. Answers 204: bots answer events
    /// with actions of their own, so the bridge asks the upstream for no quick operation.
    package static func register(on router: Router<some RequestContext>, path: RouterPath, secret: String, hub: EventHub) {
        router.post(path) { request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: HTTPParams.maximumBodySize)
            if !secret.isEmpty {
                let given = request.headers[.init("X-Signature")!] ?? ""
                let expected = "sha1=" + EventPoster.signature(Array(buffer: body), secret: secret)
                guard AccessToken.constantTimeEqual(given.lowercased(), expected) else {
                    return .text("X-Signature does not match", status: .unauthorized)
                }
            }
            guard case .object(let event) = try? HTTPParams.json(body), event["post_type"] != nil else {
                return .text("the body is not a OneBot 11 event", status: .badRequest)
            }
            hub.publish(.object(event), raw: body)
            await hub.makeRoom()
            return Response(status: .noContent)
        }
    }
}

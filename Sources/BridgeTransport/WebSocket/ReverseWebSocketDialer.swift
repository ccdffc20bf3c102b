import BridgeCore
import Hummingbird
import HummingbirdWSClient
import Logging
import Synchronization

/// The bridge dialing a bot's WebSocket server (OB12 §2.4, OB11 §5.2 "reverse WebSocket"), and
/// dialing again after every disconnect until it is cancelled.
package struct ReverseWebSocketDialer: Sendable {
    package var url: String
    /// Asked again before every dial: OB11's `X-Self-ID` is known only once the upstream has answered.
    package var headers: @Sendable () async -> [(String, String)]
    package var face: WebSocketFaces.ClientFace
    /// OB12's `reconnect_interval`; the wait doubles on repeated failures, up to 10×, with ±20 % jitter
    /// so that many bridges restarted together do not reconnect in lockstep.
    package var reconnectIntervalMilliseconds: Int64

    package init(url: String, headers: @escaping @Sendable () async -> [(String, String)], face: WebSocketFaces.ClientFace,
                 reconnectIntervalMilliseconds: Int64) {
        self.url = url
        self.headers = headers
        self.face = face
        self.reconnectIntervalMilliseconds = reconnectIntervalMilliseconds
    }

    package func run(hub: EventHub, logger: Logger) async {
        var failures: Int64 = 0
        let connected = Mutex(false)
        while !Task.isCancelled {
            var fields = HTTPFields()
            for (name, value) in await headers() { if let field = HTTPFields.Element.Name(name) { fields[field] = value } }
            let configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 24, additionalHeaders: fields)
            do {
                connected.withLock { $0 = false }
                try await WebSocketClient.connect(url: url, configuration: configuration, logger: logger) { inbound, outbound, _ in
                    connected.withLock { $0 = true }
                    try await WebSocketFaces.serve(face, inbound: inbound, outbound: outbound, hub: hub,
                                                   resumeKey: "dialed:\(url)", logger: logger)
                }
                failures = 0
            } catch {
                // A session that connected and then dropped starts the backoff over.
                failures = connected.withLock { $0 } ? 1 : failures + 1
                logger.info("reverse WebSocket to the bot failed; retrying",
                            metadata: ["bridge.url": "\(url)", "error.message": "\(error)"])
            }
            let base = reconnectIntervalMilliseconds * min(max(failures, 1), 10)
            let jitter = Int64.random(in: -(base / 5)...(base / 5))
            try? await Task.sleep(for: .milliseconds(max(base + jitter, 50)))
        }
    }
}

import AsyncHTTPClient
import BridgeCore
import Crypto
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// POSTs every event to a bot: OB12's HTTP webhook (§2.2) or OB11's HTTP POST reporting (§4).
///
/// A bot that answers does more: an OB12 webhook's 200 body is a list of actions to run, an OB11
/// reply object is a quick operation. Failures are logged, counted and never retried (the specs say
/// a failed push is dropped), so one slow bot cannot hold events back from the others.
package struct EventPoster: Sendable {
    package enum Style: Sendable {
        case onebot12Webhook
        case onebot11Post(secret: String)
    }

    package var url: String
    package var style: Style
    /// Asked for each post: OB11's `X-Self-ID` becomes known only once the upstream has answered.
    package var headers: @Sendable () -> [(String, String)]
    package var timeoutMilliseconds: Int64
    package var face: WebSocketFaces.ClientFace
    /// Runs the quick operation an OB11 bot answered with, for the event it answered.
    package var quickOperation: @Sendable (JSONObject, JSONObject) async -> Void

    package init(url: String, style: Style, headers: @escaping @Sendable () -> [(String, String)], timeoutMilliseconds: Int64,
                 face: WebSocketFaces.ClientFace, quickOperation: @escaping @Sendable (JSONObject, JSONObject) async -> Void) {
        self.url = url
        self.style = style
        self.headers = headers
        self.timeoutMilliseconds = timeoutMilliseconds
        self.face = face
        self.quickOperation = quickOperation
    }

    package func run(hub: EventHub, client: HTTPClient, logger: Logger) async {
        let (id, queue) = hub.subscribe(face.interest)
        defer { hub.unsubscribe(id) }
        while let event = await queue.next() {
            do {
                try await post(event, client: client, logger: logger)
            } catch {
                logger.warning("event push failed", metadata: ["bridge.url": "\(url)", "error.message": "\(error)"])
            }
        }
    }

    private func post(_ event: ByteBuffer, client: HTTPClient, logger: Logger) async throws {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers() { request.headers.add(name: name, value: value) }
        request.headers.add(name: "Content-Type", value: "application/json")
        if case .onebot11Post(let secret) = style, !secret.isEmpty {
            request.headers.add(name: "X-Signature", value: "sha1=" + Self.signature(Array(event.readableBytesView), secret: secret))
        }
        request.body = .bytes(event)
        let response = try await client.execute(request, timeout: .milliseconds(timeoutMilliseconds))
        let reply = try await response.body.collect(upTo: 1 << 22)
        guard response.status == .ok, reply.readableBytes > 0, let answer = try? HTTPParams.json(reply) else { return }
        switch style {
        case .onebot12Webhook:
            // OB12 §2.2: a list of action requests, run in order, responses discarded.
            for action in answer.arrayValue ?? [] { _ = await face.answer(action) }
        case .onebot11Post:
            guard case .object(let operation) = answer, case .object(let original)? = try? HTTPParams.json(event) else { return }
            await quickOperation(original, operation)
        }
    }

    /// `X-Signature`: lowercase hex HMAC-SHA1 of the exact body bytes (OB11 §4).
    package static func signature(_ body: [UInt8], secret: String) -> String {
        let code = HMAC<Insecure.SHA1>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8)))
        return code.map { String(format: "%02x", $0) }.joined()
    }
}

import BridgeCore
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOWebSocket

/// The WebSocket endpoints: clients' forward WebSocket faces and the upstream's reverse WebSocket.
package enum WebSocketFaces {
    /// Frames larger than this close the connection; OneBot frames are kilobytes.
    static let maximumFrame = 16 << 20

    /// The upstream (NapCat, Lagrange, go-cqhttp …) dials here (OB11 §5.2): events in, actions out.
    package static func registerUpstream(on router: Router<BasicWebSocketRequestContext>, path: RouterPath,
                                         token: AccessToken, sockets: UpstreamSockets, hub: EventHub, logger: Logger) {
        router.ws(path, shouldUpgrade: { request, _ in
            try requireUpgrade(request)
            // Upstreams send `Bearer`, `Token` (go-cqhttp, CQHTTP) or the query parameter.
            guard token.verify(request, scheme: .coolq) == .accepted else { throw HTTPError(.unauthorized) }
            return .upgrade([:])
        }, onUpgrade: { inbound, outbound, context in
            let headers = context.request.headers
            let selfID = headers[values: .init("X-Self-ID")!].first
            let role = headers[values: .init("X-Client-Role")!].first ?? "Universal"
            try await pumpUpstream(inbound: inbound, outbound: outbound, selfID: selfID, role: role,
                                   sockets: sockets, hub: hub, logger: logger)
        })
    }

    /// One upstream connection, whichever side dialed: events go to the hub, replies to their callers.
    package static func pumpUpstream(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, selfID: String?,
                                     role: String, sockets: UpstreamSockets, hub: EventHub, logger: Logger) async throws {
        let id = sockets.attach(selfID: selfID, role: role) { text in try await outbound.write(.text(text)) }
        logger.info("upstream connected over WebSocket", metadata: ["bridge.self_id": "\(selfID ?? "?")", "bridge.role": "\(role)"])
        defer {
            sockets.detach(id)
            logger.info("upstream WebSocket closed", metadata: ["bridge.self_id": "\(selfID ?? "?")"])
        }
        for try await message in inbound.messages(maxSize: maximumFrame) {
            guard case .text(let text) = message, case .object(let frame) = try? JSONParser.parse(text) else { continue }
            if frame["post_type"] != nil {
                hub.publish(.object(frame), raw: ByteBuffer(string: text))
                await hub.makeRoom()
            } else if !sockets.receive(reply: frame) {
                logger.debug("upstream reply with no waiting call dropped")
            }
        }
    }

    /// What a client face needs to serve one dialect over WebSocket.
    package struct ClientFace: Sendable {
        package var interest: EventHub.Interest
        package var scheme: AccessToken.Scheme
        /// Sends events (false for OB11 `/api`).
        package var sendsEvents: Bool
        /// Answers actions (false for OB11 `/event`).
        package var answersActions: Bool
        /// The frames a new connection starts with (OB12 connect + status_update; OB11 lifecycle connect).
        package var greeting: @Sendable () async -> [JSONValue]
        /// Answers one action frame (already parsed) with a reply frame.
        package var answer: @Sendable (JSONValue) async -> JSONValue

        package init(interest: EventHub.Interest, scheme: AccessToken.Scheme, sendsEvents: Bool, answersActions: Bool,
                     greeting: @escaping @Sendable () async -> [JSONValue], answer: @escaping @Sendable (JSONValue) async -> JSONValue) {
            self.interest = interest
            self.scheme = scheme
            self.sendsEvents = sendsEvents
            self.answersActions = answersActions
            self.greeting = greeting
            self.answer = answer
        }
    }

    /// A forward WebSocket for bots (OB12 §2.3, OB11 §5.1): auth before the upgrade, a greeting, then
    /// events and action replies on one socket.
    package static func registerClient(on router: Router<BasicWebSocketRequestContext>, path: RouterPath,
                                       token: AccessToken, face: ClientFace, hub: EventHub, logger: Logger) {
        router.ws(path, shouldUpgrade: { request, _ in
            try requireUpgrade(request)
            guard token.verify(request, scheme: face.scheme) == .accepted else { throw HTTPError(.unauthorized) }
            return .upgrade([:])
        }, onUpgrade: { inbound, outbound, _ in
            try await serve(face, inbound: inbound, outbound: outbound, hub: hub,
                            resumeKey: "forward:\(face.interest.dialect):\(path)", logger: logger)
        })
    }

    /// One bot connection, whichever side dialed: the greeting, then events out and action replies,
    /// until the bot closes.
    ///
    /// `resumeKey` names the client across reconnects: events that arrive while it is away wait in its
    /// bounded queue and are delivered first when it is back.
    package static func serve(_ face: ClientFace, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter,
                              hub: EventHub, resumeKey: String, logger: Logger) async throws {
        let subscription = face.sendsEvents ? hub.subscribe(face.interest, resumeKey: resumeKey) : nil
        defer { subscription.map { hub.unsubscribe($0.id, keepsQueue: true) } }
        for frame in await face.greeting() { try await outbound.write(.text(frame.jsonText)) }
        logger.info("client connected over WebSocket", metadata: ["bridge.dialect": "\(face.interest.dialect)"])
        try await withThrowingTaskGroup(of: Void.self) { group in
            if let queue = subscription?.queue {
                group.addTask {
                    while let event = await queue.next() {
                        try await outbound.write(.custom(WebSocketFrame(fin: true, opcode: .text, data: event)))
                    }
                }
            }
            group.addTask {
                for try await message in inbound.messages(maxSize: maximumFrame) {
                    guard face.answersActions, case .text(let text) = message else { continue }
                    let frame: JSONValue
                    do { frame = try JSONParser.parse(text) } catch {
                        frame = .object(["__malformed": .string("\(error)")])
                    }
                    try await outbound.write(.text(await face.answer(frame).jsonText))
                }
            }
            // The reader ends when the client closes; then the event writer stops too.
            _ = try await group.next()
            group.cancelAll()
        }
        logger.info("client WebSocket closed", metadata: ["bridge.dialect": "\(face.interest.dialect)"])
    }

    private static func requireUpgrade(_ request: Request) throws {
        guard request.headers[.upgrade]?.lowercased() == "websocket" else {
            throw HTTPError(.methodNotAllowed, message: "this path takes POSTed actions or a WebSocket upgrade")
        }
    }
}

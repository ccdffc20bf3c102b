import BridgeCore
import Hummingbird
import NIOCore
import NIOPosix

/// The OneBot 12 HTTP face: `POST /v12` (and `POST /` when OB12 is the default dialect).
///
/// Statuses follow OB12 §2.1: 401 for a bad token, 415 for a body that is not JSON, 405 for other
/// methods; once the body is read every problem is a 200 with a retcode. Requests are normally answered
/// inline on the event loop (`inlineRoutes`); the router registration answers the same way for the
/// requests the inline path leaves to Hummingbird (`InlineHTTPFrontHandler`).
package struct OneBot12HTTPIngress: Sendable {
    let gateway: ActionGateway
    let token: AccessToken

    package init(gateway: ActionGateway, token: AccessToken) {
        self.gateway = gateway
        self.token = token
    }

    package func register(on router: Router<some RequestContext>, paths: [RouterPath]) {
        for path in paths {
            // GET on these paths is the forward WebSocket upgrade (WebSocketFaces).
            router.post(path) { request, _ in
                var request = request
                let inline = InlineRequest(method: "POST", target: request.uri.description[...],
                                           contentType: request.headers[.contentType],
                                           authorization: request.headers[.authorization], closes: false)
                let body: Result<ByteBuffer, any Error>
                do { body = .success(try await request.collectBody(upTo: HTTPParams.maximumBodySize)) } catch {
                    body = .failure(error)
                }
                return try await answer(inline, body: body, on: MultiThreadedEventLoopGroup.singleton.any())
                    .get().response
            }
        }
    }

    /// The same face as routes for `InlineHTTPFrontHandler`.
    package func inlineRoutes(paths: [String]) -> [InlineRoute] {
        paths.map { path in InlineRoute(path: path) { request, body, eventLoop in
            answer(request, body: .success(body), on: eventLoop)
        } }
    }

    /// The whole answer to one request, on `eventLoop`.
    func answer(_ request: InlineRequest, body: Result<ByteBuffer, any Error>, on eventLoop: any EventLoop)
        -> EventLoopFuture<FaceAnswer>
    {
        switch token.verify(authorization: request.authorization, query: request.query, scheme: .onebot12) {
        case .accepted: break
        case .missing, .wrong: return eventLoop.makeSucceededFuture(.text("access token missing or wrong", status: .unauthorized))
        }
        guard HTTPParams.mediaType(request.contentType) == "application/json" else {
            return eventLoop.makeSucceededFuture(
                .text("only Content-Type: application/json is supported", status: .unsupportedMediaType))
        }
        let envelope: JSONValue
        do {
            envelope = try HTTPParams.json(try body.get())
        } catch let error as JSONParseError {
            return eventLoop.makeSucceededFuture(.json(gateway.failure(.badRequest, message: error.description).envelope()))
        } catch {
            return eventLoop.makeSucceededFuture(
                .json(gateway.failure(.badRequest, message: "the request body could not be read: \(error)").envelope()))
        }
        let action: ActionRequest
        do {
            action = try ActionRequest(envelope: envelope, requiresParams: true)
        } catch {
            let echo = envelope.objectValue?["echo"]
            return eventLoop.makeSucceededFuture(.json(gateway.failure(error.kind, message: error.message, echo: echo).envelope()))
        }
        return gateway.respond(to: action, on: eventLoop).map { .json($0.envelope()) }
    }
}

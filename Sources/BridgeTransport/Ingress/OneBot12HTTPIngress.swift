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
                let inline = InlineRequest(target: request.uri.description[...],
                                           contentType: request.headers[.contentType],
                                           authorization: request.headers[.authorization], closes: false)
                let body: Result<ByteBuffer, any Error>
                do { body = .success(try await request.collectBody(upTo: HTTPParams.maximumBodySize)) } catch {
                    body = .failure(error)
                }
                let eventLoop = MultiThreadedEventLoopGroup.singleton.any()
                return await withCheckedContinuation { continuation in
                    eventLoop.execute { answer(inline, body: body, on: eventLoop) { continuation.resume(returning: $0) } }
                }.response
            }
        }
    }

    /// The same face as routes for `InlineHTTPFrontHandler`.
    package func inlineRoutes(paths: [String]) -> [InlineRoute] {
        paths.map { path in InlineRoute(path: path) { request, body, eventLoop, respond in
            answer(request, body: .success(body), on: eventLoop, respond: respond)
        } }
    }

    /// The whole answer to one request, given to `respond` on `eventLoop`.
    func answer(_ request: InlineRequest, body: Result<ByteBuffer, any Error>, on eventLoop: any EventLoop,
                respond: @escaping FaceAnswering) {
        switch token.verify(authorization: request.authorization, query: request.query, scheme: .onebot12) {
        case .accepted: break
        case .missing, .wrong: return respond(.text("access token missing or wrong", status: .unauthorized))
        }
        guard HTTPParams.mediaType(request.contentType) == "application/json" else {
            return respond(.text("only Content-Type: application/json is supported", status: .unsupportedMediaType))
        }
        let envelope: JSONValue
        do {
            envelope = try HTTPParams.json(try body.get())
        } catch let error as JSONParseError {
            return respond(.json(gateway.failure(.badRequest, message: error.description).envelope()))
        } catch {
            return respond(.json(gateway.failure(.badRequest, message: "the request body could not be read: \(error)").envelope()))
        }
        let action: ActionRequest
        do {
            action = try ActionRequest(envelope: envelope, requiresParams: true)
        } catch {
            let echo = envelope.objectValue?["echo"]
            return respond(.json(gateway.failure(error.kind, message: error.message, echo: echo).envelope()))
        }
        gateway.respond(to: action, on: eventLoop) { respond(.json($0)) }
    }
}

import BridgeCore
import Hummingbird
import Logging

/// The OneBot 12 HTTP face: `POST /v12` (and `POST /` when OB12 is the default dialect).
///
/// Statuses follow OB12 §2.1: 401 for a bad token, 415 for a body that is not JSON, 405 for other
/// methods; once the body is read every problem is a 200 with a retcode.
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
            router.post(path) { request, context in await handle(request, context: context) }
        }
    }

    func handle(_ request: Request, context: some RequestContext) async -> Response {
        switch token.verify(request, scheme: .onebot12) {
        case .accepted: break
        case .missing, .wrong: return .text("access token missing or wrong", status: .unauthorized)
        }
        guard HTTPParams.mediaType(request) == "application/json" else {
            return .text("only Content-Type: application/json is supported", status: .unsupportedMediaType)
        }
        let envelope: JSONValue
        do {
            var request = request
            let buffer = try await request.collectBody(upTo: HTTPParams.maximumBodySize)
            envelope = try HTTPParams.json(buffer)
        } catch let error as JSONParseError {
            return .json(gateway.failure(.badRequest, message: error.description).envelope())
        } catch {
            return .json(gateway.failure(.badRequest, message: "the request body could not be read: \(error)").envelope())
        }
        do {
            let actionRequest = try ActionRequest(envelope: envelope, requiresParams: true)
            return .json(await gateway.handle(actionRequest).envelope())
        } catch {
            let echo = envelope.objectValue?["echo"]
            return .json(gateway.failure(error.kind, message: error.message, echo: echo).envelope())
        }
    }
}

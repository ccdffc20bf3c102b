import BridgeCore
import Hummingbird
import Logging

/// The OneBot 11 and CoolQ HTTP faces: `GET|POST /<prefix>/<action>`, params from query, form or JSON.
///
/// Query and form values arrive as strings and become the types the tables declare. Handles the
/// `_async` and `_rate_limited` suffixes and `.handle_quick_operation` (OB11 §7).
package struct OneBot11HTTPIngress: Sendable {
    let gateway: ActionGateway
    let token: AccessToken
    let rules: HubFaceRules
    let queue: RateLimitedQueue

    package init(gateway: ActionGateway, token: AccessToken, rules: HubFaceRules, queue: RateLimitedQueue) {
        self.gateway = gateway
        self.token = token
        self.rules = rules
        self.queue = queue
    }

    /// Routes `<prefix>/:action` (prefix "" serves the root).
    package func register(on router: Router<some RequestContext>, prefix: String) {
        let path = RouterPath(prefix.isEmpty ? ":action" : "\(prefix)/:action")
        for method in [HTTPRequest.Method.get, .post] {
            router.on(path, method: method) { request, context in
                await handle(request, action: context.parameters.get("action") ?? "")
            }
        }
        for method in [HTTPRequest.Method.put, .delete, .patch] {
            router.on(path, method: method) { _, _ in Response.text("use GET or POST", status: .methodNotAllowed) }
        }
    }

    func handle(_ request: Request, action: String) async -> Response {
        switch token.verify(request, scheme: rules.tokenScheme) {
        case .accepted: break
        case .missing: return .text("access token required", status: rules.missingTokenStatus)
        case .wrong: return .text("access token wrong", status: rules.wrongTokenStatus)
        }
        let params: JSONObject
        switch await Self.params(of: request) {
        case .success(let value): params = value
        case .failure(.badContentType): return .text("unsupported Content-Type", status: rules.badContentTypeStatus)
        case .failure(.badBody(let reason)): return .text(reason, status: .badRequest)
        }
        // Several accounts: OB11 names one by X-Self-ID (or a `self_id` param).
        let selfID = request.headers[.init("X-Self-ID")!]
        return respond(to: await run(action: action, params: params, selfID: selfID))
    }

    /// Runs one call, honouring the OB11 action suffixes.
    package func run(action: String, params: JSONObject, selfID: String? = nil) async -> ActionResponse {
        if action == ".handle_quick_operation" { return await quickOperation(params) }
        var params = params
        let named = params.removeValue(forKey: "self_id").flatMap { ValueType.string.converted($0)?.stringValue } ?? selfID
        let account: JSONValue? = named.map { ["platform": "qq", "user_id": .string($0)] }
        if let base = action.strippingSuffix("_async") {
            let request = ActionRequest(action: base, params: params, selfObject: account)
            Task { [gateway] in _ = await gateway.handle(request, acceptsStringParams: true) }
            return .accepted
        }
        if let base = action.strippingSuffix("_rate_limited") {
            let request = ActionRequest(action: base, params: params, selfObject: account)
            queue.enqueue { [gateway] in _ = await gateway.handle(request, acceptsStringParams: true) }
            return .accepted
        }
        return await gateway.handle(ActionRequest(action: action, params: params, selfObject: account), acceptsStringParams: true)
    }

    private func quickOperation(_ params: JSONObject) async -> ActionResponse {
        guard case .object(let event)? = params["context"], case .object(let operation)? = params["operation"] else {
            return gateway.failure(.badParam, message: ".handle_quick_operation needs 'context' and 'operation' objects")
        }
        do {
            for request in try QuickOperation.actions(event: event, operation: operation) {
                let response = await gateway.handle(request, acceptsStringParams: true)
                if response.status == "failed" { return response }
            }
            return .ok(.null, echo: nil)
        } catch {
            return gateway.failure(error.kind, message: error.message)
        }
    }

    private func respond(to response: ActionResponse) -> Response {
        if let kind = response.failure, let status = rules.statusForKind[kind] {
            return .text(response.message, status: status)
        }
        return .json(response.envelope())
    }

    enum ParamsFailure: Error {
        case badContentType
        case badBody(String)
    }

    /// Query params, overlaid by a JSON or form body (OB11 §2).
    static func params(of request: Request) async -> Result<JSONObject, ParamsFailure> {
        var params = HTTPParams.query(request)
        guard request.method == .post else { return .success(params) }
        var request = request
        guard let body = try? await request.collectBody(upTo: HTTPParams.maximumBodySize) else {
            return .failure(.badBody("request body too large or unreadable"))
        }
        guard body.readableBytes > 0 else { return .success(params) }
        switch HTTPParams.mediaType(request) {
        case "application/json":
            guard case .object(let object) = try? HTTPParams.json(body) else {
                return .failure(.badBody("the body is not a JSON object"))
            }
            for entry in object.entries { params[entry.key] = entry.value }
        case "application/x-www-form-urlencoded":
            for entry in HTTPParams.form(Substring(String(buffer: body))).entries { params[entry.key] = entry.value }
        default:
            return .failure(.badContentType)
        }
        return .success(params)
    }
}

extension String {
    /// The string without `suffix`, or nil when it does not end with it (or is only the suffix).
    func strippingSuffix(_ suffix: String) -> String? {
        guard hasSuffix(suffix), count > suffix.count else { return nil }
        return String(dropLast(suffix.count))
    }
}

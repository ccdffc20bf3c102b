/// A translated request ready for the upstream, plus what is needed to translate its answer.
struct UpstreamCall: Sendable, Equatable {
    var action: String
    var params: JSONObject
    var route: Route
    /// The client action's plan-level response operations.
    var responseOps: FieldOps
    /// The client's action name and echo, for the reply.
    var clientAction: String
    var echo: JSONValue?

    /// The OB11 HTTP body: params at the JSON root.
    var body: JSONValue { .object(params) }

    /// The OB11 WebSocket frame: `{"action","params","echo"}` with the bridge's own echo.
    func frame(echo bridgeEcho: JSONValue) -> JSONValue {
        .object(JSONObject([.init(key: "action", value: .string(action)),
                            .init(key: "params", value: .object(params)),
                            .init(key: "echo", value: bridgeEcho)]))
    }
}

/// What the translator decided for a request.
enum RequestOutcome: Sendable, Equatable {
    /// Send this to the upstream, then pass its answer to `Translator.translatedResponse`.
    case forward(UpstreamCall)
    /// Answer the client now; nothing goes upstream.
    case answer(ActionResponse)
}

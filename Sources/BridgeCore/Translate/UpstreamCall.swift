/// A translated request ready for the upstream, plus what is needed to translate its answer.
package struct UpstreamCall: Sendable, Equatable {
    package var action: String
    package var params: JSONObject
    package var route: Route
    /// The client action's plan-level response operations.
    package var responseOps: FieldOps
    /// The client's action name and echo, for the reply.
    package var clientAction: String
    package var echo: JSONValue?
    /// The bot account this call is for, when several share the bridge; nil for the only one.
    package var selfID: String?

    package init(action: String, params: JSONObject, route: Route, responseOps: FieldOps, clientAction: String,
                 echo: JSONValue?) {
        self.action = action
        self.params = params
        self.route = route
        self.responseOps = responseOps
        self.clientAction = clientAction
        self.echo = echo
    }

    /// The OB11 HTTP body: params at the JSON root.
    package var body: JSONValue { .object(params) }

    /// The OB11 WebSocket frame: `{"action","params","echo"}` with the bridge's own echo.
    package func frame(echo bridgeEcho: JSONValue) -> JSONValue {
        .object(JSONObject([.init(key: "action", value: .string(action)),
                            .init(key: "params", value: .object(params)),
                            .init(key: "echo", value: bridgeEcho)]))
    }
}

/// What the translator decided for a request.
package enum RequestOutcome: Sendable, Equatable {
    /// Send this to the upstream, then pass its answer to `Translator.translatedResponse`.
    case forward(UpstreamCall)
    /// Answer the client now; nothing goes upstream.
    case answer(ActionResponse)
}

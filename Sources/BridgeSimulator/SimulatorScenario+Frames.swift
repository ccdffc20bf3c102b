import BridgeCore

extension SimulatorScenario {
    /// The frame this dialect answers to one WebSocket text frame from a bridge (onebot11.md §5.1).
    ///
    /// An action frame `{"action","params","echo"}` gets `reply(action:params:)` plus the same `echo`
    /// (any JSON type, verbatim; left out when the frame had none). A frame that is not a JSON object with
    /// a string `action` gets retcode 1400, the WebSocket form of HTTP 400. Pure unless `recorder` is
    /// given, which then records the call exactly as the HTTP server does (no Authorization: a WebSocket
    /// frame carries none; the upgrade request did).
    package func reply(toFrame text: String, recorder: SimulatorRecorder? = nil) -> JSONValue {
        guard case .object(let frame)? = try? JSONParser.parse(text), let action = frame["action"]?.stringValue else {
            let echo = (try? JSONParser.parse(text))?.objectValue?["echo"]
            return Self.withEcho(["status": "failed", "retcode": 1400, "data": nil, "message": "bad request frame"], echo)
        }
        let params: JSONObject
        switch frame["params"] {
        case nil, .null?: params = JSONObject()
        case .object(let object)?: params = object
        default:
            return Self.withEcho(["status": "failed", "retcode": 1400, "data": nil, "message": "params is not an object"],
                                 frame["echo"])
        }
        recorder?.record(action: action, params: params, authorization: nil)
        return Self.withEcho(reply(action: action, params: params), frame["echo"])
    }

    private static func withEcho(_ envelope: JSONValue, _ echo: JSONValue?) -> JSONValue {
        guard let echo, case .object(var object) = envelope else { return envelope }
        object["echo"] = echo
        return .object(object)
    }
}

/// The answer to one action call, held in the shape of the dialect that will read it.
package struct ActionResponse: Sendable, Equatable {
    package var status: String
    package var retcode: Int64
    package var data: JSONValue
    package var message: String
    package var echo: JSONValue?
    /// Set on failures: why it failed, in the table vocabulary, so transports can pick HTTP statuses.
    package var failure: FailureKind?
    /// The whole envelope already serialized by the streaming reply path (`Translator.streamedResponse`);
    /// `data` is not filled in then. Only the OB12 HTTP face asks for streamed answers.
    package var serializedEnvelope: SerializedBytes?

    package init(status: String, retcode: Int64, data: JSONValue, message: String, echo: JSONValue?,
                 failure: FailureKind?, serializedEnvelope: SerializedBytes? = nil) {
        self.status = status
        self.retcode = retcode
        self.data = data
        self.message = message
        self.echo = echo
        self.failure = failure
        self.serializedEnvelope = serializedEnvelope
    }

    /// OB11's answer to a call queued for later (`_async`, `_rate_limited`): `async`, retcode 1, no data.
    package static let accepted = ActionResponse(status: "async", retcode: 1, data: .null, message: "", echo: nil,
                                                 failure: nil)

    package static func ok(_ data: JSONValue, echo: JSONValue?) -> ActionResponse {
        ActionResponse(status: "ok", retcode: 0, data: data, message: "", echo: echo, failure: nil)
    }

    /// A success whose envelope the streaming reply path wrote.
    package static func streamed(_ envelope: SerializedBytes, echo: JSONValue?) -> ActionResponse {
        // Made whole here: built as `ok` and then changed, it was copied twice over (each copy a retain per string).
        ActionResponse(status: "ok", retcode: 0, data: .null, message: "", echo: echo, failure: nil,
                       serializedEnvelope: envelope)
    }

    /// The OB12 wire envelope; OB11 and CoolQ readers ignore `message`, so the same shape serves them.
    package func envelope() -> JSONValue {
        if let serializedEnvelope,
            let value = serializedEnvelope.withUnsafeBufferPointer({ bytes in
                try? JSONParser.parse(UnsafeRawBufferPointer(bytes))
            }) {
            return value
        }
        var object = JSONObject(minimumCapacity: 5)
        object.appendUnique("status", .string(status))
        object.appendUnique("retcode", .int(retcode))
        object.appendUnique("data", data)
        object.appendUnique("message", .string(message))
        if let echo { object.appendUnique("echo", echo) }
        return .object(object)
    }
}

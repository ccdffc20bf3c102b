/// One action call, in whichever dialect it was written.
///
/// `extra` keeps envelope keys that no dialect defines, so nothing the caller sent is lost.
package struct ActionRequest: Sendable, Equatable {
    package var action: String
    package var params: JSONObject
    /// Returned to the caller exactly as it arrived (OB12 strings, OB11 any JSON).
    package var echo: JSONValue?
    /// OB12's `self` object naming the bot account, when given.
    package var selfObject: JSONValue?
    package var extra: JSONObject

    package init(action: String, params: JSONObject = JSONObject(), echo: JSONValue? = nil, selfObject: JSONValue? = nil,
         extra: JSONObject = JSONObject()) {
        self.action = action
        self.params = params
        self.echo = echo
        self.selfObject = selfObject
        self.extra = extra
    }
}

extension ActionRequest {
    /// Reads an OB12 (or OB11 WebSocket) envelope `{"action","params","echo","self"}`.
    ///
    /// Throws `TranslationError.badRequest` when `action` is missing or not a string, or `params`
    /// is not an object. `requiresParams` is OB12's rule that a request lacking `params` is invalid.
    package init(envelope value: consuming JSONValue, requiresParams: Bool) throws(TranslationError) {
        // Taken out of `value`, so taking members out does not copy the object.
        guard var object = value.takeObject() else {
            throw .badRequest(reason: "the request body must be a JSON object, not \(value.typeName)")
        }
        guard let actionValue = object.removeValue(forKey: "action") else {
            throw .badRequest(reason: "the request has no 'action'")
        }
        guard case .string(let action) = actionValue, !action.isEmpty else {
            throw .badRequest(reason: "'action' must be a non-empty string, not \(actionValue.typeName)")
        }
        let params: JSONObject
        switch object.removeValue(forKey: "params") {
        case .object(let value): params = value
        case .none where !requiresParams, .null where !requiresParams: params = JSONObject()
        case .none: throw .badRequest(reason: "the request has no 'params' (send {} when there are none)")
        case .some(let other): throw .badRequest(reason: "'params' must be an object, not \(other.typeName)")
        }
        let echo = object.removeValue(forKey: "echo")
        let selfObject = object.removeValue(forKey: "self")
        self.init(action: action, params: params, echo: echo, selfObject: selfObject, extra: object)
    }
}

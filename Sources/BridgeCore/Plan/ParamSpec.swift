/// A declared action param: checked before anything is forwarded, so bad input never reaches the upstream.
package struct ParamSpec: Sendable, Equatable {
    package init(name: String, type: ValueType, isRequired: Bool, defaultValue: JSONValue?) {
        self.name = name
        self.type = type
        self.isRequired = isRequired
        self.defaultValue = defaultValue
        self.minimum = nil
    }

    package var name: String
    package var type: ValueType
    package var isRequired: Bool
    /// Filled in when the caller leaves the param out.
    package var defaultValue: JSONValue?
    /// The smallest integer allowed (CoolQ refuses QQ numbers ≤ 0 with retcode 100).
    package var minimum: Int64?

    /// Checks `params[name]`, converting string input when the caller sent query or form values.
    ///
    /// Throws `missingParam` or `badParamType`. Pure.
    package func check(_ params: inout JSONObject, action: String, acceptsStrings: Bool) throws(TranslationError) {
        guard let value = params[name], !value.isNull else {
            if let defaultValue { params[name] = defaultValue; return }
            if isRequired { throw .missingParam(action: action, name: name) }
            return
        }
        if type.accepts(value) { return try checkMinimum(value, action: action) }
        if acceptsStrings, case .string = value, let converted = type.converted(value) {
            params[name] = converted
            return try checkMinimum(converted, action: action)
        }
        if type == .id, case .string(let text) = value {
            throw .idNotRepresentable(action: action, name: name, value: text)
        }
        throw .badParamType(action: action, name: name, expected: type.expectation, got: value.typeName)
    }

    private func checkMinimum(_ value: JSONValue, action: String) throws(TranslationError) {
        guard let minimum, let number = ValueType.int64.converted(value)?.intValue else { return }
        if number < minimum { throw .paramBelowMinimum(action: action, name: name, minimum: minimum) }
    }
}

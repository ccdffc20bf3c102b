extension ValueType {
    /// Whether `value` already has this type, as a strictly typed (OB12 JSON) caller must send it.
    package func accepts(_ value: JSONValue) -> Bool {
        switch (self, value) {
        case (.any, _): true
        case (.id, .int): true
        case (.id, .string(let text)): Self.exactInteger(text) != nil
        case (.int64, .int), (.int, .int), (.number, .int), (.number, .double): true
        case (.string, .string), (.bool, .bool), (.object, .object), (.array, .array): true
        case (.message, .string), (.message, .object), (.message, .array): true
        default: false
        }
    }

    /// `value` converted to this type, or nil when it cannot be represented exactly. Pure.
    ///
    /// Numeric strings become integers digit by digit; a fractional number never becomes an ID.
    package func converted(_ value: JSONValue) -> JSONValue? {
        switch self {
        case .any, .message: return value
        case .id, .int64, .int:
            switch value {
            case .int: return value
            case .string(let text): return Self.exactInteger(text).map(JSONValue.int)
            case .bool(let flag) where self == .int: return .int(flag ? 1 : 0)
            default: return nil
            }
        case .number:
            switch value {
            case .int, .double: return value
            case .string(let text):
                if let integer = Self.exactInteger(text) { return .int(integer) }
                return Double(text).map(JSONValue.double)
            default: return nil
            }
        case .string:
            switch value {
            case .string: return value
            case .int(let number): return .string(JSONValue.decimalText(number))
            case .double(let number): return .string(number.description)
            case .bool(let flag): return .string(flag ? "true" : "false")
            default: return nil
            }
        case .bool:
            switch value {
            case .bool: return value
            case .int(let number) where number == 0 || number == 1: return .bool(number == 1)
            case .string(let text): return Self.booleanWord(text).map(JSONValue.bool)
            default: return nil
            }
        // Spelled out: JSONValue is nil-literal expressible, so `cond ? nil : value` would mean `.null`.
        case .object:
            guard value.objectValue != nil else { return Optional.none }
            return value
        case .array:
            guard value.arrayValue != nil else { return Optional.none }
            return value
        }
    }

    /// The description used in "must be …" messages.
    package var expectation: String {
        switch self {
        case .id: "a numeric ID"
        case .int64, .int: "an integer"
        case .number: "a number"
        case .string: "a string"
        case .bool: "a boolean"
        case .object: "an object"
        case .array: "an array"
        case .message: "a message (string, segment or segment array)"
        case .any: "any value"
        }
    }

    /// The integer spelled by `text` (optional minus, decimal digits, within Int64), else nil.
    package static func exactInteger(_ text: String) -> Int64? {
        let utf8 = text.utf8
        guard let first = utf8.first, utf8.count <= 20 else { return nil }
        guard first == UInt8(ascii: "-") || (first >= 0x30 && first <= 0x39) else { return nil }
        // Not `Int64(String)`: it is generic over radix and signs, and cost about 450 instructions for a QQ
        // number, on every OB12 call that carries an ID.
        var text = text
        return text.withUTF8 { JSONValue.exactInteger($0) }
    }

    /// OB11's boolean spellings in query strings and CQ params: true/false, yes/no, 1/0.
    package static func booleanWord(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "yes", "1": true
        case "false", "no", "0": false
        default: nil
        }
    }
}

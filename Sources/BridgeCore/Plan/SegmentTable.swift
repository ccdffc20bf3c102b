/// How one dialect's message segments become the upstream's OB11 segments, compiled from `segments:`.
///
/// ```yaml
/// segments:
///   mention: {type: at, rename: {user_id: qq}, required: [user_id]}
///   audio: unsupported
/// ```
package struct SegmentTable: Sendable, Equatable {
    package init(rules: [String: Rule], extensionPrefix: String?, stringifiesData: Bool) {
        self.rules = rules
        self.extensionPrefix = extensionPrefix
        self.stringifiesData = stringifiesData
    }

    package struct Rule: Sendable, Equatable {
        /// The segment type on the other side.
        package var type: String
        package var required: [String]
        package var ops: FieldOps
        package var isUnsupported: Bool

        package init(type: String, required: [String], ops: FieldOps, isUnsupported: Bool) {
            self.type = type
            self.required = required
            self.ops = ops
            self.isUnsupported = isUnsupported
        }
    }

    package var rules: [String: Rule]
    /// Extension segments such as `qq.face` lose this prefix and keep their data.
    package var extensionPrefix: String?
    /// OB11 array form wants every scalar in `data` as a string, to round-trip with CQ codes.
    package var stringifiesData: Bool

    /// Converts a message param (string, single segment or array) to a segment array. Pure.
    ///
    /// A string is one text segment and is never parsed as CQ code: `[CQ:…]` typed by a user
    /// must not become an action on the way. Throws `unsupportedSegment` or `badSegmentData`.
    package func converted(message: JSONValue) throws(TranslationError) -> JSONValue {
        switch message {
        case .string(let text):
            return .array([.object(JSONObject([.init(key: "type", value: "text"),
                                               .init(key: "data", value: ["text": .string(text)])]))])
        case .object:
            return .array([try converted(segment: message)])
        case .array(let segments):
            var output: [JSONValue] = []
            output.reserveCapacity(segments.count)
            for segment in segments { output.append(try converted(segment: segment)) }
            return .array(output)
        default:
            throw .badSegmentData(type: "message", reason: "a message must be a string, a segment or an array")
        }
    }

    private func converted(segment: JSONValue) throws(TranslationError) -> JSONValue {
        guard case .object(let object) = segment, case .string(let type)? = object["type"] else {
            throw .badSegmentData(type: "segment", reason: "each segment needs a string 'type'")
        }
        var data: JSONObject
        switch object["data"] {
        case .object(let value)?: data = value
        case .null?, nil: data = JSONObject()
        case let other?: throw .badSegmentData(type: type, reason: "'data' must be an object, not \(other.typeName)")
        }
        let targetType: String
        if let rule = rules[type] {
            guard !rule.isUnsupported else { throw .unsupportedSegment(type: type) }
            for key in rule.required where data[key] == nil {
                throw .badSegmentData(type: type, reason: "missing '\(key)'")
            }
            let scope = TransformScope(action: type, isStrict: true, context: TranslationContext(now: 0),
                                       segments: nil)
            do { try rule.ops.apply(to: &data, scope: scope) } catch {
                throw .badSegmentData(type: type, reason: error.message)
            }
            targetType = rule.type
        } else if let prefix = extensionPrefix, type.hasPrefix(prefix), type.count > prefix.count {
            targetType = String(type.dropFirst(prefix.count))
        } else {
            throw .unsupportedSegment(type: type)
        }
        if stringifiesData {
            try data.updateValues { _, value throws(TranslationError) in
                if let text = ValueType.string.converted(value), case .string = text { value = text }
            }
        }
        return .object(JSONObject([.init(key: "type", value: .string(targetType)),
                                   .init(key: "data", value: .object(data))]))
    }
}


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
    /// must not become an action on the way. Throws `unsupportedSegment` or `badSegmentData`. Takes `message`,
    /// so segments the caller no longer holds are converted in place.
    package func converted(message: consuming JSONValue) throws(TranslationError) -> JSONValue {
        // Not a `switch` over the array case: the switch would hold a second reference to it.
        if var segments = message.takeArray() {
            for index in segments.indices { try convert(&segments[index]) }
            return .array(segments)
        }
        switch message {
        case .string(let text):
            return .array([.object(JSONObject([.init(key: "type", value: "text"),
                                               .init(key: "data", value: ["text": .string(text)])]))])
        case .object:
            try convert(&message)
            return .array([message])
        default:
            throw .badSegmentData(type: "message", reason: "a message must be a string, a segment or an array")
        }
    }

    /// Converts a segment where it stands: taken out of its slot, so the rule changes `data` without copying it.
    private func convert(_ segment: inout JSONValue) throws(TranslationError) {
        guard var object = segment.takeObject(), case .string(let type)? = object["type"] else {
            throw .badSegmentData(type: "segment", reason: "each segment needs a string 'type'")
        }
        var taken = object.index(of: "data").map { object.takeValue(at: $0) } ?? .null
        var data: JSONObject
        if let value = taken.takeObject() {
            data = value
        } else if taken.isNull {
            data = JSONObject()
        } else {
            throw .badSegmentData(type: type, reason: "'data' must be an object, not \(taken.typeName)")
        }
        let targetType: String
        if let rule = rules[type] {
            guard !rule.isUnsupported else { throw .unsupportedSegment(type: type) }
            for key in rule.required where data[key] == nil {
                throw .badSegmentData(type: type, reason: "missing '\(key)'")
            }
            do { try rule.ops.apply(to: &data, scope: Self.strictScope(type)) } catch {
                throw .badSegmentData(type: type, reason: error.message)
            }
            targetType = rule.type
        } else if let prefix = extensionPrefix, type.hasPrefix(prefix), type.count > prefix.count {
            targetType = String(type.dropFirst(prefix.count))
        } else {
            throw .unsupportedSegment(type: type)
        }
        if stringifiesData {
            for index in data.entries.indices {
                if case .string = data.entries[index].value { continue }
                if let text = ValueType.string.converted(data.entries[index].value), case .string = text {
                    data.setValue(text, at: index)
                }
            }
        }
        segment = .object(JSONObject([.init(key: "type", value: .string(targetType)),
                                      .init(key: "data", value: .object(data))]))
    }

    private static func strictScope(_ type: String) -> TransformScope {
        TransformScope(action: type, isStrict: true, context: TranslationContext(now: 0), segments: nil)
    }
}

/// How OneBot 11 segments in upstream events become the client's segments, compiled from `inbound_segments:`.
///
/// ```yaml
/// inbound_segments:
///   at:
///     - {match: {qq: all}, type: mention_all, drop: [qq], alt: "@全体成员"}
///     - {type: mention, rename: {qq: user_id}, alt: "@{user_id}"}
///   image: {rename: {file: file_id, url: qq.url}, alt: "[图片]"}
/// ```
/// Nothing is ever dropped: a type without a rule becomes `<extension prefix><type>` with its data
/// unchanged (`face` → `qq.face`), and a malformed segment is passed on as it came.
package struct InboundSegmentTable: Sendable, Equatable {
    /// One way to convert a segment type; a type may list several, tried in order.
    package struct Rule: Sendable, Equatable {
        /// Data values that must all be equal (exact JSON type) for this rule to apply; empty matches all.
        package var match: [FieldOps.Assignment]
        /// The client's segment type.
        package var type: String
        /// Applied leniently to `data`.
        package var ops: FieldOps
        /// The segment's text in `alt_message`, a template over the converted data.
        package var alt: TextTemplate?

        package init(match: [FieldOps.Assignment] = [], type: String, ops: FieldOps = .empty,
                     alt: TextTemplate? = nil) {
            self.match = match
            self.type = type
            self.ops = ops
            self.alt = alt
        }

        package func matches(_ data: JSONObject) -> Bool {
            match.allSatisfy { data[$0.key] == $0.value }
        }
    }

    private static let lenientScope = TransformScope(action: "segment", isStrict: false,
                                                     context: TranslationContext(now: 0), segments: nil)

    package private(set) var rules: [String: [Rule]]
    /// Put before unlisted types (`qq.`); nil keeps them bare.
    package var extensionPrefix: String?
    /// `alt` texts by client segment type, the first rule's when several produce one type.
    package private(set) var altTexts: [String: TextTemplate]

    package init(rules: [String: [Rule]], extensionPrefix: String? = nil) {
        self.rules = rules
        self.extensionPrefix = extensionPrefix
        var alts: [String: TextTemplate] = [:]
        for type in rules.keys.sorted() {
            for rule in rules[type] ?? [] where alts[rule.type] == nil {
                if let alt = rule.alt { alts[rule.type] = alt }
            }
        }
        self.altTexts = alts
    }

    /// Converts an OB11 `message` (CQ string, one segment, or an array) to the client's segment array. Pure.
    ///
    /// A string is parsed as CQ code, since OB11 servers report string-form messages that way
    /// (onebot11.md §10.2). Any other value is kept as one `text` segment of its JSON text.
    package func converted(message: JSONValue) -> [JSONValue] {
        switch message {
        case .string(let text): return CQCode.segments(from: text).map(converted(segment:))
        case .array(let segments): return segments.map(converted(segment:))
        case .object: return [converted(segment: message)]
        case .null: return []
        default: return [CQCode.textSegment(ValueType.string.converted(message)?.stringValue ?? message.jsonText)]
        }
    }

    /// Converts one OB11 segment; a segment without a string `type` or with non-object `data` is kept as is.
    package func converted(segment: JSONValue) -> JSONValue {
        guard case .object(let object) = segment, case .string(let type)? = object["type"] else { return segment }
        var data: JSONObject
        switch object["data"] {
        case .object(let value)?: data = value
        case .null?, nil: data = JSONObject()
        case .some: return segment
        }
        let targetType: String
        if let rule = rules[type]?.first(where: { $0.matches(data) }) {
            let original = data
            // Lenient, as for responses: an unconvertible value stays as the upstream sent it. Only named
            // transforms throw here, and the table reader refuses them in segment rules; should one slip in
            // (a table built in code), the segment keeps the upstream's data rather than vanish.
            do { try rule.ops.apply(to: &data, scope: Self.lenientScope) } catch { data = original }
            targetType = rule.type
        } else {
            targetType = (extensionPrefix ?? "") + type
        }
        return .object(JSONObject([.init(key: "type", value: .string(targetType)),
                                   .init(key: "data", value: .object(data))]))
    }
}

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

    package let rules: [String: [Rule]]
    /// Put before unlisted types (`qq.`); nil keeps them bare.
    package var extensionPrefix: String?
    /// `rules` again, for the per-segment lookup.
    private let ruleLookup: NameTable<[Rule]>
    /// `alt` texts by client segment type, the first rule's when several produce one type.
    let altLookup: NameTable<TextTemplate>
    /// The same with their literal parts escaped for a JSON string, for the streamed event path.
    let escapedAlts: NameTable<EscapedTemplate>

    package init(rules: [String: [Rule]], extensionPrefix: String? = nil) {
        self.rules = rules
        self.extensionPrefix = extensionPrefix
        var alts: [String: TextTemplate] = [:]
        for type in rules.keys.sorted() {
            for rule in rules[type] ?? [] where alts[rule.type] == nil {
                if let alt = rule.alt { alts[rule.type] = alt }
            }
        }
        ruleLookup = NameTable(rules.map { ($0.key, $0.value) })
        altLookup = NameTable(alts.map { ($0.key, $0.value) })
        escapedAlts = NameTable(alts.map { ($0.key, EscapedTemplate($0.value)) })
    }

    /// The rules for an OB11 segment type, in the order they are tried.
    func rules(for type: String) -> [Rule]? { ruleLookup[type] }

    package static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.rules == rhs.rules && lhs.extensionPrefix == rhs.extensionPrefix
    }

    /// Converts an OB11 `message` (CQ string, one segment, or an array) to the client's segment array. Pure.
    ///
    /// A string is parsed as CQ code, since OB11 servers report string-form messages that way
    /// (onebot11.md §10.2). Any other value is kept as one `text` segment of its JSON text. Takes `message`,
    /// so segments the caller no longer holds are changed in place.
    package func converted(message: consuming JSONValue) -> [JSONValue] {
        convert(message: &message)
        return message.arrayValue ?? []
    }

    /// `converted(message:)` where the message stands, replacing it with the segment array: segments held
    /// nowhere else are changed without copying.
    package func convert(message: inout JSONValue) {
        // Not a `switch` over the array case: the switch would hold a second reference to it.
        if var segments = message.takeArray() {
            for index in segments.indices { convert(&segments[index]) }
            message = .array(segments)
            return
        }
        switch message {
        case .string(let text):
            var segments = CQCode.segments(from: text)
            for index in segments.indices { convert(&segments[index]) }
            message = .array(segments)
        case .array:
            preconditionFailure("arrays are converted above")
        case .object:
            convert(&message)
            message = .array([message])
        case .null: message = .array([])
        default:
            message = .array([CQCode.textSegment(ValueType.string.converted(message)?.stringValue ?? message.jsonText)])
        }
    }

    /// Converts one OB11 segment; a segment without a string `type` or with non-object `data` is kept as is.
    package func converted(segment: consuming JSONValue) -> JSONValue {
        convert(&segment)
        return segment
    }

    /// Converts a segment where it stands: taken out of the slot, so the rule changes `data` without copying it.
    /// The segment's own object is reused when it holds `type` and then `data` only, as OB11 segments do.
    private func convert(_ segment: inout JSONValue) {
        guard var object = segment.takeObject() else { return }
        guard let typeIndex = object.index(of: "type"), case .string(let type) = object.entries[typeIndex].value else {
            segment = .object(object)
            return
        }
        let dataIndex = object.index(of: "data")
        var taken = dataIndex.map { object.takeValue(at: $0) } ?? .null
        var data: JSONObject
        if let value = taken.takeObject() {
            data = value
        } else if taken.isNull {
            data = JSONObject()
        } else {
            if let dataIndex { object.setValue(taken, at: dataIndex) }
            segment = .object(object)
            return
        }
        let targetType: String
        if let rule = ruleLookup[type]?.first(where: { $0.matches(data) }) {
            // Lenient, as for responses: an unconvertible value stays as the upstream sent it. Only named
            // transforms throw here, and the table reader refuses them in segment rules; should one slip in
            // (a table built in code), the segment keeps the upstream's data rather than vanish.
            if rule.ops.hasTransforms {
                let original = data
                do { try rule.ops.apply(to: &data, scope: Self.lenientScope) } catch { data = original }
            } else {
                do { try rule.ops.apply(to: &data, scope: Self.lenientScope) } catch {
                    preconditionFailure("lenient field operations without transforms do not throw")
                }
            }
            targetType = rule.type
        } else {
            targetType = (extensionPrefix ?? "") + type
        }
        if typeIndex == 0, dataIndex == 1, object.count == 2 {
            object.setValue(.string(targetType), at: typeIndex)
            object.setValue(.object(data), at: 1)
            segment = .object(object)
        } else {
            segment = .object(JSONObject([.init(key: "type", value: .string(targetType)),
                                          .init(key: "data", value: .object(data))]))
        }
    }
}

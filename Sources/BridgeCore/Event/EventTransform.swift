/// Small engine steps an event row cannot say with field operations; rows name them under `transforms:`.
///
/// Each is documented in `mappings/README.md` (Event transforms). They are apart from `NamedTransform`
/// because they work on the whole event on its way through a row, target discriminators included.
package enum EventTransform: String, Sendable, CaseIterable {
    /// `message` (CQ string or array) becomes the client's segment array via the file's `inbound_segments`.
    case inboundSegments = "inbound_segments"
    /// Sets `alt_message` from `message`: text verbatim, other segments by their `alt` text (onebot12.md §9).
    case altMessage = "alt_message"
    /// Sets the target `sub_type` to `recall` when `operator_id` equals `user_id` (the author deleted it),
    /// else `delete` (an admin did; onebot12.md §8 `group_message_delete`).
    case recallOrDelete = "recall_or_delete"
    /// Sets `version` to the bridge's own `get_version` data: OB12 `meta.connect` carries it (onebot12.md §6).
    case connectVersion = "connect_version"
    /// Sets `raw_message` to `message` rendered as CQ code, for upstreams whose raw_message is plain text
    /// (icqq-rust-onebot, dialects.md §5).
    case cqRawMessage = "cq_raw_message"

    /// Applies the step to `draft`. Pure.
    package func apply(to draft: inout EventDraft, scope: EventScope) {
        switch self {
        case .inboundSegments:
            guard let position = draft.object.index(of: "message") else { return }
            guard let table = scope.inboundSegments else {
                preconditionFailure("the table reader allows inbound_segments only in files that define the table")
            }
            draft.object.modifyValue(at: position) { table.convert(message: &$0) }
        case .altMessage:
            let table = scope.inboundSegments ?? InboundSegmentTable(rules: [:])
            let segments: [JSONValue]
            switch draft.object["message"] {
            case .array(let array)?: segments = array
            case let message?: segments = table.converted(message: message)
            case nil: segments = []
            }
            draft.object["alt_message"] = .string(table.altMessage(for: segments))
        case .recallOrDelete:
            let author = draft.object["user_id"].flatMap(Self.idText)
            let remover = draft.object["operator_id"].flatMap(Self.idText)
            guard let author, let remover else { draft.subType = ""; return }
            draft.subType = author == remover ? "recall" : "delete"
        case .connectVersion:
            draft.object["version"] = scope.versionData
        case .cqRawMessage:
            switch draft.object["message"] {
            case .string(let text)?: draft.object["raw_message"] = .string(text)
            case .array(let segments)?: draft.object["raw_message"] = .string(CQCode.string(from: segments))
            case .object(let segment)?: draft.object["raw_message"] = .string(CQCode.string(from: [.object(segment)]))
            default: return
            }
        }
    }

    /// IDs compare as text: an upstream may write one as a number and another as a string.
    private static func idText(_ value: JSONValue) -> String? {
        ValueType.string.converted(value)?.stringValue
    }
}

/// What event transforms may read besides the event: compiled plan data.
package struct EventScope: Sendable {
    /// The bridge's `get_version` data.
    package var versionData: JSONValue
    package var inboundSegments: InboundSegmentTable?

    package init(versionData: JSONValue, inboundSegments: InboundSegmentTable?) {
        self.versionData = versionData
        self.inboundSegments = inboundSegments
    }
}

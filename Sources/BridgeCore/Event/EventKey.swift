/// The OneBot 11 discriminators of an event, `post_type/<second level>/sub_type`: the key of an event row.
///
/// The second level is the value of `message_type`, `notice_type`, `request_type` or `meta_event_type`
/// (onebot11.md §9.1). An empty string stands for a level the key does not name.
package struct EventKey: Hashable, Sendable, CustomStringConvertible {
    package var postType: String
    package var detailType: String
    package var subType: String

    package init(postType: String, detailType: String = "", subType: String = "") {
        self.postType = postType
        self.detailType = detailType
        self.subType = subType
    }

    /// Parses a row key such as `notice/notify/poke`: one to three non-empty parts. Nil when malformed.
    package init?(path: String) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), !parts.contains(where: \.isEmpty) else { return nil }
        self.init(postType: String(parts[0]), detailType: parts.count > 1 ? String(parts[1]) : "",
                  subType: parts.count > 2 ? String(parts[2]) : "")
    }

    /// The row key spelling, `notice/group_increase/approve`.
    package var description: String {
        [postType, detailType, subType].filter { !$0.isEmpty }.joined(separator: "/")
    }

    /// The post types a row key may start with: OB11's four, go-cqhttp's and icqq's `message_sent`
    /// (dialects.md §5), and CQHTTP v1–v3's `event` for notices (dialects.md §6).
    package static let postTypes: Set<String> = ["message", "message_sent", "notice", "request", "meta_event", "event"]

    /// The fields a row's target templates may read: the discriminators as the event arrived.
    package static let templateFields: Set<String> = [
        "post_type", "message_type", "notice_type", "request_type", "meta_event_type", "event", "sub_type",
    ]

    /// The field that carries the second level for `postType` (onebot11.md §9.1; CQHTTP v1–v3 `event`).
    package static func detailField(for postType: String) -> String {
        switch postType {
        case "message", "message_sent": "message_type"
        case "meta_event": "meta_event_type"
        case "event": "event"
        default: postType + "_type"
        }
    }

    /// The discriminators of an OB11 event object; absent levels are `""`.
    package init(event: JSONObject) {
        let post = event["post_type"]?.stringValue ?? ""
        self.init(postType: post, detailType: event[Self.detailField(for: post)]?.stringValue ?? "",
                  subType: event["sub_type"]?.stringValue ?? "")
    }
}

/// How a client dialect writes events (`event_style`).
package enum EventStyle: String, Sendable, CaseIterable {
    /// OneBot 11 and CoolQ: `post_type`, `<x>_type`, `sub_type`, `self_id`, integer `time`.
    case onebot11
    /// OneBot 12 (onebot12.md §4.3): `id`, float `time`, `type`, `detail_type`, `sub_type` (always),
    /// and `self` on every event except meta events.
    case onebot12
}

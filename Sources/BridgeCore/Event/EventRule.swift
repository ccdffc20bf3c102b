/// One row of an `events:` table, compiled: which event it matches, what it becomes, and the field
/// operations and event transforms on the way.
///
/// ```yaml
/// events:
///   notice/group_increase/approve: {type: notice, detail_type: group_member_increase, sub_type: join}
///   notice: {type: notice, detail_type: "qq.{notice_type}", sub_type: "{sub_type}"}
/// ```
/// A target left out keeps the event's own value. In an `event_style: onebot12` table the targets are
/// `type`/`detail_type`/`sub_type`; in an OB11-style table they are written back as `post_type`, its
/// `<x>_type` field and `sub_type`.
package struct EventRule: Sendable, Equatable {
    package var key: EventKey
    package var type: TextTemplate?
    package var detailType: TextTemplate?
    package var subType: TextTemplate?
    /// Lenient, as for responses: a value that cannot be converted is kept as the upstream sent it.
    package var ops: FieldOps
    /// Run after `ops`, in listed order.
    package var transforms: [EventTransform]

    package init(key: EventKey, type: TextTemplate? = nil, detailType: TextTemplate? = nil,
                 subType: TextTemplate? = nil, ops: FieldOps = .empty, transforms: [EventTransform] = []) {
        self.key = key
        self.type = type
        self.detailType = detailType
        self.subType = subType
        self.ops = ops
        self.transforms = transforms
    }

    /// Whether the row names any target discriminator.
    package var hasTargets: Bool { type != nil || detailType != nil || subType != nil }
}

/// The rows of one `events:` table, looked up by the most specific matching key (STYLE.md §6).
///
/// `notice/notify/poke` is tried first, then `notice/notify`, then `notice`; no match means pass-through.
package struct EventRuleTable: Sendable, Equatable {
    package let rules: [EventKey: EventRule]
    /// The rows again, grouped by post type, for the per-event lookup: a handful of compares instead of
    /// hashing the event's three discriminators up to three times.
    private let byPostType: NameTable<[EventRule]>

    package init(_ rules: [EventRule] = []) {
        let unique = Dictionary(rules.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        self.rules = unique
        byPostType = NameTable(Dictionary(grouping: unique.values, by: \.key.postType).map { ($0.key, $0.value) })
    }

    package static func == (lhs: Self, rhs: Self) -> Bool { lhs.rules == rhs.rules }

    package var isEmpty: Bool { rules.isEmpty }

    /// The most specific row for `key`, or nil for pass-through.
    package func rule(for key: EventKey) -> EventRule? {
        guard let rows = byPostType[key.postType] else { return nil }
        // Row keys have no empty level, so a row naming a level the event lacks never matches.
        var best: Int?
        var bestLevel = 0
        for index in rows.indices {
            let row = rows[index].key
            let level: Int
            if row.detailType.isEmpty {
                level = 1
            } else if row.detailType != key.detailType {
                continue
            } else if row.subType.isEmpty {
                level = 2
            } else if row.subType == key.subType {
                level = 3
            } else {
                continue
            }
            if level > bestLevel { best = index; bestLevel = level }
        }
        return best.map { rows[$0] }
    }
}

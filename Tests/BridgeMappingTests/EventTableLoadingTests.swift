import BridgeCore
import BridgeMapping
import Foundation
import Testing

/// Event sections are checked at load like the rest: every problem, with its line and key path.
@Suite struct EventTableLoadingTests {
    static func issues(in name: String) throws -> [String] {
        let url = FixtureLoader.fixtures.appendingPathComponent("events/invalid/\(name)")
        var issues: [MappingIssue] = []
        let table = MappingFile.read(yaml: try String(contentsOf: url, encoding: .utf8), file: name, issues: &issues)
        #expect(table == nil, "a table with problems must not load")
        return issues.map { "\($0.file):\($0.line): \($0.keyPath): \($0.message)" }
    }

    static let expected: [String: [String]] = [
        "client.yaml": [
            "client.yaml:4: event_style: unknown value 'onebot13' (expected one of: onebot11, onebot12)",
            "client.yaml:6: events.notice/: an event key is post_type[/second level[/sub_type]], such as notice/notify/poke",
            "client.yaml:7: events.mesage/private: unknown post_type 'mesage' (expected one of: event, message, message_sent, meta_event, notice, request)",
            "client.yaml:8: events.notice/friend_add.colour: unknown key (expected one of: convert, copy, default, detail_type, drop, map, nested, rename, set, sub_type, transforms, type)",
            "client.yaml:9: events.notice/group_recall.detail_type: unknown placeholder '{notice_typ}' (expected one of: event, message_type, meta_event_type, notice_type, post_type, request_type, sub_type)",
            "client.yaml:9: events.notice/group_recall.sub_type: unclosed '{' in template '{sub_type'",
            "client.yaml:9: events.notice/group_recall.transforms[1]: unknown value 'make_coffee' (expected one of: inbound_segments, alt_message, recall_or_delete, connect_version, cq_raw_message)",
            "client.yaml:10: events.message: named transforms are for actions; event rows list event transforms under 'transforms'",
            "client.yaml:10: events.message.transforms: inbound_segments needs an 'inbound_segments' table in this file",
            "client.yaml:11: events.request.type: expected a string, found a list",
            "client.yaml:13: legacy_events.notice.transforms: inbound_segments needs an 'inbound_segments' table in this file",
        ],
        "segments.yaml": [
            "segments.yaml:5: inbound_segments.at[0]: only the last rule of a list may leave out 'match'",
            "segments.yaml:7: inbound_segments.image.colour: unknown key (expected one of: alt, convert, copy, default, drop, map, match, nested, rename, set, transforms, type)",
            "segments.yaml:7: inbound_segments.image.alt: unclosed '{' in template '[图片]{file_id'",
            "segments.yaml:8: inbound_segments.face: named transforms are for actions; segment rules take field operations only",
            "segments.yaml:9: inbound_segments.video.match: expected a mapping, found a list",
        ],
        "upstream.yaml": [
            "upstream.yaml:3: event_style: only client tables have 'event_style'",
            "upstream.yaml:4: legacy_events: only client tables have 'legacy_events'",
            "upstream.yaml:5: inbound_segments: only client tables have 'inbound_segments'",
        ],
        "hub.yaml": [
            "hub.yaml:4: events: the hub is standard OneBot 11: event rules belong to client and upstream tables",
        ],
    ]

    @Test(arguments: ["client.yaml", "segments.yaml", "upstream.yaml", "hub.yaml"])
    func listsEveryProblem(_ name: String) throws {
        let lines = try Self.issues(in: name)
        let expected = Self.expected[name] ?? []
        for line in expected {
            #expect(lines.contains(line), "missing: \(line)\nall:\n\(lines.joined(separator: "\n"))")
        }
        #expect(lines.count == expected.count, "\(lines.joined(separator: "\n"))")
    }

    /// The shipped tables compile their event sections into every plan that needs them.
    @Test func shippedEventSectionsCompile() throws {
        let toOB12 = try GoldenTests.tables.plan(client: "onebot12", upstream: "icqq")
        #expect(toOB12.eventStyle == .onebot12)
        #expect(toOB12.inboundSegments?.extensionPrefix == "qq.")
        let recall = toOB12.clientEvents.rule(for: EventKey(postType: "notice", detailType: "group_recall"))
        #expect(recall?.transforms == [.recallOrDelete])
        let icqqMessage = toOB12.upstreamEvents.rule(for: EventKey(postType: "message", detailType: "private"))
        #expect(icqqMessage?.transforms == [.cqRawMessage])
        let toCoolQ = try GoldenTests.tables.plan(client: "coolq", upstream: "napcat")
        #expect(toCoolQ.eventStyle == .onebot11 && toCoolQ.clientEvents.isEmpty)
        #expect(toCoolQ.legacyEvents?.isEmpty == false)
        let toOB11 = try GoldenTests.tables.plan(client: "onebot11", upstream: "napcat")
        #expect(toOB11.clientEvents.isEmpty && toOB11.upstreamEvents.isEmpty && toOB11.legacyEvents == nil)
    }
}

// `@testable` only for `TransformScope`, whose memberwise initializer is internal; everything else is `package`.
@testable import BridgeCore
import Testing

/// `{"type":…,"data":{…}}`.
private func segment(_ type: String, _ data: JSONObject = [:]) -> JSONValue {
    ["type": .string(type), "data": .object(data)]
}

private func ops(_ build: (inout FieldOps) -> Void) -> FieldOps {
    var ops = FieldOps()
    build(&ops)
    return ops
}

/// The rules of v11-v12-mapping.md §5.2, written out as `mappings/onebot12.yaml` has them.
private let table = InboundSegmentTable(
    rules: [
        "text": [InboundSegmentTable.Rule(type: "text")],
        "at": [
            InboundSegmentTable.Rule(match: [.init(key: "qq", value: "all")], type: "mention_all",
                                     ops: ops { $0.drops = ["qq"] }, alt: TextTemplate(literal: "@全体成员")),
            InboundSegmentTable.Rule(type: "mention", ops: ops { $0.renames = [.init(from: "qq", to: "user_id")] },
                                     alt: try? TextTemplate(parsing: "@{user_id}")),
        ],
        "image": [InboundSegmentTable.Rule(
            type: "image",
            ops: ops { $0.renames = [.init(from: "file", to: "file_id"), .init(from: "url", to: "qq.url")] },
            alt: TextTemplate(literal: "[图片]"))],
        "location": [InboundSegmentTable.Rule(type: "location", ops: ops {
            $0.renames = [.init(from: "lat", to: "latitude"), .init(from: "lon", to: "longitude")]
            $0.conversions = [.init(key: "latitude", type: .number), .init(key: "longitude", type: .number)]
            $0.defaults = [.init(key: "title", value: ""), .init(key: "content", value: "")]
        })],
        "reply": [InboundSegmentTable.Rule(type: "reply", ops: ops {
            $0.renames = [.init(from: "id", to: "message_id")]
            $0.defaults = [.init(key: "user_id", value: "")]
        }, alt: TextTemplate(literal: "[回复]"))],
    ],
    extensionPrefix: "qq.")

@Suite struct InboundSegmentTableTests {
    /// One OB11 segment and the OB12 segment it must become.
    static let cases: [(JSONValue, JSONValue)] = [
        (segment("text", ["text": "hi"]), segment("text", ["text": "hi"])),
        (segment("at", ["qq": "10001"]), segment("mention", ["user_id": "10001"])),
        (segment("at", ["qq": "all"]), segment("mention_all")),
        (segment("image", ["file": "a.jpg", "url": "http://x/a.jpg"]),
         segment("image", ["file_id": "a.jpg", "qq.url": "http://x/a.jpg"])),
        (segment("location", ["lat": "39.9", "lon": "116"]),
         segment("location", ["latitude": 39.9, "longitude": 116, "title": "", "content": ""])),
        // A coordinate that is no number is kept as sent: events are lenient, like responses.
        (segment("location", ["lat": "north", "lon": "1", "title": "t", "content": "c"]),
         segment("location", ["latitude": "north", "longitude": 1, "title": "t", "content": "c"])),
        (segment("reply", ["id": "-2147483100"]), segment("reply", ["message_id": "-2147483100", "user_id": ""])),
        // Unlisted types get the prefix and keep their data; nothing is dropped.
        (segment("face", ["id": "14"]), segment("qq.face", ["id": "14"])),
        (segment("forward", ["id": "abc"]), segment("qq.forward", ["id": "abc"])),
        (["type": "shake", "data": nil], segment("qq.shake")),
        (["type": "dice"], segment("qq.dice")),
        // A segment's own object is reused when it holds type and then data only; others are rebuilt so.
        (["data": ["qq": "10001"], "type": "at"], segment("mention", ["user_id": "10001"])),
        (["type": "at", "data": ["qq": "10001"], "extra": 1], segment("mention", ["user_id": "10001"])),
        // Malformed segments are passed on as they came.
        (["data": ["text": "no type"]], ["data": ["text": "no type"]]),
        (["type": "text", "data": "oops"], ["type": "text", "data": "oops"]),
        ("bare string", "bare string"),
    ]

    @Test(arguments: cases)
    func convertsOneSegment(_ input: JSONValue, _ expected: JSONValue) {
        #expect(table.converted(segment: input).canonicalText() == expected.canonicalText())
    }

    @Test func parsesCQStringsFirst() {
        let message = table.converted(message: "[CQ:reply,id=5][CQ:at,qq=all] 开会 &#91;1&#93;[CQ:face,id=14]")
        #expect(message == [segment("reply", ["message_id": "5", "user_id": ""]), segment("mention_all"),
                            segment("text", ["text": " 开会 [1]"]), segment("qq.face", ["id": "14"])])
    }

    @Test func acceptsEveryMessageForm() {
        #expect(table.converted(message: segment("at", ["qq": "1"])) == [segment("mention", ["user_id": "1"])])
        #expect(table.converted(message: .null) == [])
        #expect(table.converted(message: "") == [])
        #expect(table.converted(message: 42) == [segment("text", ["text": "42"])])
    }

    @Test func unprefixedTableKeepsUnlistedTypesBare() {
        let bare = InboundSegmentTable(rules: [:])
        #expect(bare.converted(segment: segment("face", ["id": "1"])) == segment("face", ["id": "1"]))
    }
}

@Suite struct AltMessageTests {
    /// OB12 segments and the alt_message they must give (onebot12.md §9).
    static let cases: [([JSONValue], String)] = [
        ([], ""),
        ([segment("text", ["text": "你好"])], "你好"),
        ([segment("text", ["text": "[CQ:face,id=1] & co"])], "[CQ:face,id=1] & co"),
        ([segment("mention", ["user_id": "10001"]), segment("text", ["text": " hi"])], "@10001 hi"),
        ([segment("mention_all"), segment("image", ["file_id": "a"])], "@全体成员[图片]"),
        ([segment("reply", ["message_id": "5", "user_id": ""]), segment("text", ["text": "ok"])], "[回复]ok"),
        // No alt: the type without the extension prefix, in brackets.
        ([segment("qq.mface", ["id": "1"]), segment("location", ["latitude": 1])], "[mface][location]"),
        // A template whose field is missing renders as nothing rather than a half-filled text.
        ([segment("mention")], ""),
        // Malformed entries are skipped.
        (["not a segment", segment("text", ["text": "x"])], "x"),
    ]

    @Test(arguments: cases)
    func rendersAltMessage(_ segments: [JSONValue], _ expected: String) {
        #expect(table.altMessage(for: segments) == expected)
    }
}

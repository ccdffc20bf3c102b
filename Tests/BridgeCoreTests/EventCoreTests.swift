import BridgeCore
import Testing

@Suite struct TextTemplateTests {
    /// Template text, the field values, and the rendering.
    static let renderings: [(String, [String: String], String)] = [
        ("join", [:], "join"),
        ("", [:], ""),
        ("qq.{notice_type}", ["notice_type": "group_ban"], "qq.group_ban"),
        ("qq.{sub_type}", [:], ""),
        ("qq.{sub_type}", ["sub_type": ""], ""),
        ("{a}-{b}", ["a": "1", "b": "2"], "1-2"),
        ("{a}-{b}", ["a": "1"], ""),
        ("a } b", [:], "a } b"),
        ("@{user_id}", ["user_id": "10001"], "@10001"),
    ]

    @Test(arguments: renderings)
    func renders(_ text: String, _ values: [String: String], _ expected: String) throws {
        #expect(try TextTemplate(parsing: text).rendered { values[$0] } == expected)
    }

    @Test func listsItsFields() throws {
        #expect(try TextTemplate(parsing: "{post_type}.{sub_type}!").fields == ["post_type", "sub_type"])
    }

    @Test(arguments: ["qq.{sub_type", "{}", "a{b"])
    func refusesBadSyntax(_ text: String) {
        #expect(throws: TextTemplate.SyntaxError.self) { try TextTemplate(parsing: text) }
    }
}

@Suite struct EventRuleTableTests {
    static let table = EventRuleTable([
        EventRule(key: EventKey(postType: "notice"), detailType: TextTemplate(literal: "generic")),
        EventRule(key: EventKey(postType: "notice", detailType: "notify"), detailType: TextTemplate(literal: "notify")),
        EventRule(key: EventKey(postType: "notice", detailType: "notify", subType: "poke"),
                  detailType: TextTemplate(literal: "poke")),
        EventRule(key: EventKey(postType: "message", detailType: "group"), detailType: TextTemplate(literal: "group")),
    ])

    /// An event's discriminators and the row that must apply (nil: pass-through).
    static let lookups: [(EventKey, String?)] = [
        (EventKey(postType: "notice", detailType: "notify", subType: "poke"), "notice/notify/poke"),
        (EventKey(postType: "notice", detailType: "notify", subType: "honor"), "notice/notify"),
        (EventKey(postType: "notice", detailType: "notify"), "notice/notify"),
        (EventKey(postType: "notice", detailType: "group_ban", subType: "ban"), "notice"),
        (EventKey(postType: "message", detailType: "group", subType: "normal"), "message/group"),
        (EventKey(postType: "message", detailType: "private", subType: "friend"), nil),
        (EventKey(postType: "request", detailType: "friend"), nil),
    ]

    @Test(arguments: lookups)
    func choosesTheMostSpecificRow(_ key: EventKey, _ expected: String?) {
        #expect(Self.table.rule(for: key)?.key.description == expected)
    }

    @Test func parsesRowKeys() {
        #expect(EventKey(path: "notice/notify/poke")
                == EventKey(postType: "notice", detailType: "notify", subType: "poke"))
        #expect(EventKey(path: "message") == EventKey(postType: "message"))
        for bad in ["", "a//b", "a/b/c/d", "/notice", "notice/"] { #expect(EventKey(path: bad) == nil, "\(bad)") }
    }

    @Test func readsDiscriminatorsFromEvents() {
        #expect(EventKey(event: ["post_type": "meta_event", "meta_event_type": "heartbeat"])
                == EventKey(postType: "meta_event", detailType: "heartbeat"))
        #expect(EventKey(event: ["post_type": "message_sent", "message_type": "group", "sub_type": "normal"])
                == EventKey(postType: "message_sent", detailType: "group", subType: "normal"))
        #expect(EventKey(event: ["post_type": "event", "event": "friend_add"])
                == EventKey(postType: "event", detailType: "friend_add"))
    }
}

@Suite struct EventDraftTests {
    @Test func writesTargetsBackAsOneBot11Discriminators() {
        var draft = EventDraft(object: ["post_type": "notice", "notice_type": "group_card", "sub_type": "x",
                                        "user_id": 1])
        draft.type = "event"
        draft.detailType = "group_card"
        draft.subType = ""
        draft.writeOneBot11Discriminators()
        #expect(JSONValue.object(draft.object) == ["post_type": "event", "event": "group_card", "user_id": 1])
        #expect(draft.key == EventKey(postType: "event", detailType: "group_card"))
    }

    /// The message form a client asked for, from either form the upstream sent (onebot11.md §10).
    @Test func convertsMessageForms() {
        let array: JSONValue = [["type": "text", "data": ["text": "a[1]"]], ["type": "face", "data": ["id": "1"]]]
        var draft = EventDraft(object: ["post_type": "message", "message": array])
        draft.convertMessage(to: .string)
        #expect(draft.object["message"] == "a&#91;1&#93;[CQ:face,id=1]")
        draft.convertMessage(to: .array)
        #expect(draft.object["message"] == array)
        var notice = EventDraft(object: ["post_type": "notice", "message": "[CQ:face,id=1]"])
        notice.convertMessage(to: .array)
        #expect(notice.object["message"] == "[CQ:face,id=1]")
    }

    @Test func buildsTheOneBot12Envelope() {
        var draft = EventDraft(object: ["time": 5, "self_id": 10001, "post_type": "meta_event",
                                        "meta_event_type": "heartbeat", "interval": 5000])
        draft.type = "meta"
        let context = EventContext(now: 9.5, makeID: { "id-1" })
        let meta = JSONValue.object(draft.oneBot12Object(context: context))
        #expect(meta == ["id": "id-1", "time": 5.0, "type": "meta", "detail_type": "heartbeat", "sub_type": "",
                         "interval": 5000])
        let bare = JSONValue.object(EventDraft(object: ["post_type": "notice", "notice_type": "x"]).oneBot12Object(
            context: EventContext(now: 9.5, makeID: { "id-2" }, selfID: "42")))
        #expect(bare == ["id": "id-2", "time": 9.5, "type": "notice", "detail_type": "x", "sub_type": "",
                         "self": ["platform": "qq", "user_id": "42"]])
    }
}

@Suite struct NameTableTests {
    static let long = String(repeating: "x", count: 40)
    static let table = NameTable([("at", 1), ("qq", 2), ("image", 3), ("at", 4), (long, 5), (long + "y", 6), ("", 7)])

    @Test func findsEachNameAndOnlyThose() {
        #expect(Self.table["at"] == 1, "the first of a repeated name wins")
        #expect(Self.table["qq"] == 2)
        #expect(Self.table["image"] == 3)
        #expect(Self.table[Self.long] == 5)
        #expect(Self.table[Self.long + "y"] == 6, "names past the longest group share it")
        #expect(Self.table[""] == 7)
        #expect(Self.table["ab"] == nil)
        #expect(Self.table["imagf"] == nil)
        #expect(Self.table[String(repeating: "x", count: 41)] == nil)
    }
}

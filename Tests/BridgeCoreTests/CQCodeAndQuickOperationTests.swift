// `@testable` only for `TransformScope`, whose memberwise initializer is internal; everything else is `package`.
@testable import BridgeCore
import Testing

/// `{"type":"text","data":{"text":…}}`.
private func text(_ value: String) -> JSONValue {
    ["type": "text", "data": ["text": .string(value)]]
}

/// `{"type":…,"data":{…}}` with string data, as CQ codes parse.
private func code(_ type: String, _ data: JSONObject = [:]) -> JSONValue {
    ["type": .string(type), "data": .object(data)]
}

// MARK: - CQCode.segments(from:)

/// onebot11.md §10.2: `[CQ:type,key=value]`, values split at the first `=`, `&amp; &#91; &#93; &#44;` escapes.
@Suite struct CQCodeParsingTests {
    /// A CQ string and the array-form segments it must parse to.
    static let cases: [(String, [JSONValue])] = [
        // plain text
        ("hello", [text("hello")]),
        ("你好，世界", [text("你好，世界")]),
        ("a, b; c = d", [text("a, b; c = d")]),
        ("", []),
        // codes, alone, between text, adjacent, without params
        ("[CQ:face,id=14]", [code("face", ["id": "14"])]),
        ("[CQ:shake]", [code("shake")]),
        ("hi [CQ:face,id=14] bye", [text("hi "), code("face", ["id": "14"]), text(" bye")]),
        ("[CQ:at,qq=10001][CQ:face,id=1]", [code("at", ["qq": "10001"]), code("face", ["id": "1"])]),
        ("[CQ:at,qq=all] 开会", [code("at", ["qq": "all"]), text(" 开会")]),
        // several params, in order
        ("[CQ:share,url=http://baidu.com,title=百度,content=搜索一下]",
         [code("share", ["url": "http://baidu.com", "title": "百度", "content": "搜索一下"])]),
        ("[CQ:music,type=custom,url=u,audio=a,title=t]",
         [code("music", ["type": "custom", "url": "u", "audio": "a", "title": "t"])]),
        // values containing `=`: only the first `=` separates key from value
        ("[CQ:image,file=base64://QUJD==]", [code("image", ["file": "base64://QUJD=="])]),
        ("[CQ:image,file=a.jpg,url=http://x/y?a=1&amp;b=2]",
         [code("image", ["file": "a.jpg", "url": "http://x/y?a=1&b=2"])]),
        // escapes in text
        ("&amp; &#91;x&#93; &#44;", [text("& [x] ,")]),
        ("&#91;CQ:face,id=1&#93;", [text("[CQ:face,id=1]")]),
        ("1 &lt; 2", [text("1 &lt; 2")]),
        // escapes in values
        ("[CQ:share,title=a&#44;b,url=u&#91;1&#93;&amp;]", [code("share", ["title": "a,b", "url": "u[1]&"])]),
        // `&amp;` is undone last, so an escaped escape stays literal
        ("&amp;#91;", [text("&#91;")]),
        ("&amp;amp;", [text("&amp;")]),
        ("[CQ:share,title=&amp;#44;]", [code("share", ["title": "&#44;"])]),
        // malformed: kept as literal text, never dropped
        ("[CQ:face,id=1", [text("[CQ:face,id=1")]),
        ("ok [CQ:face,id=1] and [CQ:at", [text("ok "), code("face", ["id": "1"]), text(" and [CQ:at")]),
        ("x &amp; [CQ:face", [text("x & [CQ:face")]),
        ("[CQ:]", [text("[CQ:]")]),
        ("a [CQ:] b", [text("a [CQ:] b")]),
        ("[CQ:,id=1]", [text("[CQ:,id=1]")]),
        ("a [CQ:] [CQ:face,id=2]", [text("a [CQ:] "), code("face", ["id": "2"])]),
        ("[not a code]", [text("[not a code]")]),
    ]

    @Test(arguments: cases)
    func parses(input: String, expected: [JSONValue]) {
        #expect(CQCode.segments(from: input) == expected)
    }

    @Test func everyDataValueIsAString() {
        let segments = CQCode.segments(from: "[CQ:face,id=14][CQ:record,file=a.amr,magic=true]")
        for segment in segments {
            for entry in segment.objectValue?["data"]?.objectValue?.entries ?? [] {
                #expect(entry.value.stringValue != nil, "\(entry.key) is \(entry.value.typeName)")
            }
        }
        #expect(segments.count == 2)
    }
}

// MARK: - CQCode.string(from:)

@Suite struct CQCodeRenderingTests {
    /// Segments and the CQ string they must render to.
    static let cases: [([JSONValue], String)] = [
        ([text("hello")], "hello"),
        ([text("[CQ:at,qq=all]")], "&#91;CQ:at,qq=all&#93;"),
        ([text("a & b, [c]")], "a &amp; b, &#91;c&#93;"),
        ([code("face", ["id": "14"])], "[CQ:face,id=14]"),
        ([code("shake")], "[CQ:shake]"),
        ([text("hi "), code("at", ["qq": "10001"]), text(" bye")], "hi [CQ:at,qq=10001] bye"),
        ([code("share", ["url": "http://a/?b=1,2", "title": "[x] & y"])],
         "[CQ:share,url=http://a/?b=1&#44;2,title=&#91;x&#93; &amp; y]"),
        // non-string data (JSON callers) is written as text
        ([code("face", ["id": 14])], "[CQ:face,id=14]"),
        ([["type": "record", "data": ["file": "a.amr", "magic": true]]], "[CQ:record,file=a.amr,magic=true]"),
        // a segment without data, and one that is not a segment, are handled without a crash
        ([["type": "shake"]], "[CQ:shake]"),
        (["not a segment", text("x")], "x"),
    ]

    @Test(arguments: cases)
    func renders(segments: [JSONValue], expected: String) {
        #expect(CQCode.string(from: segments) == expected)
    }

    /// User text that looks like CQ code must come back as the same text, never as a code.
    static let userTexts = [
        "[CQ:at,qq=all]",
        "[CQ:face,id=1] hi",
        "&#91;literal&#93;",
        "&amp;",
        "a,b=c]&[",
        "[CQ:",
        "]",
        "中文 [CQ:image,file=http://x/y.jpg] 😀",
        "&#44;",
    ]

    @Test(arguments: userTexts)
    func textRoundTripsAsText(input: String) {
        let rendered = CQCode.string(from: [text(input)])
        #expect(!rendered.contains("[CQ:"))
        #expect(CQCode.segments(from: rendered) == [text(input)])
    }

    @Test func mixedSegmentsRoundTrip() {
        let segments: [JSONValue] = [
            text("a,b & [c] "),
            code("at", ["qq": "10001"]),
            text(" "),
            code("share", ["url": "http://a/?x=1&y=2,3", "title": "[标题]", "content": "a=b"]),
            text("&#91;"),
        ]
        #expect(CQCode.segments(from: CQCode.string(from: segments)) == segments)
    }

    /// Escaping as onebot11.md §10.2: `,` only inside values, `;` never.
    @Test func escapeRules() {
        #expect(CQCode.escape("&[],;", inValue: false) == "&amp;&#91;&#93;,;")
        #expect(CQCode.escape("&[],;", inValue: true) == "&amp;&#91;&#93;&#44;;")
        #expect(CQCode.unescape("&amp;&#91;&#93;&#44;;") == "&[],;")
        #expect(CQCode.unescape("plain") == "plain")
    }
}

// MARK: - QuickOperation.actions

/// One quick operation: the event, the operation, and the hub actions that must carry it out, in order.
struct QuickOperationCase: Sendable, CustomTestStringConvertible {
    var name: String
    var event: JSONObject
    var operation: JSONObject
    var expected: [ActionRequest]

    var testDescription: String { name }
}

/// onebot11.md §9.2, §9.4, §7.3.
@Suite struct QuickOperationTests {
    static let privateMessage: JSONObject = [
        "post_type": "message", "message_type": "private", "sub_type": "friend", "message_id": 5,
        "user_id": 10001, "message": "hi", "raw_message": "hi",
    ]
    static let groupMessage: JSONObject = [
        "post_type": "message", "message_type": "group", "sub_type": "normal", "message_id": 7,
        "group_id": 20002, "user_id": 10001, "anonymous": nil, "message": "hi",
    ]
    static let anonymous: JSONValue = ["id": 80_000_000, "name": "匿名者", "flag": "anon-flag"]
    static let anonymousMessage: JSONObject = [
        "post_type": "message", "message_type": "group", "sub_type": "anonymous", "message_id": 8,
        "group_id": 20002, "user_id": 80_000_000, "anonymous": anonymous, "message": "hi",
    ]
    static let mention: JSONValue = ["type": "at", "data": ["qq": "10001"]]

    static func send(_ type: String, _ target: String, _ id: JSONValue, _ message: [JSONValue]) -> ActionRequest {
        var params: JSONObject = ["message_type": .string(type), "message": .array(message)]
        params[target] = id
        return ActionRequest(action: "send_msg", params: params)
    }

    static let cases: [QuickOperationCase] = [
        QuickOperationCase(
            name: "private reply is parsed as CQ code",
            event: privateMessage, operation: ["reply": "hello [CQ:face,id=1]"],
            expected: [send("private", "user_id", 10001, [text("hello "), code("face", ["id": "1"])])]),
        QuickOperationCase(
            name: "private reply with auto_escape is plain text",
            event: privateMessage, operation: ["reply": "hello [CQ:face,id=1]", "auto_escape": true],
            expected: [send("private", "user_id", 10001, [text("hello [CQ:face,id=1]")])]),
        QuickOperationCase(
            name: "private reply ignores at_sender",
            event: privateMessage, operation: ["reply": "hi", "at_sender": true],
            expected: [send("private", "user_id", 10001, [text("hi")])]),
        QuickOperationCase(
            name: "private event: group-only operations do nothing",
            event: privateMessage, operation: ["delete": true, "kick": true, "ban": true],
            expected: []),
        QuickOperationCase(
            name: "empty operation does nothing",
            event: groupMessage, operation: [:],
            expected: []),
        QuickOperationCase(
            name: "group reply @s the sender by default",
            event: groupMessage, operation: ["reply": "hi"],
            expected: [send("group", "group_id", 20002, [mention, text(" "), text("hi")])]),
        QuickOperationCase(
            name: "group reply array gets the @ prepended",
            event: groupMessage, operation: ["reply": [["type": "face", "data": ["id": "1"]]]],
            expected: [send("group", "group_id", 20002, [mention, text(" "), code("face", ["id": "1"])])]),
        QuickOperationCase(
            name: "group reply with at_sender false",
            event: groupMessage, operation: ["reply": "hi", "at_sender": false],
            expected: [send("group", "group_id", 20002, [text("hi")])]),
        QuickOperationCase(
            name: "group reply with at_sender \"false\" as a string",
            event: groupMessage, operation: ["reply": "hi", "at_sender": "false"],
            expected: [send("group", "group_id", 20002, [text("hi")])]),
        QuickOperationCase(
            name: "delete, kick and ban with the default 30 minutes",
            event: groupMessage, operation: ["delete": true, "kick": true, "ban": true],
            expected: [
                ActionRequest(action: "delete_msg", params: ["message_id": 7]),
                ActionRequest(action: "set_group_kick", params: ["group_id": 20002, "user_id": 10001]),
                ActionRequest(action: "set_group_ban", params: ["group_id": 20002, "user_id": 10001, "duration": 1800]),
            ]),
        QuickOperationCase(
            name: "reply first, then ban with a custom ban_duration",
            event: groupMessage, operation: ["reply": "安静", "at_sender": false, "ban": true, "ban_duration": 60],
            expected: [
                send("group", "group_id", 20002, [text("安静")]),
                ActionRequest(action: "set_group_ban", params: ["group_id": 20002, "user_id": 10001, "duration": 60]),
            ]),
        QuickOperationCase(
            name: "false flags do nothing",
            event: groupMessage, operation: ["delete": false, "kick": false, "ban": false],
            expected: []),
        QuickOperationCase(
            name: "anonymous sender: no @, no kick, anonymous ban",
            event: anonymousMessage, operation: ["reply": "hi", "kick": true, "ban": true],
            expected: [
                send("group", "group_id", 20002, [text("hi")]),
                ActionRequest(action: "set_group_anonymous_ban",
                              params: ["group_id": 20002, "anonymous": anonymous, "duration": 1800]),
            ]),
        QuickOperationCase(
            name: "anonymous ban with ban_duration",
            event: anonymousMessage, operation: ["ban": true, "ban_duration": 600],
            expected: [
                ActionRequest(action: "set_group_anonymous_ban",
                              params: ["group_id": 20002, "anonymous": anonymous, "duration": 600]),
            ]),
        QuickOperationCase(
            name: "friend request approved with a remark",
            event: ["post_type": "request", "request_type": "friend", "user_id": 10001, "comment": "我是", "flag": "flag-f"],
            operation: ["approve": true, "remark": "老同学"],
            expected: [ActionRequest(action: "set_friend_add_request",
                                     params: ["flag": "flag-f", "approve": true, "remark": "老同学"])]),
        QuickOperationCase(
            name: "friend request approved without a remark",
            event: ["post_type": "request", "request_type": "friend", "user_id": 10001, "flag": "flag-f"],
            operation: ["approve": true],
            expected: [ActionRequest(action: "set_friend_add_request", params: ["flag": "flag-f", "approve": true])]),
        QuickOperationCase(
            name: "group add request refused with a reason",
            event: ["post_type": "request", "request_type": "group", "sub_type": "add", "group_id": 20002,
                    "user_id": 10001, "comment": "让我进", "flag": "flag-g"],
            operation: ["approve": false, "reason": "不认识"],
            expected: [ActionRequest(action: "set_group_add_request",
                                     params: ["flag": "flag-g", "approve": false, "sub_type": "add", "reason": "不认识"])]),
        QuickOperationCase(
            name: "group invite approved keeps the invite sub_type",
            event: ["post_type": "request", "request_type": "group", "sub_type": "invite", "group_id": 20002,
                    "user_id": 10001, "flag": "flag-i"],
            operation: ["approve": true],
            expected: [ActionRequest(action: "set_group_add_request",
                                     params: ["flag": "flag-i", "approve": true, "sub_type": "invite"])]),
        QuickOperationCase(
            name: "request without approve does nothing",
            event: ["post_type": "request", "request_type": "friend", "user_id": 10001, "flag": "flag-f"],
            operation: ["remark": "x"],
            expected: []),
    ]

    @Test(arguments: cases)
    func actions(row: QuickOperationCase) throws {
        let actions = try QuickOperation.actions(event: row.event, operation: row.operation)
        #expect(actions.map(\.action) == row.expected.map(\.action))
        #expect(actions == row.expected, "got \(actions.map { JSONValue.object($0.params).canonicalText() })")
    }

    /// Events that are neither messages nor requests, and what the error names.
    static let refused: [(JSONObject, String)] = [
        (["post_type": "notice", "notice_type": "group_increase", "group_id": 20002], "post_type 'notice'"),
        (["post_type": "meta_event", "meta_event_type": "heartbeat"], "post_type 'meta_event'"),
        (["message_type": "private", "user_id": 10001], "no post_type"),
    ]

    @Test(arguments: refused)
    func nonMessageOrRequestEventThrows(event: JSONObject, got: String) {
        #expect(throws: TranslationError.badParamType(action: ".handle_quick_operation", name: "context",
                                                      expected: "a message or request event", got: got)) {
            try QuickOperation.actions(event: event, operation: ["reply": "hi"])
        }
    }

    @Test func refusalIsBadParam() {
        do {
            _ = try QuickOperation.actions(event: ["post_type": "notice"], operation: [:])
            Issue.record("a notice was accepted")
        } catch {
            #expect(error.kind == .badParam)
        }
    }
}

// MARK: - NamedTransform.cqToArray

/// icqq.yaml `cq_to_array`: icqq sends a string message as literal text (dialects.md §5).
@Suite struct CQToArrayTransformTests {
    static let scope = TransformScope(action: "send_group_msg", isStrict: true, context: TranslationContext(now: 0),
                                      segments: nil)
    static let parsed: JSONValue = [text("hi "), code("face", ["id": "1"])]
    static let plain: JSONValue = [text("hi [CQ:face,id=1]")]

    /// Params in and params out.
    static let cases: [(JSONObject, JSONObject)] = [
        (["group_id": 1, "message": "hi [CQ:face,id=1]"], ["group_id": 1, "message": parsed]),
        (["group_id": 1, "message": "hi [CQ:face,id=1]", "auto_escape": false], ["group_id": 1, "message": parsed]),
        (["group_id": 1, "message": "hi [CQ:face,id=1]", "auto_escape": true], ["group_id": 1, "message": plain]),
        (["group_id": 1, "message": "hi [CQ:face,id=1]", "auto_escape": "true"], ["group_id": 1, "message": plain]),
        (["group_id": 1, "message": "hi [CQ:face,id=1]", "auto_escape": 1], ["group_id": 1, "message": plain]),
        (["group_id": 1, "message": "hi [CQ:face,id=1]", "auto_escape": "0"], ["group_id": 1, "message": parsed]),
        (["group_id": 1, "message": "&#91;x&#93; &amp;", "auto_escape": true],
         ["group_id": 1, "message": [text("&#91;x&#93; &amp;")]]),
        (["group_id": 1, "message": "&#91;x&#93; &amp;"], ["group_id": 1, "message": [text("[x] &")]]),
        // arrays and single segments pass unchanged; the flag is still dropped
        (["user_id": 2, "message": [text("[CQ:face,id=1]")], "auto_escape": false],
         ["user_id": 2, "message": [text("[CQ:face,id=1]")]]),
        (["user_id": 2, "message": code("face", ["id": "1"]), "auto_escape": true],
         ["user_id": 2, "message": code("face", ["id": "1"])]),
        // nothing to convert
        (["user_id": 2, "auto_escape": true], ["user_id": 2]),
        (["user_id": 2], ["user_id": 2]),
    ]

    @Test(arguments: cases)
    func converts(input: JSONObject, expected: JSONObject) throws {
        var params = input
        try NamedTransform.cqToArray.apply(to: &params, scope: Self.scope)
        #expect(params == expected, "got \(JSONValue.object(params).canonicalText())")
        #expect(params["auto_escape"] == nil)
    }

    @Test func tableName() {
        #expect(NamedTransform(rawValue: "cq_to_array") == .cqToArray)
    }

    @Test func otherParamsKeepTheirPlace() throws {
        var params: JSONObject = ["message_type": "group", "group_id": 1, "message": "x", "auto_escape": false]
        try NamedTransform.cqToArray.apply(to: &params, scope: Self.scope)
        #expect(params.keys == ["message_type", "group_id", "message"])
    }
}

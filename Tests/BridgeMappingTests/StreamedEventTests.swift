import BridgeCore
import BridgeMapping
import Foundation
import Testing

/// The streamed event path (`EventTranslator.streamedEvent`) against the tree path (`translated`): whenever it
/// writes an event, that event must read back as exactly the tree path's, key order included; and it must hand
/// back (nil) what the tree path would read differently or refuse.
@Suite struct StreamedEventTests {
    static let context = EventGoldenTests.context

    /// Checks agreement for one event; returns whether the streamed path wrote it.
    @discardableResult
    static func agree(_ event: [UInt8], translator: EventTranslator,
                      sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        guard let streamed = event.withUnsafeBytes({ translator.streamedEvent($0, context: context) }) else { return false }
        var tree: [UInt8]?
        if let value = try? JSONParser.parse(event), case .deliver(let translated) = translator.translated(value, context: context) {
            tree = translated.event.serialized()
        }
        #expect(String(validating: streamed, as: UTF8.self) != nil, "streamed invalid UTF-8", sourceLocation: sourceLocation)
        // Parsed and written again, so escapes and number spellings compare as values; key order still counts.
        let reread = (try? JSONParser.parse(streamed))?.serialized()
        #expect(reread != nil && reread == tree, """
            streamed: \(String(decoding: streamed, as: UTF8.self))
            tree:     \(tree.map { String(decoding: $0, as: UTF8.self) } ?? "rejected")
            event:    \(String(decoding: event, as: UTF8.self))
            """, sourceLocation: sourceLocation)
        return true
    }

    @Test func everyGoldenEventAgrees() throws {
        var streamed = 0
        var messages = 0
        for row in EventGoldenTests.cases() where row.client == "onebot12" && !row.options.usesLegacyFormat {
            let translator = EventTranslator(plan: try GoldenTests.tables.plan(client: row.client, upstream: row.upstream))
            let isMessage = row.input.objectValue?["post_type"] == "message"
            if Self.agree(Array(row.input.jsonText.utf8), translator: translator) {
                streamed += 1
                if isMessage { messages += 1 }
            } else if isMessage, row.upstream != "icqq" {
                // Message rows of upstreams without event rows must stream: the path is not allowed to pass by
                // giving up on everything.
                Issue.record("\(row) was not streamed")
            }
        }
        #expect(streamed >= 10 && messages >= 5, "streamed \(streamed) golden events, \(messages) messages")
    }

    static let translator = EventTranslator(plan: try! GoldenTests.tables.plan(client: "onebot12", upstream: "napcat"))
    static let base = #"{"time":1700000000,"self_id":2854196310,"post_type":"message","message_type":"group","sub_type":"normal","message_id":42,"group_id":123456,"user_id":123456789,"font":0,"message":[{"type":"reply","data":{"id":"41"}},{"type":"at","data":{"qq":"2854196310"}},{"type":"text","data":{"text":" hello "}},{"type":"image","data":{"file":"abc.jpg","url":"http://x/abc.jpg"}},{"type":"face","data":{"id":"1"}}],"raw_message":"","sender":{"user_id":123456789,"nickname":"某人","card":""}}"#

    /// Variants that must stream and agree: forms, orders, escapes, numbers, nested IDs, missing fields.
    static let streamable: [String] = [
        base,
        base.replacingOccurrences(of: #""message":[{"type":"reply","data":{"id":"41"}},{"type":"at","data":{"qq":"2854196310"}},{"type":"text","data":{"text":" hello "}},{"type":"image","data":{"file":"abc.jpg","url":"http://x/abc.jpg"}},{"type":"face","data":{"id":"1"}}]"#,
                                  with: #""message":"[CQ:reply,id=41][CQ:at,qq=all] hi &amp; [CQ:face,id=1]""#),
        // The message before the discriminators, an alt_message already there, an unknown field with IDs inside.
        #"{"message":[{"type":"text","data":{"text":"a\"b\\c\u00e9"}}],"alt_message":"old","post_type":"message","message_type":"private","sub_type":"friend","time":"1700000000","self_id":"2854196310","user_id":10001,"extra":{"list":[{"user_id":5,"x":1.50}],"group_id":7},"message_id":-3}"#,
        // No sub_type, no time, no self_id: the envelope falls back to the context.
        #"{"post_type":"message","message_type":"group","group_id":1,"user_id":2,"message":"plain","anonymous":null}"#,
        // A notice row with targets from templates and no transforms.
        #"{"time":1700000000,"self_id":1,"post_type":"notice","notice_type":"group_increase","sub_type":"approve","group_id":3,"operator_id":4,"user_id":5}"#,
        #"{"time":1700000000,"self_id":1,"post_type":"notice","notice_type":"unknown_kind","sub_type":"x","user_id":5,"nested":[[1,2],{"user_id":6}]}"#,
        #"{"time":1700000000,"self_id":1,"post_type":"request","request_type":"friend","user_id":5,"comment":"hi","flag":"f1"}"#,
        // alt_message before message: the message is converted aside first.
        #"{"post_type":"message","message_type":"private","user_id":2,"alt_message":"x","message":[{"type":"at","data":{"qq":10001}},{"type":"at","data":{"qq":"all"}},{"type":"text","data":{"text":3}}]}"#,
        // Segments with their data first, null or absent data, and a type no rule names.
        #"{"post_type":"message","message_type":"private","user_id":2,"message":[{"data":{"id":"9","qq":1},"type":"reply"},{"type":"shake","data":null},{"type":"dice"},{"type":"mystery","data":{"user_id":5}}]}"#,
        // A segment the table converts by parsing (location converts numbers): the message takes the tree's way.
        #"{"post_type":"message","message_type":"private","user_id":2,"message":[{"type":"location","data":{"lat":"39.9","lon":"116.3"}},{"type":"text","data":{"text":"a\u00e9"}}]}"#,
        // A message array in an event with no segment rules is checked and copied.
        #"{"time":1,"self_id":1,"post_type":"notice","notice_type":"unknown_kind","message":[{"type":"text","data":{"text":"x"}}]}"#,
        // CQ-code strings: read in place, or (a repeated parameter, a joining mark, a JSON escape) by the table.
        #"{"post_type":"message","message_type":"group","user_id":2,"message":"[CQ:]a[CQ:,x=1]b[CQ:shake,flag][CQ:at,qq=all]"}"#,
        #"{"post_type":"message","message_type":"group","user_id":2,"message":"x&#91;1&#93;&#44;&amp;[CQ:image,file=a&#44;b.jpg,url=http://x/?a=1&amp;b=2]"}"#,
        #"{"post_type":"message","message_type":"group","user_id":2,"message":"[CQ:at,qq=1,qq=2] dup"}"#,
        #"{"post_type":"message","message_type":"group","user_id":2,"message":"e\#u{0301}[CQ:face,id=1]é😀"}"#,
        #"{"post_type":"message","message_type":"group","user_id":2,"message":"say \"hi\"[CQ:face,id=1]"}"#,
        #"{"post_type":"message","message_type":"group","user_id":2,"message":"unterminated [CQ:at,qq=1"}"#,
        #"{"post_type":"message","message_type":"group","user_id":2,"message":""}"#,
        #"{"post_type":"message","message_type":"group","user_id":2,"message":"[CQ:reply,id=7][CQ:at,qq=5] hi [CQ:record,file=a.amr,magic=1]"}"#,
        // A message with an empty segment list and a null message.
        #"{"post_type":"message","message_type":"private","user_id":2,"message":[]}"#,
        #"{"post_type":"message","message_type":"private","user_id":2,"message":null}"#,
    ]

    @Test(arguments: streamable)
    func streamsAndAgrees(_ event: String) {
        #expect(Self.agree(Array(event.utf8), translator: Self.translator), "not streamed: \(event)")
    }

    /// What the streamed path hands back: the tree path decides what these are.
    static let handedBack: [String] = [
        "",
        "[]",
        #"{"post_type":"message","post_type":"notice"}"#,
        #"{"post_type":1,"message_type":"group"}"#,
        #"{"message_type":"group"}"#,
        #"{"post_type":"mess\u0061ge","message_type":"group"}"#,
        #"{"post_type":"message","message_type":"group","message":[1,2,]}"#,
        #"{"post_type":"message","message_type":"group"} trailing"#,
        #"{"post_type":"meta_event","meta_event_type":"heartbeat","interval":5000}"#,
        #"{"post_type":"message","message_type":"group","big":1e400}"#,
        // The message array is only measured on the first pass; each of these must still be refused.
        #"{"post_type":"message","message_type":"group","message":[{"type":"text","data":{"text":"a"}},]}"#,
        #"{"post_type":"message","message_type":"group","message":[{"type":"text","data":{"text":"a\#u{01}"}}]}"#,
        #"{"post_type":"message","message_type":"group","message":[{"type":"text","data":{"text":"a","text":"b"}}]}"#,
        #"{"post_type":"notice","notice_type":"unknown_kind","message":[1,]}"#,
        #"{"post_type":"message","message_type":"group","message":[{"type":"text","data":{"text":"a\q"}}]}"#,
        #"{"post_type":"message","message_type":"group","message":["# + String(repeating: "[", count: 300)
            + String(repeating: "]", count: 300) + "]}",
        // Just past the parser's depth limit inside the event, though within it for the message alone.
        #"{"post_type":"message","message_type":"group","message":["# + String(repeating: "[", count: 255)
            + String(repeating: "]", count: 255) + "]}",
    ]

    @Test(arguments: handedBack)
    func handsBack(_ event: String) {
        #expect(!Self.agree(Array(event.utf8), translator: Self.translator), "streamed: \(event)")
    }

    /// Segments the streamed path converted itself keep the upstream's spelling of strings; a message it left to
    /// the tree is written anew. So these tell which way each message went.
    @Test func segmentsStreamUnlessARuleReadsValues() throws {
        let streamed = try #require(Array(#"{"post_type":"message","message_type":"private","message":[{"type":"text","data":{"text":"\u00e9"}}]}"#.utf8)
            .withUnsafeBytes { Self.translator.streamedEvent($0, context: Self.context) })
        #expect(String(decoding: streamed, as: UTF8.self).contains(#""text":"\u00e9""#))
        let tree = try #require(Array(#"{"post_type":"message","message_type":"private","message":[{"type":"location","data":{"lat":"1"}},{"type":"text","data":{"text":"\u00e9"}}]}"#.utf8)
            .withUnsafeBytes { Self.translator.streamedEvent($0, context: Self.context) })
        #expect(String(decoding: tree, as: UTF8.self).contains(#""text":"é""#))
    }

    /// icqq has an upstream row for messages (`cq_raw_message`): the tree path applies it.
    @Test func anUpstreamRowHandsBack() throws {
        let icqq = EventTranslator(plan: try GoldenTests.tables.plan(client: "onebot12", upstream: "icqq"))
        #expect(!Self.agree(Array(Self.base.utf8), translator: icqq))
    }
}

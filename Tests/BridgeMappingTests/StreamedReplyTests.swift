import BridgeCore
import BridgeMapping
import Foundation
import Testing

/// The streaming reply path (`Translator.streamedResponse`) against the tree path (`translatedResponse`):
/// whenever it answers, its envelope must read back as exactly the tree path's, key order included; and it
/// must hand back (nil) every reply the tree path would read differently or refuse.
@Suite struct StreamedReplyTests {
    static let context = GoldenTests.context

    /// The tree path's envelope for `reply` (bytes), or nil when the bytes are not JSON.
    static func treeEnvelope(_ reply: [UInt8], translator: Translator, call: UpstreamCall) -> [UInt8]? {
        guard let value = try? JSONParser.parse(reply) else { return nil }
        return translator.translatedResponse(value, for: call, context: context).envelope().serialized()
    }

    /// Checks agreement for one reply; returns whether the streaming path answered.
    @discardableResult
    static func agree(_ reply: [UInt8], translator: Translator, call: UpstreamCall,
                      sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let streamed = reply.withUnsafeBytes { translator.streamedResponse($0, for: call)?.array }
        guard let streamed else { return false }
        let tree = treeEnvelope(reply, translator: translator, call: call)
        // The reader repairs invalid UTF-8 on the way in, so the comparison below would not see it passed on.
        #expect(String(validating: streamed, as: UTF8.self) != nil, "streamed invalid UTF-8",
                sourceLocation: sourceLocation)
        // Parsed and written again, so escapes and number spellings compare as values; key order still counts.
        let reread = (try? JSONParser.parse(streamed))?.serialized()
        #expect(reread != nil && reread == tree, """
            streamed: \(String(decoding: streamed, as: UTF8.self))
            tree:     \(tree.map { String(decoding: $0, as: UTF8.self) } ?? "not JSON")
            reply:    \(String(decoding: reply, as: UTF8.self))
            """, sourceLocation: sourceLocation)
        return true
    }

    static func call(_ action: String, translator: Translator, echo: JSONValue? = "e1") throws -> UpstreamCall {
        let request = try ActionRequest(envelope: ["action": .string(action), "params": [:], "echo": echo ?? .null],
                                        requiresParams: true)
        guard case .forward(let call) = translator.translatedRequest(request, context: context) else {
            throw TranslationError.badRequest(reason: "\(action) was not forwarded")
        }
        return call
    }

    @Test func everyGoldenReplyAgrees() throws {
        var streamed = 0
        var successes = 0
        for row in FixtureLoader.cases() {
            guard let reply = row.upstreamReply else { continue }
            let translator = Translator(plan: try GoldenTests.tables.plan(client: row.client, upstream: row.upstream))
            var context = Self.context
            context.acceptsStringParams = row.client != "onebot12"
            guard let request = try? ActionRequest(envelope: row.request, requiresParams: row.client == "onebot12"),
                case .forward(let call) = translator.translatedRequest(request, context: context)
            else { continue }
            if reply.objectValue?["retcode"] == .int(0) { successes += 1 }
            if Self.agree(reply.serialized(), translator: translator, call: call) { streamed += 1 }
        }
        // Most successful replies need no rule that reads values; if none streams, the path is dead.
        print("streamed \(streamed) of \(successes) successful golden replies")
        #expect(streamed * 2 > successes, "streamed \(streamed) of \(successes) successful golden replies")
    }

    static let friendList: [UInt8] = {
        func friend(_ id: Int) -> String {
            #"{"user_id":\#(id),"nickname":"某人","remark":"备注","sex":"male","level":12,"#
                + #""tags":[1,2],"card":{"user_id":5,"extra":[{"group_id":6}]},"email":"a\"b\\c\u00e9\n"}"#
        }
        return Array(#"{"status":"ok","retcode":0,"data":[\#(friend(10001)),\#(friend(10002))],"message":"","wording":""}"#.utf8)
    }()

    @Test func friendListStreamsAndAgrees() throws {
        let translator = Translator(plan: try GoldenTests.tables.plan(client: "onebot12", upstream: "napcat"))
        let call = try Self.call("get_friend_list", translator: translator)
        #expect(Self.agree(Self.friendList, translator: translator, call: call))
        let streamed = try #require(Self.friendList.withUnsafeBytes {
            translator.streamedResponse($0, for: call)?.array
        })
        let text = String(decoding: streamed, as: UTF8.self)
        #expect(text.hasPrefix(#"{"status":"ok","retcode":0,"data":[{"user_id":"10001","nickname":"某人","#))
        #expect(text.contains(#""card":{"user_id":"5","extra":[{"group_id":"6"}]}"#))
        #expect(text.contains(#""tags":[1,2]"#))
        #expect(text.hasSuffix(#""message":"","echo":"e1"}"#))
    }

    /// Lists of small friends grow about threefold (quoted IDs, three added fields each), past the room the
    /// streamer sets aside (half as much again as the reply): its buffer grows, possibly more than once, and the
    /// answer handed over is the grown one, whole.
    @Test(arguments: [1, 2, 30, 700])
    func answersThatOutgrowTheirFirstBufferAgree(friends: Int) throws {
        let translator = Translator(plan: try GoldenTests.tables.plan(client: "onebot12", upstream: "napcat"))
        let call = try Self.call("get_friend_list", translator: translator)
        let items = (0..<friends).map { #"{"user_id":\#($0),"nickname":"n"}"# }.joined(separator: ",")
        let reply = Array(#"{"status":"ok","retcode":0,"data":[\#(items)]}"#.utf8)
        #expect(Self.agree(reply, translator: translator, call: call))
        let streamed = try #require(reply.withUnsafeBytes { translator.streamedResponse($0, for: call) })
        #expect(streamed.count > reply.count * 2)
        #expect(streamed.array.count == streamed.count)
        let ending = #""user_displayname":"","user_remark":""}],"message":"","echo":"e1"}"#
        #expect(String(decoding: streamed.array, as: UTF8.self).hasSuffix(ending))
    }

    /// A list's element shape writes its keys and constants as literals worked out once (`foldedLiterals`);
    /// an integer constant under an ID key is written as a string there too. No shipped table sets one on a list,
    /// so this test adds `set: {group_id: 10001}` to OB12's `get_friend_list` in a copy of the tables.
    @Test func idConstantsInListElementsAreQuoted() throws {
        let shipped = FixtureLoader.root.appendingPathComponent("mappings").path
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("onebot-tables-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in try FileManager.default.contentsOfDirectory(atPath: shipped) where name.hasSuffix(".yaml") {
            var text = try String(contentsOfFile: shipped + "/" + name, encoding: .utf8)
            if name == "onebot12.yaml" {
                let row = "  get_friend_list:\n    response: {copy: {nickname: user_name, remark: user_remark}, "
                #expect(text.contains(row))
                text = text.replacingOccurrences(of: row, with: row + "set: {group_id: 10001}, ")
            }
            try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let tables = try MappingLoader.load(directory: folder.path)
        let translator = Translator(plan: try tables.plan(client: "onebot12", upstream: "napcat"))
        let call = try Self.call("get_friend_list", translator: translator)
        #expect(Self.agree(Self.friendList, translator: translator, call: call))
        let streamed = try #require(Self.friendList.withUnsafeBytes {
            translator.streamedResponse($0, for: call)?.array
        })
        let text = String(decoding: streamed, as: UTF8.self)
        #expect(text.components(separatedBy: #""group_id":"10001""#).count == 3, "\(text)")
    }

    /// Every truncation, and every byte replaced by something that breaks or bends JSON: the streaming path
    /// either agrees with the tree path or hands the reply back; never an answer for a reply the tree refuses.
    @Test func brokenRepliesAreHandedBack() throws {
        let translator = Translator(plan: try GoldenTests.tables.plan(client: "onebot12", upstream: "napcat"))
        let call = try Self.call("get_friend_list", translator: translator)
        let reply = Self.friendList
        for end in 0..<reply.count {
            #expect(!Self.agree(Array(reply[..<end]), translator: translator, call: call), "cut at \(end)")
        }
        var streamed = 0
        let replacements: [[UInt8]] = [[0x22], [0x5C], [0x7B], [0x5D], [0x2C], [0x3A], [0xFF], [0x00], [0x20], [0x31],
                                        Array("1e5".utf8), Array("\\ud83d".utf8), [0xC3]]
        for position in reply.indices {
            for replacement in replacements {
                var broken = reply
                broken.replaceSubrange(position...position, with: replacement)
                if Self.agree(broken, translator: translator, call: call) { streamed += 1 }
            }
        }
        // Replacing a digit by a digit, or a space inside a string, keeps the reply valid: those must stream.
        #expect(streamed > 50, "\(streamed) valid variants streamed")
    }

    /// Integers in list elements after the first are read a word at a time (`JSONByteScan.shortInteger`): every
    /// length from 1 to 20 digits, signs, zeros and what may follow a number must read as the full reader reads them.
    @Test func integersOfEveryLengthInShapedElementsAgree() throws {
        let translator = Translator(plan: try GoldenTests.tables.plan(client: "onebot12", upstream: "napcat"))
        let call = try Self.call("get_friend_list", translator: translator)
        var numbers = ["0", "-0", "7", "-7", "10", "99", "100", "9223372036854775807", "-9223372036854775808"]
        // Every length Int64 holds: 19 digits starting with 3 do, 19 nines do not (those are handed back whole).
        for length in 1...19 {
            // A first digit of 3, then varied ones: no leading zero.
            let digits = (0..<length).map { String(($0 * 7 + 3) % 10) }.joined()
            numbers += [digits, "-" + digits] + (length < 19 ? [String(repeating: "9", count: length)] : [])
        }
        for spacing in ["", " "] {
            let elements = numbers.enumerated().map { index, number in
                #"{"user_id":\#(number)\#(spacing),"age":\#(numbers[(index + 5) % numbers.count]),"x":1}"#
            }
            let reply = #"{"status":"ok","retcode":0,"data":[{"user_id":1,"age":2,"x":1},\#(elements.joined(separator: ","))]}"#
            let streamed = Self.agree(Array(reply.utf8), translator: translator, call: call)
            #expect(streamed, "handed back with spacing '\(spacing)'")
        }
        // Numbers the word-at-a-time reader leaves to the full read: each still agrees, or is handed back.
        for odd in ["01", "00", "1.5", "1e5", "-", "12345678.5", "123456789e1", "-01"] {
            let reply = #"{"status":"ok","retcode":0,"data":[{"user_id":1,"age":2},{"user_id":\#(odd),"age":3},{"user_id":4,"age":5}]}"#
            _ = Self.agree(Array(reply.utf8), translator: translator, call: call)
        }
    }

    /// A list element's values that are the bytes of the element before are taken without being scanned again
    /// (`readComparing`): numbers that only start like the one before, values that repeat after one that changed
    /// length, change and then repeat again, escapes, containers with IDs inside, `-0`, and a member that differs
    /// in every element. Then every cut and byte substitution of such a list: a broken value must still be found
    /// where its bytes differ from the element before.
    @Test func valuesRepeatedFromTheElementBeforeAgree() throws {
        let translator = Translator(plan: try GoldenTests.tables.plan(client: "onebot12", upstream: "napcat"))
        let call = try Self.call("get_friend_list", translator: translator)
        let rows: [(user: String, age: String, name: String, card: String, level: String)] = [
            ("1", "12", #""a\"b""#, #"{"user_id":5,"x":[1]}"#, "-0"),
            ("2", "12", #""a\"b""#, #"{"user_id":5,"x":[1]}"#, "-0"),
            ("3", "123", #""a\"b""#, #"{"user_id":5,"x":[1]}"#, "-0"),
            ("44", "12", #""a\"bc""#, #"{"user_id":6,"x":[1]}"#, "0"),
            ("5", "12", #""a\"bc""#, #"{"user_id":6,"x":[1]}"#, "0"),
            ("666", "1", #""备注""#, "[]", "7"),
            ("7", "1", #""备注""#, "[]", "7"),
            ("8", "1", #""备注""#, "[]", "7"),
        ]
        func list(_ rows: [(user: String, age: String, name: String, card: String, level: String)]) -> [UInt8] {
            let elements = rows.map {
                #"{"user_id":\#($0.user),"age":\#($0.age),"nickname":\#($0.name),"card":\#($0.card),"level":\#($0.level)}"#
            }
            return Array(#"{"status":"ok","retcode":0,"data":[\#(elements.joined(separator: ","))]}"#.utf8)
        }
        let reply = list(rows)
        #expect(Self.agree(reply, translator: translator, call: call))
        let answer = try #require(reply.withUnsafeBytes { translator.streamedResponse($0, for: call)?.array })
        let text = String(decoding: answer, as: UTF8.self)
        #expect(text.contains(#"{"user_id":"3","age":123,"nickname":"a\"b","card":{"user_id":"5","x":[1]},"level":-0,"#))
        #expect(text.contains(#"{"user_id":"8","age":1,"nickname":"备注","card":[],"level":7,"#))
        // The same elements in another order, so that repeats follow changes of length elsewhere.
        #expect(Self.agree(list(rows.reversed()), translator: translator, call: call))
        #expect(Self.agree(list(rows.map { ($0.level, $0.age, $0.name, $0.card, $0.user) }), translator: translator,
                           call: call))
        var streamed = 0
        for end in 0..<reply.count {
            #expect(!Self.agree(Array(reply[..<end]), translator: translator, call: call), "cut at \(end)")
        }
        for position in reply.indices {
            for replacement: [UInt8] in [[0x22], [0x5C], [0x2C], [0xFF], [0x00], [0x31], [0x7D], Array("1.5".utf8)] {
                var broken = reply
                broken.replaceSubrange(position...position, with: replacement)
                if Self.agree(broken, translator: translator, call: call) { streamed += 1 }
            }
        }
        #expect(streamed > 50, "\(streamed) valid variants streamed")
    }

    /// A list's element shape is kept for the next reply under the same rules (`ShapeMemo`), whose first element
    /// is then read against it. Replies that differ from the kept shape in each thing a shape holds (a key, the
    /// spacing, a member more or fewer, the sort of a value, an empty list, a list inside) must agree as well;
    /// then all of them again at once on several threads, sharing the translator and its kept shapes.
    @Test func shapesKeptFromOneReplyToTheNextAgree() async throws {
        let translator = Translator(plan: try GoldenTests.tables.plan(client: "onebot12", upstream: "napcat"))
        let call = try Self.call("get_friend_list", translator: translator)
        func list(_ elements: String...) -> [UInt8] {
            Array(#"{"status":"ok","retcode":0,"data":[\#(elements.joined(separator: ","))]}"#.utf8)
        }
        let first = #"{"user_id":1,"nickname":"a","remark":"r","level":2}"#
        let replies = [
            list(first, #"{"user_id":2,"nickname":"b","remark":"r","level":2}"#),
            list(#"{"user_id":3,"nickname":"c","remark":"r","level":2}"#, first),
            list(#"{"user_id":4,"nick_name":"c","remark":"r","level":2}"#, first),
            list(#"{"user_id":5, "nickname":"d","remark":"r","level":2}"#, first),
            list(#"{"user_id":6,"nickname":"e","remark":"r"}"#, first),
            list(#"{"user_id":7,"nickname":"f","remark":"r","level":2,"x":[1]}"#, first),
            list(#"{"user_id":8,"nickname":null,"remark":"r","level":2}"#, first),
            list(#"{"user_id":"9","nickname":"h","remark":"r","level":2}"#, first),
            list(#"{"user_id":10,"nickname":"i","remark":"r","level":2.5}"#, first),
            list(),
            list(#"[{"user_id":11,"nickname":"j","remark":"r","level":2}]"#, first),
            list(first, first, first),
            list(#"{"nickname":"k","user_id":12,"remark":"r","level":2}"#, first, first),
        ]
        for (index, reply) in replies.enumerated() {
            #expect(Self.agree(reply, translator: translator, call: call), "reply \(index)")
            #expect(Self.agree(reply, translator: translator, call: call), "reply \(index), again")
        }
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<6 {
                group.addTask {
                    for round in 0..<40 {
                        let reply = replies[(task * 7 + round * 5) % replies.count]
                        #expect(Self.agree(reply, translator: translator, call: call))
                    }
                }
            }
        }
    }

    /// `data` as a single object is read against the shape kept from the reply before as well. Objects that
    /// differ from it in each thing a shape holds must agree; and every cut and byte substitution of a reply, each
    /// tried right after a good reply of the kept shape, must be handed back or agree.
    @Test func singleObjectsReadAgainstAKeptShapeAgree() throws {
        let translator = Translator(plan: try GoldenTests.tables.plan(client: "onebot12", upstream: "napcat"))
        let call = try Self.call("get_self_info", translator: translator)
        func reply(_ data: String) -> [UInt8] { Array(#"{"status":"ok","retcode":0,"data":\#(data)}"#.utf8) }
        let good = reply(#"{"user_id":2854196310,"nickname":"我是大笨蛋"}"#)
        let variants = [
            #"{"user_id":1,"nickname":"a"}"#, #"{"user_id":-0,"nickname":"a\"b"}"#, #"{"user_id":1, "nickname":"a"}"#,
            #"{"nickname":"a","user_id":1}"#, #"{"user_id":1}"#,
            #"{"user_id":1,"nickname":"a","x":[1,{"group_id":2}]}"#,
            #"{"user_id":1,"nickname":null}"#, #"{"user_id":"1","nickname":"a"}"#, #"{"user_id":1.5,"nickname":"a"}"#,
            #"{"user_id":1,"nickname":7}"#, #"{}"#, #"{"user_id":1,"user_name":"b","nickname":"a"}"#,
        ]
        for variant in variants {
            #expect(Self.agree(good, translator: translator, call: call))
            #expect(Self.agree(reply(variant), translator: translator, call: call), "\(variant)")
            #expect(Self.agree(reply(variant), translator: translator, call: call), "\(variant), again")
        }
        var streamed = 0
        for end in 0..<good.count {
            _ = Self.agree(good, translator: translator, call: call)
            #expect(!Self.agree(Array(good[..<end]), translator: translator, call: call), "cut at \(end)")
        }
        for position in good.indices {
            for replacement: [UInt8] in [[0x22], [0x5C], [0x2C], [0xFF], [0x00], [0x31], [0x7D], [0x20]] {
                var broken = good
                broken.replaceSubrange(position...position, with: replacement)
                _ = Self.agree(good, translator: translator, call: call)
                if Self.agree(broken, translator: translator, call: call) { streamed += 1 }
            }
        }
        #expect(streamed > 20, "\(streamed) valid variants streamed")
    }

    @Test(arguments: [
        #"{"status":"failed","retcode":100,"data":null,"message":"no"}"#,
        #"{"status":"ok","retcode":0,"data":[{"user_id":1,"user_id":2}]}"#,
        #"{"status":"ok","retcode":0,"data":[{"user\u005fid":1}]}"#,
        #"{"status":"ok","retcode":0,"data":[{"user_id":1.5e3}]}"#,
        #"{"status":"ok","retcode":0,"data":[{"user_id":123456789012345678901}]}"#,
        #"{"status":"ok","retcode":0,"data":[{"nickname":"\ud83d\ude00"}]}"#,
        #"{"status":"ok","retcode":0,"data":[]} trailing"#,
        #"{"status":"async","retcode":1,"data":null}"#,
        #"{"data":[]}"#,
        #"[1,2]"#,
    ])
    func unusualRepliesTakeTheTreePath(_ reply: String) throws {
        let translator = Translator(plan: try GoldenTests.tables.plan(client: "onebot12", upstream: "napcat"))
        let call = try Self.call("get_friend_list", translator: translator)
        #expect(Array(reply.utf8).withUnsafeBytes { translator.streamedResponse($0, for: call) } == nil)
    }

    @Test(arguments: [
        #"  {"retcode":0,"data":[{"nickname":null,"remark":"r"},{}],"status":"ok"}  "#,
        #"{"status":"","retcode":0,"data":{"user_id":7,"nickname":"n"}}"#,
        #"{"status":"ok","retcode":0,"data":[[{"nickname":"deep","user_id":-9223372036854775808}]]}"#,
        #"{"status":"ok","retcode":0,"data":[{"user_id":0.5,"group_id":[3],"x":{"a":[true,false,null,-0.25]}}]}"#,
        #"{"status":"ok","retcode":0}"#,
        // Numbers read while scanned: 18 digits, 19 (Int64's limits), a power of ten, zero and minus zero.
        #"{"status":"ok","retcode":0,"data":[{"user_id":999999999999999999,"age":-999999999999999999,"level":9223372036854775807,"x":-0,"y":0,"z":1000000000000000000,"group_id":-9223372036854775807}]}"#,
        // Keys no rule names gather into runs around the named ones, a container and an ID between them.
        #"{"status":"ok","retcode":0,"data":[{"a":1,"nickname":"x","b":2,"c":[1,{"user_id":3}],"d":"e","remark":"r","user_id":4,"f":null,"g":"h"},{"remark":"s","a":1}]}"#,
        // Elements sharing one key shape, with nulls and order changing between them.
        #"{"status":"ok","retcode":0,"data":[{"nickname":"a","remark":null},{"nickname":"b","remark":"x"},{"nickname":null,"remark":"y"},{"remark":"z","nickname":"c"},{"nickname":"d","remark":"w"},{}]}"#,
        // Elements read against the shape of the one before (`ObjectShape`): spacing, a value of another sort,
        // a member more or less, containers with IDs inside, and back to the first shape.
        #"{"status":"ok","retcode":0,"data":[{"user_id":1,"nickname":"a"},{"user_id":2, "nickname":"b"},{"user_id":3,"nickname":"c"} ,{"user_id":4,"nickname":"d" }]}"#,
        #"{"status":"ok","retcode":0,"data":[{"user_id":1,"nickname":"a"},{"user_id":"2","nickname":"b"},{"user_id":3,"nickname":5},{"user_id":4,"nickname":true},{"user_id":5,"nickname":[1]},{"user_id":6,"nickname":null},{"user_id":7.5,"nickname":"g"},{"user_id":8,"nickname":"h"}]}"#,
        #"{"status":"ok","retcode":0,"data":[{"user_id":1,"nickname":"a"},{"user_id":2,"nickname":"b","x":1},{"user_id":3},{"user_id":4,"nickname":"d"},{"user_id":5,"nickname":"e"}]}"#,
        #"{"status":"ok","retcode":0,"data":[{"card":{"user_id":5},"user_id":1},{"card":{"user_id":6,"e":[{"group_id":7}]},"user_id":2},{"card":[],"user_id":3},{"card":{},"user_id":4}]}"#,
        #"{"status":"ok","retcode":0,"data":[{"user_id":1,"age":2},{"user_id":-0,"age":-0},{"user_id":-5,"age":0},{"user_id":9223372036854775807,"age":1}]}"#,
    ])
    func unusualButValidRepliesStreamAndAgree(_ reply: String) throws {
        let translator = Translator(plan: try GoldenTests.tables.plan(client: "onebot12", upstream: "napcat"))
        let call = try Self.call("get_friend_list", translator: translator, echo: ["n": 1])
        #expect(Self.agree(Array(reply.utf8), translator: translator, call: call))
    }
}

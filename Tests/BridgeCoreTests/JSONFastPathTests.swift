import BridgeCore
import Testing

/// The parser and serializer read and write eight bytes at a time and build containers from a shared
/// stack; these cases put escapes, duplicates and sizes at the edges of those paths.
@Suite struct JSONFastPathTests {
    /// The escape JSON requires for one character, written out by hand.
    static func escaped(_ character: Character) -> String {
        switch character {
        case "\"": #"\""#
        case "\\": #"\\"#
        case "\n": #"\n"#
        case "\r": #"\r"#
        case "\t": #"\t"#
        case "\u{01}": #"\u0001"#
        case "\u{1F}": #"\u001f"#
        default: String(character)
        }
    }

    @Test(arguments: ["\"", "\\", "\n", "\u{01}", "\u{1F}", "é", "😀"] as [Character])
    func specialCharacterAtEveryPosition(character: Character) throws {
        for length in [1, 7, 8, 9, 15, 16, 17, 31] {
            for position in 0..<length {
                var text = String(repeating: "a", count: length)
                let index = text.index(text.startIndex, offsetBy: position)
                text.replaceSubrange(index...index, with: String(character))
                let expected = "\"" + text.map { Self.escaped($0) }.joined() + "\""
                #expect(JSONValue.string(text).jsonText == expected, "length \(length), position \(position)")
                #expect(try JSONParser.parse(expected) == .string(text), "length \(length), position \(position)")
            }
        }
    }

    @Test func rawControlCharacterAfterALongRunIsRefused() {
        let text = "\"" + String(repeating: "a", count: 20) + "\u{01}" + String(repeating: "b", count: 20) + "\""
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
    }

    @Test func manyKeysKeepTheirOrder() throws {
        let keys = (0..<150).map { "key_\($0)" }
        let text = "{" + keys.enumerated().map { #""\#($1)":\#($0)"# }.joined(separator: ",") + "}"
        let value = try JSONParser.parse(text)
        #expect(value.objectValue?.keys == keys)
        #expect(value.jsonText == text)
    }

    @Test func largeNestedDocumentRoundTrips() throws {
        let item = #"{"user_id":10001,"nickname":"某人","tags":["a","b",{"c":[1,2,3]}],"x":null,"y":1.5,"z":true}"#
        let text = "[" + Array(repeating: item, count: 300).joined(separator: ",") + "]"
        let value = try JSONParser.parse(text)
        #expect(value.arrayValue?.count == 300)
        #expect(value.jsonText == text)
    }

    @Test func duplicatesAmongManyKeysKeepFirstPositionAndLastValue() throws {
        let keys = (0..<40).map { "k\($0)" }
        let first = keys.map { #""\#($0)":0"# }
        let second = keys.reversed().map { #""\#($0)":1"# }
        let value = try JSONParser.parse("{" + (first + second).joined(separator: ",") + "}")
        let object = try #require(value.objectValue)
        #expect(object.keys == keys)
        #expect(object.entries.allSatisfy { $0.value == .int(1) })
    }

    @Test func escapedSpellingOfAKeyIsTheSameKey() throws {
        let value = try JSONParser.parse(#"{"a":1,"b":2,"\u0061":3}"#)
        #expect(value.jsonText == #"{"a":3,"b":2}"#)
    }

    /// Members of containers left open by an error are released, not leaked or double-freed.
    @Test func errorInsideALargeDocumentIsReported() {
        let item = #"{"a":"text","b":[1,2,{"c":"d"}]}"#
        let text = "[" + Array(repeating: item, count: 100).joined(separator: ",") + #",{"a":[1,2,"#
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
    }

    @Test(arguments: [Int64.min, Int64.min + 1, -1_000_000_007, -10, -1, 0, 1, 9, 10, 99, 100, 3_847_573_123,
                      Int64.max])
    func integersSerializeExactly(number: Int64) throws {
        #expect(JSONValue.int(number).jsonText == String(number))
        #expect(try JSONParser.parse(String(number)) == .int(number))
    }

    /// Integers of up to eight digits with at least eight bytes after their start are read a word at a time
    /// (`JSONByteScan.shortInteger`): every length, sign and follower, against `Int64(String)`.
    @Test func integersReadAWordAtATimeAgree() throws {
        var numbers: [String] = ["0", "-0"]
        for length in 1...19 {
            let varied = (0..<length).map { String(($0 * 7 + 3) % 10) }.joined()
            numbers += [varied, "-" + varied, String(repeating: "9", count: min(length, 18)), "1" + String(repeating: "0", count: length - 1)]
        }
        for number in numbers {
            let value = JSONValue.int(Int64(number)!)
            let cases: [(String, JSONValue)] = [
                (#"[\#(number),"padding"]"#, [value, "padding"]),
                (#"[\#(number) ,"padding"]"#, [value, "padding"]),
                (#"[[\#(number)],"padding"]"#, [[value], "padding"]),
                (#"[{"a":\#(number)},"padding"]"#, [["a": value], "padding"]),
            ]
            for (text, expected) in cases {
                #expect(try JSONParser.parse(text) == expected, "\(text)")
            }
        }
        #expect(try JSONParser.parse(#"[12345.5,"padding"]"#) == [.double(12345.5), "padding"])
        #expect(try JSONParser.parse(#"[123e2,"padding"]"#) == [.double(12300), "padding"])
        #expect(try JSONParser.parse(#"[7E1,"padding"]"#) == [.double(70), "padding"])
        for invalid in [#"[01,"padding"]"#, #"[-01,"padding"]"#, #"[00000000001]"#, #"[-,"padding"]"#] {
            #expect(throws: JSONParseError.self, "\(invalid)") { try JSONParser.parse(invalid) }
        }
    }

    /// List elements read by shape find where an integer ends without its value (`plainIntegerEnd`); a wrong end
    /// would only send the element to the full read, so it is checked here against `plainInteger` directly: every
    /// length, sign and follower, with and without a word's room after the number.
    @Test func integerEndsAgreeWithTheirValues() {
        var numbers: [String] = ["0", "-0", "01", "-", "-01"]
        for length in 1...20 {
            let varied = "1" + (1..<length).map { String(($0 * 7 + 3) % 10) }.joined()
            numbers += [varied, "-" + varied, "0" + varied]
        }
        var checked = 0
        for number in numbers {
            for follower in ["", ",", "}", ".5", "e3", "E3", "x"] {
                for padding in ["", String(repeating: " ", count: 20)] {
                    let bytes = Array((number + follower + padding).utf8)
                    bytes.withUnsafeBufferPointer { buffer in
                        let base = buffer.baseAddress!
                        let full = JSONByteScan.plainInteger(base, from: 0, count: buffer.count)
                        #expect(JSONByteScan.plainIntegerEnd(base, from: 0, count: buffer.count) == full?.end,
                                "\(number + follower)")
                        if let full { #expect(full.value == Int64(number), "\(number + follower)") }
                    }
                    checked += 1
                }
            }
        }
        #expect(checked == numbers.count * 14)
    }

    /// List elements are compared with the one before a word at a time (`commonPrefixLength`): a difference at
    /// every offset of every length up to three words, and a limit inside and past the last word.
    @Test func commonPrefixesEndAtTheFirstDifference() {
        var checked = 0
        for length in 0...24 {
            let base = (0..<length).map { UInt8(truncatingIfNeeded: 0x41 &+ $0 * 5) }
            for difference in 0...length {
                var other = base
                if difference < length { other[difference] ^= 0x20 }
                for limit in Set([0, difference, length, max(0, length - 3)]) {
                    let found = base.withUnsafeBufferPointer { lhs in
                        other.withUnsafeBufferPointer { rhs in
                            JSONByteScan.commonPrefixLength(lhs.baseAddress!, rhs.baseAddress!, limit: limit)
                        }
                    }
                    #expect(found == min(difference, limit),
                            "length \(length), difference \(difference), limit \(limit)")
                    checked += 1
                }
            }
        }
        #expect(checked > 300)
    }
}

@Suite struct DecimalTextTests {
    @Test(arguments: [Int64.min, Int64.min + 1, -1_000_000_007, -10, -9, -1, 0, 1, 9, 10, 99, 100, 3_847_573_123,
                      Int64.max - 1, Int64.max])
    func matchesStringInit(number: Int64) {
        #expect(JSONValue.decimalText(number) == String(number))
    }
}

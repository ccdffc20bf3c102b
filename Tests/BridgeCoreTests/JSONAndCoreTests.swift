// `@testable` only for `TransformScope`, whose memberwise initializer is internal; everything else is `package`.
@testable import BridgeCore
import Testing

// MARK: - JSONParser

@Suite struct JSONParserTests {
    /// Input text and the value it must parse to.
    static let values: [(String, JSONValue)] = [
        ("9223372036854775807", .int(Int64.max)),
        ("-9223372036854775808", .int(Int64.min)),
        ("3847573123", .int(3_847_573_123)),
        ("0", .int(0)),
        ("-0", .int(0)),
        ("1.5", .double(1.5)),
        ("1e3", .double(1000)),
        ("-1.5E-1", .double(-0.15)),
        ("9223372036854775808", .double(0x1p63)),  // past Int64: falls back to Double
        ("true", .bool(true)),
        ("false", .bool(false)),
        ("null", .null),
        (#""a\nb""#, .string("a\nb")),
        (#""say \"hi\"""#, .string("say \"hi\"")),
        (#""back\\slash""#, .string("back\\slash")),
        (#""\/\t\r\b\f""#, .string("/\t\r\u{08}\u{0C}")),
        (#""caf\u00e9""#, .string("café")),
        (#""\ud83d\ude00""#, .string("😀")),
        (#""中文""#, .string("中文")),
        (#""😀 raw""#, .string("😀 raw")),
        ("[]", .array([])),
        ("{}", .object(JSONObject())),
        (#"{"a":[1,{"b":null}],"c":true}"#, ["a": [1, ["b": nil]], "c": true]),
        (" \t\r\n[ 1 ,\n2 ] \n", [1, 2]),
        (#"{ "k" : "v" }"#, ["k": "v"]),
    ]

    @Test(arguments: values)
    func parses(text: String, expected: JSONValue) throws {
        #expect(try JSONParser.parse(text) == expected)
    }

    /// Integers never pass through Double, so the text comes back byte for byte.
    @Test(arguments: ["9223372036854775807", "-9223372036854775808", "3847573123", "[0,-1,42]"])
    func integersRoundTripExactly(text: String) throws {
        let value = try JSONParser.parse(text)
        #expect(value.jsonText == text)
    }

    @Test func largeQQNumberStaysAnInteger() throws {
        let value = try JSONParser.parse(#"{"user_id":3847573123}"#)
        #expect(value.objectValue?["user_id"] == .int(3_847_573_123))
        #expect(value.objectValue?["user_id"]?.intValue == 3_847_573_123)
    }

    @Test func serializationKeepsWireKeyOrder() throws {
        let text = #"{"z":1,"a":2,"m":{"y":true,"b":null}}"#
        let value = try JSONParser.parse(text)
        #expect(value.objectValue?.keys == ["z", "a", "m"])
        #expect(value.jsonText == text)
    }

    @Test func duplicateKeyKeepsTheLastValue() throws {
        let value = try JSONParser.parse(#"{"a":1,"b":2,"a":3}"#)
        let object = try #require(value.objectValue)
        #expect(object.count == 2)
        #expect(object["a"] == .int(3))
        #expect(value.jsonText == #"{"a":3,"b":2}"#)
    }

    @Test func nestingUpToTheLimitIsAccepted() throws {
        let depth = JSONParser.maximumDepth
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        _ = try JSONParser.parse(text)
    }

    /// Malformed documents, each with what is wrong.
    static let malformed: [(String, String)] = [
        ("", "empty input"),
        ("   ", "only whitespace"),
        (#"{"a":1"#, "truncated object"),
        ("[1,2", "truncated array"),
        (#""abc"#, "unterminated string"),
        (#""abc\"#, "unterminated escape"),
        (#""\u00"#, "short unicode escape"),
        ("1 2", "trailing value"),
        ("{}x", "trailing garbage"),
        ("01", "leading zero (trailing data)"),
        ("-01", "leading zero after minus"),
        (#""\ud800""#, "lone high surrogate"),
        (#""\udc00""#, "lone low surrogate"),
        (#""\ud83d\u0041""#, "high surrogate with a non-low partner"),
        ("\"a\u{01}b\"", "raw control character in a string"),
        ("\"a\nb\"", "raw newline in a string"),
        (#""\x""#, "invalid escape"),
        (#""\u12G4""#, "invalid hex digit"),
        ("tru", "truncated literal"),
        ("truE", "invalid literal"),
        ("nul", "truncated null"),
        ("nope", "invalid literal"),
        ("[1,]", "trailing comma in array"),
        (#"{"a":1,}"#, "trailing comma in object"),
        ("{a:1}", "unquoted key"),
        (#"{"a" 1}"#, "missing colon"),
        ("1.", "fraction without digits"),
        ("1e", "exponent without digits"),
        ("-", "minus alone"),
        ("+1", "plus sign"),
        (".5", "no integer part"),
        (String(repeating: "[", count: JSONParser.maximumDepth + 1)
            + String(repeating: "]", count: JSONParser.maximumDepth + 1), "nesting deeper than 256"),
    ]

    @Test(arguments: malformed)
    func refuses(text: String, why: String) {
        #expect(throws: JSONParseError.self, "\(why)") { try JSONParser.parse(text) }
    }
}

// MARK: - Serialization

@Suite struct SerializationTests {
    static let cases: [(JSONValue, String)] = [
        (.string("a\u{01}b"), #""a\u0001b""#),
        (.string("\u{00}\u{1F}"), #""\u0000\u001f""#),
        (.string("\u{08}\u{0C}"), #""\u0008\u000c""#),
        (.string("l1\nl2\r\t"), #""l1\nl2\r\t""#),
        (.string("q\"b\\"), #""q\"b\\""#),
        (.string("中文😀"), "\"中文😀\""),
        (.double(.infinity), "null"),
        (.double(-.infinity), "null"),
        (.double(.nan), "null"),
        (.double(1.5), "1.5"),
        (.int(-9_223_372_036_854_775_808), "-9223372036854775808"),
        (.null, "null"),
        (.bool(false), "false"),
        ([1, "x", nil], #"[1,"x",null]"#),
    ]

    @Test(arguments: cases)
    func serializes(value: JSONValue, expected: String) {
        #expect(value.jsonText == expected)
    }

    @Test func escapedTextParsesBack() throws {
        let original = JSONValue.string("ctl\u{01}\u{1F} \"q\" \\ é 😀")
        #expect(try JSONParser.parse(original.jsonText) == original)
    }

    @Test func canonicalTextSortsKeysAtEveryLevel() {
        let value: JSONValue = ["b": 1, "a": ["d": 2, "c": [["z": 0, "y": 1]]]]
        #expect(value.canonicalText() == #"{"a":{"c":[{"y":1,"z":0}],"d":2},"b":1}"#)
        #expect(value.jsonText == #"{"b":1,"a":{"d":2,"c":[{"z":0,"y":1}]}}"#)
    }
}

// MARK: - ValueType

@Suite struct ValueTypeTests {
    /// Type, input, and the converted value (nil: cannot be represented exactly).
    static let conversions: [(ValueType, JSONValue, JSONValue?)] = [
        (.id, "123", .int(123)),
        (.id, "-5", .int(-5)),
        (.id, "abc", nil),
        (.id, "1.5", nil),
        (.id, "", nil),
        (.id, .double(1.5), nil),
        (.id, .double(123), nil),
        (.id, .int(3_847_573_123), .int(3_847_573_123)),
        (.id, .bool(true), nil),
        (.int, .bool(true), .int(1)),
        (.int64, "9223372036854775807", .int(Int64.max)),
        (.int64, "9223372036854775808", nil),
        (.number, "1.5", .double(1.5)),
        (.number, "7", .int(7)),
        (.string, .int(42), "42"),
        (.string, .int(-9_223_372_036_854_775_808), "-9223372036854775808"),
        (.string, .bool(true), "true"),
        (.string, .null, nil),
        (.string, [1], nil),
        (.bool, "yes", .bool(true)),
        (.bool, "YES", .bool(true)),
        (.bool, "0", .bool(false)),
        (.bool, "no", .bool(false)),
        (.bool, "maybe", nil),
        (.bool, .int(1), .bool(true)),
        (.bool, .int(2), nil),
        (.object, ["a": 1], ["a": 1]),
        (.object, "x", nil),
        (.array, [1, 2], [1, 2]),
        (.array, ["a": 1], nil),
        (.any, .null, .null),
        (.message, "hi", "hi"),
    ]

    @Test(arguments: conversions)
    func converts(type: ValueType, input: JSONValue, expected: JSONValue?) {
        #expect(type.converted(input) == expected)
    }

    static let integers: [(String, Int64?)] = [
        ("0", 0),
        ("-0", 0),
        ("42", 42),
        ("-9223372036854775808", Int64.min),
        ("9223372036854775807", Int64.max),
        ("+1", nil),
        (" 1", nil),
        ("1 ", nil),
        ("1.0", nil),
        ("0x10", nil),
        ("-", nil),
        ("", nil),
        ("99999999999999999999", nil),
        ("9223372036854775808", nil),
    ]

    @Test(arguments: integers)
    func exactInteger(text: String, expected: Int64?) {
        #expect(ValueType.exactInteger(text) == expected)
    }

    @Test func acceptsIsStrictForJSONCallers() {
        #expect(ValueType.id.accepts("123"))
        #expect(!ValueType.id.accepts("abc"))
        #expect(!ValueType.id.accepts(.double(1)))
        #expect(!ValueType.int.accepts("1"))
        #expect(ValueType.message.accepts(["type": "text"]))
        #expect(!ValueType.message.accepts(1))
    }
}

// MARK: - FieldOps

@Suite struct FieldOpsTests {
    static let request = TransformScope(action: "act", isStrict: true, context: TranslationContext(now: 0), segments: nil)
    static let response = TransformScope(action: "act", isStrict: false, context: TranslationContext(now: 0),
                                         segments: nil)

    static func object(_ value: JSONValue) -> JSONObject { value.objectValue ?? JSONObject() }

    /// rename → copy → map → convert → default → set → drop, each seeing the step before.
    @Test func operationsRunInTheirFixedOrder() throws {
        var ops = FieldOps()
        ops.renames = [FieldOps.Pair(from: "nickname", to: "user_name")]
        // Copies read the renamed key: rename ran first.
        ops.copies = [FieldOps.Pair(from: "user_name", to: "display")]
        // The map turns 10 into "11", then the conversion makes it an integer: map ran before convert.
        ops.valueMaps = [FieldOps.ValueMap(key: "status", cases: [(from: 10, to: "11")])]
        ops.conversions = [FieldOps.Conversion(key: "status", type: .int)]
        // "display" already exists (from the copy), so its default is ignored; "remark" is null, so it is filled.
        ops.defaults = [FieldOps.Assignment(key: "display", value: "unused"),
                        FieldOps.Assignment(key: "remark", value: ""),
                        FieldOps.Assignment(key: "platform", value: "default")]
        // Set runs after default and wins; "tmp" is set and then dropped.
        ops.sets = [FieldOps.Assignment(key: "platform", value: "qq"), FieldOps.Assignment(key: "tmp", value: 1)]
        ops.drops = ["drop_me", "tmp"]

        var value = Self.object(["nickname": "Ann", "drop_me": true, "remark": nil, "status": 10])
        try ops.apply(to: &value, scope: Self.request)

        #expect(JSONValue.object(value) == ["user_name": "Ann", "display": "Ann", "remark": "", "status": 11,
                                            "platform": "qq"])
        // A rename keeps the key's position; copies, defaults and sets of new keys append.
        #expect(value.keys == ["user_name", "remark", "status", "display", "platform"])
    }

    @Test func renameOntoAnExistingKeyReplacesIt() throws {
        var ops = FieldOps()
        ops.renames = [FieldOps.Pair(from: "a", to: "b")]
        var value = Self.object(["a": 1, "b": 2, "c": 3])
        try ops.apply(to: &value, scope: Self.request)
        #expect(value.keys == ["b", "c"])
        #expect(value["b"] == .int(1))
    }

    @Test func operationsOnAbsentKeysDoNothing() throws {
        var ops = FieldOps()
        ops.renames = [FieldOps.Pair(from: "x", to: "y")]
        ops.copies = [FieldOps.Pair(from: "x", to: "z")]
        ops.conversions = [FieldOps.Conversion(key: "x", type: .int)]
        ops.drops = ["x"]
        var value = Self.object(["keep": 1])
        try ops.apply(to: &value, scope: Self.request)
        #expect(JSONValue.object(value) == ["keep": 1])
    }

    @Test func nestedOperationsApplyToEveryObjectOfAList() throws {
        var inner = FieldOps()
        inner.renames = [FieldOps.Pair(from: "tiny_id", to: "user_id")]
        var ops = FieldOps()
        ops.nested = [FieldOps.Nested(key: "members", ops: inner)]
        var value = Self.object(["members": [["tiny_id": "1"], ["tiny_id": "2"], "not an object"]])
        try ops.apply(to: &value, scope: Self.response)
        #expect(JSONValue.object(value) == ["members": [["user_id": "1"], ["user_id": "2"], "not an object"]])
    }

    /// Type, a value it cannot represent, and the expectation named in the error.
    static let misfits: [(ValueType, JSONValue, String, String)] = [
        (.int64, "abc", "an integer", "string"),
        (.id, .double(1.5), "a numeric ID", "number"),
        (.bool, "maybe", "a boolean", "string"),
        (.object, "x", "an object", "string"),
        (.array, ["a": 1], "an array", "object"),
    ]

    @Test(arguments: misfits)
    func strictConversionRefusesAValueThatDoesNotFit(type: ValueType, input: JSONValue, expected: String, got: String) {
        var ops = FieldOps()
        ops.conversions = [FieldOps.Conversion(key: "field", type: type)]
        var value = Self.object(["field": input])
        #expect(throws: TranslationError.badParamType(action: "act", name: "field", expected: expected, got: got)) {
            try ops.apply(to: &value, scope: Self.request)
        }
    }

    @Test(arguments: misfits)
    func lenientConversionKeepsAValueThatDoesNotFit(type: ValueType, input: JSONValue, expected: String, got: String)
        throws
    {
        var ops = FieldOps()
        ops.conversions = [FieldOps.Conversion(key: "field", type: type)]
        var value = Self.object(["field": input])
        try ops.apply(to: &value, scope: Self.response)
        #expect(value["field"] == input)
    }

    @Test func lenientConversionKeepsTheUpstreamValue() throws {
        var ops = FieldOps()
        ops.conversions = [FieldOps.Conversion(key: "user_id", type: .int64), FieldOps.Conversion(key: "n", type: .int)]
        var value = Self.object(["user_id": "abc", "n": "7"])
        try ops.apply(to: &value, scope: Self.response)
        #expect(JSONValue.object(value) == ["user_id": "abc", "n": 7])
    }

    @Test func conversionSkipsNull() throws {
        var ops = FieldOps()
        ops.conversions = [FieldOps.Conversion(key: "user_id", type: .int64)]
        var value = Self.object(["user_id": nil])
        try ops.apply(to: &value, scope: Self.request)
        #expect(value["user_id"] == .null)
    }

    @Test func applyToValueLeavesScalarsAlone() throws {
        var ops = FieldOps()
        ops.sets = [FieldOps.Assignment(key: "x", value: 1)]
        var scalar: JSONValue = "text"
        try ops.apply(toValue: &scalar, scope: Self.response)
        #expect(scalar == "text")
        var list: JSONValue = [[:], ["x": 0]]
        try ops.apply(toValue: &list, scope: Self.response)
        #expect(list == [["x": 1], ["x": 1]])
    }
}

// MARK: - SegmentTable

@Suite struct SegmentTableTests {
    static func table(stringifies: Bool) -> SegmentTable {
        var mention = FieldOps()
        mention.renames = [FieldOps.Pair(from: "user_id", to: "qq")]
        return SegmentTable(
            rules: [
                "text": SegmentTable.Rule(type: "text", required: ["text"], ops: .empty, isUnsupported: false),
                "mention": SegmentTable.Rule(type: "at", required: ["user_id"], ops: mention, isUnsupported: false),
                "audio": SegmentTable.Rule(type: "audio", required: [], ops: .empty, isUnsupported: true),
            ],
            extensionPrefix: "qq.", stringifiesData: stringifies)
    }

    @Test(arguments: ["hello", "[CQ:face,id=1]", "[CQ:at,qq=all] hi &amp;", ""])
    func aStringIsOneTextSegmentAndNeverCQCode(text: String) throws {
        let converted = try Self.table(stringifies: true).converted(message: .string(text))
        #expect(converted == [["type": "text", "data": ["text": .string(text)]]])
    }

    @Test func oneSegmentObjectBecomesAnArray() throws {
        let converted = try Self.table(stringifies: false).converted(message: ["type": "text", "data": ["text": "x"]])
        #expect(converted == [["type": "text", "data": ["text": "x"]]])
    }

    @Test func ruleRenamesTypeAndData() throws {
        let message: JSONValue = [["type": "mention", "data": ["user_id": 3_847_573_123]], ["type": "text", "data": ["text": " hi"]]]
        let converted = try Self.table(stringifies: false).converted(message: message)
        #expect(converted == [["type": "at", "data": ["qq": 3_847_573_123]], ["type": "text", "data": ["text": " hi"]]])
    }

    @Test(arguments: ["poke", "audio", "qq.", "QQ.face"])
    func unknownOrUnsupportedSegmentIsRefused(type: String) {
        #expect(throws: TranslationError.unsupportedSegment(type: type)) {
            try Self.table(stringifies: false).converted(message: [["type": .string(type), "data": [:]]])
        }
    }

    @Test func missingRequiredDataIsBadSegmentData() {
        #expect(throws: TranslationError.badSegmentData(type: "mention", reason: "missing 'user_id'")) {
            try Self.table(stringifies: false).converted(message: [["type": "mention", "data": [:]]])
        }
    }

    @Test(arguments: [JSONValue.int(1), .null, .bool(true)] as [JSONValue])
    func messageOfTheWrongShapeIsBadSegmentData(message: JSONValue) {
        do {
            _ = try Self.table(stringifies: false).converted(message: message)
            Issue.record("\(message) was accepted as a message")
        } catch {
            #expect(error.kind == .badSegmentData)
        }
    }

    @Test func extensionSegmentLosesItsPrefixAndKeepsItsData() throws {
        let converted = try Self.table(stringifies: false).converted(message: [["type": "qq.face", "data": ["id": 1]]])
        #expect(converted == [["type": "face", "data": ["id": 1]]])
    }

    @Test func extensionSegmentWithoutDataGetsAnEmptyObject() throws {
        let converted = try Self.table(stringifies: false).converted(message: [["type": "qq.shake"]])
        #expect(converted == [["type": "shake", "data": [:]]])
    }

    @Test func stringifiedDataTurnsScalarsIntoStrings() throws {
        let message: JSONValue = [["type": "qq.face", "data": ["id": 1, "big": true, "ratio": 1.5, "none": nil,
                                                                "nested": ["a": 1]]],
                                  ["type": "mention", "data": ["user_id": 3_847_573_123]]]
        let converted = try Self.table(stringifies: true).converted(message: message)
        #expect(converted == [["type": "face", "data": ["id": "1", "big": "true", "ratio": "1.5", "none": nil,
                                                        "nested": ["a": 1]]],
                              ["type": "at", "data": ["qq": "3847573123"]]])
    }
}

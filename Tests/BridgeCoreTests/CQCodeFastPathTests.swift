// `@testable` for the reference parser `segmentsFromCharacters`, which is internal.
@testable import BridgeCore
import Testing

/// `CQCode.segments(from:)` reads bytes where that gives the Character answer; these compare the two on
/// generated strings, combining marks and prepended marks next to the delimiters included.
@Suite struct CQCodeFastPathTests {
    /// Pieces of CQ text, delimiters and scalars that join (or not) their neighbours.
    static let fragments = [
        "[CQ:", "]", ",", "=", "&#91;", "&#93;", "&#44;", "&amp;", "&", "#", ";", "a", "face", "id", "qq",
        "10001", " ", "中文", "😀", "❤️", "👨‍👩‍👧", "\u{301}", "é", "e\u{301}", "\r\n", "\r", "[", "CQ", ":",
        "\u{200D}", "\u{FE0F}", "\u{0600}", "ا", "\u{1F3FB}", "\u{FF9E}", "ｶ", "가", "\u{1100}", "\u{0E33}", "🇨🇳",
    ]

    /// A small deterministic generator (SplitMix64), so failures reproduce.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func bytesAgreeWithCharactersOnGeneratedText() {
        var generator = Generator(state: 42)
        for _ in 0..<5000 {
            let length = Int.random(in: 0...14, using: &generator)
            let text = (0..<length).map { _ in Self.fragments.randomElement(using: &generator) ?? "" }.joined()
            #expect(CQCode.segments(from: text) == CQCode.segmentsFromCharacters(text), "\(text.debugDescription)")
        }
    }

    @Test(arguments: [
        "[CQ:face,id=1]\u{301}", "]\u{301}[CQ:face,id=1]", "[CQ:at,qq=1\u{301}]", "&#91;\u{301}",
        "\u{0600}[CQ:face,id=1]", "[CQ:face,\u{200D}id=1]", "你好[CQ:at,qq=10001]世界😀",
        "[CQ:image,file=a.jpg,url=http://x/y?a=1&amp;b=2]",
        "", "[CQ:", "[CQ:]", "[CQ:,]", "[CQ:face,,=,=x,id==1,]",
    ])
    func bytesAgreeWithCharacters(text: String) {
        #expect(CQCode.segments(from: text) == CQCode.segmentsFromCharacters(text))
    }
}

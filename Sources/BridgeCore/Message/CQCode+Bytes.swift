extension CQCode {
    /// `segments(from:)` over UTF-8 bytes, for text where that gives the same answer.
    ///
    /// The reference implementation matches `[CQ:`, `]`, `,`, `=` and the escapes as Characters, and a
    /// combining mark after one of them (or a prepended mark before it) makes a different Character. Where
    /// every ASCII byte next to a non-ASCII scalar is a Character on its own (`hasPlainASCIIBoundaries`),
    /// bytes and Characters agree; the rest goes the Character way.
    static func segmentsFromBytes(_ bytes: UnsafeBufferPointer<UInt8>) -> [JSONValue] {
        var segments: [JSONValue] = []
        var pendingStart = 0
        var position = 0
        let count = bytes.count
        while let open = find(bytes, from: position) {
            guard let close = firstIndex(of: UInt8(ascii: "]"), in: bytes, from: open + 4) else { break }
            let typeEnd = firstIndex(of: UInt8(ascii: ","), in: bytes, from: open + 4, to: close) ?? close
            position = close + 1
            // `[CQ:]` and `[CQ:,…]` have no type: literal text, as the Character path keeps them.
            guard typeEnd > open + 4 else { continue }
            if pendingStart < open { segments.append(textSegment(unescaped(bytes, pendingStart..<open))) }
            pendingStart = close + 1
            var data = JSONObject()
            var partStart = typeEnd
            while partStart < close {
                let keyStart = partStart + 1
                let partEnd = firstIndex(of: UInt8(ascii: ","), in: bytes, from: keyStart, to: close) ?? close
                let equals = firstIndex(of: UInt8(ascii: "="), in: bytes, from: keyStart, to: partEnd)
                let key = text(bytes, keyStart..<(equals ?? partEnd))
                data[key] = .string(equals.map { unescaped(bytes, ($0 + 1)..<partEnd) } ?? "")
                partStart = partEnd
            }
            segments.append(.object(JSONObject([.init(key: "type", value: .string(text(bytes, (open + 4)..<typeEnd))),
                                                .init(key: "data", value: .object(data))])))
        }
        if pendingStart < count { segments.append(textSegment(unescaped(bytes, pendingStart..<count))) }
        return segments
    }

    /// Whether each ASCII byte of `bytes` is a Character by itself: no non-ASCII scalar next to one may join it.
    static func hasPlainASCIIBoundaries(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        var previousIsASCII = false
        while index < bytes.count {
            let lead = bytes[index]
            if lead < 0x80 {
                previousIsASCII = true
                index += 1
                continue
            }
            let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
            guard index + length <= bytes.count else { return false }
            var scalar = UInt32(lead) & (0xFF >> (length + 1))
            for offset in 1..<length { scalar = scalar << 6 | UInt32(bytes[index + offset] & 0x3F) }
            index += length
            let nextIsASCII = index < bytes.count && bytes[index] < 0x80
            if (previousIsASCII || nextIsASCII) && !isStandalone(scalar) { return false }
            previousIsASCII = false
        }
        return true
    }

    /// Scalars that never join a neighbouring ASCII character into one Character (Grapheme_Cluster_Break
    /// Other, Control, LV/LVT or Extended_Pictographic, never Extend, ZWJ, SpacingMark or Prepend): the
    /// scripts and symbols QQ messages are made of. Anything else takes the Character path.
    private static func isStandalone(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x80...0x02FF: true  // Latin-1 and Latin Extended; combining marks start at U+0300
        case 0x2010...0x2027, 0x2030...0x205E: true  // general punctuation, without format characters
        case 0x2100...0x2BFF: true  // letterlike symbols, arrows, maths, dingbats, misc symbols
        case 0x3000...0x3029, 0x3030...0x303F: true  // CJK punctuation; U+302A–302F are combining
        case 0x3041...0x3096, 0x309B...0x30FF: true  // kana; U+3099–309A are combining
        case 0x3100...0x9FFF: true  // bopomofo, CJK strokes, enclosed CJK, CJK ideographs
        case 0xAC00...0xD7A3: true  // Hangul syllables
        case 0xF900...0xFAFF: true  // CJK compatibility ideographs
        case 0xFF01...0xFF9D: true  // fullwidth and halfwidth forms; U+FF9E–FF9F extend
        case 0x1F000...0x1F3FA, 0x1F400...0x1FAFF: true  // emoji; U+1F3FB–1F3FF are modifiers (Extend)
        case 0x20000...0x3FFFF: true  // CJK extension ideographs
        default: false
        }
    }

    /// The next `[CQ:` at or after `start`.
    private static func find(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        findOpening(bytes, from: start, to: bytes.count)
    }

    /// The next `[CQ:` in `start..<end` (the streamed event path reads CQ code inside a larger buffer).
    static func findOpening(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int? {
        var index = start
        while let open = firstIndex(of: UInt8(ascii: "["), in: bytes, from: index, to: end) {
            if open + 4 <= end, bytes[open + 1] == UInt8(ascii: "C"), bytes[open + 2] == UInt8(ascii: "Q"),
                bytes[open + 3] == UInt8(ascii: ":")
            {
                return open
            }
            index = open + 1
        }
        return nil
    }

    static func firstIndex(of byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int,
                           to end: Int? = nil) -> Int? {
        var index = start
        let end = end ?? bytes.count
        while index < end {
            if bytes[index] == byte { return index }
            index += 1
        }
        return nil
    }

    private static func text(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// `unescape` in one pass: the four escapes cannot overlap and none produces the start of another,
    /// so one left-to-right pass equals replacing them one after another.
    private static func unescaped(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        guard firstIndex(of: UInt8(ascii: "&"), in: bytes, from: range.lowerBound, to: range.upperBound) != nil else {
            return text(bytes, range)
        }
        var output: [UInt8] = []
        output.reserveCapacity(range.count)
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = bytes[index]
            if byte == UInt8(ascii: "&"),
                let (replacement, length) = escape(in: bytes, at: index, end: range.upperBound)
            {
                output.append(replacement)
                index += length
            } else {
                output.append(byte)
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    static func escape(in bytes: UnsafeBufferPointer<UInt8>, at index: Int, end: Int) -> (UInt8, Int)? {
        func matches(_ literal: StaticString) -> Bool {
            let length = literal.utf8CodeUnitCount
            guard index + length <= end else { return false }
            for offset in 0..<length where bytes[index + offset] != literal.utf8Start[offset] { return false }
            return true
        }
        if matches("&#91;") { return (UInt8(ascii: "["), 5) }
        if matches("&#93;") { return (UInt8(ascii: "]"), 5) }
        if matches("&#44;") { return (UInt8(ascii: ","), 5) }
        if matches("&amp;") { return (UInt8(ascii: "&"), 5) }
        return nil
    }
}

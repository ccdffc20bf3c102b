/// Eight-bytes-at-a-time tests shared by the parser and the serializer (SWAR bit tricks).
package enum JSONByteScan {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Eight bytes from `pointer`, the first in the lowest bits on every platform.
    @inline(__always)
    static func word(at pointer: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(pointer).loadUnaligned(as: UInt64.self))
    }

    /// The offset (0–7) of the first control character, quote or backslash in `word`, the bytes that end a
    /// plain run in a JSON string; 8 when there is none. Borrows can mark bytes after the first match, never
    /// before it, so the lowest marked byte is exact.
    @inline(__always)
    static func firstSpecialByte(_ word: UInt64) -> Int {
        let control = (word &- ones &* 0x20) & ~word
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let quoteZero = (quote &- ones) & ~quote
        let backslashZero = (backslash &- ones) & ~backslash
        return ((control | quoteZero | backslashZero) & highs).trailingZeroBitCount >> 3
    }

    /// How many bytes from `lhs` and `rhs` are the same, up to `limit`: sixteen bytes at a time, then a word at a
    /// time, the first differing byte found from the lowest set bit of the words' difference.
    package static func commonPrefixLength(_ lhs: UnsafePointer<UInt8>, _ rhs: UnsafePointer<UInt8>, limit: Int)
        -> Int {
        var offset = 0
        // Sixteen bytes a step while they are the same (one vector compare); the word loop finds the difference.
        while limit &- offset >= 16 {
            let left = UnsafeRawPointer(lhs + offset).loadUnaligned(as: SIMD16<UInt8>.self)
            let right = UnsafeRawPointer(rhs + offset).loadUnaligned(as: SIMD16<UInt8>.self)
            guard all(left .== right) else { break }
            offset &+= 16
        }
        while limit &- offset >= 8 {
            let difference = word(at: lhs + offset) ^ word(at: rhs + offset)
            if difference != 0 { return offset &+ difference.trailingZeroBitCount >> 3 }
            offset &+= 8
        }
        while offset < limit, lhs[offset] == rhs[offset] { offset &+= 1 }
        return offset
    }

    /// The digits at `start` read as a number when there are 1 to 18 of them and no leading zero (JSON's
    /// integers): where they end and their value; nil otherwise. Up to fifteen digits (QQ numbers have 5 to
    /// 11) are found and converted a word at a time, without a branch per digit.
    @inline(__always)
    static func shortInteger(_ bytes: UnsafePointer<UInt8>, from start: Int, count: Int) -> (end: Int, value: UInt64)? {
        guard count &- start >= 8 else { return integerByteByByte(bytes, from: start, count: count) }
        guard let (word, digits) = firstDigits(bytes, from: start) else { return nil }
        guard digits == 8 else { return (start &+ digits, value(of: word, digits: digits)) }
        return longInteger(bytes, from: start, count: count, first: word)
    }

    /// Where the digits `shortInteger` reads end, without their value: for callers that copy digits as they came,
    /// since the value's multiplications are most of the cost of reading a number.
    @inline(__always)
    static func integerDigitsEnd(_ bytes: UnsafePointer<UInt8>, from start: Int, count: Int) -> Int? {
        guard count &- start >= 8 else { return integerByteByByte(bytes, from: start, count: count)?.end }
        guard let (_, digits) = firstDigits(bytes, from: start) else { return nil }
        guard digits == 8 else { return start &+ digits }
        guard let (_, more) = nextDigits(bytes, from: start, count: count) else {
            return integerByteByByte(bytes, from: start, count: count)?.end
        }
        return start &+ 8 &+ more
    }

    /// After eight digits at `start`, the next word (less 0x30 each byte) and how many of its bytes (0–7) are
    /// digits; nil when there is no whole word there or it is all digits (16 or more: read byte by byte).
    @inline(__always)
    private static func nextDigits(_ bytes: UnsafePointer<UInt8>, from start: Int, count: Int)
        -> (word: UInt64, digits: Int)? {
        guard count &- start >= 16 else { return nil }
        let next = word(at: bytes + (start &+ 8)) ^ (ones &* 0x30)
        let more = leadingDigits(next)
        return more < 8 ? (next, more) : nil
    }

    /// The eight bytes at `start` less 0x30 each, and how many of them (1–8) are digits; nil when none is, or the
    /// first is a leading zero. The caller has checked that eight bytes are there.
    @inline(__always)
    private static func firstDigits(_ bytes: UnsafePointer<UInt8>, from start: Int) -> (word: UInt64, digits: Int)? {
        let word = word(at: bytes + start) ^ (ones &* 0x30)
        let digits = leadingDigits(word)
        guard digits > 0, digits == 1 || bytes[start] != UInt8(ascii: "0") else { return nil }
        return (word, digits)
    }

    /// `shortInteger` past eight digits: the next word holds the rest (up to seven more here). Not inlined, so
    /// that the common short case stays small enough to be inlined where it is called.
    private static func longInteger(_ bytes: UnsafePointer<UInt8>, from start: Int, count: Int, first word: UInt64)
        -> (end: Int, value: UInt64)? {
        guard let (next, more) = nextDigits(bytes, from: start, count: count) else {
            return integerByteByByte(bytes, from: start, count: count)
        }
        let high = value(of: word, digits: 8)
        guard more > 0 else { return (start &+ 8, high) }
        return (start &+ 8 &+ more, high &* powerOfTen(more) &+ value(of: next, digits: more))
    }

    /// 10 to the `exponent` (1–7), from a table in the binary rather than an array that is retained to be read.
    @inline(__always)
    private static func powerOfTen(_ exponent: Int) -> UInt64 {
        switch exponent {
        case 1: 10
        case 2: 100
        case 3: 1_000
        case 4: 10_000
        case 5: 100_000
        case 6: 1_000_000
        default: 10_000_000
        }
    }

    /// How many of `word`'s bytes, from the first, are digits; `word` has had 0x30 taken off each byte by `^`.
    /// A byte is a digit when, as `byte ^ 0x30`, it is below 10: adding 0x76 to its low seven bits reaches bit 7
    /// otherwise, and a byte that had bit 7 set is no digit either.
    @inline(__always)
    private static func leadingDigits(_ word: UInt64) -> Int {
        let notDigit = (((word & (ones &* 0x7F)) &+ (ones &* 0x76)) | word) & highs
        return notDigit.trailingZeroBitCount >> 3
    }

    /// The value of the first `digits` (1–8) digits of `word` (as `leadingDigits` takes it): moved to the top
    /// bytes, zeros below them, then summed in pairs, fours and eights.
    @inline(__always)
    private static func value(of word: UInt64, digits: Int) -> UInt64 {
        var value = word << UInt64((8 &- digits) &* 8)
        value = (value &* 10 &+ (value >> 8)) & 0x00FF_00FF_00FF_00FF
        value = (value &* 100 &+ (value >> 16)) & 0x0000_FFFF_0000_FFFF
        return (value &* 10_000 &+ (value >> 32)) & 0xFFFF_FFFF
    }

    /// An integer at `start` as JSON writes one: an optional minus, 1 to 18 digits without a leading zero, and no
    /// fraction or exponent after them. Where it ends and its value; nil for any other number, which the caller
    /// reads the long way.
    @inline(__always)
    package static func plainInteger(_ bytes: UnsafePointer<UInt8>, from start: Int, count: Int)
        -> (end: Int, value: Int64)? {
        let negative = bytes[start] == UInt8(ascii: "-")
        guard let (end, magnitude) = shortInteger(bytes, from: negative ? start &+ 1 : start, count: count),
            endsInteger(bytes, at: end, count: count)
        else { return nil }
        return (end, negative ? -Int64(magnitude) : Int64(magnitude))
    }

    /// `plainInteger` without the value: where the integer ends.
    @inline(__always)
    package static func plainIntegerEnd(_ bytes: UnsafePointer<UInt8>, from start: Int, count: Int) -> Int? {
        let digits = bytes[start] == UInt8(ascii: "-") ? start &+ 1 : start
        guard let end = integerDigitsEnd(bytes, from: digits, count: count), endsInteger(bytes, at: end, count: count)
        else { return nil }
        return end
    }

    /// Whether digits ending at `end` end the number: no fraction or exponent follows.
    @inline(__always)
    private static func endsInteger(_ bytes: UnsafePointer<UInt8>, at end: Int, count: Int) -> Bool {
        end == count || (bytes[end] != UInt8(ascii: ".") && bytes[end] | 0x20 != UInt8(ascii: "e"))
    }

    private static func integerByteByByte(_ bytes: UnsafePointer<UInt8>, from start: Int, count: Int)
        -> (end: Int, value: UInt64)? {
        let (end, value) = digitRun(bytes, from: start, count: count)
        let digits = end &- start
        guard digits > 0, digits <= 18, digits == 1 || bytes[start] != UInt8(ascii: "0") else { return nil }
        return (end, value)
    }

    /// The digits at `start`, byte by byte: where they end, and their value (exact up to 18 digits).
    @inline(__always)
    static func digitRun(_ bytes: UnsafePointer<UInt8>, from start: Int, count: Int) -> (end: Int, value: UInt64) {
        var end = start
        var value: UInt64 = 0
        while end < count {
            let digit = bytes[end] &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            value = value &* 10 &+ UInt64(digit)
            end &+= 1
        }
        return (end, value)
    }

    /// The position of the first quote, backslash or control byte at or after `position` (or `count`), eight
    /// bytes at a time while eight remain. The bytes passed over are ORed into `high`, so a caller can tell
    /// whether any was non-ASCII. Shared by the parser and the streaming reply reader.
    @inline(__always)
    static func plainRunEnd(_ bytes: UnsafePointer<UInt8>, from start: Int, count: Int, high: inout UInt64) -> Int {
        var position = start
        while count - position >= 8 {
            let word = word(at: bytes + position)
            let offset = firstSpecialByte(word)
            if offset < 8 {
                high |= word & ((1 << UInt64(offset * 8)) &- 1)
                return position + offset
            }
            high |= word
            position += 8
        }
        while position < count {
            let byte = bytes[position]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return position }
            high |= UInt64(byte)
            position += 1
        }
        return position
    }
}

/// Eight-bytes-at-a-time tests shared by the parser and the serializer (SWAR bit tricks).
enum JSONByteScan {
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

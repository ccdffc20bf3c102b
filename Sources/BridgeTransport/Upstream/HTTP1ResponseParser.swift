import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads HTTP/1.1 responses from a connection's bytes: status, keep-alive and the whole body, by
/// Content-Length, chunked transfer coding, or until close.
///
/// Written by hand for the upstream hot path (bench/README.md): a OneBot 11 reply needs only these
/// three things, and NIO's general decoder (llhttp callbacks, header objects, parts through the
/// pipeline) cost more than the translation itself.
struct HTTP1ResponseParser {
    enum ParseError: Error, Equatable {
        case malformed(String)
        case tooLarge
    }

    struct Response: Equatable {
        var status: Int
        var keepAlive: Bool
        var body: ByteBuffer
    }

    private enum Framing {
        case length(Int)
        case chunked
        case untilClose
    }

    private enum State {
        case head
        case body(status: Int, keepAlive: Bool, framing: Framing)
        /// Chunked: the body so far; `remaining` bytes of the current chunk are still to come (nil: a size line is next).
        case chunks(status: Int, keepAlive: Bool, body: ByteBuffer, remaining: Int?)
        case trailers(status: Int, keepAlive: Bool, body: ByteBuffer)
    }

    static let maximumHeadSize = 64 << 10
    let maximumBodySize: Int
    private var state = State.head

    init(maximumBodySize: Int) {
        self.maximumBodySize = maximumBodySize
    }

    /// The next complete response in `buffer` (its bytes consumed), or nil until more bytes arrive.
    mutating func next(from buffer: inout ByteBuffer) throws(ParseError) -> Response? {
        while true {
            switch state {
            case .head:
                guard let headEnd = Self.find(crlfcrlf: buffer) else {
                    if buffer.readableBytes > Self.maximumHeadSize { throw .tooLarge }
                    return nil
                }
                let head = buffer.readSlice(length: headEnd + 4)!
                let parsed = try Self.parseHead(head)
                if (100..<200).contains(parsed.status) { continue }  // 100 Continue and friends: the real answer follows
                let framing: Framing
                if parsed.status == 204 || parsed.status == 304 {
                    framing = .length(0)
                } else if parsed.chunked {
                    framing = .chunked
                } else if let length = parsed.contentLength {
                    guard length <= maximumBodySize else { throw .tooLarge }
                    framing = .length(length)
                } else {
                    framing = .untilClose
                }
                if case .chunked = framing {
                    state = .chunks(status: parsed.status, keepAlive: parsed.keepAlive, body: ByteBuffer(), remaining: nil)
                } else {
                    state = .body(status: parsed.status, keepAlive: parsed.keepAlive, framing: framing)
                }
            case .body(let status, let keepAlive, .length(let length)):
                guard buffer.readableBytes >= length else { return nil }
                state = .head
                return Response(status: status, keepAlive: keepAlive, body: buffer.readSlice(length: length)!)
            case .body(_, _, .untilClose):
                if buffer.readableBytes > maximumBodySize { throw .tooLarge }
                return nil
            case .body(let status, let keepAlive, .chunked):
                state = .chunks(status: status, keepAlive: keepAlive, body: ByteBuffer(), remaining: nil)
            case .chunks(let status, let keepAlive, var body, let remaining):
                if let remaining {
                    // Chunk data, then its CRLF.
                    guard buffer.readableBytes >= remaining + 2 else { return nil }
                    var data = buffer.readSlice(length: remaining)!
                    guard buffer.readInteger(as: UInt16.self) == 0x0D0A else { throw .malformed("chunk not followed by CRLF") }
                    body.writeBuffer(&data)
                    if body.readableBytes > maximumBodySize { throw .tooLarge }
                    state = .chunks(status: status, keepAlive: keepAlive, body: body, remaining: nil)
                } else {
                    guard let lineEnd = Self.find(crlf: buffer) else {
                        if buffer.readableBytes > 1024 { throw .malformed("chunk size line too long") }
                        return nil
                    }
                    let line = buffer.readSlice(length: lineEnd + 2)!
                    let size = try Self.chunkSize(line)
                    state = size == 0
                        ? .trailers(status: status, keepAlive: keepAlive, body: body)
                        : .chunks(status: status, keepAlive: keepAlive, body: body, remaining: size)
                }
            case .trailers(let status, let keepAlive, let body):
                guard let lineEnd = Self.find(crlf: buffer) else { return nil }
                buffer.moveReaderIndex(forwardBy: lineEnd + 2)
                if lineEnd == 0 {
                    state = .head
                    return Response(status: status, keepAlive: keepAlive, body: body)
                }
            }
        }
    }

    /// The connection closed: a response framed by the close ends here; anything else was cut short.
    mutating func finish(from buffer: inout ByteBuffer) -> Response? {
        guard case .body(let status, _, .untilClose) = state else { return nil }
        state = .head
        return Response(status: status, keepAlive: false, body: buffer.readSlice(length: buffer.readableBytes)!)
    }

    private struct Head {
        var status: Int
        var keepAlive: Bool
        var contentLength: Int?
        var chunked: Bool
    }

    private static func parseHead(_ head: ByteBuffer) throws(ParseError) -> Head {
        try head.withUnsafeReadableBytes { (bytes: UnsafeRawBufferPointer) throws(ParseError) -> Head in
            // "HTTP/1.x SSS reason\r\n"
            guard bytes.count >= 12, Self.equalBytes(bytes, at: 0, "HTTP/1."), bytes[8] == UInt8(ascii: " ") else {
                throw .malformed("not an HTTP/1 status line")
            }
            var status = 0
            for index in 9..<12 {
                let digit = bytes[index] &- UInt8(ascii: "0")
                guard digit < 10 else { throw .malformed("bad status code") }
                status = status * 10 + Int(digit)
            }
            var result = Head(status: status, keepAlive: bytes[7] == UInt8(ascii: "1"), contentLength: nil, chunked: false)
            var lineStart = (firstCRLF(bytes, from: 0) ?? bytes.count) + 2
            while lineStart < bytes.count, let lineEnd = firstCRLF(bytes, from: lineStart), lineEnd > lineStart {
                let line = UnsafeRawBufferPointer(rebasing: bytes[lineStart..<lineEnd])
                lineStart = lineEnd + 2
                guard let colon = firstColon(line) else { throw .malformed("header without a colon") }
                let name = UnsafeRawBufferPointer(rebasing: line[..<colon])
                // Only three names matter; the others (Date, Server, ETag …) are passed over by length.
                switch colon {
                case 14 where equalsIgnoringCase(name, "content-length"):
                    let value = trimmed(UnsafeRawBufferPointer(rebasing: line[(colon + 1)...]))
                    guard let length = decimal(value) else { throw .malformed("bad Content-Length") }
                    if let earlier = result.contentLength, earlier != length { throw .malformed("conflicting Content-Length") }
                    result.contentLength = length
                case 17 where equalsIgnoringCase(name, "transfer-encoding"):
                    result.chunked = containsIgnoringCase(UnsafeRawBufferPointer(rebasing: line[(colon + 1)...]), "chunked")
                case 10 where equalsIgnoringCase(name, "connection"):
                    let value = UnsafeRawBufferPointer(rebasing: line[(colon + 1)...])
                    if containsIgnoringCase(value, "close") { result.keepAlive = false }
                    if containsIgnoringCase(value, "keep-alive") { result.keepAlive = true }
                default:
                    break
                }
            }
            return result
        }
    }

    private static func chunkSize(_ line: ByteBuffer) throws(ParseError) -> Int {
        var size = 0
        var digits = 0
        for byte in line.readableBytesView {
            let value: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = byte - UInt8(ascii: "A") + 10
            default:
                guard digits > 0 else { throw .malformed("bad chunk size") }
                return size  // ";extension" or the CRLF
            }
            digits += 1
            guard digits <= 8 else { throw .malformed("chunk size too large") }
            size = size << 4 | Int(value)
        }
        throw .malformed("bad chunk size")
    }

    /// Where the blank line ending a head starts. libc's `memchr` looks at many bytes per step; the
    /// byte-at-a-time loops it replaced were 5 % of a proxied call's instructions.
    static func find(crlfcrlf buffer: ByteBuffer) -> Int? {
        buffer.withUnsafeReadableBytes { bytes in
            var index = 0
            while let crlf = firstCRLF(bytes, from: index) {
                if crlf + 3 < bytes.count, bytes[crlf + 2] == 0x0D, bytes[crlf + 3] == 0x0A { return crlf }
                index = crlf + 2
            }
            return nil
        }
    }

    static func find(crlf buffer: ByteBuffer) -> Int? {
        buffer.withUnsafeReadableBytes { firstCRLF($0, from: 0) }
    }

    static func firstCRLF(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        var index = start
        // A CR in the last byte cannot start a CRLF, so it is left out of the search.
        while index + 1 < bytes.count {
            guard let hit = memchr(base + index, 0x0D, bytes.count - 1 - index) else { return nil }
            let position = base.distance(to: UnsafeRawPointer(hit))
            if bytes[position + 1] == 0x0A { return position }
            index = position + 1
        }
        return nil
    }

    /// Where a header line's colon is.
    static func firstColon(_ line: UnsafeRawBufferPointer) -> Int? {
        guard let base = line.baseAddress, let hit = memchr(base, Int32(UInt8(ascii: ":")), line.count) else { return nil }
        return base.distance(to: UnsafeRawPointer(hit))
    }

    /// Whether `bytes` hold `text` at `offset` (byte for byte).
    @inline(__always)
    static func equalBytes(_ bytes: UnsafeRawBufferPointer, at offset: Int, _ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard offset + count <= bytes.count else { return false }
        for index in 0..<count where bytes[offset + index] != text.utf8Start[index] { return false }
        return true
    }

    static func trimmed(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        return UnsafeRawBufferPointer(rebasing: bytes[start..<end])
    }

    static func decimal(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 15 else { return nil }
        var value = 0
        for byte in bytes {
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }

    /// `name` equals the lowercase ASCII `lower`, ignoring case.
    static func equalsIgnoringCase(_ name: UnsafeRawBufferPointer, _ lower: StaticString) -> Bool {
        guard name.count == lower.utf8CodeUnitCount else { return false }
        let expected = UnsafeRawBufferPointer(start: lower.utf8Start, count: lower.utf8CodeUnitCount)
        for index in 0..<name.count where name[index] | 0x20 != expected[index] | 0x20 { return false }
        return true
    }

    /// `value` contains the lowercase ASCII token `lower`, ignoring case (for comma lists like `keep-alive, close`).
    static func containsIgnoringCase(_ value: UnsafeRawBufferPointer, _ lower: StaticString) -> Bool {
        let count = lower.utf8CodeUnitCount
        guard value.count >= count else { return false }
        let expected = UnsafeRawBufferPointer(start: lower.utf8Start, count: count)
        outer: for start in 0...(value.count - count) {
            for index in 0..<count where value[start + index] | 0x20 != expected[index] | 0x20 { continue outer }
            return true
        }
        return false
    }
}

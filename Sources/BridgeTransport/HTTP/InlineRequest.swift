import NIOCore

/// What an inline route needs of a request: its target and the headers the action faces read.
package struct InlineRequest: Sendable {
    /// The path without the query.
    package var path: Substring
    /// The raw query string after `?`, if any.
    package var query: Substring?
    package var contentType: String?
    package var authorization: String?
    /// The client asked to close the connection after this answer (or spoke HTTP/1.0 without keep-alive).
    package var closes: Bool

    package init(target: Substring, contentType: String?, authorization: String?, closes: Bool) {
        // By byte: a Character search walks grapheme boundaries, a tenth of this face's parsing cost.
        if let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) {
            path = target[..<mark]
            query = target[target.utf8.index(after: mark)...]
        } else {
            path = target
            query = nil
        }
        self.contentType = contentType
        self.authorization = authorization
        self.closes = closes
    }
}

/// Called once with a face's answer, on the connection's event loop.
package typealias FaceAnswering = @Sendable (FaceAnswer) -> Void

/// A face's path answered inline: the answer for a request and its complete body, on the event loop.
package struct InlineRoute: Sendable {
    package var path: String
    /// The path's bytes, compared with a request's without making a string of its path.
    let pathBytes: [UInt8]
    package var answer: @Sendable (InlineRequest, ByteBuffer, any EventLoop, @escaping FaceAnswering) -> Void

    package init(path: String,
                 answer: @escaping @Sendable (InlineRequest, ByteBuffer, any EventLoop, @escaping FaceAnswering) -> Void) {
        self.path = path
        self.pathBytes = Array(path.utf8)
        self.answer = answer
    }

    func matches(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count == pathBytes.count && pathBytes.withUnsafeBytes { bytes.elementsEqual($0) }
    }
}

/// Reads one complete HTTP/1.x `POST` for an inline route from the front of a connection's bytes.
///
/// Anything it is not sure of (another method or path, chunked or oversized bodies, `Expect`,
/// `Upgrade`, malformed or huge heads) is `notMine`, and the connection goes to Hummingbird as it came.
enum InlineRequestParser {
    enum Outcome {
        case needMore
        case notMine
        /// The request, the route it is for, its body, and how many bytes they took.
        case request(InlineRequest, route: InlineRoute, body: ByteBuffer, length: Int)
    }

    static let maximumHeadSize = 16 << 10

    static func parse(_ buffer: ByteBuffer, routes: [InlineRoute], maximumBodySize: Int) -> Outcome {
        guard let headEnd = HTTP1ResponseParser.find(crlfcrlf: buffer) else {
            return buffer.readableBytes > maximumHeadSize ? .notMine : .needMore
        }
        guard headEnd <= maximumHeadSize else { return .notMine }
        let parsed: (InlineRequest, InlineRoute, Int)? = buffer.withUnsafeReadableBytes { all in
            let bytes = UnsafeRawBufferPointer(rebasing: all[..<(headEnd + 2)])
            guard let lineEnd = HTTP1ResponseParser.firstCRLF(bytes, from: 0),
                  let space1 = bytes[..<lineEnd].firstIndex(of: 0x20),
                  let space2 = bytes[(space1 + 1)..<lineEnd].firstIndex(of: 0x20)
            else { return nil }
            // Methods are case-sensitive.
            guard space1 == 4, HTTP1ResponseParser.equalBytes(bytes, at: 0, "POST") else { return nil }
            let version = UnsafeRawBufferPointer(rebasing: bytes[(space2 + 1)..<lineEnd])
            guard version.count == 8, HTTP1ResponseParser.equalBytes(version, at: 0, "HTTP/1."),
                  version[7] == UInt8(ascii: "1") || version[7] == UInt8(ascii: "0")
            else { return nil }
            let targetBytes = UnsafeRawBufferPointer(rebasing: bytes[(space1 + 1)..<space2])
            let pathBytes = UnsafeRawBufferPointer(rebasing: targetBytes[..<(targetBytes.firstIndex(of: UInt8(ascii: "?")) ?? targetBytes.count)])
            guard let route = routes.first(where: { $0.matches(pathBytes) }) else { return nil }
            var keepAlive = version[7] == UInt8(ascii: "1")
            var contentLength: Int?
            var contentType: String?
            var authorization: String?
            var lineStart = lineEnd + 2
            while lineStart < bytes.count, let end = HTTP1ResponseParser.firstCRLF(bytes, from: lineStart), end > lineStart {
                let line = UnsafeRawBufferPointer(rebasing: bytes[lineStart..<end])
                lineStart = end + 2
                guard let colon = HTTP1ResponseParser.firstColon(line), colon > 0 else { return nil }
                let name = UnsafeRawBufferPointer(rebasing: line[..<colon])
                let value = HTTP1ResponseParser.trimmed(UnsafeRawBufferPointer(rebasing: line[(colon + 1)...]))
                switch name.count {
                case 6 where HTTP1ResponseParser.equalsIgnoringCase(name, "expect"): return nil
                case 7 where HTTP1ResponseParser.equalsIgnoringCase(name, "upgrade"): return nil
                case 10 where HTTP1ResponseParser.equalsIgnoringCase(name, "connection"):
                    if HTTP1ResponseParser.containsIgnoringCase(value, "close") { keepAlive = false }
                    if HTTP1ResponseParser.containsIgnoringCase(value, "keep-alive") { keepAlive = true }
                    if HTTP1ResponseParser.containsIgnoringCase(value, "upgrade") { return nil }
                case 12 where HTTP1ResponseParser.equalsIgnoringCase(name, "content-type"):
                    contentType = String(decoding: value, as: UTF8.self)
                case 13 where HTTP1ResponseParser.equalsIgnoringCase(name, "authorization"):
                    authorization = String(decoding: value, as: UTF8.self)
                case 14 where HTTP1ResponseParser.equalsIgnoringCase(name, "content-length"):
                    guard let length = HTTP1ResponseParser.decimal(value), contentLength == nil || contentLength == length
                    else { return nil }
                    contentLength = length
                case 17 where HTTP1ResponseParser.equalsIgnoringCase(name, "transfer-encoding"): return nil
                default: break
                }
            }
            let request = InlineRequest(target: Substring(decoding: targetBytes, as: UTF8.self), contentType: contentType,
                                        authorization: authorization, closes: !keepAlive)
            return (request, route, contentLength ?? 0)
        }
        guard let (request, route, bodyLength) = parsed, bodyLength <= maximumBodySize else { return .notMine }
        let headLength = headEnd + 4
        guard buffer.readableBytes >= headLength + bodyLength else { return .needMore }
        let body = buffer.getSlice(at: buffer.readerIndex + headLength, length: bodyLength)!
        return .request(request, route: route, body: body, length: headLength + bodyLength)
    }
}

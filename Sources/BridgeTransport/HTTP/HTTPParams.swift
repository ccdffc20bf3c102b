import BridgeCore
import Foundation
import Hummingbird

/// Reads OneBot params from an HTTP request: query string, form body or JSON body.
///
/// Query and form values arrive as strings; the translator converts them to the declared types.
package enum HTTPParams {
    /// Bodies larger than this are refused; OneBot requests are a few kilobytes.
    package static let maximumBodySize = 4 << 20

    /// Parses a JSON body once, straight from the buffer. Throws `JSONParseError`.
    package static func json(_ buffer: ByteBuffer) throws(JSONParseError) -> JSONValue {
        let result: Result<JSONValue, JSONParseError> = buffer.withUnsafeReadableBytes { bytes in
            do throws(JSONParseError) { return .success(try JSONParser.parse(bytes)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// `a=1&b=x%20y` as an object of strings; later keys win, as in OB11 servers.
    package static func form(_ text: Substring) -> JSONObject {
        var object = JSONObject()
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = decode(parts[0])
            guard !key.isEmpty else { continue }
            object[key] = .string(parts.count > 1 ? decode(parts[1]) : "")
        }
        return object
    }

    /// The query string's params.
    package static func query(_ request: Request) -> JSONObject {
        guard let query = request.uri.query else { return JSONObject() }
        return form(query[...])
    }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// The media type of a request without parameters, lowercased (`application/json`).
    ///
    /// Byte-level on purpose: Foundation's trimming showed at 5 % of a whole call in the profile.
    package static func mediaType(_ request: Request) -> String? {
        mediaType(request.headers[.contentType])
    }

    package static func mediaType(_ contentType: String?) -> String? {
        guard let value = contentType else { return nil }
        // What nearly every bot sends, answered without taking the value apart.
        if value == "application/json" { return value }
        let bytes = value.utf8.prefix { $0 != UInt8(ascii: ";") }
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start = bytes.index(after: start) }
        while end > start, bytes[bytes.index(before: end)] == 0x20 || bytes[bytes.index(before: end)] == 0x09 {
            end = bytes.index(before: end)
        }
        let media = String(decoding: bytes[start..<end], as: UTF8.self)
        return media.utf8.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") } ? media.lowercased() : media
    }
}

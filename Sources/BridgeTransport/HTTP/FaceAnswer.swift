import BridgeCore
import Hummingbird

/// A face's complete HTTP answer: status, media type and a body serialized once.
///
/// Both ways of answering write it: the inline handler on the event loop, and Hummingbird's router
/// (as a `Response`) for requests the inline path leaves to it.
package struct FaceAnswer: Sendable {
    package var status: HTTPResponse.Status
    package var contentType: String
    /// Kept as the serializer's bytes: the inline path copies them once, into the response buffer.
    package var body: Body

    package enum Body: Sendable {
        case bytes([UInt8])
        /// A streamed envelope, in the streamer's own allocation.
        case serialized(SerializedBytes)

        var count: Int {
            switch self {
            case .bytes(let bytes): bytes.count
            case .serialized(let bytes): bytes.count
            }
        }

        func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
            switch self {
            case .bytes(let bytes): bytes.withUnsafeBufferPointer(body)
            case .serialized(let bytes): bytes.withUnsafeBufferPointer(body)
            }
        }
    }

    static let jsonType = "application/json; charset=utf-8"

    package static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> FaceAnswer {
        FaceAnswer(status: status, contentType: jsonType, body: .bytes(value.serialized()))
    }

    /// An action's answer envelope, streamed bytes as they are.
    package static func json(_ response: ActionResponse) -> FaceAnswer {
        let body: Body = response.serializedEnvelope.map { .serialized($0) } ?? .bytes(response.envelope().serialized())
        return FaceAnswer(status: .ok, contentType: jsonType, body: body)
    }

    package static func text(_ message: String, status: HTTPResponse.Status) -> FaceAnswer {
        FaceAnswer(status: status, contentType: "text/plain; charset=utf-8", body: .bytes(Array((message + "\n").utf8)))
    }

    package var response: Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        let buffer = body.withUnsafeBufferPointer { ByteBuffer(bytes: $0) }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: buffer))
    }
}

import BridgeCore
import Hummingbird

/// A face's complete HTTP answer: status, media type and a body serialized once.
///
/// Both ways of answering write it: the inline handler on the event loop, and Hummingbird's router
/// (as a `Response`) for requests the inline path leaves to it.
package struct FaceAnswer: Sendable {
    package var status: HTTPResponse.Status
    package var contentType: String
    package var body: ByteBuffer

    package static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> FaceAnswer {
        FaceAnswer(status: status, contentType: "application/json; charset=utf-8", body: ByteBuffer(bytes: value.serialized()))
    }

    package static func text(_ message: String, status: HTTPResponse.Status) -> FaceAnswer {
        FaceAnswer(status: status, contentType: "text/plain; charset=utf-8", body: ByteBuffer(string: message + "\n"))
    }

    package var response: Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: body))
    }
}

import AsyncHTTPClient
import BridgeCore
import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1

/// Calls an OneBot 11 HTTP API (`POST <base>/<action>`, params as the JSON body) over a pooled,
/// keep-alive AsyncHTTPClient.
package struct HTTPUpstreamClient: UpstreamClient {
    package struct Configuration: Sendable {
        /// Base URL, e.g. `http://127.0.0.1:3000`.
        package var baseURL: String
        package var token: String
        /// The word before the token, per dialect (dialects.md §2.1).
        package var authScheme: String
        package var timeoutMilliseconds: Int64

        package init(baseURL: String, token: String, authScheme: String, timeoutMilliseconds: Int64) {
            self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
            self.token = token
            self.authScheme = authScheme
            self.timeoutMilliseconds = timeoutMilliseconds
        }
    }

    /// Answers larger than this are refused as garbage; a 10 000-member list is about 3 MB.
    static let maximumReplySize = 64 << 20

    package let configuration: Configuration
    private let client: HTTPClient
    private let headers: HTTPHeaders

    /// Uses `client`'s pool; the caller owns the client and shuts it down.
    package init(configuration: Configuration, client: HTTPClient) {
        self.configuration = configuration
        self.client = client
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "User-Agent", value: "onebot-bridge/\(BridgeInfo.version)")
        if !configuration.token.isEmpty {
            headers.add(name: "Authorization", value: "\(configuration.authScheme) \(configuration.token)")
        }
        self.headers = headers
    }

    /// A client whose pool keeps idle connections warm for the next call.
    package static func makeHTTPClient() -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
        // A refused connection must fail the call at once, not be retried until the connect timeout:
        // the client gets a prompt 33001 and its own retry policy decides what next.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout = .init(connect: .seconds(5))
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    package func send(_ call: UpstreamCall) async throws(UpstreamError) -> JSONValue {
        var request = HTTPClientRequest(url: "\(configuration.baseURL)/\(call.action)")
        request.method = .POST
        request.headers = headers
        request.body = .bytes(ByteBuffer(bytes: call.body.serialized()))
        let timeout = configuration.timeoutMilliseconds
        let body: ByteBuffer
        let status: Int
        do {
            let response = try await client.execute(request, timeout: .milliseconds(timeout))
            status = Int(response.status.code)
            body = try await response.body.collect(upTo: Self.maximumReplySize)
        } catch let error as HTTPClientError where Self.isTimeout(error) {
            throw .timedOut(action: call.action, afterMilliseconds: timeout)
        } catch {
            throw .connectFailed(action: call.action, reason: "\(error)")
        }
        return try Self.envelope(status: status, body: body, action: call.action)
    }

    /// The reply envelope of an upstream HTTP answer, or the `UpstreamError` its status or body means.
    static func envelope(status: Int, body: ByteBuffer, action: String) throws(UpstreamError) -> JSONValue {
        try successBody(status: status, body: body, action: action).envelope()
    }

    /// The body of an upstream HTTP answer that may hold a reply envelope (2xx, or a failure status that
    /// carries one), or the `UpstreamError` its status means.
    static func successBody(status: Int, body: ByteBuffer, action: String) throws(UpstreamError) -> UpstreamReply {
        switch status {
        case 200..<300: return UpstreamReply(body: body, action: action)
        case 401, 403: throw .rejectedToken(action: action, status: status)
        case 404: throw .unknownAction(action: action, status: status)
        default:
            // Some servers put an envelope on 4xx/5xx; use it when it is one.
            if let envelope = try? HTTPParams.json(body), envelope.objectValue?["retcode"] != nil {
                return UpstreamReply(body: body, action: action, parsed: envelope)
            }
            throw .badStatus(action: action, status: status)
        }
    }

    private static func isTimeout(_ error: HTTPClientError) -> Bool {
        error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout
    }
}

/// The bridge's name and version, as it introduces itself.
package enum BridgeInfo {
    package static let version = "0.1.0"
}

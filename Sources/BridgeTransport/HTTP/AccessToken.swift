import BridgeCore
import Hummingbird

/// Checks a client's access token, in constant time, by the rules of its dialect.
package struct AccessToken: Sendable {
    /// How a dialect accepts the token.
    package enum Scheme: Sendable {
        /// OB12 §3: an `Authorization` header must be exactly `Bearer <t>`; only without it is the query read.
        case onebot12
        /// OB11: `Bearer <t>` or `?access_token=`.
        case onebot11
        /// CoolQ HTTP API: `token <t>`, `Token <t>` or `Bearer <t>`, or `?access_token=`.
        case coolq
    }

    /// The outcome, so the face can answer 401 or 403 as its spec says.
    package enum Verdict: Sendable, Equatable {
        case accepted
        case missing
        case wrong
    }

    package let token: String

    package init(_ token: String) {
        self.token = token
    }

    package func verify(_ request: Request, scheme: Scheme) -> Verdict {
        verify(authorization: request.headers[.authorization], query: request.uri.query.map { $0[...] }, scheme: scheme)
    }

    /// The same check from the raw header and query (the inline path has no Hummingbird `Request`).
    package func verify(authorization: String?, query: Substring?, scheme: Scheme) -> Verdict {
        guard !token.isEmpty else { return .accepted }
        if let header = authorization {
            let words = header.split(separator: " ", maxSplits: 1)
            let allowed: Set<String> = scheme == .coolq ? ["bearer", "token"] : ["Bearer"]
            let word = scheme == .coolq ? String(words.first ?? "").lowercased() : String(words.first ?? "")
            guard words.count == 2, allowed.contains(word) else { return .wrong }
            return Self.constantTimeEqual(String(words[1]), token) ? .accepted : .wrong
        }
        guard let query, let given = HTTPParams.form(query)["access_token"]?.stringValue else { return .missing }
        return Self.constantTimeEqual(given, token) ? .accepted : .wrong
    }

    /// Compares without an early exit, so response timing does not reveal how much of a guess was right.
    package static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        var difference = UInt8(truncatingIfNeeded: left.count ^ right.count)
        for index in 0..<max(left.count, right.count) {
            let a = index < left.count ? left[index] : 0
            let b = index < right.count ? right[index] : 0
            difference |= a ^ b
        }
        return difference == 0 && left.count == right.count
    }
}

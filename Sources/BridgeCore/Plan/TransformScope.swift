/// What a translation step may read besides the value it changes. Injected, so the core stays pure.
package struct TransformScope: Sendable {
    /// The action being translated, for error messages.
    package var action: String
    /// Requests are strict (bad input is refused); responses are lenient (upstream data is kept).
    package var isStrict: Bool
    package var context: TranslationContext
    package var segments: SegmentTable?
}

/// Facts from outside the core that a translation may need: the clock and the bot's identity.
package struct TranslationContext: Sendable {
    /// Unix time in seconds, from the caller's clock.
    package var now: Double
    /// The upstream bot's QQ number as a string, when known.
    package var selfID: String?
    /// Params from a query string or form arrive as strings; lenient callers get them converted.
    package var acceptsStringParams: Bool
    /// Every bot account behind the bridge and whether it is online, when more than the HTTP upstream.
    package var bots: [(selfID: String, online: Bool)] = []

    package init(now: Double, selfID: String? = nil, acceptsStringParams: Bool = false) {
        self.now = now
        self.selfID = selfID
        self.acceptsStringParams = acceptsStringParams
    }
}

/// Facts from outside the core that event translation needs: the clock, an ID source and the bot's identity.
///
/// Injected, so `EventTranslator` stays pure: tests pass a fixed clock and a fixed ID.
package struct EventContext: Sendable {
    /// Unix time in seconds, for events that arrive without `time`.
    package var now: Double
    /// Makes each OB12 event's unique `id` (onebot12.md §4.3); the runtime passes a UUID generator.
    package var makeID: @Sendable () -> String
    /// OB12 `self.platform`; always `qq` for this bridge.
    package var platform: String
    /// The bot's QQ number, for events that arrive without `self_id`.
    package var selfID: String?

    package init(now: Double, makeID: @escaping @Sendable () -> String, platform: String = "qq",
                 selfID: String? = nil) {
        self.now = now
        self.makeID = makeID
        self.platform = platform
        self.selfID = selfID
    }
}

/// How one client connection wants its events; OB12 clients always get segment arrays.
package struct EventOptions: Sendable, Equatable {
    /// OB11 and CoolQ: the form of `message` (OB11 config `event.message_format`, default `string`).
    package var messageFormat: MessageFormat
    /// CoolQ: the CQHTTP v1–v3 form (`post_type: "event"`), from the table's `legacy_events:` rows.
    package var usesLegacyFormat: Bool

    package init(messageFormat: MessageFormat = .string, usesLegacyFormat: Bool = false) {
        self.messageFormat = messageFormat
        self.usesLegacyFormat = usesLegacyFormat
    }
}

/// The two forms of an OB11 message (onebot11.md §10).
package enum MessageFormat: String, Sendable, CaseIterable {
    /// A CQ-code string.
    case string
    /// An array of `{type, data}` segments.
    case array
}

/// What to do with one upstream event. Events have no reply, so a bad one is only refused.
package enum EventOutcome: Sendable, Equatable {
    /// Send `event` to the client.
    case deliver(TranslatedEvent)
    /// Not an event the bridge can read; the transport drops it with a debug log and a counter (STYLE.md §5).
    case rejected(reason: String)
}

/// An event in the client's dialect, with what the transport must know about it.
package struct TranslatedEvent: Sendable, Equatable {
    package var event: JSONValue
    /// The upstream's `meta_event/lifecycle/connect`. It describes the upstream's connection, not the
    /// client's: the transport sends its own connect first on every client connection (OB12 `meta.connect`
    /// must be the first event), so it usually drops this one.
    package var isUpstreamConnect: Bool

    package init(event: JSONValue, isUpstreamConnect: Bool = false) {
        self.event = event
        self.isUpstreamConnect = isUpstreamConnect
    }
}

/// Everything `onebot-bridge serve` can be told. Plain values with defaults.
///
/// Each key is the YAML key in `bridge.yaml`, `ONEBOT_BRIDGE_<KEY>` in the environment and
/// `--<key-with-dashes>` on the command line; precedence is flag > environment > file > default.
package struct BridgeConfiguration: Sendable, Equatable {
    /// `listen` (host:port): where clients connect. Default `127.0.0.1:8080`.
    package var listen = HostPort(host: "127.0.0.1", port: 8080)
    /// `access_token` (string): the token clients must present. Default empty (no check, loopback only).
    package var accessToken = ""
    /// `default_client_dialect` (onebot12 | onebot11 | coolq): what the root `/` speaks, so an unmodified
    /// legacy bot pointed at the bare host works. Default `onebot12`.
    package var defaultClientDialect = "onebot12"
    /// `upstream_url` (URL): the OneBot 11 HTTP API of the QQ client. Default `http://127.0.0.1:3000`.
    package var upstreamURL = "http://127.0.0.1:3000"
    /// `upstream_dialect` (auto | napcat | lagrange | icqq | gocqhttp | standard). Default `auto`: the
    /// upstream's `get_version_info` decides, by the `detect:` rows of the tables.
    package var upstreamDialect = "auto"
    /// `upstream_token` (string): the token the upstream expects. Default empty.
    package var upstreamToken = ""
    /// `upstream_timeout_ms` (integer): the longest wait for one upstream answer. Default 10000.
    package var upstreamTimeoutMilliseconds: Int64 = 10_000
    /// `mappings` (folder): tables to use instead of the built-in ones. Default none.
    package var mappingsDirectory: String?
    /// `allow_public_without_token` (bool): permit a non-loopback listen address with no token. Default false.
    package var allowsPublicWithoutToken = false
    /// `log_level` (trace | debug | info | notice | warning | error | critical). Default `info`.
    package var logLevel = "info"
    /// `log_format` (text | json): one line per event either way. Default `text`.
    package var logFormat = "text"
    /// `upstream_ws_url` (ws:// URL): the upstream's forward WebSocket server, which the bridge dials for
    /// events (and actions while it is up). Default none: the upstream dials `/upstream/ws` instead.
    package var upstreamWebSocketURL: String?
    /// `upstream_post_secret` (string): key of the upstream's `X-Signature` on `/upstream/events`. Default empty.
    package var upstreamPostSecret = ""
    /// `onebot12_reverse_ws` (comma-separated URLs): OB12 bots' WebSocket servers the bridge dials. Default none.
    package var onebot12ReverseWebSockets: [String] = []
    /// `onebot12_webhook` (comma-separated URLs): OB12 bots the bridge POSTs events to. Default none.
    package var onebot12Webhooks: [String] = []
    /// `onebot11_reverse_ws` (comma-separated URLs): OB11 bots' WebSocket servers (Universal role). Default none.
    package var onebot11ReverseWebSockets: [String] = []
    /// `onebot11_reverse_ws_api`, `onebot11_reverse_ws_event` (comma-separated URLs): OB11 bots that take
    /// actions and events on two connections (X-Client-Role `API` and `Event`, OB11 §5.2). Default none.
    package var onebot11ReverseWebSocketsAPI: [String] = []
    package var onebot11ReverseWebSocketsEvent: [String] = []
    /// `onebot11_http_post` (comma-separated URLs): OB11 bots the bridge POSTs events to. Default none.
    package var onebot11HTTPPosts: [String] = []
    /// `onebot11_post_secret` (string): HMAC-SHA1 key for OB11 `X-Signature`. Default empty (unsigned).
    package var onebot11PostSecret = ""
    /// `coolq_http_post` (comma-separated URLs): legacy CoolQ bots the bridge POSTs events to (CQ strings). Default none.
    package var coolqHTTPPosts: [String] = []
    /// `coolq_post_format` (v4 | legacy): CQHTTP v4's events, or v1–v3's `post_type: "event"` form. Default `v4`.
    package var coolqPostFormat = "v4"
    /// `reconnect_interval_ms` (integer): wait before dialing a bot again. Default 3000 (OB11's default).
    package var reconnectIntervalMilliseconds: Int64 = 3000
    /// `event_post_timeout_ms` (integer): the longest wait for a bot to take a POSTed event. Default 5000.
    package var eventPostTimeoutMilliseconds: Int64 = 5000
    /// `threads` (integer): event-loop threads; 0 (default) is one per CPU the process may run on.
    package var threads = 0

    package init() {}
}

/// A `host:port` pair, as in `listen`.
package struct HostPort: Sendable, Equatable, CustomStringConvertible {
    package var host: String
    package var port: Int

    package init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `127.0.0.1:8080`, `[::1]:8080` or `:8080` (all interfaces).
    package init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65535).contains(port)
        else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.init(host: host.isEmpty ? "0.0.0.0" : host, port: port)
    }

    package var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// Whether only this machine can connect.
    package var isLoopback: Bool { host == "localhost" || host == "::1" || host.hasPrefix("127.") }
}

/// A configuration that cannot run; the CLI prints it and exits 78.
package struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    package var description: String

    package init(_ description: String) {
        self.description = description
    }
}

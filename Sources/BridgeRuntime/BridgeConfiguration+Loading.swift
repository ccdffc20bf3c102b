import BridgeCore
import BridgeMapping
import Foundation

extension BridgeConfiguration {
    /// Every key, in the order `--help` and the sample file list them.
    package static let keys = ["listen", "access_token", "default_client_dialect", "upstream_url", "upstream_dialect",
                               "upstream_token", "upstream_timeout_ms", "mappings", "allow_public_without_token",
                               "log_level", "log_format", "upstream_ws_url", "upstream_post_secret", "onebot12_reverse_ws", "onebot12_webhook", "onebot11_reverse_ws", "onebot11_reverse_ws_api", "onebot11_reverse_ws_event",
                               "onebot11_http_post", "onebot11_post_secret", "coolq_http_post", "coolq_post_format", "reconnect_interval_ms", "event_post_timeout_ms", "threads"]

    /// Builds a configuration: defaults, then the YAML file, then `ONEBOT_BRIDGE_*`, then `flags`.
    ///
    /// Throws `ConfigurationError` naming the key and where its bad value came from.
    package static func load(file: String?, environment: [String: String], flags: [String: String]) throws(ConfigurationError)
        -> BridgeConfiguration
    {
        var configuration = BridgeConfiguration()
        if let file {
            for (key, value) in try fileValues(file) { try configuration.set(key, value, source: file) }
        }
        for key in keys {
            if let value = environment["ONEBOT_BRIDGE_" + key.uppercased()] {
                try configuration.set(key, value, source: "ONEBOT_BRIDGE_\(key.uppercased())")
            }
        }
        for (key, value) in flags.sorted(by: { $0.key < $1.key }) { try configuration.set(key, value, source: "--\(key)") }
        try configuration.validate()
        return configuration
    }

    private static func fileValues(_ path: String) throws(ConfigurationError) -> [(String, String)] {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ConfigurationError("cannot read \(path): \(error.localizedDescription)")
        }
        let document: JSONValue
        do { document = try YAMLDocument.json(text, file: path) } catch { throw ConfigurationError(error.description) }
        guard case .object(let object) = document else {
            throw ConfigurationError("\(path): the configuration must be a mapping of keys")
        }
        return object.entries.compactMap { entry in
            switch entry.value {
            case .null: nil
            case .string(let text): (entry.key, text)
            default: (entry.key, entry.value.jsonText)
            }
        }
    }

    package mutating func set(_ key: String, _ value: String, source: String) throws(ConfigurationError) {
        func bad(_ expected: String) -> ConfigurationError {
            ConfigurationError("\(source): \(key) must be \(expected), not '\(value)'")
        }
        switch key {
        case "listen":
            guard let address = HostPort(value) else { throw bad("host:port") }
            listen = address
        case "access_token": accessToken = value
        case "default_client_dialect": defaultClientDialect = value
        case "upstream_url": upstreamURL = value
        case "upstream_dialect": upstreamDialect = value
        case "upstream_token": upstreamToken = value
        case "upstream_timeout_ms":
            guard let milliseconds = Int64(value), milliseconds > 0 else { throw bad("a positive integer") }
            upstreamTimeoutMilliseconds = milliseconds
        case "threads":
            guard let count = Int(value), count >= 0 else { throw bad("a non-negative integer") }
            threads = count
        case "mappings": mappingsDirectory = value.isEmpty ? nil : value
        case "allow_public_without_token":
            guard let flag = ValueType.booleanWord(value) else { throw bad("true or false") }
            allowsPublicWithoutToken = flag
        case "log_level": logLevel = value
        case "upstream_ws_url": upstreamWebSocketURL = value.isEmpty ? nil : value
        case "upstream_post_secret": upstreamPostSecret = value
        case "onebot12_reverse_ws": onebot12ReverseWebSockets = Self.list(value)
        case "onebot12_webhook": onebot12Webhooks = Self.list(value)
        case "onebot11_reverse_ws": onebot11ReverseWebSockets = Self.list(value)
        case "onebot11_reverse_ws_api": onebot11ReverseWebSocketsAPI = Self.list(value)
        case "onebot11_reverse_ws_event": onebot11ReverseWebSocketsEvent = Self.list(value)
        case "onebot11_http_post": onebot11HTTPPosts = Self.list(value)
        case "onebot11_post_secret": onebot11PostSecret = value
        case "coolq_http_post": coolqHTTPPosts = Self.list(value)
        case "coolq_post_format":
            guard ["v4", "legacy"].contains(value) else { throw bad("v4 or legacy") }
            coolqPostFormat = value
        case "reconnect_interval_ms", "event_post_timeout_ms":
            guard let milliseconds = Int64(value), milliseconds > 0 else { throw bad("a positive integer") }
            if key == "reconnect_interval_ms" { reconnectIntervalMilliseconds = milliseconds } else {
                eventPostTimeoutMilliseconds = milliseconds
            }
        case "log_format":
            guard ["text", "json"].contains(value) else { throw bad("text or json") }
            logFormat = value
        default:
            throw ConfigurationError("\(source): unknown key '\(key)' (known: \(Self.keys.joined(separator: ", ")))")
        }
    }

    /// `a, b` or a YAML list (the file loader hands lists over as JSON text).
    static func list(_ value: String) -> [String] {
        if value.hasPrefix("["), case .array(let items)? = try? JSONParser.parse(value) {
            return items.compactMap(\.stringValue)
        }
        return value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Refuses what would be unsafe or cannot work.
    package func validate() throws(ConfigurationError) {
        if !listen.isLoopback, accessToken.isEmpty, !allowsPublicWithoutToken {
            throw ConfigurationError("""
                refusing to listen on \(listen) without an access_token: anyone who reaches it could drive your bot. \
                Set access_token, listen on 127.0.0.1, or set allow_public_without_token: true
                """)
        }
        guard upstreamURL.hasPrefix("http://") || upstreamURL.hasPrefix("https://") else {
            throw ConfigurationError("upstream_url must start with http:// or https://, not '\(upstreamURL)'")
        }
        guard ["onebot12", "onebot11", "coolq"].contains(defaultClientDialect) else {
            throw ConfigurationError("default_client_dialect must be onebot12, onebot11 or coolq, not '\(defaultClientDialect)'")
        }
    }
}

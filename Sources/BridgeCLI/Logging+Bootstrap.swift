import BridgeCore
import Foundation
import Logging

/// The CLI's single logging setup: one line per event on standard error, as text or JSON.
enum LogSetup {
    static func bootstrap(level: String, format: String = "text") -> Logger {
        let parsed = Logger.Level(rawValue: level.lowercased()) ?? .info
        LoggingSystem.bootstrap { label in
            if format == "json" {
                var handler = JSONLogHandler(label: label)
                handler.logLevel = parsed
                return handler
            }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = parsed
            return handler
        }
        var logger = Logger(label: "onebot-bridge")
        logger.logLevel = parsed
        return logger
    }
}

/// One JSON object per line on standard error: `time`, `level`, `label`, `message`, then the metadata.
///
/// swift-log ships only a text handler; this one is small enough to keep rather than add a dependency.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var object: JSONObject = ["time": .string(ISO8601DateFormatter().string(from: Date())),
                                  "level": .string(event.level.rawValue), "label": .string(label),
                                  "message": .string(event.message.description)]
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        for key in merged.keys.sorted() { object[key] = .string(merged[key]?.description ?? "") }
        var line = JSONValue.object(object).serialized()
        line.append(0x0A)
        FileHandle.standardError.write(Data(line))
    }
}

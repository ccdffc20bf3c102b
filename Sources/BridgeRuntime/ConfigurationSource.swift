import Foundation

/// Where the configuration comes from, kept so that a reload reads the same places again.
package struct ConfigurationSource: Sendable {
    package var file: String?
    package var environment: [String: String]
    package var flags: [String: String]

    package init(file: String?, environment: [String: String], flags: [String: String]) {
        self.file = file
        self.environment = environment
        self.flags = flags
    }

    package func load() throws(ConfigurationError) -> BridgeConfiguration {
        try BridgeConfiguration.load(file: file, environment: environment, flags: flags)
    }
}

import ArgumentParser

/// `onebot-bridge`: a translating reverse proxy between OneBot 12 / 11 bots and OneBot 11 QQ servers.
@main
struct OneBotBridge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "onebot-bridge",
        abstract: "Translating reverse proxy between OneBot 12 bots and OneBot 11 QQ servers.",
        subcommands: [Serve.self, Demo.self, Simulate.self, Translate.self, Mappings.self],
        defaultSubcommand: Serve.self)
}

enum _PlaceholderBridgeRuntime {}

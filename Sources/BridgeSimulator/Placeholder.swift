enum _PlaceholderBridgeSimulator {}

enum _PlaceholderBridgeMapping {}

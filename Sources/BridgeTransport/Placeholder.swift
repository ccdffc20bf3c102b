enum _PlaceholderBridgeTransport {}

"""sockgen: generate typed Python WebSocket SDKs from AsyncAPI and OpenAPI specs."""

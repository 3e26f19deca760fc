"""sockgen's Pants plugin: the ``websocket_sdk`` target and its codegen."""

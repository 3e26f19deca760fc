"""sockgen_runtime: the connection layer that generated SDKs stand on."""

"""chatbridge: a small app on two generated SDKs (the chat and feed services in specs/)."""

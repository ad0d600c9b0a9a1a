"""Proxy tests: a real server on loopback, the fake upstream, the official SDKs."""

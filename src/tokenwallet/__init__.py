"""Token Wallet: a personal wallet and meter for AI tokens."""

__version__ = "0.1.0"

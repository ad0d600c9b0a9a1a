"""Test doubles shared by the suite (importable as ``fakes`` once ``tests/`` is on ``sys.path``).

``fakes.upstream.FakeUpstream`` is a fake OpenAI / Anthropic / Gemini server on loopback.
"""

"""Provider presets: kind and default base URL for every provider Token Wallet knows by name.

A user may point any of them elsewhere (``tokenwallet provider set openai --base-url URL``) or add
an OpenAI-compatible provider of their own; those settings live in the wallet's ``provider`` table.

Chinese providers come in two flavours where the provider runs two platforms: the international
one (``qwen``, ``moonshot``, ``minimax``: billed in USD, priced from genai-prices) and the China
mainland one (``qwen-cn``, ``moonshot-cn``, ``minimax-cn``: billed in CNY, priced from
``resources/cny_prices.toml``). Zhipu's BigModel, Volcengine Ark, Baidu Qianfan and SiliconFlow's
China site bill in CNY only. Each speaks the OpenAI chat wire with its own usage fields, which
``proxy.usage`` reads.
"""

from __future__ import annotations

from typing import Final

from tokenwallet.wallet.types import ProviderConfig

KINDS: Final = ("openai", "anthropic", "gemini", "openai-compatible")
#: Provider kinds served from the user's own machine: priced at zero.
LOCAL_PROVIDERS: Final = frozenset({"ollama", "lmstudio"})

PRESETS: Final[dict[str, ProviderConfig]] = {
    p.name: p
    for p in (
        ProviderConfig("openai", "openai", "https://api.openai.com/v1", False),
        ProviderConfig("anthropic", "anthropic", "https://api.anthropic.com", False),
        ProviderConfig("gemini", "gemini", "https://generativelanguage.googleapis.com", False),
        ProviderConfig("openrouter", "openai-compatible", "https://openrouter.ai/api/v1", False),
        ProviderConfig("deepseek", "openai-compatible", "https://api.deepseek.com/v1", False),
        ProviderConfig(
            "qwen", "openai-compatible", "https://dashscope-intl.aliyuncs.com/compatible-mode/v1", False
        ),
        ProviderConfig(
            "qwen-cn", "openai-compatible", "https://dashscope.aliyuncs.com/compatible-mode/v1", False
        ),
        ProviderConfig("moonshot", "openai-compatible", "https://api.moonshot.ai/v1", False),
        ProviderConfig("moonshot-cn", "openai-compatible", "https://api.moonshot.cn/v1", False),
        ProviderConfig("zhipu", "openai-compatible", "https://open.bigmodel.cn/api/paas/v4", False),
        ProviderConfig("minimax", "openai-compatible", "https://api.minimax.io/v1", False),
        ProviderConfig("minimax-cn", "openai-compatible", "https://api.minimaxi.com/v1", False),
        ProviderConfig("volcengine", "openai-compatible", "https://ark.cn-beijing.volces.com/api/v3", False),
        ProviderConfig("qianfan", "openai-compatible", "https://qianfan.baidubce.com/v2", False),
        ProviderConfig("siliconflow", "openai-compatible", "https://api.siliconflow.cn/v1", False),
        ProviderConfig("mistral", "openai-compatible", "https://api.mistral.ai/v1", False),
        ProviderConfig("groq", "openai-compatible", "https://api.groq.com/openai/v1", False),
        ProviderConfig("together", "openai-compatible", "https://api.together.xyz/v1", False),
        ProviderConfig("ollama", "openai-compatible", "http://127.0.0.1:11434/v1", True),
        ProviderConfig("lmstudio", "openai-compatible", "http://127.0.0.1:1234/v1", True),
    )
}


def preset(name: str) -> ProviderConfig | None:
    return PRESETS.get(name)

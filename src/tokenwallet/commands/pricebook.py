"""The price book as the proxy builds it (user overrides, local providers at zero, the unknown-model
policy), and which provider serves a model when the user did not say."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from tokenwallet.commands.common import CliError

if TYPE_CHECKING:
    from tokenwallet.pricing import PriceBook
    from tokenwallet.wallet import Wallet


def _setting(wallet: Wallet, name: str, default: Any) -> Any:
    try:
        value = wallet.get_setting(name)
    except (KeyError, LookupError, ValueError):  # a setting this wallet does not declare
        return default
    return default if value is None else value


def build_pricebook(wallet: Wallet) -> PriceBook:
    """A :class:`PriceBook` with the wallet's overrides and settings."""
    from tokenwallet.pricing import PriceBook, PriceOverride

    overrides = [
        PriceOverride(
            provider=o.provider,
            model=o.model,
            input_mtok=o.input_mtok,
            output_mtok=o.output_mtok,
            cache_read_mtok=o.cache_read_mtok,
            cache_write_mtok=o.cache_write_mtok,
        )
        for o in wallet.price_overrides()
    ]
    local = frozenset(p.name for p in wallet.providers() if p.local)
    policy = str(_setting(wallet, "unknown_model_policy", "block"))
    return PriceBook(
        overrides,
        unknown_policy="fallback" if policy == "fallback" else "block",
        fallback_input_mtok=Decimal(str(_setting(wallet, "fallback_input_mtok", "10"))),
        fallback_output_mtok=Decimal(str(_setting(wallet, "fallback_output_mtok", "30"))),
        local_providers=local,
    )


# Model name → provider, for the families whose maker is also the obvious API to call.
_FAMILY_PROVIDER: tuple[tuple[str, str], ...] = (
    ("claude", "anthropic"),
    ("gemini", "gemini"),
    ("gemma", "gemini"),
    ("deepseek", "deepseek"),
    ("qwen", "qwen"),
    ("qwq", "qwen"),
    ("kimi", "moonshot"),
    ("moonshot", "moonshot"),
    ("glm", "zhipu"),
    ("mistral", "mistral"),
    ("mixtral", "mistral"),
    ("codestral", "mistral"),
    ("devstral", "mistral"),
    ("magistral", "mistral"),
    ("ministral", "mistral"),
    ("pixtral", "mistral"),
)


def infer_provider(model: str, wallet: Wallet, book: PriceBook) -> str:
    """The provider for ``model``: OpenAI tokenizer models → openai, known families → their maker,
    ``vendor/model`` → openrouter, else the one provider whose catalog lists it."""
    from tokenwallet.tokens import encoding_name_for

    m = model.strip().lower()
    if "/" in m:
        return "openrouter"
    if encoding_name_for(m) is not None:
        return "openai"
    for needle, provider in _FAMILY_PROVIDER:
        if needle in m:
            return provider
    overrides = {o.provider for o in wallet.price_overrides() if o.model.lower() == m}
    catalog = {p.provider for p in book.catalog() if p.model.lower() == m}
    found = sorted(overrides | catalog)
    if len(found) == 1:
        return found[0]
    if found:
        raise CliError(f"several providers serve {model!r} ({', '.join(found)}): add --provider")
    raise CliError(f"which provider serves {model!r}? add --provider NAME (see 'tokenwallet provider list')")

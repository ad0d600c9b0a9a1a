"""Which provider serves a model when the user did not say."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tokenwallet.commands.common import CliError
from tokenwallet.commands.i18n import _

if TYPE_CHECKING:
    from tokenwallet.pricing import PriceBook
    from tokenwallet.wallet import Wallet


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
        raise CliError(
            _("several providers serve {model} ({value}): add --provider").format(
                model=repr(model), value=", ".join(found)
            )
        )
    raise CliError(
        _("which provider serves {model}? add --provider NAME (see 'tokenwallet provider list')").format(
            model=repr(model)
        )
    )

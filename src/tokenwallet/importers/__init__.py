"""Importing what bypassed the meter: usage from coding agents' own logs (issue 11).

Claude Code's transcripts, Codex CLI's rollouts and Gemini CLI's chat recordings hold the usage of
every request those agents made — often on a subscription, around the meter. ``run_import`` puts
each request in the ledger once, priced like a metered call, with ``source`` ``imported:<tool>``;
``ImportWatcher`` does it continuously in the background (``tokenwallet import --watch``, and the
app's ``import_watch`` setting).
"""

from tokenwallet.importers.entries import Counts
from tokenwallet.importers.run import TOOLS, ImportOptions, check_options, run_import

__all__ = ["TOOLS", "Counts", "ImportOptions", "check_options", "run_import"]

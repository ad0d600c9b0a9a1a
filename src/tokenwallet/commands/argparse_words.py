"""argparse's own words a user meets, marked for our catalog (argparse marks them for a gettext
domain of its own that nobody ships). ``i18n.use`` points argparse at our catalog; the msgids
below are argparse's exactly (CPython 3.11-3.13), and a test checks they still are.
"""

from __future__ import annotations

from tokenwallet.commands.i18n import N_, N_plural

WORDS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
)
PLURALS = (N_plural("expected %s argument", "expected %s arguments"),)

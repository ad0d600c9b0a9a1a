"""``python -m tokenwallet``: the same as the ``tokenwallet`` command."""

import sys

from tokenwallet.cli import main

sys.exit(main())

"""The ``tokenwallet`` sub-commands, one module per group; :mod:`tokenwallet.cli` wires them up."""

"""Households and freelancers (issue 5): allowances, the owner PIN, statements, clients, invoices.

Qt-free: the GUI renders the HTML this package builds (``tokenwallet.gui.pdf``), the CLI prints
its records. State lives in the wallet file (tables from ``tokenwallet.wallet.schema_billing``);
money stays in integer nano-USD until an invoice converts it, once, to the client's currency.
"""

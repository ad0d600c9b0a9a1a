"""v12 — energy and carbon per call (issue 12, ``core/energy.py``).

Six nullable ledger columns; NULL ``energy_method`` means "not computed yet". The meter never
writes them (an ecologits computation costs about a millisecond, too slow for settle): the wallet
fills them afterwards, in id order (``wallet/energy.py``), so no index is needed to find the rows
left — they are the ones above the highest filled id. Amounts are integers in micro-units: µWh
and µg CO₂eq, the low and high ends of ecologits' uncertainty range.
"""

V12_ENERGY = """
ALTER TABLE ledger ADD COLUMN energy_uwh_min INTEGER;
ALTER TABLE ledger ADD COLUMN energy_uwh_max INTEGER;
ALTER TABLE ledger ADD COLUMN gco2_ug_min INTEGER;
ALTER TABLE ledger ADD COLUMN gco2_ug_max INTEGER;
ALTER TABLE ledger ADD COLUMN energy_method VARCHAR;
ALTER TABLE ledger ADD COLUMN energy_zone VARCHAR
"""

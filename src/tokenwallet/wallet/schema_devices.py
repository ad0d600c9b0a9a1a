"""Schema step 16: devices (issue 14, "one wallet across devices").

``device`` has one row per meter's data folder: its stable id (kept in the data folder, see
``wallet.devices``), a name (the host name until the user sets one), when it was first and last
seen, the meter's version and whether a meter is serving there now. Holds and ledger rows carry
the device that metered them, so a device recovers its own stale holds at restart, another device
leaves them alone until they time out, and the app shows what each device spends.
"""

from __future__ import annotations

V16 = """
CREATE TABLE device (
    id VARCHAR NOT NULL, name VARCHAR NOT NULL, version VARCHAR NOT NULL, serving BOOLEAN NOT NULL,
    first_seen_us INTEGER NOT NULL, last_seen_us INTEGER NOT NULL,
    PRIMARY KEY (id)
);
ALTER TABLE hold ADD COLUMN device VARCHAR NOT NULL DEFAULT '';
ALTER TABLE ledger ADD COLUMN device VARCHAR NOT NULL DEFAULT ''
"""

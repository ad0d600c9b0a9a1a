"""``tokenwallet alerts``: webhooks (add, list, test, remove) and desktop notifications on/off."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_helpers import Run

from fakes.receiver import Receiver
from tokenwallet.secrets.memory import MemoryKeyring

PIN = "4321"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as r:
        yield r


def hooks(tw: Run) -> list[dict[str, object]]:
    r = tw("alerts", "webhook", "list", "--json")
    assert r.code == 0, r.err
    data: list[dict[str, object]] = json.loads(r.out)
    return data


def test_add_list_test_remove(tw: Run, receiver: Receiver) -> None:
    r = tw(
        "alerts", "webhook", "add", receiver.url + "/topic", "--format", "json", "--on", "refusals,guards",
        "--header", "Authorization: Bearer tk_abc",
    )  # fmt: skip
    assert r.code == 0, r.err
    assert r.out.splitlines()[0] == (
        f"Added webhook #1: json to {receiver.url}/topic on refusals,guards, header Authorization "
        "(value in the keychain)."
    )
    assert hooks(tw) == [
        {
            "id": 1,
            "url": receiver.url + "/topic",
            "format": "json",
            "on": ["refusals", "guards"],
            "header": "Authorization",
        }
    ]
    listing = tw("alerts", "webhook", "list").out
    assert "tk_abc" not in listing and "Authorization" in listing
    assert "tk_abc" not in str(MemoryKeyring._store)  # type: ignore[attr-defined]  # stored encoded

    r = tw("alerts", "webhook", "test", "1")
    assert (r.code, r.out.strip()) == (0, "Webhook #1 answered HTTP 200: the test alert was delivered.")
    (got,) = receiver.received
    assert got.headers["authorization"] == "Bearer tk_abc"
    body = json.loads(got.body)
    assert body["kind"] == "refusal" and body["title"] == "Token Wallet test"

    receiver.statuses = [500]
    r = tw("alerts", "webhook", "test", "1")
    assert (
        r.code == 1 and r.err.strip() == "tokenwallet: error: webhook #1 (http://127.0.0.1) answered HTTP 500"
    )

    r = tw("alerts", "webhook", "remove", "1")
    assert r.code == 0 and hooks(tw) == []
    assert not any("webhook-1" in str(k) for k in MemoryKeyring._store)  # type: ignore[attr-defined]


BAD = [
    (("ftp://example.test/x",), "webhook URLs must start with http:// or https://, not 'ftp'"),
    (("file:///etc/passwd",), "webhook URLs must start with http:// or https://, not 'file'"),
    (("http://user:pw@127.0.0.1/x",), "put credentials in a secret header"),
    (("http:///nohost",), "the webhook URL has no host"),
    (("http://127.0.0.1/x", "--on", "everything"), "webhook events must be some of"),
    (("http://127.0.0.1/x", "--header", "novalue"), "the header must look like 'Name: value'"),
    (("http://127.0.0.1/x", "--header", "Host: evil"), "the header 'Host' is set by Token Wallet"),
    (("http://127.0.0.1/x", "--format", "xml"), "invalid choice"),
]


@pytest.mark.parametrize(("args", "message"), BAD, ids=[a[0][0] + str(len(a[0])) for a in BAD])
def test_bad_input_is_one_line_and_changes_nothing(tw: Run, args: tuple[str, ...], message: str) -> None:
    r = tw("alerts", "webhook", "add", *args)
    assert r.code != 0 and len(r.err.strip().splitlines()) == 1 and message in r.err, r.err
    assert hooks(tw) == []


def test_the_same_url_twice_is_refused(tw: Run) -> None:
    assert tw("alerts", "webhook", "add", "http://127.0.0.1/x").code == 0
    r = tw("alerts", "webhook", "add", "http://127.0.0.1/x", "--format", "json")
    assert r.code == 1 and "webhook #1 already posts to that URL" in r.err
    assert len(hooks(tw)) == 1


def test_unknown_ids_are_one_line(tw: Run) -> None:
    for action in ("test", "remove"):
        r = tw("alerts", "webhook", action, "7")
        assert r.code == 1 and r.err.strip() == (
            "tokenwallet: error: no webhook #7 (`tokenwallet alerts webhook list` shows them)"
        )


def test_notify_on_off(tw: Run) -> None:
    assert tw("alerts", "notify").out.strip() == "Desktop notifications are on."
    assert tw("alerts", "notify", "off").out.strip() == "Desktop notifications are off."
    assert tw("settings", "get", "desktop_notifications").out.strip() in ("false", "off", "False")
    assert tw("alerts", "notify", "on").code == 0
    assert tw("alerts", "notify").out.strip() == "Desktop notifications are on."


def test_a_household_needs_the_owner_pin_to_change_alerts(tw: Run) -> None:
    assert tw("household", "init", "--owner", "mum", "--pin-stdin", stdin=f"{PIN}\n").code == 0
    for args in (("webhook", "add", "http://127.0.0.1/x"), ("notify", "off")):
        r = tw("alerts", *args)
        assert r.code != 0 and len(r.err.strip().splitlines()) == 1, r.err
    assert hooks(tw) == [] and "on" in tw("alerts", "notify").out
    r = tw("alerts", "webhook", "add", "http://127.0.0.1/x", "--pin-stdin", stdin=f"{PIN}\n")
    assert r.code == 0, r.err
    assert tw("alerts", "webhook", "remove", "1").code != 0 and len(hooks(tw)) == 1


def test_a_secret_header_without_a_keychain_stores_nothing(shell: Run, tmp_path: Path) -> None:
    env = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    r = shell("tokenwallet alerts webhook add http://127.0.0.1/x --header 'X-Token: hush-5566'", env=env)
    assert r.code == 1 and len(r.err.strip().splitlines()) == 1 and "hush-5566" not in r.err, r.err
    assert shell("tokenwallet alerts webhook list --json").out.strip() == "[]"
    stored = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    assert b"hush-5566" not in stored

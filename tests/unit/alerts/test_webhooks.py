"""Webhook delivery against a real HTTP receiver on loopback: formats, retries, drops, bursts."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from fakes.receiver import Receiver
from tokenwallet.alerts import Alert
from tokenwallet.alerts.webhooks import SenderOptions, WebhookSender, send_once
from tokenwallet.wallet.alerts import WebhookSpec

AT = datetime(2026, 11, 29, 14, 0, tzinfo=UTC)
FAST = SenderOptions(window_s=0.3, backoff_s=0.05, backoff_cap_s=0.2, max_attempts=4, timeout_s=5)
REFUSED = Alert(
    "refusals",
    "Call refused",
    "A call to gpt-4o by Zoë was refused: budget profile:Zoë (week) has $0.01 left.",
    AT,
    profile="Zoë",
    envelope="profile:Zoë (week)",
    model="gpt-4o",
    amounts=(("available", "0.010000000"), ("unit", "USD")),
)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as r:
        yield r


def hook(
    receiver: Receiver, fmt: str = "ntfy", header: str = "", topics: tuple[str, ...] = ("refusals",)
) -> WebhookSpec:
    return WebhookSpec(1, receiver.url + "/tw-alerts", fmt, topics, header)


def sender(h: WebhookSpec, options: SenderOptions = FAST, secret: str | None = None) -> WebhookSender:
    s = WebhookSender(h, lambda _id: secret, options)
    s.start()
    return s


def test_ntfy_format_is_a_plain_post_with_ntfy_headers(receiver: Receiver) -> None:
    status = send_once(hook(receiver, header="Authorization"), REFUSED, "Bearer tk_secret 1")
    assert status == 200
    (got,) = receiver.received
    assert got.path == "/tw-alerts" and got.text == REFUSED.message
    assert got.headers["title"] == "Call refused" and got.headers["priority"] == "4"
    assert got.headers["tags"] == "no_entry" and got.headers["content-type"].startswith("text/plain")
    assert got.headers["authorization"] == "Bearer tk_secret 1"


def test_non_ascii_titles_are_rfc2047_encoded(receiver: Receiver) -> None:
    send_once(hook(receiver), Alert("thresholds", "Budget für Zoë", "ü", AT), None)
    assert receiver.received[0].headers["title"] == "=?UTF-8?B?QnVkZ2V0IGbDvHIgWm/Dqw==?="


def test_json_format_is_the_documented_body(receiver: Receiver) -> None:
    assert send_once(hook(receiver, "json"), REFUSED, None) == 200
    (got,) = receiver.received
    assert got.headers["content-type"] == "application/json"
    body = json.loads(got.body)
    assert body == REFUSED.to_json() and body["amounts"]["available"] == "0.010000000"
    assert "authorization" not in got.headers


def test_500_twice_then_200_is_delivered_once(receiver: Receiver) -> None:
    receiver.statuses = [500, 503]
    s = sender(hook(receiver))
    s.offer(REFUSED)
    receiver.wait_for(3)
    s.stop()
    assert [r.text for r in receiver.received] == [REFUSED.message] * 3
    assert s.delivered == 1 and s.dropped == 0


def test_dropped_with_a_log_line_after_the_last_attempt(
    receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    receiver.statuses = [500] * 10
    s = sender(hook(receiver))
    with caplog.at_level(logging.WARNING, "tokenwallet.alerts.webhooks"):
        s.offer(REFUSED)
        receiver.wait_for(4)
        s.stop()
    assert len(receiver.received) == FAST.max_attempts and s.delivered == 0 and s.dropped == 1
    (line,) = [r.getMessage() for r in caplog.records]
    assert line == "webhook #1 (http://127.0.0.1): dropped a refusal alert after 4 attempt(s): HTTP 500"
    assert "tw-alerts" not in line  # the path (an ntfy topic) is a secret


def test_a_client_error_is_not_retried_and_redirects_are_not_followed(receiver: Receiver) -> None:
    receiver.statuses = [404, 302]
    s = sender(hook(receiver))
    s.offer(REFUSED)
    receiver.wait_for(1)
    s.offer(Alert("refusals", "x", "second", AT))  # held by the window, sent as its summary
    receiver.wait_for(2)
    s.stop()
    assert len(receiver.received) == 2 and s.delivered == 0 and s.dropped == 2


def test_a_burst_of_1000_refusals_is_two_posts(receiver: Receiver) -> None:
    s = sender(hook(receiver, "json"))
    for i in range(1000):
        s.offer(Alert("refusals", "Call refused", f"refusal {i}", AT))
    first, summary = receiver.wait_for(2)
    s.stop()
    assert json.loads(first.body)["message"] == "refusal 0"
    body = json.loads(summary.body)
    assert body["count"] == 999
    assert body["message"] == "999 more refused calls in the last 0.3 s; the latest: refusal 999"
    assert len(receiver.received) == 2


def test_topics_the_webhook_did_not_ask_for_are_not_sent(receiver: Receiver) -> None:
    s = sender(hook(receiver, topics=("guards",)))
    s.offer(REFUSED)
    s.offer(Alert("guards", "Guard tripped", "loop", AT))
    (got,) = receiver.wait_for(1)
    s.stop()
    assert got.text == "loop"


def test_a_full_queue_drops_instead_of_blocking(receiver: Receiver) -> None:
    receiver.hold()  # the first POST hangs: the thread is stuck, the queue fills
    s = sender(hook(receiver), SenderOptions(queue_size=5, window_s=0.01, timeout_s=10))
    for i in range(50):
        s.offer(Alert("refusals", "x", f"r{i}", AT))  # returns at once each time
    assert s.dropped >= 44
    receiver.release()
    s.stop()

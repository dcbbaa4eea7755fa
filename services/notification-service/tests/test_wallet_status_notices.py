"""A frozen or unfrozen wallet: its owner is told once, in their language, in-app and by e-mail,
with the reason and how to reach support (the `support_contact` setting)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from instapay_stack.smtp_sink import read_mailbox
from instapay_stack.tokens import TestIssuer


def _mails_to(directory: Path, address: str, within: float = 10) -> list:
    """The mails the sink received for `address`. The database is shared by the module's tests and
    the dispatcher sends whatever is due, so other tests' mails may land in this sink too."""
    deadline = time.monotonic() + within
    mails: list = []
    while time.monotonic() < deadline:
        mails = [m for m in read_mailbox(directory) if m["To"] == address] if directory.exists() else []
        if mails:
            break
        time.sleep(0.05)
    return mails


async def _mine(service, user) -> list[dict]:
    r = await service.client.get("/api/v1/notifications", headers=service.auth(user["user_id"]))
    assert r.status_code == 200, r.text
    return r.json()["items"]


async def test_the_owner_is_told_of_a_freeze_and_an_unfreeze_in_their_language_with_support(
    service, users, ev, smtp_sink, mail_dir
):
    mona, samir = users.add("mona", email=True), users.add("samir", language="ar")
    frozen = ev.envelope("wallet.frozen", {"user_id": mona["user_id"], "reason": "Card reported stolen", "at": "x"})
    for _ in range(2):  # the relay may deliver twice: one notice
        assert (await service.post_event(frozen)).status_code == 204
    [notice] = await _mine(service, mona)
    assert notice["type"] == "wallet.frozen" and notice["title"] == "Your wallet is frozen"
    assert "Card reported stolen" in notice["body"] and "support@instapay.local" in notice["body"]
    assert notice["data"] == {"reason": "Card reported stolen", "support_contact": "support@instapay.local"}
    [mail] = await asyncio.to_thread(_mails_to, mail_dir, mona["email"])
    assert mail["Subject"] == "Your wallet is frozen"
    assert "support@instapay.local" in mail.get_content()

    ar = ev.envelope("wallet.frozen", {"user_id": samir["user_id"], "reason": "مراجعة المستندات", "at": "x"})
    assert (await service.post_event(ar)).status_code == 204
    unfrozen = ev.envelope("wallet.unfrozen", {"user_id": samir["user_id"], "reason": None})
    assert (await service.post_event(unfrozen)).status_code == 204
    notices = await _mine(service, samir)
    assert [n["type"] for n in notices] == ["wallet.unfrozen", "wallet.frozen"]
    assert notices[1]["title"] == "تم تجميد محفظتك" and "مراجعة المستندات" in notices[1]["body"]
    assert "support@instapay.local" in notices[1]["body"]
    assert notices[0]["title"] == "عادت محفظتك للعمل" and notices[0]["data"]["reason"] is None


async def test_the_support_contact_is_a_setting_and_a_freeze_without_an_owner_is_refused(
    make_settings, serve_app, users, ev
):
    owner = users.add("owner")
    async with serve_app(make_settings(support_contact="help@bank.example"), TestIssuer()) as service:
        frozen = ev.envelope("wallet.frozen", {"user_id": owner["user_id"], "reason": "Review"})
        assert (await service.post_event(frozen)).status_code == 204
        [notice] = await _mine(service, owner)
        assert "help@bank.example" in notice["body"] and "support@instapay.local" not in notice["body"]
        r = await service.post_event(ev.envelope("wallet.frozen", {"user_id": "not-a-user", "reason": "x"}))
        assert r.status_code == 422, r.text

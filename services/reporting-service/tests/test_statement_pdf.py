"""The monthly statement as a PDF (`format=pdf`), from the reporting service's projection of the
ledger (real PostgreSQL): its balances and totals are the JSON statement's and the summary's, in
the asked language; page 1 saved as a PNG to look at."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from instapay_stack.pdf_checks import pdf_text, save_first_page_png

START = datetime(2026, 8, 1, tzinfo=UTC)
AUGUST = {"from": "2026-08-01", "to": "2026-08-31"}


async def feed(reporting, ledger) -> None:
    for e in ledger.auth_events + ledger.events:
        assert (await reporting.post_event(e)).status_code == 204


async def _month(reporting, ledger):
    a, b = ledger.user("amal", START), ledger.user("بدر", START)
    ledger.topup(a, Decimal("1000.00"), START)
    sent = ledger.transfer(a, b, Decimal("250.50"), datetime(2026, 8, 10, 9, tzinfo=UTC))
    sent["data"]["reference"] = "IPAUG10SNT"
    ledger.withdraw(a, Decimal("74.50"), datetime(2026, 8, 11, 9, tzinfo=UTC))
    back = ledger.transfer(b, a, Decimal("0.01"), datetime(2026, 8, 31, 23, 59, 59, tzinfo=UTC))
    back["data"]["reference"] = "IPAUG31RCV"
    ledger.transfer(a, b, Decimal("5.00"), datetime(2026, 9, 1, 0, 0, 1, tzinfo=UTC))  # the next month
    await feed(reporting, ledger)
    return a, b


async def test_the_english_statement_agrees_with_the_json_statement_and_the_summary(reporting, ledger, artifacts_dir):
    a, _ = await _month(reporting, ledger)
    r = await reporting.get("/api/v1/reports/statement", a, format="pdf", lang="en", **AUGUST)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"] == 'attachment; filename="instapay-statement-2026-08-01-to-2026-08-31.pdf"'
    stmt = (await reporting.get("/api/v1/reports/statement", a, **AUGUST)).json()
    summary = (await reporting.get("/api/v1/reports/summary", a, granularity="month", **AUGUST)).json()
    assert (stmt["total_in"], stmt["total_out"]) == (summary["total_received"], summary["total_sent"])
    assert (stmt["opening_balance"], stmt["total_in"], stmt["total_out"], stmt["closing_balance"]) == (
        "0.00",
        "1000.01",
        "325.00",
        "675.01",
    )
    text = pdf_text(r.content)
    for expected in (
        "Account statement",
        "2026-08-01 \u2013 2026-08-31",
        "Opening balance EGP 0.00",
        "Money in EGP 1,000.01",
        "Money out EGP 325.00",
        "Closing balance EGP 675.01",
        "IPAUG10SNT",
        "IPAUG31RCV",
        "-250.50",
        "+0.01",
        "Transfer sent",
        "Withdrawal",
        "2026-08-31 23:59",
    ):
        assert expected in text, (expected, text)
    assert "Number of movements 4" in text and "-5.00" not in text  # September's transfer is not in August
    save_first_page_png(r.content, artifacts_dir / "receipts" / "statement-en.png")


async def test_the_arabic_statement_is_in_arabic_with_latin_digits(reporting, ledger, artifacts_dir):
    _, b = await _month(reporting, ledger)
    r = await reporting.http.get(
        "/api/v1/reports/statement",
        params={"format": "pdf", **AUGUST},
        headers={**reporting.auth(b), "Accept-Language": "ar-EG,ar;q=0.9,en;q=0.5"},
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    text = pdf_text(r.content)
    for expected in ("كشف حساب", "الرصيد الافتتاحي", "الرصيد الختامي", "تحويل وارد", "IPAUG10SNT", "250.50"):
        assert expected in text, (expected, text)
    assert "Account statement" not in text
    save_first_page_png(r.content, artifacts_dir / "receipts" / "statement-ar.png")


async def test_a_statement_shows_only_the_callers_own_movements(reporting, ledger):
    await _month(reporting, ledger)
    stranger = ledger.user("carim", START)
    await feed(reporting, ledger)
    r = await reporting.get("/api/v1/reports/statement", stranger, format="pdf", lang="en", **AUGUST)
    assert r.status_code == 200, r.text
    text = pdf_text(r.content)
    assert "No movements in this period." in text and "IPAUG10SNT" not in text and "1,000.01" not in text

"""Reporting service in-process: the read model from events, summary, statement, overview."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from instapay_common.security.scopes import PROFILE_READ, ROLE_ADMIN
from reporting_service.periods import Granularity, period_label, periods
from reporting_service.schemas import Summary

START = datetime(2026, 8, 1, tzinfo=UTC)


async def feed(reporting, ledger) -> None:
    for e in ledger.auth_events + ledger.events:
        assert (await reporting.post_event(e)).status_code == 204


def expected(ledger, uid: str, first: date, last: date) -> dict:
    rows = [h for h in ledger.history[uid] if first <= h["at"].date() <= last]
    sent = sum((h["amount"] for h in rows if h["direction"] == "out"), Decimal("0.00"))
    received = sum((h["amount"] for h in rows if h["direction"] == "in"), Decimal("0.00"))
    topped_up = sum((h["amount"] for h in rows if h["type"] == "topup"), Decimal("0.00"))
    return {
        "total_sent": f"{sent:.2f}",
        "total_received": f"{received:.2f}",
        # received from people = transfers in only; the ledger's top-ups are the rest
        "received_from_people": f"{received - topped_up:.2f}",
        "topped_up": f"{topped_up:.2f}",
        "net": f"{received - sent:.2f}",
        "count_sent": sum(1 for h in rows if h["direction"] == "out"),
        "count_received": sum(1 for h in rows if h["direction"] == "in"),
    }


async def test_summary_equals_the_history_for_every_month_week_and_day(reporting, ledger):
    users = [ledger.user(h, START) for h in ("amal", "badr", "camelia", "dina")]
    ledger.random_activity(users, 600, START, days=92)  # several hundred movements across three months
    await feed(reporting, ledger)
    for uid in users:
        for first, last in (
            (date(2026, 8, 1), date(2026, 8, 31)),
            (date(2026, 9, 1), date(2026, 9, 30)),
            (date(2026, 10, 1), date(2026, 10, 31)),
            (date(2026, 8, 15), date(2026, 10, 20)),
        ):
            for granularity in ("day", "week", "month"):
                r = await reporting.get(
                    "/api/v1/reports/summary",
                    uid,
                    **{"from": first.isoformat(), "to": last.isoformat(), "granularity": granularity},
                )
                assert r.status_code == 200, r.text
                body = r.json()
                want = expected(ledger, uid, first, last)
                assert {k: body[k] for k in want} == want, (uid, first, granularity)
                assert sum(Decimal(s["sent"]) for s in body["series"]) == Decimal(want["total_sent"])
                assert sum(Decimal(s["received"]) for s in body["series"]) == Decimal(want["total_received"])
                assert sum(s["count"] for s in body["series"]) == want["count_sent"] + want["count_received"]
                for part in ("received_from_people", "topped_up"):
                    assert sum(Decimal(s[part]) for s in body["series"]) == Decimal(want[part])
                assert body["received_from_people"] == body["breakdown"]["transfer_in"]["amount"]
        # day series: one entry per day, each matching that day's history
        r = (await reporting.get("/api/v1/reports/summary", uid, **{"from": "2026-09-01", "to": "2026-09-30"})).json()
        assert [s["period"] for s in r["series"]] == [(date(2026, 9, 1) + timedelta(d)).isoformat() for d in range(30)]
        for s in r["series"]:
            day = date.fromisoformat(s["period"])
            assert s["sent"] == expected(ledger, uid, day, day)["total_sent"]
    month = (
        await reporting.get(
            "/api/v1/reports/summary", users[0], **{"from": "2026-08-01", "to": "2026-10-31", "granularity": "month"}
        )
    ).json()
    assert [s["period"] for s in month["series"]] == ["2026-08", "2026-09", "2026-10"]
    week = (
        await reporting.get(
            "/api/v1/reports/summary", users[0], **{"from": "2026-09-01", "to": "2026-09-14", "granularity": "week"}
        )
    ).json()
    assert [s["period"] for s in week["series"]] == ["2026-W36", "2026-W37", "2026-W38"]


async def test_top_counterparties_over_the_range(reporting, ledger):
    a, b, c = (ledger.user(h, START) for h in ("amal", "badr", "camelia"))
    ledger.topup(a, Decimal("1000.00"), START)
    ledger.transfer(a, b, Decimal("100.00"), START + timedelta(days=1))
    ledger.transfer(a, b, Decimal("50.25"), START + timedelta(days=2))
    ledger.transfer(b, a, Decimal("20.00"), START + timedelta(days=2))
    ledger.transfer(a, c, Decimal("10.00"), START + timedelta(days=3))
    ledger.transfer(a, c, Decimal("500.00"), START + timedelta(days=40))  # outside the range below
    await feed(reporting, ledger)
    body = (await reporting.get("/api/v1/reports/summary", a, **{"from": "2026-08-01", "to": "2026-08-31"})).json()
    assert body["top_counterparties"] == [
        {"user_id": b, "handle": "badr", "display_name": "Badr X.", "sent": "150.25", "received": "20.00", "count": 3},
        {
            "user_id": c,
            "handle": "camelia",
            "display_name": "Camelia X.",
            "sent": "10.00",
            "received": "0.00",
            "count": 1,
        },
    ]
    assert body["breakdown"]["topup"] == {"amount": "1000.00", "count": 1}
    assert body["total_sent"] == "160.25" and body["net"] == "859.75"


async def test_duplicate_events_are_applied_once(reporting, ledger):
    a, b = ledger.user("amal", START), ledger.user("badr", START)
    ledger.topup(a, Decimal("300.00"), START)
    ledger.transfer(a, b, Decimal("125.50"), START + timedelta(hours=1))
    for _ in range(3):
        await feed(reporting, ledger)
    body = (await reporting.get("/api/v1/reports/summary", a, **{"from": "2026-08-01", "to": "2026-08-01"})).json()
    assert body["total_sent"] == "125.50" and body["count_sent"] == 1 and body["total_received"] == "300.00"
    stmt = (await reporting.get("/api/v1/reports/statement", b, **{"from": "2026-08-01", "to": "2026-08-01"})).json()
    assert stmt["count"] == 1


async def test_statement_json_and_csv_with_opening_and_closing_balance(reporting, ledger):
    a, b = ledger.user("amal", START), ledger.user("بدر", START)
    ledger.topup(a, Decimal("1000.00"), START)  # before the range: only the opening balance
    ledger.transfer(a, b, Decimal("125.50"), datetime(2026, 8, 10, 9, tzinfo=UTC))
    ledger.withdraw(a, Decimal("74.50"), datetime(2026, 8, 11, 9, tzinfo=UTC))
    ledger.transfer(b, a, Decimal("0.01"), datetime(2026, 8, 12, 23, 59, 59, tzinfo=UTC))
    ledger.transfer(a, b, Decimal("5.00"), datetime(2026, 8, 13, 0, 0, 1, tzinfo=UTC))  # after the range
    await feed(reporting, ledger)
    q = {"from": "2026-08-05", "to": "2026-08-12"}
    body = (await reporting.get("/api/v1/reports/statement", a, **q)).json()
    assert body["opening_balance"] == "1000.00" and body["closing_balance"] == "800.01"
    assert [(i["type"], i["direction"], i["amount"], i["balance_after"]) for i in body["items"]] == [
        ("transfer", "out", "125.50", "874.50"),
        ("withdrawal", "out", "74.50", "800.00"),
        ("transfer", "in", "0.01", "800.01"),
    ]
    assert body["items"][0]["date"] == "2026-08-10T09:00:00Z"
    assert body["total_in"] == "0.01" and body["total_out"] == "200.00"

    r = await reporting.get("/api/v1/reports/statement", a, format="csv", **q)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.headers["content-disposition"] == 'attachment; filename="instapay-statement-2026-08-05-to-2026-08-12.csv"'
    assert r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert list(rows[0]) == [
        "date",
        "type",
        "direction",
        "amount",
        "currency",
        "balance_after",
        "counterparty_handle",
        "counterparty_name",
        "reference",
        "note",
    ]
    assert [(x["type"], x["amount"], x["balance_after"]) for x in rows] == [
        ("opening_balance", "", "1000.00"),
        ("transfer", "125.50", "874.50"),
        ("withdrawal", "74.50", "800.00"),
        ("transfer", "0.01", "800.01"),
        ("closing_balance", "", "800.01"),
    ]
    assert rows[1]["counterparty_handle"] == "بدر" and rows[1]["note"] == "'=1+1 lunch"  # no formula injection
    assert datetime.fromisoformat(rows[1]["date"].replace("Z", "+00:00")) == datetime(2026, 8, 10, 9, tzinfo=UTC)

    empty = (await reporting.get("/api/v1/reports/statement", a, **{"from": "2026-09-01", "to": "2026-09-02"})).json()
    assert empty["opening_balance"] == empty["closing_balance"] == "795.01" and empty["items"] == []


async def test_bad_requests_get_clear_problems(reporting, ledger):
    uid = ledger.user("amal", START)
    for path, params in [
        ("/api/v1/reports/summary", {"from": "2026-08-10", "to": "2026-08-01"}),
        ("/api/v1/reports/summary", {"from": "2025-01-01", "to": "2026-08-01"}),
        ("/api/v1/reports/summary", {"from": "2026-02-30"}),
        ("/api/v1/reports/summary", {"granularity": "year"}),
        ("/api/v1/reports/statement", {"format": "xlsx"}),
        ("/api/v1/reports/statement", {"from": "2024-01-01", "to": "2026-01-01"}),
    ]:
        r = await reporting.get(path, uid, **params)
        assert r.status_code == 422, (path, params, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["code"] == "validation_error"
    # a year by month is fine, so is a leap-year-sized day range
    assert (
        await reporting.get(
            "/api/v1/reports/summary", uid, **{"from": "2025-01-01", "to": "2026-08-01", "granularity": "month"}
        )
    ).status_code == 200
    assert (
        await reporting.get("/api/v1/reports/summary", uid, **{"from": "2025-08-01", "to": "2026-08-01"})
    ).status_code == 200
    assert (await reporting.http.get("/api/v1/reports/summary")).status_code == 401
    narrow = reporting.auth(uid, scopes={PROFILE_READ})
    assert (await reporting.http.get("/api/v1/reports/summary", headers=narrow)).status_code == 403
    bad = await reporting.post_event(
        {
            "id": "00000000-0000-0000-0000-000000000001",
            "type": "topup.completed",
            "occurred_at": "2026-08-01T00:00:00Z",
            "data": {"amount": "1.001", "user_id": uid},
        }
    )
    assert bad.status_code == 422
    assert (await reporting.http.post("/internal/events", json={})).status_code == 401


async def test_admin_overview(reporting, ledger):
    users = [ledger.user(h, START + timedelta(days=i)) for i, h in enumerate(("amal", "badr", "camelia"))]
    ledger.random_activity(users, 120, START, days=10)
    await feed(reporting, ledger)
    admin = reporting.auth(users[0], roles=[ROLE_ADMIN])
    r = await reporting.http.get(
        "/api/v1/admin/reports/overview", params={"from": "2026-08-01", "to": "2026-08-10"}, headers=admin
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["users"] == {"total": 3, "new": 3, "active": 3}
    vol = defaultdict(Decimal)
    cnt = defaultdict(int)
    for e in ledger.events:
        kind = e["type"].split(".")[0]
        vol[kind] += Decimal(e["data"]["amount"])
        cnt[kind] += 1
    assert body["volume"] == {k: f"{vol[k]:.2f}" for k in ("transfer", "topup", "withdrawal")}
    assert body["counts"] == {k: cnt[k] for k in ("transfer", "topup", "withdrawal")}
    assert len(body["per_day"]) == 10 and sum(d["new_users"] for d in body["per_day"]) == 3
    user_only = await reporting.get("/api/v1/admin/reports/overview", users[0])
    assert user_only.status_code == 403


async def test_series_labels_and_empty_periods_across_iso_year_ends(reporting, ledger):
    """Labels come from PostgreSQL's to_char: they must equal the Python ISO labels (week 53,
    weeks starting in the previous year) and every period is present, with or without activity."""
    uid = ledger.user("amal", START)
    ledger.topup(uid, Decimal("40.00"), datetime(2026, 12, 31, 23, 59, tzinfo=UTC))
    ledger.withdraw(uid, Decimal("15.50"), datetime(2027, 1, 1, 0, 0, 1, tzinfo=UTC))
    await feed(reporting, ledger)
    for first, last in (
        (date(2026, 12, 20), date(2027, 1, 10)),
        (date(2020, 12, 27), date(2021, 1, 4)),
        (date(2025, 12, 29), date(2026, 1, 5)),
    ):
        for g in Granularity:
            body = (
                await reporting.get(
                    "/api/v1/reports/summary",
                    uid,
                    **{"from": first.isoformat(), "to": last.isoformat(), "granularity": g.value},
                )
            ).json()
            assert [(s["period"], s["start"]) for s in body["series"]] == [
                (period_label(p, g), p.isoformat()) for p in periods(first, last, g)
            ], (first, g)
    week = (
        await reporting.get(
            "/api/v1/reports/summary", uid, **{"from": "2026-12-20", "to": "2027-01-10", "granularity": "week"}
        )
    ).json()
    assert [(s["period"], s["sent"], s["received"], s["count"]) for s in week["series"]] == [
        ("2026-W51", "0.00", "0.00", 0),
        ("2026-W52", "0.00", "0.00", 0),
        ("2026-W53", "15.50", "40.00", 2),
        ("2027-W01", "0.00", "0.00", 0),
    ]
    assert (week["total_sent"], week["total_received"], week["net"]) == ("15.50", "40.00", "24.50")
    empty = (await reporting.get("/api/v1/reports/summary", uid, **{"from": "2024-01-01", "to": "2024-01-03"})).json()
    assert (empty["total_sent"], empty["net"], empty["count_sent"]) == ("0.00", "0.00", 0)
    assert empty["top_counterparties"] == [] and len(empty["series"]) == 3
    assert empty["breakdown"]["withdrawal"] == {"amount": "0.00", "count": 0}


async def test_summary_body_is_compact_json_in_the_documented_order(reporting, ledger):
    """The body is assembled from PostgreSQL's text (service.summary): it must be the same compact,
    UTF-8 JSON the framework wrote before, names with quotes, backslashes and Arabic included."""
    name = 'بدر "\\ \n'
    a, b = ledger.user("amal", START), ledger.user(name, START)
    ledger.topup(a, Decimal("100.00"), START)
    ledger.transfer(a, b, Decimal("12.30"), START + timedelta(hours=2))
    await feed(reporting, ledger)
    r = await reporting.get(
        "/api/v1/reports/summary", a, **{"from": "2026-08-01", "to": "2026-08-02", "granularity": "week"}
    )
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    body = r.json()
    assert r.content == json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    # the documented model (schemas.Summary) is exactly what is sent
    assert Summary.model_validate(body).model_dump(by_alias=True) == body
    assert list(body) == [
        "from",
        "to",
        "currency",
        "granularity",
        "total_sent",
        "total_received",
        "received_from_people",
        "topped_up",
        "net",
        "count_sent",
        "count_received",
        "breakdown",
        "series",
        "top_counterparties",
    ]
    assert body["series"] == [
        {
            "period": "2026-W31",
            "start": "2026-07-27",
            "sent": "12.30",
            "received": "100.00",
            "count": 2,
            "received_from_people": "0.00",
            "topped_up": "100.00",
        }
    ]
    assert body["top_counterparties"] == [
        {
            "user_id": b,
            "handle": name,
            "display_name": name.title() + " X.",
            "sent": "12.30",
            "received": "0.00",
            "count": 1,
        }
    ]


async def test_report_dates_are_iso_days_in_range(reporting, ledger):
    """Report dates are ISO days only (`to=0` is not a Unix timestamp), and a range whose default
    `from` or whose day after falls outside the calendar (`to=0001-01-02`, `to=9999-12-31`) is a
    422, never a 500."""
    uid = ledger.user("amal", START)
    admin = reporting.auth(uid, roles=[ROLE_ADMIN])
    for path in ("/api/v1/reports/summary", "/api/v1/reports/statement", "/api/v1/admin/reports/overview"):
        for params in (
            {"to": "0"},
            {"to": "1764028800"},
            {"from": "20260801", "to": "2026-08-02"},
            {"to": "0001-01-02"},
            {"from": "9999-12-31", "to": "9999-12-31"},
            {"to": "2026-08-01T00:00:00Z"},
            {"from": "1899-12-31", "to": "1900-01-01"},
        ):
            r = await reporting.http.get(path, params=params, headers=admin)
            assert r.status_code == 422, (path, params, r.text)
            assert r.headers["content-type"].startswith("application/problem+json")
            assert r.json()["code"] == "validation_error"
            assert {e["field"] for e in r.json()["errors"]} <= {"from", "to"}, r.json()
    for granularity in ("day", "week", "month"):  # the edges of the accepted range work
        for params in ({"to": "1900-01-01"}, {"from": "9998-12-01", "to": "9998-12-31"}):
            r = await reporting.http.get(
                "/api/v1/reports/summary", headers=admin, params={**params, "granularity": granularity}
            )
            assert r.status_code == 200, (params, granularity, r.text)
            assert r.json()["total_sent"] == "0.00"


async def test_refunds_and_reversals_count_like_the_ledger_moved_them(reporting, ledger):
    """A refund is a `transfer.completed` (with `refund_of`); a reversal is `transfer.reversed`:
    both move money between two users, so the summary and the statement follow the balances."""
    a, b = ledger.user("amal", START), ledger.user("badr", START)
    ledger.topup(a, Decimal("100.00"), START)
    original = ledger.transfer(a, b, Decimal("80.00"), datetime(2026, 8, 2, 9, tzinfo=UTC))
    refund = ledger.transfer(b, a, Decimal("30.00"), datetime(2026, 8, 2, 10, tzinfo=UTC))
    refund["data"]["refund_of"] = original["data"]["transfer_id"]
    # The reversal of the rest, shaped like the transaction service's `transfer.reversed`.
    at = datetime(2026, 8, 3, 9, tzinfo=UTC)
    reversal = ledger.transfer(b, a, Decimal("50.00"), at)
    reversal["type"] = "transfer.reversed"
    data = reversal["data"]
    data["reversal_id"] = data.pop("transfer_id")
    data["reversal_of"], data["reference"] = original["data"]["transfer_id"], "IP0000REV1"
    await feed(reporting, ledger)
    q = {"from": "2026-08-01", "to": "2026-08-31"}
    body = (await reporting.get("/api/v1/reports/statement", b, **q)).json()
    assert [(i["type"], i["direction"], i["amount"], i["balance_after"]) for i in body["items"]] == [
        ("transfer", "in", "80.00", "80.00"),
        ("transfer", "out", "30.00", "50.00"),
        ("reversal", "out", "50.00", "0.00"),
    ]
    assert body["items"][-1]["reference"] == "IP0000REV1" and body["closing_balance"] == "0.00"
    summary = (await reporting.get("/api/v1/reports/summary", a, **q)).json()
    assert (summary["total_sent"], summary["total_received"], summary["net"]) == ("80.00", "180.00", "100.00")
    pdf = await reporting.get("/api/v1/reports/statement", b, format="pdf", **q)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

"""CSV rendering of a statement, made to open cleanly in a spreadsheet: UTF-8 with a BOM (Excel
otherwise guesses a legacy code page and breaks Arabic names), a header row, ISO 8601 dates and
plain decimal amounts with a dot. The opening and closing balances are the first and last
rows (type `opening_balance` / `closing_balance`, amount in `balance_after`), so the file stays
one table that sums and filters cleanly."""

from __future__ import annotations

import csv
import io
from typing import Any

from reporting_service.schemas import Statement

BOM = "\ufeff"
HEADER = [
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


def _safe(value: Any) -> str:
    """Neutralizes spreadsheet formula injection in free text (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def render_csv(statement: Statement) -> str:
    buf = io.StringIO()
    buf.write(BOM)
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(HEADER)
    w.writerow(
        [
            statement.from_,
            "opening_balance",
            "",
            "",
            statement.currency,
            statement.opening_balance,
            "",
            "",
            "",
            "",
        ]
    )
    for item in statement.items:
        cp = item.counterparty
        w.writerow(
            [
                item.date,
                item.type,
                item.direction,
                item.amount,
                item.currency,
                item.balance_after or "",
                _safe(cp.handle if cp else None),
                _safe(cp.display_name if cp else None),
                item.reference or "",
                _safe(item.note),
            ]
        )
    w.writerow(
        [
            statement.to,
            "closing_balance",
            "",
            "",
            statement.currency,
            statement.closing_balance,
            "",
            "",
            "",
            "",
        ]
    )
    return buf.getvalue()


def filename(statement: Statement) -> str:
    return f"instapay-statement-{statement.from_}-to-{statement.to}.csv"

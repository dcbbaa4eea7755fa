"""Generates the Grafana dashboards (grafana/dashboards/*.json) from one description in code.

    python infrastructure/observability/grafana/generate_dashboards.py          # write the files
    python infrastructure/observability/grafana/generate_dashboards.py --check  # fail if stale

Code rather than hand-edited JSON: grid positions, data source refs and units stay consistent,
and every PromQL expression is in one place (the tests run each one through a real Prometheus
and type-check every dashboard against @grafana/schema).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

OUT_DIR = Path(__file__).resolve().parent / "dashboards"
SCHEMA_VERSION = 39
PROM = {"type": "prometheus", "uid": "prometheus"}
LOKI = {"type": "loki", "uid": "loki"}
RATE = "$__rate_interval"
# Routes of the gateway that stream (SSE) have connection-long durations; latency panels skip them.
NOT_STREAM = 'route!="/api/v1/notifications/*"'


class Layout:
    """Places panels left to right in rows of 24 grid units."""

    def __init__(self) -> None:
        self.x = 0
        self.y = 0
        self.row_h = 0
        self.next_id = 1
        self.panels: list[dict[str, Any]] = []

    def add(self, panel: dict[str, Any], w: int, h: int) -> None:
        if self.x + w > 24:
            self.x, self.y, self.row_h = 0, self.y + self.row_h, 0
        panel["id"] = self.next_id
        panel["gridPos"] = {"h": h, "w": w, "x": self.x, "y": self.y}
        self.next_id += 1
        self.x += w
        self.row_h = max(self.row_h, h)
        self.panels.append(panel)

    def row(self, title: str) -> None:
        if self.x:
            self.x, self.y, self.row_h = 0, self.y + self.row_h, 0
        self.panels.append(
            {
                "type": "row",
                "title": title,
                "collapsed": False,
                "id": self.next_id,
                "gridPos": {"h": 1, "w": 24, "x": 0, "y": self.y},
                "panels": [],
            }
        )
        self.next_id += 1
        self.y += 1


def prom_target(expr: str, legend: str = "", ref: str = "A", *, instant: bool = False) -> dict[str, Any]:
    target: dict[str, Any] = {"refId": ref, "datasource": PROM, "expr": expr, "legendFormat": legend or "__auto"}
    if instant:
        target["instant"] = True
        target["range"] = False
    return target


def _targets(queries: list[tuple[str, str]], **kw: Any) -> list[dict[str, Any]]:
    return [prom_target(expr, legend, chr(ord("A") + i), **kw) for i, (expr, legend) in enumerate(queries)]


def timeseries(
    title: str, queries: list[tuple[str, str]], *, unit: str = "short", description: str = "", stack: bool = False
) -> dict[str, Any]:
    custom: dict[str, Any] = {"lineWidth": 1, "fillOpacity": 15 if stack else 5, "showPoints": "never"}
    if stack:
        custom["stacking"] = {"mode": "normal", "group": "A"}
    return {
        "type": "timeseries",
        "title": title,
        "description": description,
        "datasource": PROM,
        "targets": _targets(queries),
        "fieldConfig": {"defaults": {"unit": unit, "custom": custom}, "overrides": []},
        "options": {
            "legend": {
                "displayMode": "table",
                "placement": "bottom",
                "showLegend": True,
                "calcs": ["mean", "max", "lastNotNull"],
            },
            "tooltip": {"mode": "multi", "sort": "desc"},
        },
    }


def stat(
    title: str,
    expr: str,
    *,
    unit: str = "short",
    description: str = "",
    thresholds: list[tuple[float | None, str]] | None = None,
    legend: str = "",
) -> dict[str, Any]:
    steps = [{"color": color, "value": value} for value, color in (thresholds or [(None, "green")])]
    return {
        "type": "stat",
        "title": title,
        "description": description,
        "datasource": PROM,
        "targets": [prom_target(expr, legend, instant=True)],
        "fieldConfig": {
            "defaults": {"unit": unit, "thresholds": {"mode": "absolute", "steps": steps}},
            "overrides": [],
        },
        "options": {
            "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
            "colorMode": "background",
            "graphMode": "none",
            "textMode": "auto",
        },
    }


def bar_table(title: str, expr: str, legend: str, *, unit: str = "short", description: str = "") -> dict[str, Any]:
    """A bar gauge of an instant vector (e.g. declines by code over the dashboard's range)."""
    return {
        "type": "bargauge",
        "title": title,
        "description": description,
        "datasource": PROM,
        "targets": [prom_target(expr, legend, instant=True)],
        "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
        "options": {
            "orientation": "horizontal",
            "displayMode": "gradient",
            "showUnfilled": True,
            "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
        },
    }


def logs_panel(title: str, expr: str, description: str = "") -> dict[str, Any]:
    return {
        "type": "logs",
        "title": title,
        "description": description,
        "datasource": LOKI,
        "targets": [{"refId": "A", "datasource": LOKI, "expr": expr, "queryType": "range"}],
        "options": {
            "showTime": True,
            "wrapLogMessage": True,
            "sortOrder": "Descending",
            "enableLogDetails": True,
            "prettifyLogMessage": False,
            "dedupStrategy": "none",
        },
    }


def query_variable(
    name: str,
    label: str,
    query: str,
    *,
    multi: bool = True,
    include_all: bool = True,
    datasource: dict[str, str] = PROM,
) -> dict[str, Any]:
    variable: dict[str, Any] = {
        "type": "query",
        "name": name,
        "label": label,
        "datasource": datasource,
        "query": query,
        "refresh": 2,
        "multi": multi,
        "includeAll": include_all,
        "sort": 1,
    }
    if include_all:
        variable["allValue"] = ".*"
        variable["current"] = {"selected": True, "text": ["All"], "value": ["$__all"]}
    return variable


def dashboard(
    uid: str,
    title: str,
    description: str,
    layout: Layout,
    *,
    variables: list[dict[str, Any]] = (),
    tags: tuple[str, ...] = (),
) -> dict[str, Any]:
    return {
        "uid": uid,
        "title": title,
        "description": description,
        "tags": ["instapay", *tags],
        "schemaVersion": SCHEMA_VERSION,
        "version": 1,
        "editable": False,
        "graphTooltip": 1,
        "timezone": "utc",
        "refresh": "30s",
        "time": {"from": "now-1h", "to": "now"},
        "templating": {"list": list(variables)},
        "annotations": {"list": []},
        "links": [
            {
                "title": "Mini-InstaPay",
                "type": "dashboards",
                "tags": ["instapay"],
                "asDropdown": True,
                "includeVars": False,
                "keepTime": True,
                "icon": "external link",
                "targetBlank": False,
                "tooltip": "",
                "url": "",
            }
        ],
        "panels": layout.panels,
    }


# ------------------------------------------------------------------------------------------------
def platform_overview() -> dict[str, Any]:
    lay = Layout()
    lay.add(
        stat(
            "Services up",
            'sum(up{job="instapay"})',
            description="Scrape targets answering (6 = all).",
            thresholds=[(None, "red"), (6, "green")],
        ),
        4,
        4,
    )
    lay.add(
        stat(
            "Requests / s (gateway)", f'sum(rate(http_requests_total{{service="api-gateway"}}[{RATE}]))', unit="reqps"
        ),
        5,
        4,
    )
    lay.add(
        stat(
            "Gateway 5xx ratio",
            f'sum(rate(http_requests_total{{service="api-gateway",status=~"5.."}}[{RATE}]))'
            f' / sum(rate(http_requests_total{{service="api-gateway"}}[{RATE}]))',
            unit="percentunit",
            thresholds=[(None, "green"), (0.01, "orange"), (0.05, "red")],
        ),
        5,
        4,
    )
    lay.add(
        stat(
            "Gateway p99 latency",
            f"histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket"
            f'{{service="api-gateway",{NOT_STREAM}}}[{RATE}])))',
            unit="s",
            thresholds=[(None, "green"), (0.25, "orange"), (0.5, "red")],
        ),
        5,
        4,
    )
    lay.add(
        stat(
            "Latency SLO burn (1h)",
            "slo:gateway_slow_requests:ratio_rate1h / 0.01",
            description="Error-budget burn rate of the 99% < 0.5 s SLO; >14.4 pages (see OPERATIONS.md).",
            unit="x",
            thresholds=[(None, "green"), (6, "orange"), (14.4, "red")],
        ),
        5,
        4,
    )
    lay.row("Traffic, errors, latency per service")
    lay.add(
        timeseries(
            "Requests / s by service",
            [(f"sum by (service) (rate(http_requests_total[{RATE}]))", "{{service}}")],
            unit="reqps",
            stack=True,
        ),
        12,
        8,
    )
    lay.add(
        timeseries(
            "5xx / s by service",
            [(f'sum by (service) (rate(http_requests_total{{status=~"5.."}}[{RATE}]))', "{{service}}")],
            unit="reqps",
        ),
        12,
        8,
    )
    lay.add(
        timeseries(
            "4xx / s by service",
            [(f'sum by (service) (rate(http_requests_total{{status=~"4.."}}[{RATE}]))', "{{service}}")],
            unit="reqps",
        ),
        12,
        8,
    )
    lay.add(
        timeseries(
            "p99 latency by service",
            [
                (
                    f"histogram_quantile(0.99, sum by (service, le) "
                    f"(rate(http_request_duration_seconds_bucket{{{NOT_STREAM}}}[{RATE}])))",
                    "{{service}}",
                )
            ],
            unit="s",
        ),
        12,
        8,
    )
    lay.row("Health")
    lay.add(timeseries("Up (1 = scraped)", [('up{job="instapay"}', "{{service}}")]), 8, 7)
    lay.add(
        timeseries(
            "Latency SLO burn rate",
            [
                ("slo:gateway_slow_requests:ratio_rate5m / 0.01", "5m"),
                ("slo:gateway_slow_requests:ratio_rate1h / 0.01", "1h"),
                ("slo:gateway_slow_requests:ratio_rate6h / 0.01", "6h"),
            ],
            unit="x",
        ),
        8,
        7,
    )
    lay.add(timeseries("Outbox backlog by service", [("sum by (service) (outbox_backlog)", "{{service}}")]), 8, 7)
    lay.add(
        timeseries(
            "Notification deliveries / s by channel and outcome",
            [(f"sum by (channel, outcome) (rate(notification_deliveries_total[{RATE}]))", "{{channel}} {{outcome}}")],
            unit="ops",
            description="created = stored in-app, sent = delivered by e-mail/SMS, retry = an attempt "
            "failed and is retried, failed = gave up, skipped = user opted out.",
        ),
        12,
        7,
    )
    lay.add(
        timeseries(
            "Logins / s by outcome",
            [(f"sum by (outcome) (rate(auth_logins_total[{RATE}]))", "{{outcome}}")],
            unit="ops",
        ),
        12,
        7,
    )
    return dashboard(
        "instapay-overview",
        "Mini-InstaPay / Platform overview",
        "Traffic, errors and latency of every service; is the platform healthy?",
        lay,
        tags=("overview",),
    )


def money_flow() -> dict[str, Any]:
    lay = Layout()
    lay.add(stat("Transfers / s", f"sum(rate(transfers_total[{RATE}]))", unit="ops"), 6, 4)
    lay.add(
        stat(
            "Volume moved (range)",
            'sum(increase(money_moved_total{type="transfer"}[$__range]))',
            unit="currencyEGP",
            description="Sum of completed transfer amounts in the selected range.",
        ),
        6,
        4,
    )
    lay.add(
        stat(
            "Decline ratio",
            f'sum(rate(transfers_total{{outcome="declined"}}[{RATE}])) / sum(rate(transfers_total[{RATE}]))',
            unit="percentunit",
            thresholds=[(None, "green"), (0.1, "orange"), (0.3, "red")],
        ),
        6,
        4,
    )
    lay.add(stat("Wallets", "sum(wallets_total)"), 6, 4)
    lay.row("Transfers")
    lay.add(
        timeseries(
            "Transfers / s by outcome",
            [(f"sum by (outcome) (rate(transfers_total[{RATE}]))", "{{outcome}}")],
            unit="ops",
            stack=True,
            description="completed; declined = refused for a business reason (code); "
            "failed = a 5xx inside the money path (investigate).",
        ),
        12,
        8,
    )
    lay.add(
        timeseries(
            "Declines / s by code",
            [(f'sum by (code) (rate(transfers_total{{outcome="declined"}}[{RATE}]))', "{{code}}")],
            unit="ops",
            stack=True,
        ),
        12,
        8,
    )
    lay.add(
        timeseries(
            "Money moved (EGP / min) by type",
            [(f"sum by (type) (rate(money_moved_total[{RATE}])) * 60", "{{type}}")],
            unit="currencyEGP",
        ),
        12,
        8,
    )
    lay.add(
        bar_table(
            "Declines by code (range)",
            'sort_desc(sum by (code) (increase(transfers_total{outcome="declined"}[$__range])))',
            "{{code}}",
        ),
        12,
        8,
    )
    lay.row("Top-ups, withdrawals, PINs")
    lay.add(
        timeseries(
            "Top-ups / s by outcome", [(f"sum by (outcome) (rate(topups_total[{RATE}]))", "{{outcome}}")], unit="ops"
        ),
        8,
        7,
    )
    lay.add(
        timeseries(
            "Withdrawals / s by outcome",
            [(f"sum by (outcome) (rate(withdrawals_total[{RATE}]))", "{{outcome}}")],
            unit="ops",
        ),
        8,
        7,
    )
    lay.add(
        timeseries(
            "PIN checks / s by outcome",
            [(f"sum by (outcome) (rate(auth_pin_verifications_total[{RATE}]))", "{{outcome}}")],
            unit="ops",
        ),
        8,
        7,
    )
    lay.add(
        timeseries(
            "Idempotent replays / s",
            [(f"sum(rate(idempotent_replays_total[{RATE}]))", "replays")],
            unit="ops",
            description="Clients retrying with the same Idempotency-Key; a jump means a client or "
            "network is timing out and retrying.",
        ),
        12,
        7,
    )
    lay.add(timeseries("Wallets", [("sum(wallets_total)", "wallets")]), 12, 7)
    _webhooks_directory_approvals(lay)
    return dashboard(
        "instapay-money",
        "Mini-InstaPay / Money flow",
        "Transfers per second, volume, declines by code, top-ups and withdrawals; webhooks, the "
        "recipient directory and pending approvals.",
        lay,
        tags=("business",),
    )


def _webhooks_directory_approvals(lay: Layout) -> None:
    """Webhook deliveries to third parties (notification service), the transaction service's
    recipient directory, and admin actions waiting for a second admin."""
    lay.row("Webhooks, recipient directory, approvals")
    lay.add(
        timeseries(
            "Webhook attempts / s by outcome",
            [(f"sum by (outcome) (rate(webhook_attempts_total[{RATE}]))", "{{outcome}}")],
            unit="ops",
            stack=True,
            description="succeeded; retry = the receiver failed or did not answer (retried on the schedule); "
            "gone = a 410 disabled the endpoint; exhausted = every retry failed, endpoint disabled.",
        ),
        12,
        8,
    )
    lay.add(
        bar_table(
            "Webhook attempts by outcome (range)",
            "sort_desc(sum by (outcome) (increase(webhook_attempts_total[$__range])))",
            "{{outcome}}",
        ),
        6,
        8,
    )
    lay.add(
        stat(
            "Webhook failure ratio",
            f'sum(rate(webhook_attempts_total{{outcome!="succeeded"}}[{RATE}]))'
            f" / sum(rate(webhook_attempts_total[{RATE}]))",
            unit="percentunit",
            thresholds=[(None, "green"), (0.2, "orange"), (0.5, "red")],
            description="Attempts that did not succeed; receivers' problems, unless every receiver fails at once.",
        ),
        6,
        8,
    )
    lay.add(
        timeseries(
            "Directory resolutions / s by outcome",
            [(f"sum by (outcome) (rate(directory_resolutions_total[{RATE}]))", "{{outcome}}")],
            unit="ops",
            stack=True,
            description="hit = answered from the local directory; otherwise why the user service was asked "
            "(no_entry, not_counted, unparsable).",
        ),
        9,
        8,
    )
    lay.add(
        stat(
            "Directory hit ratio",
            f'sum(rate(directory_resolutions_total{{outcome="hit"}}[{RATE}]))'
            f" / sum(rate(directory_resolutions_total[{RATE}]))",
            unit="percentunit",
            thresholds=[(None, "orange"), (0.5, "green")],
        ),
        5,
        8,
    )
    lay.add(
        timeseries(
            "Directory profile events / s by outcome",
            [(f"sum by (outcome) (rate(directory_events_total[{RATE}]))", "{{outcome}}")],
            unit="ops",
            description="user.profile_changed applied, or skipped (an older version than the one held).",
        ),
        10,
        8,
    )
    lay.add(
        stat(
            "Approvals pending",
            "sum(approvals_pending)",
            thresholds=[(None, "green"), (1, "orange"), (10, "red")],
            description="Admin actions (freeze, unfreeze, limit change, dispute outcome) waiting for a "
            "second admin; refreshed by the funding sweeper's pass.",
        ),
        6,
        7,
    )
    lay.add(timeseries("Approvals pending", [("sum(approvals_pending)", "pending")]), 18, 7)


def gateway() -> dict[str, Any]:
    lay = Layout()
    lay.add(
        timeseries(
            "Requests / s by route",
            [(f'sum by (route) (rate(http_requests_total{{service="api-gateway"}}[{RATE}]))', "{{route}}")],
            unit="reqps",
            stack=True,
        ),
        12,
        8,
    )
    lay.add(
        timeseries(
            "Responses / s by status",
            [(f'sum by (status) (rate(http_requests_total{{service="api-gateway"}}[{RATE}]))', "{{status}}")],
            unit="reqps",
            stack=True,
        ),
        12,
        8,
    )
    lay.row("Upstreams")
    lay.add(
        timeseries(
            "Upstream requests / s by upstream and outcome",
            [
                (
                    f"sum by (upstream, outcome) (rate(gateway_upstream_requests_total[{RATE}]))",
                    "{{upstream}} {{outcome}}",
                )
            ],
            unit="reqps",
        ),
        12,
        8,
    )
    lay.add(
        timeseries(
            "Upstream p99 by upstream",
            [
                (
                    f"histogram_quantile(0.99, sum by (upstream, le) "
                    f"(rate(gateway_upstream_duration_seconds_bucket[{RATE}])))",
                    "{{upstream}}",
                )
            ],
            unit="s",
        ),
        12,
        8,
    )
    lay.add(
        timeseries(
            "Upstream failures / s (timeout, unavailable, 5xx)",
            [
                (
                    f"sum by (upstream, outcome) (rate(gateway_upstream_requests_total"
                    f'{{outcome=~"timeout|unavailable|5xx"}}[{RATE}]))',
                    "{{upstream}} {{outcome}}",
                )
            ],
            unit="reqps",
        ),
        24,
        7,
    )
    lay.row("Protection")
    lay.add(
        timeseries(
            "Rate-limited / s by policy",
            [(f"sum by (policy) (rate(gateway_rate_limited_total[{RATE}]))", "{{policy}}")],
            unit="reqps",
        ),
        12,
        8,
    )
    lay.add(
        timeseries(
            "JWT rejections / s by reason",
            [(f"sum by (reason) (rate(gateway_jwt_rejections_total[{RATE}]))", "{{reason}}")],
            unit="reqps",
        ),
        12,
        8,
    )
    return dashboard(
        "instapay-gateway",
        "Mini-InstaPay / Gateway",
        "Per-upstream traffic and latency, rate limiting and token rejections at the edge.",
        lay,
        tags=("gateway",),
    )


def service_drilldown() -> dict[str, Any]:
    lay = Layout()
    svc = 'service="$service"'
    lay.add(stat("Up", f'sum(up{{job="instapay",{svc}}})', thresholds=[(None, "red"), (1, "green")]), 4, 4)
    lay.add(stat("Requests / s", f"sum(rate(http_requests_total{{{svc}}}[{RATE}]))", unit="reqps"), 5, 4)
    lay.add(
        stat(
            "5xx ratio",
            f'sum(rate(http_requests_total{{{svc},status=~"5.."}}[{RATE}]))'
            f" / sum(rate(http_requests_total{{{svc}}}[{RATE}]))",
            unit="percentunit",
            thresholds=[(None, "green"), (0.01, "orange"), (0.05, "red")],
        ),
        5,
        4,
    )
    lay.add(
        stat(
            "DB pool in use",
            f"max(db_pool_checked_out{{{svc}}} / db_pool_size{{{svc}}})",
            unit="percentunit",
            thresholds=[(None, "green"), (0.7, "orange"), (0.9, "red")],
        ),
        5,
        4,
    )
    lay.add(
        stat(
            "Outbox backlog",
            f"sum(outbox_backlog{{{svc}}})",
            thresholds=[(None, "green"), (100, "orange"), (1000, "red")],
        ),
        5,
        4,
    )
    lay.row("HTTP (RED by route template)")
    lay.add(
        timeseries(
            "Requests / s by route",
            [(f"sum by (method, route) (rate(http_requests_total{{{svc}}}[{RATE}]))", "{{method}} {{route}}")],
            unit="reqps",
        ),
        12,
        8,
    )
    lay.add(
        timeseries(
            "Errors / s by route and status",
            [
                (
                    f'sum by (route, status) (rate(http_requests_total{{{svc},status=~"[45].."}}[{RATE}]))',
                    "{{route}} {{status}}",
                )
            ],
            unit="reqps",
        ),
        12,
        8,
    )
    for q, w in (("0.5", 8), ("0.95", 8), ("0.99", 8)):
        lay.add(
            timeseries(
                f"p{q[2:].ljust(2, '0')} latency by route",
                [
                    (
                        f"histogram_quantile({q}, sum by (route, le) "
                        f"(rate(http_request_duration_seconds_bucket{{{svc}}}[{RATE}])))",
                        "{{route}}",
                    )
                ],
                unit="s",
            ),
            w,
            8,
        )
    lay.row("Database and events")
    lay.add(
        timeseries(
            "DB pool connections",
            [(f"sum(db_pool_checked_out{{{svc}}})", "checked out"), (f"sum(db_pool_size{{{svc}}})", "capacity")],
        ),
        8,
        8,
    )
    lay.add(
        timeseries(
            "DB query time",
            [
                (
                    f"histogram_quantile(0.5, sum by (le) (rate(db_query_duration_seconds_bucket{{{svc}}}[{RATE}])))",
                    "p50",
                ),
                (
                    f"histogram_quantile(0.99, sum by (le) (rate(db_query_duration_seconds_bucket{{{svc}}}[{RATE}])))",
                    "p99",
                ),
                (f"sum(rate(db_query_duration_seconds_count{{{svc}}}[{RATE}]))", "queries/s"),
            ],
            unit="s",
        ),
        8,
        8,
    )
    lay.add(
        timeseries(
            "Outbox backlog and oldest age",
            [
                (f"sum(outbox_backlog{{{svc}}})", "backlog"),
                (f"max(outbox_oldest_age_seconds{{{svc}}})", "oldest age (s)"),
            ],
        ),
        8,
        8,
    )
    lay.add(
        timeseries(
            "Outbox deliveries / s by subscriber and outcome",
            [
                (
                    f"sum by (subscriber, outcome) (rate(outbox_deliveries_total{{{svc}}}[{RATE}]))",
                    "{{subscriber}} {{outcome}}",
                )
            ],
            unit="ops",
        ),
        12,
        8,
    )
    lay.add(
        timeseries(
            "Process CPU and memory",
            [
                (f"rate(process_cpu_seconds_total{{{svc}}}[{RATE}])", "CPU (cores)"),
                (f"process_resident_memory_bytes{{{svc}}} / 1e9", "RSS (GB)"),
            ],
        ),
        12,
        8,
    )
    lay.row("Logs")
    lay.add(
        logs_panel(
            "Warnings and errors of $service",
            '{job="instapay", service="$service", level=~"warning|error|critical"}',
            "Open a line's request_id link to see every service's logs for that request.",
        ),
        24,
        10,
    )
    variables = [
        query_variable(
            "service", "Service", 'label_values(up{job="instapay"}, service)', multi=False, include_all=False
        )
    ]
    return dashboard(
        "instapay-service",
        "Mini-InstaPay / Service drill-down",
        "One service in depth: RED by route, database pool and query time, outbox, logs.",
        lay,
        variables=variables,
        tags=("service",),
    )


def logs_view() -> dict[str, Any]:
    lay = Layout()
    selector = '{job="instapay", service=~"$service", level=~"$level"}'
    lay.add(
        {
            "type": "timeseries",
            "title": "Log lines by level",
            "datasource": LOKI,
            "targets": [
                {
                    "refId": "A",
                    "datasource": LOKI,
                    "queryType": "range",
                    "expr": f'sum by (level) (count_over_time({selector} | request_id=~"$request_id.*" [$__auto]))',
                    "legendFormat": "{{level}}",
                }
            ],
            "fieldConfig": {
                "defaults": {
                    "unit": "short",
                    "custom": {"drawStyle": "bars", "fillOpacity": 60, "stacking": {"mode": "normal", "group": "A"}},
                },
                "overrides": [],
            },
            "options": {
                "legend": {"displayMode": "list", "placement": "bottom", "showLegend": True},
                "tooltip": {"mode": "multi", "sort": "desc"},
            },
        },
        24,
        6,
    )
    lay.add(
        logs_panel(
            "Logs",
            f'{selector} | request_id=~"$request_id.*" |~ "$search"',
            "Every service's JSON logs; request_id is structured metadata (not a label), "
            "so filtering by it is cheap and adds no streams.",
        ),
        24,
        18,
    )
    levels = {
        "type": "custom",
        "name": "level",
        "label": "Level",
        "query": "debug,info,warning,error,critical",
        "multi": True,
        "includeAll": True,
        "allValue": ".*",
        "current": {"selected": True, "text": ["All"], "value": ["$__all"]},
    }
    request_id = {
        "type": "textbox",
        "name": "request_id",
        "label": "Request id",
        "query": "",
        "current": {"selected": False, "text": "", "value": ""},
        "description": "X-Request-ID of one request: shows that request's lines in every service.",
    }
    search = {
        "type": "textbox",
        "name": "search",
        "label": "Line contains (regex)",
        "query": "",
        "current": {"selected": False, "text": "", "value": ""},
    }
    variables = [
        query_variable("service", "Service", "label_values(service)", datasource=LOKI),
        levels,
        request_id,
        search,
    ]
    return dashboard(
        "instapay-logs",
        "Mini-InstaPay / Logs",
        "Every service's logs, filtered by request id.",
        lay,
        variables=variables,
        tags=("logs",),
    )


DASHBOARDS = {
    "platform-overview.json": platform_overview,
    "money-flow.json": money_flow,
    "gateway.json": gateway,
    "service-drilldown.json": service_drilldown,
    "logs.json": logs_view,
}


def render() -> dict[str, str]:
    return {name: json.dumps(build(), indent=2, sort_keys=False) + "\n" for name, build in DASHBOARDS.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the committed JSON is stale")
    args = parser.parse_args(argv)
    stale = []
    for name, text in render().items():
        path = OUT_DIR / name
        if args.check:
            if not path.exists() or path.read_text() != text:
                stale.append(name)
        else:
            OUT_DIR.mkdir(exist_ok=True)
            path.write_text(text)
    if stale:
        print("stale dashboards (run generate_dashboards.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

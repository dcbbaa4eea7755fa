"""CPU time per process from /proc, for "where does a transfer's time go" tables without a profiler.

`CpuMeter` snapshots every process of a local stack (the supervisor's children: gateway, services,
relays) and the whole PostgreSQL server, and turns the difference between two snapshots into ms of
CPU per unit of work (a transfer). The load generator (wrk) is not in it: it is not ours to cost.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid: int) -> list[str]:
    # The command name (field 2) may hold spaces or ")": split after its last ")".
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (clock ticks -> seconds)."""
    fields = _stat_fields(pid)
    return (int(fields[11]) + int(fields[12])) / _TICK


def postgres_cpu_seconds(postmaster: int) -> float:
    """CPU of the whole PostgreSQL server: the postmaster, its live children, and (cutime/cstime)
    the children it has already reaped, i.e. backends of connections closed meanwhile."""
    ticks = sum(int(f) for f in _stat_fields(postmaster)[11:15])
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                child = _stat_fields(int(entry.name))
            except OSError:  # exited meanwhile: its time is in the postmaster's cutime now
                continue
            if int(child[1]) == postmaster:
                ticks += int(child[11]) + int(child[12])
    return ticks / _TICK


def postmaster_pid(pgdata: Path) -> int:
    return int((pgdata / "postmaster.pid").read_text().split()[0])


def parent_pid(pid: int) -> int:
    """A backend's parent is its server's postmaster (ask PostgreSQL for `pg_backend_pid()`)."""
    return int(_stat_fields(pid)[1])


def machine_busy_seconds() -> float:
    """CPU seconds all cores spent not idle (and not waiting for I/O) since boot, from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / _TICK


@dataclass(frozen=True)
class CpuSnapshot:
    seconds: dict[str, float]  # process name -> CPU seconds so far
    machine: float  # every core's busy seconds so far


class CpuMeter:
    """Named processes (+ "postgres" when its postmaster is known) measured together."""

    def __init__(self, pids: Mapping[str, int], *, postmaster: int | None) -> None:
        self.pids = dict(pids)
        self.postmaster = postmaster

    def snapshot(self) -> CpuSnapshot:
        seconds: dict[str, float] = {}
        for name, pid in self.pids.items():
            try:
                seconds[name] = cpu_seconds(pid)
            except OSError:  # a process that died (a relay stopped on purpose) costs nothing more
                continue
        if self.postmaster is not None:
            seconds["postgres"] = postgres_cpu_seconds(self.postmaster)
        return CpuSnapshot(seconds, machine_busy_seconds())

    @staticmethod
    def per_unit(before: CpuSnapshot, after: CpuSnapshot, units: int) -> dict[str, float]:
        """ms of CPU per unit of work by process, plus "total (measured)" and "machine" (every busy
        core, wrk and anything else included: the gap to the total is what we did not measure)."""
        if units <= 0:
            return {}
        ms = {
            name: round(1000 * (after.seconds[name] - start) / units, 3)
            for name, start in before.seconds.items()
            if name in after.seconds
        }
        ms["total (measured)"] = round(sum(ms.values()), 3)
        ms["machine"] = round(1000 * (after.machine - before.machine) / units, 3)
        return ms


def cpu_table(per_transfer: Mapping[str, float], *, title: str) -> str:
    """Rows "process  ms/transfer  share", heaviest first, the totals last."""
    totals = {k: v for k, v in per_transfer.items() if k in ("total (measured)", "machine")}
    rows = sorted(((k, v) for k, v in per_transfer.items() if k not in totals), key=lambda r: -r[1])
    measured = totals.get("total (measured)") or 0.0
    width = max([len(k) for k in per_transfer] + [len(title)])
    lines = [f"{title:<{width}}  ms CPU/transfer  share"]
    for name, ms in rows:
        share = f"{100 * ms / measured:5.1f}%" if measured else "    -"
        lines.append(f"  {name:<{width - 2}}  {ms:15.3f}  {share}")
    for name, ms in totals.items():
        lines.append(f"  {name:<{width - 2}}  {ms:15.3f}")
    return "\n".join(lines)

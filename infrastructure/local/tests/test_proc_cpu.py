"""`make bench`'s CPU-by-process table: /proc counters of real processes turned into ms per unit."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from instapay_stack.paths import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "infrastructure" / "bench"))

from proc_cpu import CpuMeter, cpu_table, parent_pid


def test_a_busy_process_is_charged_and_an_idle_one_is_not():
    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    idle = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        time.sleep(0.3)  # both started (an interpreter's start-up costs CPU too)
        meter = CpuMeter({"busy": busy.pid, "idle": idle.pid}, postmaster=None)
        before = meter.snapshot()
        time.sleep(1.0)
        ms = CpuMeter.per_unit(before, meter.snapshot(), units=10)
    finally:
        busy.kill()
        idle.kill()
        busy.wait()
        idle.wait()
    assert ms["busy"] > 30  # about 100 ms of a second's spinning per unit; a loaded machine gives less
    assert ms["idle"] < 2
    assert ms["total (measured)"] == round(ms["busy"] + ms["idle"], 3)
    assert ms["machine"] >= ms["busy"] * 0.9


def test_a_process_that_exits_is_left_out_not_an_error():
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    meter = CpuMeter({"gone": gone.pid, "me": os.getpid()}, postmaster=None)
    snapshot = meter.snapshot()
    assert "gone" not in snapshot.seconds and "me" in snapshot.seconds


def test_the_table_lists_the_heaviest_first_and_the_totals_last():
    text = cpu_table({"gateway": 1.0, "postgres": 3.0, "total (measured)": 4.0, "machine": 5.0}, title="(1) CPU")
    lines = text.splitlines()
    assert lines[0].startswith("(1) CPU") and "ms CPU/transfer" in lines[0]
    assert [line.split()[0] for line in lines[1:3]] == ["postgres", "gateway"]
    assert "75.0%" in lines[1] and lines[-1].split()[0] == "machine"


def test_a_child_names_its_parent():
    assert parent_pid(os.getpid()) == os.getppid()

"""Runs inside a private network namespace (`unshare --net`): like containers, every service binds
0.0.0.0 on its own fixed port without colliding with anything on the host. Starts each service as
described in a JSON plan, waits for readiness, probes the platform through the gateway, runs each
image HEALTHCHECK command, stops everything with SIGTERM and prints one JSON report on stdout.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request

SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1


def loopback_up() -> None:
    # A new network namespace has only `lo`, and it is down.
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        ifreq = struct.pack("16sH", b"lo", 0)
        flags = struct.unpack("16sH", fcntl.ioctl(s, SIOCGIFFLAGS, ifreq))[1]
        fcntl.ioctl(s, SIOCSIFFLAGS, struct.pack("16sH", b"lo", flags | IFF_UP))


def get(url: str, timeout: float = 5) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
    except OSError as exc:
        return 0, str(exc)


def main() -> int:
    plan = json.loads(open(sys.argv[1]).read())  # noqa: SIM115 - tiny file
    loopback_up()
    report: dict = {"services": {}, "probes": {}, "healthchecks": {}}
    procs: dict[str, subprocess.Popen] = {}
    try:
        for svc in plan["services"]:
            log = open(svc["log"], "w")  # noqa: SIM115 - closed with the process
            procs[svc["name"]] = subprocess.Popen(
                svc["argv"], cwd=svc["cwd"], env=svc["env"], stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + plan["timeout"]
        pending = {s["name"]: s for s in plan["services"]}
        while pending and time.monotonic() < deadline:
            for name, svc in list(pending.items()):
                if procs[name].poll() is not None:
                    report["services"][name] = {"ready": False, "exit": procs[name].returncode}
                    del pending[name]
                elif get(f"http://127.0.0.1:{svc['port']}/readyz", timeout=2)[0] == 200:
                    report["services"][name] = {"ready": True}
                    del pending[name]
            time.sleep(0.3)
        for name in pending:
            report["services"][name] = {"ready": False, "exit": None}
        gateway = plan["gateway_url"]
        for path in plan["probe_paths"]:
            status, body = get(gateway + path)
            report["probes"][path] = {"status": status, "body": body[:4000]}
        for svc in plan["services"]:
            check = subprocess.run(
                svc["healthcheck"], cwd=svc["cwd"], env=svc["env"], capture_output=True, timeout=10, check=False
            )
            report["healthchecks"][svc["name"]] = check.returncode
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for name, proc in procs.items():
            try:
                code = proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                code = proc.wait()
            report["services"].setdefault(name, {})["stop_exit"] = code
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    os.setpgrp()
    sys.exit(main())

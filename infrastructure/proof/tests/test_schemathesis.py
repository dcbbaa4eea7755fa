"""Schemathesis against the gateway's merged OpenAPI, as an authenticated user with a PIN and money:
no 5xx on any generated input (valid or not), and every documented response conforms to its schema.
Bounded (examples per operation) to finish in a few minutes on 2 cores; the JUnit report lands in
test-artifacts/schemathesis.xml."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from instapay_stack.e2e import register_user

# Paths that would end the run's own session or never end (SSE): covered by dedicated tests.
EXCLUDED = ("/api/v1/notifications/stream", "/api/v1/auth/logout", "/api/v1/auth/password")
# status_code_conformance and negative_data_rejection cost nothing extra (same requests) and are
# the checks that caught lax input (?to=0 read as 1970-01-01, {"notify_push": 0} as false) and
# undocumented statuses (423) in a deep run (100-500 examples per operation, outside make test);
# 25 examples add a few seconds. The deep run's 500s (dates at the calendar's ends, NUL and lone
# surrogates in text) have their own regression tests in the services.
CHECKS = ",".join(("not_a_server_error", "response_schema_conformance", "content_type_conformance",
                   "status_code_conformance", "negative_data_rejection"))


def test_generated_requests_get_no_5xx_and_schema_conformant_answers(proof_stack, artifacts_dir):
    user = register_user(proof_stack.gateway_url)
    st = shutil.which("st", path=str(Path(sys.executable).parent)) or "st"
    argv = [st, "run", proof_stack.gateway_url + "/openapi.json", "--url", proof_stack.gateway_url,
            "-H", f"Authorization: Bearer {user.access_token}",
            "--checks", CHECKS,
            "--max-examples", "25", "--phases", "examples,coverage,fuzzing", "--request-timeout", "15",
            "--seed", "20261125", "--generation-deterministic", "--no-color",
            "--report", "junit", "--report-junit-path", str(artifacts_dir / "schemathesis.xml")]
    for path in EXCLUDED:
        argv += ["--exclude-path", path]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=900)
    (artifacts_dir / "schemathesis.log").write_text(proc.stdout + proc.stderr)
    assert proc.returncode == 0, proc.stdout[-8000:] + proc.stderr[-2000:]

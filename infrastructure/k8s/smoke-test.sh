#!/usr/bin/env bash
# Post-deploy smoke test: the platform answers through the gateway and every service is up.
#   infrastructure/k8s/smoke-test.sh https://staging.instapay.example.com
# Retries for up to ~2 minutes (new pods may still be joining the load balancer).
set -euo pipefail
base_url="${1:?usage: smoke-test.sh BASE_URL}"
for attempt in $(seq 1 24); do
  if body="$(curl -fsS --max-time 5 "${base_url%/}/api/v1/health")" \
     && python3 -c 'import json, sys
services = json.loads(sys.argv[1])["services"]
down = [name for name, state in services.items() if state != "up"]
sys.exit(f"not up: {down}" if down else 0)' "$body"; then
    curl -fsS --max-time 5 -o /dev/null "${base_url%/}/.well-known/jwks.json"
    echo "smoke test passed (attempt ${attempt}): ${body}"
    exit 0
  fi
  sleep 5
done
echo "smoke test failed: ${base_url} is not healthy" >&2
exit 1

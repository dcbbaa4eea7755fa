-- Shared by the wrk scripts: per-thread status counters and a JSON summary printed by done().
-- The users file has one line per user: "<access token> <handle> <pin>".
threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

ok, bad, s4xx, s5xx = 0, 0, 0, 0

function response(status, headers, body)
  if status == 200 or status == 201 then ok = ok + 1 else bad = bad + 1 end
  if status >= 400 and status < 500 then s4xx = s4xx + 1 end
  if status >= 500 then s5xx = s5xx + 1 end
end

function load_users(path)
  local users = {}
  for line in io.lines(path) do
    local token, handle, pin = line:match("(%S+)%s+(%S+)%s+(%S+)")
    if token then table.insert(users, {token = token, handle = handle, pin = pin}) end
  end
  return users
end

function done(summary, latency, requests)
  local t_ok, t_bad, t_4, t_5 = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    t_ok = t_ok + thread:get("ok"); t_bad = t_bad + thread:get("bad")
    t_4 = t_4 + thread:get("s4xx"); t_5 = t_5 + thread:get("s5xx")
  end
  local secs = summary.duration / 1e6
  io.write(string.format(
    'WRK_JSON {"requests": %d, "seconds": %.3f, "ok": %d, "not_ok": %d, "status_4xx": %d, "status_5xx": %d, ' ..
    '"socket_errors": %d, "ok_per_s": %.1f, "p50_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f, "mean_ms": %.3f}\n',
    summary.requests, secs, t_ok, t_bad, t_4, t_5,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    t_ok / secs, latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.mean / 1000))
end

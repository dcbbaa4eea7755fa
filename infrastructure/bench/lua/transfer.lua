-- POST /api/v1/transfers: each thread sends from its own slice of users (no two threads lock the
-- same sender row), to a random other user, with a fresh Idempotency-Key per request.
package.path = package.path .. ";" .. os.getenv("WRK_LUA_DIR") .. "/?.lua"
require("common")

local users, counter, mine = nil, 0, {}

function init(args)
  users = load_users(os.getenv("WRK_USERS"))
  local nthreads = tonumber(os.getenv("WRK_THREADS") or "1")
  for i = 1, #users do
    if (i - 1) % nthreads == tid then table.insert(mine, users[i]) end
  end
  math.randomseed(os.time() + tid * 7919)
end

function request()
  counter = counter + 1
  local sender = mine[(counter % #mine) + 1]
  local recipient = users[math.random(#users)]
  while recipient.handle == sender.handle do recipient = users[math.random(#users)] end
  local body = string.format('{"recipient": "%s", "amount": "1.00", "pin": "%s", "note": "bench"}',
                             recipient.handle, sender.pin)
  local headers = {["Authorization"] = "Bearer " .. sender.token, ["Content-Type"] = "application/json",
                   ["Idempotency-Key"] = string.format("wrk-%d-%d-%d-%d", tid, os.time(), counter, math.random(1e9))}
  return wrk.format("POST", "/api/v1/transfers", headers, body)
end

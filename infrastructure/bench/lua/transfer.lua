-- POST /api/v1/transfers: each thread sends from its own slice of users (no two threads lock the
-- same sender row), to one of the sender's 8 usual recipients (the user list's next 8, as people
-- pay the same few people: each user's recipient budget allows only so many new identifiers a
-- minute, and a random pick among 31 others ran into it), with a fresh Idempotency-Key per request.
package.path = package.path .. ";" .. os.getenv("WRK_LUA_DIR") .. "/?.lua"
require("common")

local users, counter, mine = nil, 0, {}

function init(args)
  users = load_users(os.getenv("WRK_USERS"))
  local nthreads = tonumber(os.getenv("WRK_THREADS") or "1")
  for i = 1, #users do
    if (i - 1) % nthreads == tid then table.insert(mine, i) end
  end
  math.randomseed(os.time() + tid * 7919)
end

function request()
  counter = counter + 1
  local index = mine[(counter % #mine) + 1]
  local sender = users[index]
  local recipient = users[((index - 1 + math.random(math.min(8, #users - 1))) % #users) + 1]
  local body = string.format('{"recipient": "%s", "amount": "1.00", "pin": "%s", "note": "bench"}',
                             recipient.handle, sender.pin)
  local headers = {["Authorization"] = "Bearer " .. sender.token, ["Content-Type"] = "application/json",
                   ["Idempotency-Key"] = string.format("wrk-%d-%d-%d-%d", tid, os.time(), counter, math.random(1e9))}
  return wrk.format("POST", "/api/v1/transfers", headers, body)
end

-- GET /api/v1/wallet with one user's token (the same request direct, through nginx, through the gateway).
package.path = package.path .. ";" .. os.getenv("WRK_LUA_DIR") .. "/?.lua"
require("common")

local req

function init(args)
  local user = load_users(os.getenv("WRK_USERS"))[1]
  req = wrk.format("GET", "/api/v1/wallet", {["Authorization"] = "Bearer " .. user.token})
end

function request()
  return req
end

-- wrk script for bench/bench_api.py: one request per call, on a random entry of a list file.
--
--   wrk ... -s bench/api.lua URL -- get    IDS_FILE     KEY PATH_TEMPLATE
--   wrk ... -s bench/api.lua URL -- replay ENTRIES_FILE KEY
--
-- get: GET PATH_TEMPLATE with "%s" replaced by a random host id of IDS_FILE (one a line); KEY
-- "-" sends no X-API-Key header (the /healthz baseline, which pays the same client cost).
-- replay: POST /api/v1/hosts/HOST/registrations {"activity_id": N} with an Idempotency-Key, for a
-- random line "HOST<TAB>N<TAB>IDEMPOTENCY_KEY" of ENTRIES_FILE (a retry of a stored request).

local counter = 0
local mode, template
local entries = {}
local headers = {}

function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

function init(args)
  mode = args[1]
  for line in io.lines(args[2]) do
    if line ~= "" then
      if mode == "replay" then
        local host, activity, key = line:match("^([^\t]+)\t([^\t]+)\t([^\t]+)$")
        entries[#entries + 1] = { host, activity, key }
      else
        entries[#entries + 1] = line
      end
    end
  end
  if args[3] ~= nil and args[3] ~= "-" then
    headers["X-API-Key"] = args[3]
  end
  template = args[4]
  math.randomseed(os.time() * 1000 + (seed or 0))
  if mode == "replay" then
    headers["Content-Type"] = "application/json"
  end
end

function request()
  local e = entries[math.random(#entries)]
  if mode == "replay" then
    headers["Idempotency-Key"] = e[3]
    local body = '{"activity_id": ' .. e[2] .. "}"
    return wrk.format("POST", "/api/v1/hosts/" .. e[1] .. "/registrations", headers, body)
  end
  return wrk.format("GET", (template:gsub("%%s", e)), headers)
end

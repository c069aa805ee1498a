-- Section saves for bench/run: each connection saves its own draft (SAVE_IDS holds id:version
-- pairs), carrying the version forward from each answer so that every save passes the version
-- check. A 303 names the application in Location; a 409 page carries the version.
local ids, versions, inflight = {}, {}, {}
local cookie = os.getenv("BENCH_COOKIE")
local csrf = os.getenv("BENCH_CSRF")

local counter = 0
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end

function init(args)
  local all, start = {}, {}
  for id, v in string.gmatch(os.getenv("SAVE_IDS"), "(%d+):(%d+)") do
    table.insert(all, id)
    start[id] = tonumber(v)
  end
  -- Split the drafts between threads so that no two threads save the same one.
  local threads = tonumber(os.getenv("BENCH_THREADS") or "2")
  local me = tid or 0
  for i, id in ipairs(all) do
    if (i - 1) % threads == me % threads then
      table.insert(ids, id)
      versions[id] = start[id]
    end
  end
end

local next_index = 0
request = function()
  for _ = 1, #ids do
    next_index = next_index % #ids + 1
    local id = ids[next_index]
    if not inflight[id] then
      inflight[id] = true
      local body = "csrf_token=" .. csrf .. "&version=" .. versions[id] ..
        "&action=later&education=%E5%A4%A7%E4%B8%93&mobile=13800138000&email=&address=bench"
      return wrk.format("POST", "/applicant/applications/" .. id .. "/basic",
        {["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = cookie}, body)
    end
  end
  -- Every draft is in flight (more connections than drafts): save the first again.
  local id = ids[1]
  return wrk.format("POST", "/applicant/applications/" .. id .. "/basic",
    {["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = cookie},
    "csrf_token=" .. csrf .. "&version=" .. versions[id] .. "&action=later&education=%E5%A4%A7%E4%B8%93&mobile=13800138000")
end

response = function(status, headers, body)
  local location = headers["Location"] or headers["location"]
  if status == 303 and location then
    local id = string.match(location, "/applications/(%d+)")
    if id and versions[id] then
      versions[id] = versions[id] + 1
      inflight[id] = nil
    end
  elseif status == 409 then
    local id = string.match(body, "/applicant/applications/(%d+)/basic")
    local v = string.match(body, 'name="version" value="(%d+)"')
    if id and v and versions[id] then
      versions[id] = tonumber(v)
      inflight[id] = nil
    end
  end
end

-- Review submits for bench/run: each request submits one draft review (demo-expert1's or
-- demo-expert2's, version 1) with every mark given, so each is complete and rewrites its case's
-- aggregates. SUBMIT_FILE holds "application:expert" lines (expert 1 or 2); bench/run resets
-- the drafts before each run, and each line is used once.
local lines, next_index = {}, 0
local cookies = { os.getenv("BENCH_COOKIE1"), os.getenv("BENCH_COOKIE2") }
local tokens = { os.getenv("BENCH_CSRF1"), os.getenv("BENCH_CSRF2") }
local marks = "&version=1&action=submit&m_ethics=pass&m_ethics_comment=%E6%9D%90%E6%96%99%E7%9C%9F%E5%AE%9E" ..
  "&m_ability=81&m_performance=77&m_achievements=90&opinion=%E6%8A%80%E8%83%BD%E6%89%8E%E5%AE%9E"

local counter = 0
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end

function init(args)
  local threads = tonumber(os.getenv("BENCH_THREADS") or "2")
  local me = tid or 0
  local i = 0
  for line in io.lines(os.getenv("SUBMIT_FILE")) do
    local id, who = string.match(line, "(%d+):(%d)")
    if id then
      if i % threads == me % threads then
        table.insert(lines, { id, tonumber(who) })
      end
      i = i + 1
    end
  end
end

request = function()
  next_index = next_index % #lines + 1
  local id, who = lines[next_index][1], lines[next_index][2]
  return wrk.format("POST", "/expert/cases/" .. id .. "/review",
    { ["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = cookies[who] },
    "csrf_token=" .. tokens[who] .. marks)
end

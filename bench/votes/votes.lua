-- wrk script: every request is a first vote of one gatekeeper on one open review.
-- Threads take interleaved (voter, review) pairs so no pair is ever voted twice, and each of
-- run.sh's rounds (`-- THREADS ROUND ROUNDS`) takes its own slice of the pairs.
-- Each thread formats its requests in init(), before wrk starts its clock: wrk runs on the
-- same cores as the server, and formatting a request per call in Lua cost it about twice its
-- CPU per request on /healthz (which needs no script), CPU taken from the server it measures.
-- No response() callback either (it makes wrk parse every response's headers into Lua):
-- wrk counts the non-2xx answers itself, and run.sh counts the votes written.
local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  -- init() runs in each thread's own Lua state, where setup()'s table is empty: the thread
  -- count comes from the command line (`-- THREADS ROUND ROUNDS DATA`), 2 (run.sh's -t2) by
  -- default, and so do the tokens and reviews (setup.py's DATA file).
  dofile(args[4] or "bench/votes/data.lua")
  local nthreads = tonumber(args[1] or "2")
  local round, rounds = tonumber(args[2] or "0"), tonumber(args[3] or "1")
  local npairs = #TOKENS * #REVIEWS
  local first, last = math.floor(round * npairs / rounds), math.floor((round + 1) * npairs / rounds) - 1
  requests = {}
  for k = first + tid, last, nthreads do
    local voter = (k % #TOKENS) + 1
    local review = math.floor(k / #TOKENS) + 1
    requests[#requests + 1] = wrk.format("POST",
      "/api/v1/gate-reviews/" .. REVIEWS[review] .. "/votes",
      {["Authorization"] = "Bearer " .. TOKENS[voter], ["Content-Type"] = "application/json"},
      '{"decision": "go"}')
  end
  n = 0
end

request = function()
  n = n % #requests + 1  -- past its slice's last pair, votes repeat and answer 409 (non-2xx)
  return requests[n]
end

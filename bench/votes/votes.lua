-- wrk script: every request is a first vote of one gatekeeper on one open review.
-- Threads take interleaved (voter, review) pairs so no pair is ever voted twice.
dofile("bench/votes/data.lua")
local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  nthreads = #threads > 0 and #threads or tonumber(args[1] or "2")
  n = 0
  other = 0
end

request = function()
  local k = tid + n * nthreads
  n = n + 1
  local voter = (k % #TOKENS) + 1
  local review = (math.floor(k / #TOKENS) % #REVIEWS) + 1
  return wrk.format("POST", "/api/v1/gate-reviews/" .. REVIEWS[review] .. "/votes",
    {["Authorization"] = "Bearer " .. TOKENS[voter], ["Content-Type"] = "application/json"},
    '{"decision": "go"}')
end

response = function(status, headers, body)
  if status ~= 201 then other = other + 1 end
end

done = function(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("other") end
  io.write(string.format("non-201 responses: %d\n", bad))
end

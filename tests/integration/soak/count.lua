-- wrk script of the soak tests: counts every response, by status and by the
-- glossary version that annotated it.  Arguments (after --): the mark of
-- version A, the mark of version B, and the exact body length of each.
-- Prints one line "SOAK {json}" when done.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  mark_a, mark_b = args[1], args[2]
  len_a, len_b = tonumber(args[3]), tonumber(args[4])
  responses, not_200, only_a, only_b, mixed, unmarked, bad_length = 0, 0, 0, 0, 0, 0, 0
end

function response(status, headers, body)
  responses = responses + 1
  if status ~= 200 then
    not_200 = not_200 + 1
    return
  end
  local a = string.find(body, mark_a, 1, true) ~= nil
  local b = string.find(body, mark_b, 1, true) ~= nil
  if a and b then
    mixed = mixed + 1
  elseif a then
    only_a = only_a + 1
    if #body ~= len_a then bad_length = bad_length + 1 end
  elseif b then
    only_b = only_b + 1
    if #body ~= len_b then bad_length = bad_length + 1 end
  else
    unmarked = unmarked + 1
  end
end

function done(summary, latency, requests)
  local keys = {"responses", "not_200", "only_a", "only_b", "mixed", "unmarked", "bad_length"}
  local total = {}
  for _, k in ipairs(keys) do total[k] = 0 end
  for _, t in ipairs(threads) do
    for _, k in ipairs(keys) do total[k] = total[k] + t:get(k) end
  end
  local e = summary.errors
  local out = string.format('"requests": %d, "connect": %d, "read": %d, "write": %d, ' ..
                            '"status": %d, "timeout": %d, "latency_max_us": %d',
                            summary.requests, e.connect, e.read, e.write, e.status, e.timeout,
                            latency.max)
  for _, k in ipairs(keys) do out = out .. string.format(', "%s": %d', k, total[k]) end
  io.write("SOAK {" .. out .. "}\n")
end

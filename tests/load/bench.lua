-- wrk script for tests/load/bench.sh.
--
-- BENCH_METHOD   GET (default) or POST
-- BENCH_PATH     the path; "{id}" in it is replaced by ids from BENCH_IDS
-- BENCH_IDS      a file of ids, one per line: each thread takes every n-th, none is used twice
--
-- Prints one machine-readable line at the end:
--   RESULT <requests> <req/s> <p50 ms> <p99 ms> <non-2xx> <socket errors> <p95 ms>

local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  method = os.getenv("BENCH_METHOD") or "GET"
  path = os.getenv("BENCH_PATH")
  ids = {}
  local file = os.getenv("BENCH_IDS")
  if file and file ~= "" then
    for line in io.lines(file) do
      ids[#ids + 1] = line
    end
  end
  next_id = tid + 1
  step = tonumber(os.getenv("BENCH_THREADS") or "2")
  if #ids == 0 then
    fixed = wrk.format(method, path)
  end
end

function request()
  if fixed then
    return fixed
  end
  local id = ids[next_id]
  if id == nil then
    -- The pool is used up: repeat the last id (the server answers 409, counted as non-2xx).
    id = ids[#ids]
  end
  next_id = next_id + step
  return wrk.format(method, (path:gsub("{id}", id)))
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %.1f %.2f %.2f %d %d %.2f\n",
    summary.requests,
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000,
    latency:percentile(99) / 1000,
    e.status,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(95) / 1000))
end

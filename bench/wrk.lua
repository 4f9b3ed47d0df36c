-- bench/wrk.lua - wrk script used by bench/run.
-- Sends the bearer token from the environment variable AG_TOKEN (when
-- set) and prints one machine-readable line at the end:
--   AGBENCH <req/s> <p50 us> <p99 us> <max us> <requests> <errors>
-- where errors counts socket errors, timeouts and non-2xx/3xx answers.

local token = os.getenv("AG_TOKEN")
if token ~= nil and token ~= "" then
	wrk.headers["Authorization"] = "Bearer " .. token
end
wrk.headers["Accept"] = "application/json"

done = function(summary, latency, requests)
	local e = summary.errors
	local seconds = summary.duration / 1000000
	io.write(string.format("AGBENCH %.1f %d %d %d %d %d\n",
		summary.requests / seconds,
		latency:percentile(50), latency:percentile(99), latency.max,
		summary.requests,
		e.connect + e.read + e.write + e.timeout + e.status))
end

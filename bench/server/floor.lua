-- wrk script: GET /healthz, the floor (the HTTP layer with no work), reported in the same form as
-- signin.lua.
function done(summary, latency, requests)
    io.write(string.format(
        "RESULT requests=%d seconds=%.3f created=0 approved=0 failed=%d " ..
        "p50_us=%d p90_us=%d p99_us=%d max_us=%d\n",
        summary.requests, summary.duration / 1e6,
        summary.errors.status + summary.errors.connect + summary.errors.read +
        summary.errors.write + summary.errors.timeout,
        latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end

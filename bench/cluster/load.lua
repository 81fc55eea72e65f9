-- wrk script for bench/cluster/cluster.sh. MODE=signin (the environment): complete sign-ins
-- against `waotp-server --demo` (POST /v1/verifications for a number of its own, then
-- POST .../check with the demo code the answer gave; two requests per sign-in, every
-- verification finished); MODE=floor: GET /healthz, the same path with no work.
-- RUN=0..99 keeps the numbers of different runs against one store apart.
local threads = {}
local run = tonumber(os.getenv("RUN") or "0")
local floor = os.getenv("MODE") == "floor"

function setup(thread)
    thread:set("id", #threads)
    table.insert(threads, thread)
end

function init(args)
    approved, failed, sent = 0, 0, 0
    pending = {} -- {id, code} of verifications waiting for their check
    headers = {["Content-Type"] = "application/json"}
end

function request()
    if floor then
        return wrk.format("GET", "/healthz")
    end
    local next = table.remove(pending)
    if next then
        return wrk.format("POST", "/v1/verifications/" .. next[1] .. "/check", headers,
                          '{"code":"' .. next[2] .. '"}')
    end
    sent = sent + 1
    -- +91 9, the run (2 digits), the thread, 6 digits: a mobile number of its own for every
    -- sign-in, also across the runs that share one store and one database.
    local phone = string.format("+919%02d%d%06d", run % 100, id % 10, sent)
    return wrk.format("POST", "/v1/verifications", headers, '{"phone":"' .. phone ..
                      '","flow":"signup"}')
end

function response(status, headers, body)
    if status == 201 then
        table.insert(pending, {body:match('"id":"([^"]+)"'), body:match('"demo_code":"(%d+)"')})
    elseif status == 200 then
        if not floor then
            approved = approved + 1
        end
    else
        failed = failed + 1
        if failed <= 3 then
            io.stderr:write("unexpected answer ", status, ": ", body, "\n")
        end
    end
end

function done(summary, latency, requests)
    local a, f = 0, 0
    for _, t in ipairs(threads) do
        a = a + t:get("approved")
        f = f + t:get("failed")
    end
    local e = summary.errors
    io.write(string.format(
        "RESULT requests=%d seconds=%.3f approved=%d failed=%d p50_us=%d p99_us=%d\n",
        summary.requests, summary.duration / 1e6, a,
        f + e.connect + e.read + e.write + e.timeout,
        latency:percentile(50), latency:percentile(99)))
end

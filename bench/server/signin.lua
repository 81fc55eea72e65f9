-- wrk script: complete sign-ins against `waotp-server --demo`. Every connection asks for a code
-- for a number of its own (POST /v1/verifications, a sign-up: a new number has no account to
-- sign in to, and the server would answer a sign-in of it without sending, and without a code);
-- the demo server answers with the code
-- (demo_code), and the next request of the thread checks it (POST .../check). So each sign-in
-- is two requests, and every verification started is finished.
--
--   wrk -t1 -c64 -d10s -s bench/server/signin.lua http://127.0.0.1:PORT
--
-- RUN=0..9 (the environment) keeps the numbers of different runs against one server apart.
local threads = {}
-- Numbers differ from run to run (a number's next code waits for its resend cooldown).
local run = tonumber(os.getenv("RUN") or "0")

function setup(thread)
    thread:set("id", #threads)
    table.insert(threads, thread)
end

function init(args)
    created, approved, failed, sent = 0, 0, 0, 0
    pending = {}  -- {id, code} of created verifications waiting for their check
    headers = {["Content-Type"] = "application/json"}
end

local function create()
    sent = sent + 1
    -- A mobile number of its own for every verification: +91 9, the run, the thread, 7 digits.
    local phone = string.format("+919%d%d%07d", run % 10, id % 10, sent)
    return wrk.format("POST", "/v1/verifications", headers,
                      '{"phone":"' .. phone .. '","flow":"signup"}')
end

function request()
    local next = table.remove(pending)
    if next then
        return wrk.format("POST", "/v1/verifications/" .. next[1] .. "/check", headers,
                          '{"code":"' .. next[2] .. '"}')
    end
    return create()
end

function response(status, headers, body)
    if status == 201 then
        created = created + 1
        local vid = body:match('"id":"([^"]+)"')
        local code = body:match('"demo_code":"(%d+)"')
        table.insert(pending, {vid, code})
    elseif status == 200 then
        approved = approved + 1
    else
        failed = failed + 1
        if failed <= 3 then
            io.stderr:write("unexpected answer ", status, ": ", body, "\n")
        end
    end
end

function done(summary, latency, requests)
    local c, a, f = 0, 0, 0
    for _, t in ipairs(threads) do
        c = c + t:get("created")
        a = a + t:get("approved")
        f = f + t:get("failed")
    end
    local seconds = summary.duration / 1e6
    io.write(string.format(
        "RESULT requests=%d seconds=%.3f created=%d approved=%d failed=%d " ..
        "p50_us=%d p90_us=%d p99_us=%d max_us=%d\n",
        summary.requests, seconds, c, a, f, latency:percentile(50), latency:percentile(90),
        latency:percentile(99), latency.max))
end

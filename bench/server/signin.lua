-- wrk script: complete sign-ins against `waotp-server --demo`. Every connection asks for a code
-- (POST /v1/verifications); the demo server answers with the code (demo_code), and the next
-- request of the thread checks it (POST .../check). So each sign-in is two requests, and every
-- verification started is finished.
--
--   FLOW=signup (the default): a new number each, so a new account each.
--   FLOW=signin REGISTERED=N: the numbers 1..N of the run's sign-ups, over and over (an
--     approval ends a number's cooldown; N large enough keeps each under its hourly cap). A
--     number without an account would be answered without a code (no demo_code).
--
--   wrk -t1 -c64 -d10s -s bench/server/signin.lua http://127.0.0.1:PORT
--
-- RUN=0..9 (the environment) keeps the numbers of different runs against one server apart.
local threads = {}
-- Numbers differ from run to run (a number's next code waits for its resend cooldown).
local run = tonumber(os.getenv("RUN") or "0")
local flow = os.getenv("FLOW") or "signup"
local registered = tonumber(os.getenv("REGISTERED") or "0")
if flow ~= "signup" and (flow ~= "signin" or registered < 1) then
    io.stderr:write("FLOW=signup, or FLOW=signin with REGISTERED=N\n")
    os.exit(2)
end

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
    -- A mobile number: +91 9, the run, the thread, 7 digits (a sign-in: one of the REGISTERED
    -- from the second on that the run's sign-ups made accounts for: wrk calls request() once
    -- before the run, and drops what it made).
    local serial = sent
    if flow == "signin" then serial = (sent - 1) % registered + 2 end
    local phone = string.format("+919%d%d%07d", run % 10, id % 10, serial)
    return wrk.format("POST", "/v1/verifications", headers,
                      '{"phone":"' .. phone .. '","flow":"' .. flow .. '"}')
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

-- wrk script: GET the paths in $BENCH_PATHS (space-separated, picked at random) with $BENCH_TOKEN as bearer.
local paths = {}
for p in string.gmatch(os.getenv("BENCH_PATHS") or "/api/v1/info", "%S+") do table.insert(paths, p) end
local auth = "Bearer " .. (os.getenv("BENCH_TOKEN") or "")
math.randomseed(os.time())

request = function()
    return wrk.format("GET", paths[math.random(#paths)], {["Authorization"] = auth})
end

local errors = 0
response = function(status)
    if status ~= 200 then errors = errors + 1 end
end

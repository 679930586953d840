-- Flat-out ingest: each wrk thread posts to its own session with rising sequence numbers.
local f = io.open(os.getenv("CHUNK_PREFIX") or "prefix.txt"); local prefix = f:read("*a"); f:close()
local next_id = 600100
function setup(thread) thread:set("sid", tostring(next_id)); next_id = next_id + 1 end
function init(args) seq = 0 end
function request()
  seq = seq + 1
  return wrk.format("POST", "/api/share/" .. sid .. "/audio",
    {["Authorization"] = "Bearer " .. (os.getenv("BEARER_TOKEN") or "Token"), ["Content-Type"] = "application/json"}, prefix .. seq .. "}")
end

/** The Lua scripts the queue-mode state runs in n8n's Redis (each one atomic there). */

/**
 * One rolling window per account, timed by Redis's own clock: a sorted set of the slots taken by every
 * process, each scored with when it frees. A grant takes a slot until `inFlight` + `window` from now; the
 * request's `done` (DONE) moves that to a window after its answer, as the in-process pacer does. Returns 0
 * (granted) or how long to wait. A pause key holds all grants until its time; the learned rate's hash
 * (KEYS[3], see LEARN) spaces grants by its `spacing`, holding the next one until its `next`.
 */
export const BUDGET = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
if paused > now then return paused - now end
local nextAt = tonumber(redis.call('HGET', KEYS[3], 'next') or '0')
if nextAt > now then return nextAt - now end
local limit, window, inFlight = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local used = redis.call('ZCARD', KEYS[1])
if used < limit then
  redis.call('ZADD', KEYS[1], now + inFlight + window, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], inFlight + window)
  local spacing = tonumber(redis.call('HGET', KEYS[3], 'spacing') or '0')
  if spacing > 0 then redis.call('HSET', KEYS[3], 'next', math.floor(now + spacing)) end
  return 0
end
local frees = tonumber(redis.call('ZRANGE', KEYS[1], used - limit, used - limit, 'WITHSCORES')[2]) - now
if frees > window then return tonumber(ARGV[5]) end
return math.max(1, frees)`;

/**
 * The account's learned rate as a worker reads it: the hash's version and state, and how many requests Kore
 * accepted (the sorted set `accepted`, scored with when) in the last `window`, with the oldest one's age.
 */
const SNAPSHOT = `
local function snapshot(accepted, learned, now, window)
  redis.call('ZREMRANGEBYSCORE', accepted, '-inf', now - window)
  local oldest = redis.call('ZRANGE', accepted, 0, 0, 'WITHSCORES')
  local age = -1
  if oldest[2] then age = now - tonumber(oldest[2]) end
  return { redis.call('HGET', learned, 'v') or '', redis.call('HGET', learned, 's') or '', redis.call('ZCARD', accepted), age }
end`;

/** A request's answer is in: its slot frees a window from now; one Kore accepted is counted. Returns a SNAPSHOT. */
export const DONE = `${SNAPSHOT}
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
redis.call('ZADD', KEYS[1], 'XX', now + window, ARGV[2])
if ARGV[3] == '1' then
  redis.call('ZADD', KEYS[2], now, ARGV[2])
  redis.call('PEXPIRE', KEYS[2], window)
end
return snapshot(KEYS[2], KEYS[3], now, window)`;

/**
 * Writes the learned rate (state `ARGV[3]`, '' to forget it, with its `spacing`) if its version is still
 * `ARGV[1]` — the one the writer computed from — and returns {1}; else {0, SNAPSHOT…}, to compute again.
 */
export const LEARN = `${SNAPSHOT}
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if (redis.call('HGET', KEYS[2], 'v') or '') == ARGV[1] then
  if ARGV[3] == '' then
    redis.call('DEL', KEYS[2])
  else
    redis.call('HSET', KEYS[2], 'v', ARGV[2], 's', ARGV[3], 'spacing', ARGV[4])
    redis.call('PEXPIRE', KEYS[2], ARGV[5])
  end
  return { 1 }
end
local known = snapshot(KEYS[1], KEYS[2], now, tonumber(ARGV[6]))
table.insert(known, 1, 0)
return known`;

export const PAUSE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untilMs = now + tonumber(ARGV[1])
if untilMs > tonumber(redis.call('GET', KEYS[1]) or '0') then redis.call('SET', KEYS[1], untilMs, 'PX', tonumber(ARGV[1]) + 1000) end
return 0`;

/**
 * The data of the newest job in n8n's Bull queue `KEYS[1]` (Bull 4 keeps a counter `<queue>:id` and a hash
 * `<queue>:<id>` per job; a finished job's hash may be gone already, so a few before it are tried).
 */
export const NEWEST_JOB = `
local id = tonumber(redis.call('GET', KEYS[1] .. ':id') or '0')
for i = id, math.max(1, id - 50), -1 do
  local data = redis.call('HGET', KEYS[1] .. ':' .. i, 'data')
  if data then return data end
end
return false`;

/**
 * Publishes a read unless one that began later (covering more executions) is there already: a hash with
 * `createdBefore`, `pages` and one field per page (`0`, `1`, …; each page's own JSON, so a worker that takes
 * the read parses it page by page). ARGV: createdBefore, time to keep it, the read's start position, then the pages.
 */
export const PUBLISH_READ = `
local known = tonumber(redis.call('HGET', KEYS[1], 'createdBefore') or '-1')
if tonumber(ARGV[1]) < known then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'createdBefore', ARGV[1], 'startPos', ARGV[3], 'pages', #ARGV - 3)
for i = 4, #ARGV do redis.call('HSET', KEYS[1], tostring(i - 4), ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;

/** Publishes a record (JSON in ARGV[1], position ARGV[2]) unless one with a later position is there. */
export const PUBLISH_RECORD = `
local known = redis.call('HGET', KEYS[1], 'pos')
if known and tonumber(known) > tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], 'pos', ARGV[2], 'data', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

/** Keeps a lock that is still this holder's (ARGV[1]) for at least ARGV[2] ms more; 0 when it is not. */
export const RENEW = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1`;
export const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

#!/usr/bin/env bash
# The HTTP overhead benchmark: what the servlet container's filter chain and the full Safeguards gate cost per request
# against a bare servlet, measured with wrk in the same run, on loopback.
#
# One OverheadServer (Jetty 12, 127.0.0.1) serves the same small JSON response at
#   /bare        the servlet alone
#   /noop-chain  the servlet behind 3 filters that only call chain.doFilter (the container's filter overhead)
#   /secured     the servlet behind SafeguardsFilter: token verification (MFA required, revocation list), session
#                tracking, authorization, route inventory, AsyncAuditSink over the tamper-evident audit log
#   /spring-security  the peer (issue 21): the servlet behind Spring Security's OAuth2 resource server, verifying the
#                same tokens (signature, type, exp/nbf, issuer, audience) and checking one role, nothing else; in the
#                es256 and hs256 modes (Spring Security's stock JWT decoder has no EdDSA). Its ratio column is
#                /secured over /spring-security: the target is that the gate, every safeguard on and the durable
#                audit included, serves at least as many requests per second
# and wrk drives the three paths in alternating rounds (the order rotates every round), first with EdDSA tokens, then
# with HS256 tokens (a fresh server each). Every request of every path carries the same kind of Authorization header,
# one of USERS tokens in turn, so that the three paths parse the same bytes.
#
# Plain HTTP on loopback, through the named opt-in allowPlainHttpForLoopback(): TLS is not what is measured (it costs
# the same with or without the gate), and over plain HTTP the gate sends no HSTS header.
#
# Usage, from anywhere:  benchmarks/http-overhead.sh
# Settings (environment):
#   DURATION=10      seconds per measured wrk run (at most 600: a run must end before its tokens age out)
#   ROUNDS=3         measured rounds; each round runs every path once
#   WARMUP=8         seconds of unmeasured load per path before the rounds
#   WARMUP_SECURED_MAX=30  further warm-up of /secured, in 5 s windows, until two windows agree within 5 % (the JIT
#                    takes a while over the token and audit code on a small machine); 0 turns it off
#   THREADS=2        wrk threads
#   CONNECTIONS=32   wrk connections
#   MODES="eddsa es256 hs256"   token modes to run
#   USERS=16         distinct users (one token and session each) the requests cycle through
#   TOKEN_CACHE=cache  cache (TokenPolicy.cacheVerifiedTokens, the library default: a repeated token is not verified
#                    again) or no-cache (every token verified in full)
#   AUDIT=durable    the audit log behind the async queue: durable (the library default: each batch the queue hands
#                    over is synced before the next), os-buffered (acknowledgeBeforeSync), or none (events dropped:
#                    only to tell the audit record's share of the overhead)
#   STATE=memory     memory, or redis: also /secured-redis, the same gate with its sessions and revocations on a Redis
#                    server this script starts on REDIS_PORT (the redis-server binary shipped in the embedded-redis
#                    artifact inside benchmarks.jar; no persistence); its ratio is to /secured of the same run, and the
#                    Redis commands per request (EVALSHA calls counted by the server) are reported
#                    STATE=cluster: /secured-redis and also /secured-cluster, the gate as one replica of a cluster runs
#                    it: sessions and revocations on that Redis, the audit log in PostgreSQL (a server the benchmark
#                    server starts from the PostgreSQL binaries artifact inside benchmarks.jar); its ratio is to /secured
#   REDIS_PORT=16379
#   PORT=18080       the server's port on 127.0.0.1
#   JAVA_OPTS="-Xms1g -Xmx1g"   server JVM options (e.g. add -XX:StartFlightRecording=delay=60s,filename=x.jfr)
#   SERVER_CPUS=, WRK_CPUS=     optional taskset CPU lists to pin the server and wrk apart (default: both share all)
#   OUT_DIR=benchmarks/target/http-overhead   raw wrk output and server logs
#   REBUILD=1        rebuild benchmarks.jar even if it looks current
#   STRICT=1         exit 1 if a target is missed
# Defaults take about 5 minutes. Needs Linux, Java 17+, Maven (for the build) and wrk (apt-get installs it if missing).
#
# Columns: req/s counts 2xx responses only (a refused or failed request is cheap and must not pass for throughput);
# "cpu us/req" is the server process's CPU time (all its threads: Jetty, the audit worker, JIT, GC) per 2xx response,
# which is steadier than req/s when wrk shares the CPUs; "+us" is that minus the same figure for /bare.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
JAR="$HERE/target/benchmarks.jar"
MAIN=dev.safeguards.benchmarks.http.OverheadServer

DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-8}
WARMUP_SECURED_MAX=${WARMUP_SECURED_MAX:-30}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
MODES=${MODES:-eddsa es256 hs256}
USERS=${USERS:-16}
AUDIT=${AUDIT:-durable}
TOKEN_CACHE=${TOKEN_CACHE:-cache}
PORT=${PORT:-18080}
JAVA_OPTS=${JAVA_OPTS:--Xms1g -Xmx1g}
SERVER_CPUS=${SERVER_CPUS:-}
WRK_CPUS=${WRK_CPUS:-}
OUT_DIR=${OUT_DIR:-$HERE/target/http-overhead}
STATE=${STATE:-memory}
REDIS_PORT=${REDIS_PORT:-16379}
PATHS=(/bare /noop-chain /secured)
TARGET_NOOP=0.97
TARGET_SECURED=0.85
TARGET_REDIS=0.85
TARGET_CLUSTER=0.7
TARGET_PEER=1.0

die() { echo "http-overhead: $*" >&2; exit 2; }
[[ $STATE == memory || $STATE == redis || $STATE == cluster ]] || die "STATE is memory, redis or cluster"
[[ $STATE != memory ]] && PATHS+=(/secured-redis)
if [[ $STATE == cluster ]]; then
  PATHS+=(/secured-cluster)
  export SAFEGUARDS_BENCH_POSTGRES=1
fi
for v in DURATION ROUNDS WARMUP WARMUP_SECURED_MAX THREADS CONNECTIONS USERS PORT REDIS_PORT; do
  [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a whole number"
done
(( DURATION >= 1 && DURATION <= 600 )) || die "DURATION is 1 to 600 seconds (tokens are re-minted every 4 minutes and live 15)"
(( ROUNDS >= 1 )) || die "ROUNDS is at least 1"
(( CONNECTIONS >= THREADS )) || die "CONNECTIONS must be at least THREADS"
[[ $AUDIT == durable || $AUDIT == os-buffered || $AUDIT == none ]] || die "AUDIT is durable, os-buffered or none"
AUDIT_LABEL=$([[ $AUDIT == none ]] && echo "none (events dropped)" || echo "async+$AUDIT")
for mode in $MODES; do [[ $mode =~ ^(eddsa|es256|hs256)$ ]] || die "unknown mode $mode (eddsa, es256 or hs256)"; done
command -v java >/dev/null || die "java is not on the PATH"

# --- wrk ------------------------------------------------------------------------------------------------------------
if ! command -v wrk >/dev/null; then
  echo "wrk not found; installing it with apt-get"
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; fi
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y wrk \
    || { $SUDO apt-get update && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y wrk; }
  command -v wrk >/dev/null || die "could not install wrk"
fi

# --- the jar: built if missing, or older than the sources it holds ---------------------------------------------------
if [[ ${REBUILD:-0} == 1 || ! -f $JAR ]] || [[ -n $(find "$ROOT/safeguards-core/src/main" "$ROOT/safeguards-servlet/src/main" \
    "$ROOT/integrations/safeguards-redis/src/main" \
    "$HERE/src/main" "$HERE/pom.xml" -newer "$JAR" -type f -print -quit 2>/dev/null) ]]; then
  echo "building $JAR"
  (cd "$ROOT" && mvn -B -q -pl benchmarks -am package -DskipTests)
fi
[[ -f $JAR ]] || die "no $JAR after the build"

if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then die "port $PORT is in use; set PORT"; fi
mkdir -p "$OUT_DIR"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/http-overhead.XXXXXX")
SERVER_PID=""
CLK_TCK=$(getconf CLK_TCK)

stop_server() {
  if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true # its shutdown hook drains the audit queue and deletes its temp dir
    for _ in $(seq 1 200); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
REDIS_PID=""
stop_redis() {
  if [[ -n $REDIS_PID ]]; then kill "$REDIS_PID" 2>/dev/null || true; wait "$REDIS_PID" 2>/dev/null || true; fi
  REDIS_PID=""
}
start_redis() { # a fresh, empty redis-server on REDIS_PORT, from the binary inside benchmarks.jar
  local bin=redis-server-6.2.6-v5-linux-amd64
  (cd "$WORK" && jar xf "$JAR" "$bin") || die "no $bin in $JAR"
  chmod +x "$WORK/$bin"
  if (exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT") 2>/dev/null; then die "port $REDIS_PORT is in use; set REDIS_PORT"; fi
  "$WORK/$bin" --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" \
    > "$OUT_DIR/redis.log" 2>&1 &
  REDIS_PID=$!
  for _ in $(seq 1 100); do
    if grep -q 'Ready to accept connections' "$OUT_DIR/redis.log"; then
      export SAFEGUARDS_BENCH_REDIS_URI="redis://127.0.0.1:$REDIS_PORT"
      return 0
    fi
    sleep 0.1
  done
  die "redis-server did not start: $OUT_DIR/redis.log"
}
evalsha_calls() { # how many EVALSHA commands the Redis server ran so far (INFO's reply is one RESP bulk string)
  local header length reply
  exec 4<>"/dev/tcp/127.0.0.1/$REDIS_PORT"
  printf 'INFO commandstats\r\n' >&4
  IFS= read -r header <&4
  length=${header#\$}
  length=${length%$'\r'}
  reply=$(head -c "$length" <&4)
  exec 4<&-
  calls=$(sed -nE 's/^cmdstat_evalsha:calls=([0-9]+),.*/\1/p' <<< "$reply" | head -1)
  echo "${calls:-0}"
}
cleanup() { stop_server; stop_redis; rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# wrk script: cycles through the tokens (read at the start of every run, since the server re-mints them), and prints
# exact numbers in one RESULT line. Latencies are in microseconds; http_errors counts responses with status >= 400.
cat > "$WORK/overhead.lua" <<'LUA'
local requests = {}
local next_request = 0
init = function(args)
  local f = assert(io.open(args[1], "r"))
  for token in f:lines() do
    if #token > 0 then
      local headers = {}
      for k, v in pairs(wrk.headers) do headers[k] = v end
      headers["Authorization"] = "Bearer " .. token
      requests[#requests + 1] = wrk.format("GET", wrk.path, headers)
    end
  end
  f:close()
  assert(#requests > 0, "no tokens in " .. args[1])
  next_request = math.random(#requests) - 1
end
request = function()
  next_request = next_request % #requests + 1
  return requests[next_request]
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d http_errors=%d socket_errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.status, e.connect + e.read + e.write + e.timeout))
end
LUA

server_ticks() { awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat" 2>/dev/null || echo 0; }

# run_wrk SECONDS PATH OUTFILE: one wrk run; prints "ok_rps p99_us http_errors socket_errors cpu_us_per_ok_request"
run_wrk() {
  local seconds=$1 path=$2 out=$3 t0 t1 cmd
  cmd=(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" --latency -s "$WORK/overhead.lua" "http://127.0.0.1:$PORT$path"
    -- "$WORK/tokens.txt")
  if [[ -n $WRK_CPUS ]]; then cmd=(taskset -c "$WRK_CPUS" "${cmd[@]}"); fi
  t0=$(server_ticks)
  "${cmd[@]}" > "$out" 2>&1 || { cat "$out" >&2; die "wrk failed on $path"; }
  t1=$(server_ticks)
  awk -v ticks=$((t1 - t0)) -v hz="$CLK_TCK" '/^RESULT/ {
      for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      ok = v["requests"] - v["http_errors"]
      printf "%.1f %d %d %d %.1f\n", ok / (v["duration_us"] / 1e6), v["p99_us"], v["http_errors"], v["socket_errors"],
        (ok > 0 ? ticks / hz / ok * 1e6 : 0)
    }' "$out"
}

start_server() { # start_server MODE
  local mode=$1 cmd
  rm -f "$WORK/tokens.txt"
  # shellcheck disable=SC2206 # JAVA_OPTS is a list of options
  cmd=(java $JAVA_OPTS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$JAR" "$MAIN" "$PORT" "$WORK/tokens.txt" "$mode"
    "$USERS" "$AUDIT" "$TOKEN_CACHE")
  if [[ -n $SERVER_CPUS ]]; then cmd=(taskset -c "$SERVER_CPUS" "${cmd[@]}"); fi
  "${cmd[@]}" > "$OUT_DIR/server-$mode.log" 2>&1 & # a plain command, so that $! is the JVM (taskset execs it)
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    if grep -q '^ready' "$OUT_DIR/server-$mode.log" 2>/dev/null; then return 0; fi
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$OUT_DIR/server-$mode.log" >&2; die "the server did not start"; }
    sleep 0.2
  done
  die "the server was not ready within 60 s"
}

median() { sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
of() { tr ' ' '\n' <<< "$1" | grep . | median; } # the median of a space-separated list
ms() { awk -v u="$1" 'BEGIN { printf "%.2f", u / 1000 }'; }

echo "== machine"
echo "nproc: $(nproc); cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java: $(java -version 2>&1 | head -3 | tr '\n' ' ')"
echo "wrk: $(wrk -v 2>&1 | head -1 || true)"
if [[ -z $SERVER_CPUS && -z $WRK_CPUS ]]; then
  echo "note: wrk and the server share the same $(nproc) CPUs: a ratio is what the server achieves with what wrk leaves it"
else
  echo "note: server on CPUs ${SERVER_CPUS:-all}, wrk on CPUs ${WRK_CPUS:-all}"
fi
echo "plan: modes [$MODES], $ROUNDS rounds x ${DURATION}s per path after ${WARMUP}s warm-up per path (/secured up to" \
  "${WARMUP_SECURED_MAX}s more), wrk -t$THREADS -c$CONNECTIONS, $USERS users, audit $AUDIT_LABEL, plain HTTP on loopback" \
  "(TLS not measured; no HSTS header over HTTP)"
echo

SUMMARY=()
VERDICTS=()
ALL_PATHS=("${PATHS[@]}")
for mode in $MODES; do
  PATHS=("${ALL_PATHS[@]}")
  [[ $mode != eddsa ]] && PATHS+=(/spring-security)
  echo "== $mode: starting the server"
  if [[ $STATE != memory ]]; then stop_redis; start_redis; fi
  start_server "$mode"
  grep '^ready' "$OUT_DIR/server-$mode.log"
  for path in "${PATHS[@]}"; do
    run_wrk "$WARMUP" "$path" "$OUT_DIR/$mode-warmup${path//\//-}.txt" > /dev/null
  done
  previous=0
  for (( spent = 0; spent < WARMUP_SECURED_MAX; spent += 5 )); do
    result=$(run_wrk 5 /secured "$OUT_DIR/$mode-warmup-secured-more.txt")
    read -r rps _ <<< "$result"
    echo "warm-up /secured: $(printf '%.0f' "$rps") req/s"
    if awk -v a="$rps" -v b="$previous" 'BEGIN { exit !(b > 0 && a < b * 1.05 && a > b * 0.95) }'; then break; fi
    previous=$rps
  done
  declare -A RPS=() P99=() CPU=() ERR=()
  [[ $STATE != memory ]] && calls_before=$(evalsha_calls)
  for round in $(seq 1 "$ROUNDS"); do
    for (( k = 0; k < ${#PATHS[@]}; k++ )); do
      path=${PATHS[$(( (round - 1 + k) % ${#PATHS[@]} ))]}
      out="$OUT_DIR/$mode-round$round${path//\//-}.txt"
      result=$(run_wrk "$DURATION" "$path" "$out")
      read -r rps p99 http_errors socket_errors cpu <<< "$result"
      [[ -n ${cpu:-} ]] || die "no RESULT line from wrk on $path: $out"
      printf 'round %d %-12s %8.0f req/s  p99 %7s ms  server CPU %6.1f us/req  status>=400: %d  socket errors: %d\n' \
        "$round" "$path" "$rps" "$(ms "$p99")" "$cpu" "$http_errors" "$socket_errors"
      RPS[$path]+="$rps "
      P99[$path]+="$p99 "
      CPU[$path]+="$cpu "
      ERR[$path]=$(( ${ERR[$path]:-0} + http_errors + socket_errors ))
    done
  done
  if [[ $STATE == redis ]]; then # with STATE=cluster, /secured-cluster's requests ask the same server: not counted
    calls=$(( $(evalsha_calls) - calls_before ))
    served=$(tr ' ' '\n' <<< "${RPS[/secured-redis]}" | grep . | awk -v d="$DURATION" '{ s += $1 * d } END { printf "%.0f", s }')
    echo "Redis round trips per /secured-redis request ($mode): $(awk -v c="$calls" -v n="$served" 'BEGIN { printf "%.4f", c / n }')" \
      "($calls EVALSHA over about $served requests; a session is asked about at most once per max(1 s, 1% of its idle" \
      "timeout) per replica; the revocation polls' GETs run on a timer and are not counted)"
  fi
  stop_server
  if grep -qE 'ERROR|Exception' "$OUT_DIR/server-$mode.log"; then
    echo "warning: the server logged $(grep -cE 'ERROR|Exception' "$OUT_DIR/server-$mode.log") errors" \
      "($OUT_DIR/server-$mode.log); the most frequent:"
    grep -E 'ERROR|Exception' "$OUT_DIR/server-$mode.log" | sed -E 's/^\[[^]]*\] //; s/[0-9a-f]{8}-[0-9a-f-]{27}/<id>/g' \
      | sort | uniq -c | sort -rn | head -3
  fi
  bare=$(of "${RPS[/bare]}")
  bare_cpu=$(of "${CPU[/bare]}")
  for path in "${PATHS[@]}"; do
    med=$(of "${RPS[$path]}")
    cpu=$(of "${CPU[$path]}")
    ratio=$(awk -v a="$med" -v b="$bare" 'BEGIN { printf "%.3f", a / b }')
    if [[ $path == /secured-redis || $path == /secured-cluster ]]; then # against /secured, same run
      ratio=$(awk -v a="$med" -v b="$(of "${RPS[/secured]}")" 'BEGIN { printf "%.3f", a / b }')
    fi
    if [[ $path == /spring-security ]]; then # /secured over the peer, same run
      ratio=$(awk -v a="$(of "${RPS[/secured]}")" -v b="$med" 'BEGIN { printf "%.3f", a / b }')
    fi
    SUMMARY+=("$(printf '%-6s %-12s %9.0f %8s %7s %10.1f %7.1f %8d   %s' "$mode" "$path" "$med" "$(ms "$(of "${P99[$path]}")")" \
      "$ratio" "$cpu" "$(awk -v a="$cpu" -v b="$bare_cpu" 'BEGIN { print a - b }')" "${ERR[$path]}" \
      "$(tr ' ' '\n' <<< "${RPS[$path]}" | grep . | awk '{ printf "%.0f ", $1 }')")")
    target=""
    [[ $path == /noop-chain ]] && target=$TARGET_NOOP
    [[ $path == /secured ]] && target=$TARGET_SECURED
    [[ $path == /secured-redis ]] && target=$TARGET_REDIS
    [[ $path == /secured-cluster ]] && target=$TARGET_CLUSTER
    [[ $path == /spring-security ]] && target=$TARGET_PEER
    if [[ -n $target ]]; then
      verdict=$(awk -v r="$ratio" -v t="$target" 'BEGIN { print (r >= t) ? "PASS" : "MISS" }')
      note=""
      if [[ ${ERR[$path]} -gt 0 ]]; then verdict=MISS; note=" (${ERR[$path]} requests failed)"; fi
      VERDICTS+=("$(printf '%s  %-6s %-12s ratio %s, target >= %s%s' "$verdict" "$mode" "$path" "$ratio" "$target" "$note")")
    fi
  done
  unset RPS P99 CPU ERR
  echo
done

echo "== results: median over $ROUNDS rounds of ${DURATION}s (req/s of 2xx responses; p99 latency; server CPU per 2xx"
echo "   response, and its excess over /bare); errors = responses with status >= 400 + socket errors, all rounds"
printf '%-6s %-12s %9s %8s %7s %10s %7s %8s   %s\n' mode path "req/s" "p99 ms" ratio "cpu us/req" "+us" errors \
  "req/s of each round"
printf '%s\n' "${SUMMARY[@]}"
echo
echo "== targets: /noop-chain >= $TARGET_NOOP x /bare; /secured >= $TARGET_SECURED x /bare (audit $AUDIT_LABEL)" \
  "$([[ $STATE != memory ]] && echo "; /secured-redis >= $TARGET_REDIS x /secured (its ratio column is to /secured)")" \
  "$([[ $STATE == cluster ]] && echo "; /secured-cluster >= $TARGET_CLUSTER x /secured (likewise)")" \
  "; /secured >= $TARGET_PEER x /spring-security (its ratio column is /secured over it)"
printf '%s\n' "${VERDICTS[@]}"
echo "raw output: $OUT_DIR"
if [[ ${STRICT:-0} == 1 ]] && printf '%s\n' "${VERDICTS[@]}" | grep -q '^MISS'; then
  exit 1
fi

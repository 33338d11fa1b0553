#!/usr/bin/env bash
# Side-by-side HTTP benchmark: the nginx origin directly, haproxy and the meshproof sidecar as one
# hop, and haproxy and meshproof as a two-hop mTLS mesh (client-side + server-side proxy); the
# meshproof paths without their access log (haproxy here logs none) and with it.
# wrk and the origin run on cpu0, the proxies on cpu1 (taskset). See bench/peers/README.md.
#
# usage: bench/peers/run.sh [--seconds N] [--connections C] [--rounds R] [--keep]
#   --seconds N      measured run length per path and round (default 10), after a 2 s warm-up
#   --connections C  wrk connections (default 32), one wrk thread
#   --rounds R       every path is measured R times, in turn (default 3); ratios are per round
#   --keep           keep the temporary work dir (certificates, configs, logs, wrk outputs)
# Writes bench/peers/results/latest.json. Exit status: 0 every attempted path measured,
# 1 a path failed (the others are still measured), 2 bad usage or a setup failure.
set -euo pipefail

usage() { sed -n '7,13p' "$0" | sed 's/^# \{0,1\}//'; }

SECS=10
CONNS=32
ROUNDS=3
WARMUP=2
KEEP=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) SECS=${2-}; shift 2 || { usage >&2; exit 2; } ;;
    --seconds=*) SECS=${1#*=}; shift ;;
    --connections) CONNS=${2-}; shift 2 || { usage >&2; exit 2; } ;;
    --connections=*) CONNS=${1#*=}; shift ;;
    --rounds) ROUNDS=${2-}; shift 2 || { usage >&2; exit 2; } ;;
    --rounds=*) ROUNDS=${1#*=}; shift ;;
    --keep) KEEP=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "run.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
[[ $SECS =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --seconds wants a positive integer, got '$SECS'" >&2; exit 2; }
[[ $CONNS =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --connections wants a positive integer, got '$CONNS'" >&2; exit 2; }
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --rounds wants a positive integer, got '$ROUNDS'" >&2; exit 2; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
export PATH="$PATH:/usr/sbin:/sbin"
export LC_ALL=C

die() { echo "run.sh: $*" >&2; exit 2; }
say() { echo "== $*"; }

[[ -x build/meshproof ]] || die "build first: scripts/build.sh (no build/meshproof)"

# Fixed loopback ports (see conf/): origin, haproxy one hop, haproxy mesh out/in.
BACKEND_PORT=18080
HAPROXY_PORT=19080
MESH_OUT_PORT=19090
MESH_IN_PORT=19091
UP_READY_TIMEOUT=30   # s for `meshproof up` to print "ready RUN_DIR"
# Where `meshproof up` makes its run directory: tmpfs when the machine has it.
UP_TMPDIR=${MESHPROOF_BENCH_TMPDIR:-$( [[ -d /dev/shm && -w /dev/shm ]] && echo /dev/shm || echo "${TMPDIR:-/tmp}")}
PORT_TIMEOUT=10       # s for a listener to answer 200

# ---------------------------------------------------------------- tools
install_tools() {
  local -a need=()
  command -v haproxy >/dev/null || need+=(haproxy)
  command -v nginx >/dev/null || need+=(nginx-light)
  command -v wrk >/dev/null || need+=(wrk)
  command -v openssl >/dev/null || need+=(openssl)
  command -v curl >/dev/null || need+=(curl)
  command -v jq >/dev/null || need+=(jq)
  { command -v taskset && command -v setsid; } >/dev/null || need+=(util-linux)
  [[ ${#need[@]} -eq 0 ]] && return 0
  local -a sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  say "installing ${need[*]} (apt-get)"
  "${sudo[@]}" apt-get update -qq || die "apt-get update failed"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" \
    || die "apt-get install ${need[*]} failed"
  # Debian starts a freshly installed nginx/haproxy service unless policy-rc.d forbids it: stop it.
  local svc
  for svc in nginx haproxy; do
    if [[ " ${need[*]} " == *" $svc"* ]] && command -v service >/dev/null; then
      "${sudo[@]}" service "$svc" stop >/dev/null 2>&1 || true
    fi
  done
}
install_tools
for t in haproxy nginx wrk openssl curl jq taskset setsid timeout; do
  command -v "$t" >/dev/null || die "$t is missing after installing"
done
[[ $(nproc) -ge 2 ]] || die "needs 2 CPUs (wrk and the origin on cpu0, the proxies on cpu1); this machine has $(nproc)"

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in $BACKEND_PORT $HAPROXY_PORT $MESH_OUT_PORT $MESH_IN_PORT; do
  port_in_use "$p" && die "127.0.0.1:$p is already in use (is an earlier run still going?)"
done

# ---------------------------------------------------------------- processes
# Every long-lived process is started in its own session (setsid), so its pid is its process
# group; cleanup stops the groups (and any descendant that left its group) on EXIT, INT, TERM.
GROUPS_STARTED=()
WORK=""
FAILED=0
LAST_PID=""
LAST_CODE=""
UP_ERROR=""
SEP=$'\x1f'   # field separator of the results file (not whitespace: empty fields survive read)

# start_group NAME CPU CMD...: start CMD pinned to CPU, stdout/stderr in logs/NAME.out/.err.
start_group() {
  local name=$1 cpu=$2; shift 2
  setsid taskset -c "$cpu" "$@" >"$WORK/logs/$name.out" 2>"$WORK/logs/$name.err" </dev/null &
  LAST_PID=$!
  GROUPS_STARTED+=("$LAST_PID")
}

# tree_pids ROOT...: the roots and every descendant, read from /proc.
tree_pids() {
  local -A kids=()
  local f line rest pid
  local -a fields
  for f in /proc/[0-9]*/stat; do
    { read -r line <"$f"; } 2>/dev/null || continue
    pid=${line%% *}
    rest=${line##*) }
    read -ra fields <<<"$rest"
    kids[${fields[1]}]+="$pid "
  done
  local -a queue=("$@") found=()
  while [[ ${#queue[@]} -gt 0 ]]; do
    pid=${queue[0]}
    queue=("${queue[@]:1}")
    [[ -d /proc/$pid ]] || continue
    found+=("$pid")
    # shellcheck disable=SC2206  # the children list is space-separated pids
    [[ -n ${kids[$pid]-} ]] && queue+=(${kids[$pid]})
  done
  echo "${found[*]}"
}

# cpu_ticks PID...: utime+stime summed over the pids (clock ticks).
cpu_ticks() {
  local pid line rest sum=0
  local -a fields
  for pid in "$@"; do
    { read -r line <"/proc/$pid/stat"; } 2>/dev/null || continue
    rest=${line##*) }
    read -ra fields <<<"$rest"
    sum=$((sum + fields[11] + fields[12]))
  done
  echo "$sum"
}
CLK_TCK=$(getconf CLK_TCK)

group_alive() { kill -0 -- "-$1" 2>/dev/null; }

# stop_group PID [GRACE_S] [leader]: SIGTERM (to the whole group, or only to the leader with
# "leader", which then stops its own children), wait up to GRACE_S, then SIGKILL what is left
# of the group and of the leader's descendants.
stop_group() {
  local pid=$1 grace=${2:-5} mode=${3:-group} deadline others
  others=$(tree_pids "$pid")
  if [[ $mode == leader ]]; then kill -TERM "$pid" 2>/dev/null || true
  else kill -TERM -- "-$pid" 2>/dev/null || true; fi
  deadline=$((SECONDS + grace))
  # shellcheck disable=SC2086  # $others is a space-separated pid list
  while { group_alive "$pid" || [[ -n $(tree_pids $others) ]]; } && [[ $SECONDS -lt $deadline ]]; do
    sleep 0.1
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
  # shellcheck disable=SC2086
  if [[ -n $others ]]; then kill -KILL $others 2>/dev/null || true; fi
  wait "$pid" 2>/dev/null || true
  local -a keep=()
  for p in "${GROUPS_STARTED[@]}"; do [[ $p == "$pid" ]] || keep+=("$p"); done
  GROUPS_STARTED=("${keep[@]}")
}

cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  local i
  for ((i = ${#GROUPS_STARTED[@]} - 1; i >= 0; i--)); do
    stop_group "${GROUPS_STARTED[i]}" 10 group
  done
  if [[ -n $WORK && -d $WORK ]]; then
    # kept for a look at the logs after a failure (not after Ctrl-C / SIGTERM), or with --keep
    if [[ $KEEP -eq 1 || $FAILED -ne 0 ]] || [[ $rc -ne 0 && $rc -ne 130 && $rc -ne 143 ]]; then
      echo "work dir kept: $WORK" >&2
    else
      rm -rf "$WORK"
    fi
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'echo "run.sh: interrupted" >&2; exit 130' INT
trap 'echo "run.sh: terminated" >&2; exit 143' TERM

WORK=$(mktemp -d "${TMPDIR:-/tmp}/meshproof-peers.XXXXXX")
chmod 711 "$WORK"   # nginx's worker (user nobody when run as root) may traverse it
mkdir -p "$WORK/certs" "$WORK/run/tmp" "$WORK/logs"

# ---------------------------------------------------------------- certificates
# As /work/shared/peers/gen-certs.sh: an ECDSA P-256 CA and leaf certificates with DNS, IP and
# SPIFFE URI SANs, serverAuth+clientAuth; haproxy wants cert+key in one .pem.
gen_certs() {
  cd "$WORK/certs"
  openssl ecparam -name prime256v1 -genkey -noout -out ca.key
  openssl req -x509 -new -key ca.key -sha256 -days 2 -subj "/CN=meshproof-peers-bench-ca" -out ca.crt
  local n
  for n in sidecar-out sidecar-in; do
    openssl ecparam -name prime256v1 -genkey -noout -out "$n.key"
    openssl req -new -key "$n.key" -subj "/CN=$n" -out "$n.csr"
    printf 'subjectAltName=DNS:%s,DNS:localhost,IP:127.0.0.1,URI:spiffe://cluster.local/ns/default/sa/%s\nextendedKeyUsage=serverAuth,clientAuth\nbasicConstraints=CA:FALSE\n' \
      "$n" "$n" >"$n.ext"
    openssl x509 -req -in "$n.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -sha256 -extfile "$n.ext" -out "$n.crt"
    cat "$n.crt" "$n.key" >"$n.pem"
  done
}
(gen_certs) >"$WORK/logs/certs.log" 2>&1 || { cat "$WORK/logs/certs.log" >&2; die "certificate generation failed"; }

render() { sed "s#@PEERS@#$WORK#g" "$here/conf/$1" >"$WORK/run/$1"; }
for c in backend-nginx.conf haproxy-http.cfg haproxy-mesh-out.cfg haproxy-mesh-in.cfg; do render "$c"; done
for c in haproxy-http.cfg haproxy-mesh-out.cfg haproxy-mesh-in.cfg; do
  haproxy -c -q -f "$WORK/run/$c" >/dev/null 2>"$WORK/logs/haproxy-check.err" \
    || { cat "$WORK/logs/haproxy-check.err" >&2; die "haproxy rejects $c"; }
done

# ---------------------------------------------------------------- helpers
# http_code PORT: status of one GET / with "Host: backend" (000 when nothing answers).
http_code() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 2 -H 'Host: backend' "http://127.0.0.1:$1/" 2>/dev/null || true
}

# wait_200 PORT PID: until one request through PORT answers 200 (PORT_TIMEOUT s) while PID lives.
wait_200() {
  local port=$1 pid=$2 code="" deadline=$((SECONDS + PORT_TIMEOUT))
  while [[ $SECONDS -lt $deadline ]]; do
    code=$(http_code "$port")
    [[ $code == 200 ]] && return 0
    kill -0 "$pid" 2>/dev/null || { LAST_CODE="$code (process exited)"; return 1; }
    sleep 0.1
  done
  LAST_CODE=$code
  return 1
}

# to_us VALUE: a wrk latency ("263.00us", "1.23ms", "2.00s", "1.00m") in microseconds.
to_us() {
  awk -v v="$1" 'BEGIN {
    if (match(v, /^[0-9.]+/)) { n = substr(v, 1, RLENGTH); u = substr(v, RLENGTH + 1) } else { print ""; exit }
    f = (u == "us") ? 1 : (u == "ms") ? 1000 : (u == "s") ? 1000000 : (u == "m") ? 60000000 : -1
    if (f < 0) print ""; else printf "%.1f\n", n * f }'
}

# run_wrk SECONDS PORT OUTFILE: wrk pinned to cpu0, in its own group so that cleanup can stop it.
run_wrk() {
  local d=$1 port=$2 out=$3 pid
  setsid timeout $((d + 15)) taskset -c 0 wrk -t1 "-c$CONNS" "-d${d}s" --latency -H 'Host: backend' \
    "http://127.0.0.1:$port/" >"$out" 2>&1 </dev/null &
  pid=$!
  GROUPS_STARTED+=("$pid")
  local rc=0
  wait "$pid" || rc=$?
  local -a keep=()
  for p in "${GROUPS_STARTED[@]}"; do [[ $p == "$pid" ]] || keep+=("$p"); done
  GROUPS_STARTED=("${keep[@]}")
  return "$rc"
}

# Results, one line per path and round (ROUND; 0: the path could not be set up), fields
# separated by $SEP: id round label status rps p50_us p99_us requests proxy_cpu_us_per_req
# backend_cpu_us_per_req non2xx socket_errors message
RESULTS="$WORK/results.tsv"
: >"$RESULTS"
ROUND=0
record() { local IFS=$SEP; local id=$1; shift; echo "$id$SEP$ROUND$SEP${*//$'\n'/ }" >>"$RESULTS"; }
fail_path() { # id label message
  echo "   ERROR ($2): $3" >&2
  FAILED=1
  record "$1" "$2" error "" "" "" "" "" "" "" "" "$3"
}

# measure ID LABEL PORT ROOT_PID...: check one request, warm up, measure; the proxy's CPU time is
# summed over ROOT_PID... and their descendants (none for the origin alone).
measure() {
  local id=$1 label=$2 port=$3; shift 3
  local -a roots=("$@")
  local code
  code=$(http_code "$port")
  if [[ $code != 200 ]]; then
    fail_path "$id" "$label" "one request through 127.0.0.1:$port answered '$code', not 200 (logs: $WORK/logs)"
    return 0
  fi
  say "round $ROUND/$ROUNDS, $label: warm-up ${WARMUP}s, then ${SECS}s (wrk -t1 -c$CONNS, port $port)"
  if ! run_wrk "$WARMUP" "$port" "$WORK/logs/wrk-$id-r$ROUND-warmup.txt"; then
    fail_path "$id" "$label" "wrk warm-up failed: $(tail -n 3 "$WORK/logs/wrk-$id-r$ROUND-warmup.txt" | tr '\n' ' ')"
    return 0
  fi
  local proxy_pids="" backend_pids p0=0 p1=0 b0 b1
  [[ ${#roots[@]} -gt 0 ]] && proxy_pids=$(tree_pids "${roots[@]}")
  backend_pids=$(tree_pids "$BACKEND_PID")
  # shellcheck disable=SC2086
  { [[ -n $proxy_pids ]] && p0=$(cpu_ticks $proxy_pids); b0=$(cpu_ticks $backend_pids); }
  local out="$WORK/logs/wrk-$id-r$ROUND.txt"
  if ! run_wrk "$SECS" "$port" "$out"; then
    fail_path "$id" "$label" "wrk failed: $(tail -n 3 "$out" | tr '\n' ' ')"
    return 0
  fi
  # shellcheck disable=SC2086
  { [[ -n $proxy_pids ]] && p1=$(cpu_ticks $proxy_pids); b1=$(cpu_ticks $backend_pids); }
  cp "$out" "$root/bench/peers/results/wrk-$id-r$ROUND.txt"

  local rps p50 p99 reqs non2xx sockerr
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$out")
  p50=$(to_us "$(awk '$1 == "50%" {print $2}' "$out")")
  p99=$(to_us "$(awk '$1 == "99%" {print $2}' "$out")")
  reqs=$(awk '$2 == "requests" && $3 == "in" {print $1}' "$out")
  non2xx=$(awk -F': *' '/Non-2xx or 3xx responses/ {print $2}' "$out")
  sockerr=$(awk '/Socket errors:/ {s = 0; for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) s += $i; print s}' "$out")
  if [[ -z $rps || -z $p50 || -z $p99 || -z $reqs ]]; then
    fail_path "$id" "$label" "cannot parse the wrk output ($out)"
    return 0
  fi
  local pcpu="" bcpu=""
  if [[ $reqs -gt 0 ]]; then
    [[ -n $proxy_pids ]] && pcpu=$(awk -v t=$((p1 - p0)) -v hz="$CLK_TCK" -v n="$reqs" 'BEGIN {printf "%.2f", t / hz * 1e6 / n}')
    bcpu=$(awk -v t=$((b1 - b0)) -v hz="$CLK_TCK" -v n="$reqs" 'BEGIN {printf "%.2f", t / hz * 1e6 / n}')
  fi
  local status=ok msg=""
  if [[ -n $non2xx && $non2xx != 0 ]] || [[ -n $sockerr && $sockerr != 0 ]]; then
    status=error
    msg="wrk saw ${non2xx:-0} non-2xx responses and ${sockerr:-0} socket errors"
    echo "   ERROR ($label): $msg" >&2
    FAILED=1
  fi
  record "$id" "$label" "$status" "$rps" "$p50" "$p99" "$reqs" "$pcpu" "$bcpu" "${non2xx:-0}" "${sockerr:-0}" "$msg"
  echo "   $rps req/s, p50 $p50 us, p99 $p99 us, proxy CPU ${pcpu:--} us/req, origin CPU ${bcpu:--} us/req"
}

# meshproof_up NAME SCENARIO: start `meshproof up` pinned to cpu1 and wait for "ready RUN_DIR";
# sets UP_PID and RUN_DIR, or returns 1 with UP_ERROR.
meshproof_up() {
  local name=$1 scenario=$2 line="" deadline=$((SECONDS + UP_READY_TIMEOUT))
  # The run directory (trace and access log, ~450 bytes per request) on tmpfs: see README.
  start_group "$name" 1 env TMPDIR="$UP_TMPDIR" build/meshproof up "$scenario" --attach "backend=$BACKEND_PORT"
  UP_PID=$LAST_PID
  RUN_DIR=""
  while [[ $SECONDS -lt $deadline ]]; do
    line=$(grep -m1 '^ready ' "$WORK/logs/$name.out" 2>/dev/null || true)
    [[ -n $line ]] && break
    if ! kill -0 "$UP_PID" 2>/dev/null; then
      UP_ERROR="meshproof up exited before ready: $(tail -n 5 "$WORK/logs/$name.err" | tr '\n' ' ')"
      return 1
    fi
    sleep 0.1
  done
  if [[ -z $line ]]; then
    UP_ERROR="meshproof up printed no 'ready RUN_DIR' within ${UP_READY_TIMEOUT}s (logs: $WORK/logs/$name.err)"
    return 1
  fi
  RUN_DIR=${line#ready }
  [[ -f $RUN_DIR/run.json ]] || { UP_ERROR="no $RUN_DIR/run.json"; return 1; }
}

# node_port NODE KIND: a port from RUN_DIR/run.json (empty when absent or 0).
node_port() {
  jq -r --arg n "$1" --arg k "$2" '.nodes[$n][$k] // empty | select(. != 0)' "$RUN_DIR/run.json" 2>/dev/null || true
}

# mesh_setup ID LABEL SCENARIO NODE KIND: up, find NODE's KIND port and check it; on success the
# path is ready (PATH_PORT, PATH_ROOTS) and `up` keeps running until the end.
mesh_setup() {
  local id=$1 label=$2 scenario=$3 node=$4 kind=$5 port
  if [[ $MESHPROOF_UP -eq 0 ]]; then
    echo "   $label: skipped, meshproof up not available"
    record "$id" "$label" skipped "" "" "" "" "" "" "" "" "meshproof up not available"
    return 0
  fi
  if ! meshproof_up "$id" "$scenario"; then
    fail_path "$id" "$label" "$UP_ERROR"
    stop_group "$UP_PID" 10 leader
    return 0
  fi
  port=$(node_port "$node" "$kind")
  if [[ -z $port ]]; then
    fail_path "$id" "$label" "$RUN_DIR/run.json has no '$kind' port for node $node"
  elif ! wait_200 "$port" "$UP_PID"; then
    fail_path "$id" "$label" "one request to node $node's $kind port 127.0.0.1:$port with 'Host: backend' answered '$LAST_CODE', not 200 within ${PORT_TIMEOUT}s (run dir: $RUN_DIR)"
  else
    ready_path "$id" "$label" "$port" "$UP_PID"
    return 0
  fi
  stop_group "$UP_PID" 10 leader
}

# The paths that are set up: their labels, ports and the pids whose CPU time is theirs.
declare -A PATH_LABEL=() PATH_PORT=() PATH_ROOTS=()
ready_path() { # id label port root_pid...
  local id=$1
  PATH_LABEL[$id]=$2
  PATH_PORT[$id]=$3
  shift 3
  PATH_ROOTS[$id]="$*"
}
# measure_path ID: one round's measurement of a path that was set up (nothing otherwise).
measure_path() {
  local id=$1
  [[ -n ${PATH_PORT[$id]-} ]] || return 0
  # shellcheck disable=SC2086  # the roots are a space-separated pid list
  measure "$id" "${PATH_LABEL[$id]}" "${PATH_PORT[$id]}" ${PATH_ROOTS[$id]}
}

# ---------------------------------------------------------------- run
mkdir -p "$root/bench/peers/results"
[[ -f $root/bench/peers/results/.gitignore ]] || printf '*.json\n*.txt\n' >"$root/bench/peers/results/.gitignore"
rm -f "$root"/bench/peers/results/wrk-*.txt

MESHPROOF_UP=1
up_probe=$(timeout 10 build/meshproof up </dev/null 2>&1 || true)
if ! grep -q 'usage: meshproof up' <<<"$up_probe"; then
  MESHPROOF_UP=0
  echo "meshproof up not available (build/meshproof has no 'up' command): the meshproof paths are skipped"
fi

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
say "load average before: $LOAD_BEFORE (other load on the machine disturbs the figures)"

start_group backend 0 nginx -p "$WORK/run" -e "$WORK/logs/backend-error.log" -c "$WORK/run/backend-nginx.conf"
BACKEND_PID=$LAST_PID
wait_200 "$BACKEND_PORT" "$BACKEND_PID" \
  || { cat "$WORK/logs/backend.err" "$WORK/logs/backend-error.log" >&2 2>/dev/null; die "the nginx origin does not answer 200 on 127.0.0.1:$BACKEND_PORT"; }

# Every path is set up first and stays up; the rounds then measure them in turn, so that each
# meshproof / haproxy ratio compares runs a minute apart at most (this machine's speed drifts
# over minutes). The idle proxies of the other paths share cpu1 but do no work meanwhile.
ready_path direct "backend directly" "$BACKEND_PORT"

start_group haproxy-http 1 haproxy -db -f "$WORK/run/haproxy-http.cfg"
hp=$LAST_PID
if wait_200 "$HAPROXY_PORT" "$hp"; then
  ready_path haproxy-1hop "haproxy, one hop" "$HAPROXY_PORT" "$hp"
else
  fail_path haproxy-1hop "haproxy, one hop" "127.0.0.1:$HAPROXY_PORT answered '$LAST_CODE', not 200 (logs: $WORK/logs/haproxy-http.err)"
fi

# meshproof, one hop: plaintext to the backend sidecar's inbound port; then the same with the
# access log on (the bench scenarios have it off, as haproxy here logs nothing).
mesh_setup meshproof-1hop "meshproof, one hop" bench/peers/mesh-one-hop.yaml backend-v1-0 inbound
with_access_log() { sed 's/accessLog: false/accessLog: true/' "bench/peers/$1" >"$WORK/run/$1"; echo "$WORK/run/$1"; }
mesh_setup meshproof-1hop-log "meshproof, one hop, access log" "$(with_access_log mesh-one-hop.yaml)" backend-v1-0 inbound

start_group haproxy-mesh-in 1 haproxy -db -f "$WORK/run/haproxy-mesh-in.cfg"
hin=$LAST_PID
start_group haproxy-mesh-out 1 haproxy -db -f "$WORK/run/haproxy-mesh-out.cfg"
hout=$LAST_PID
if wait_200 "$MESH_OUT_PORT" "$hout" && kill -0 "$hin" 2>/dev/null; then
  ready_path haproxy-2hop-mtls "haproxy, two-hop mTLS" "$MESH_OUT_PORT" "$hout" "$hin"
else
  fail_path haproxy-2hop-mtls "haproxy, two-hop mTLS" "127.0.0.1:$MESH_OUT_PORT answered '${LAST_CODE:-?}', not 200 (logs: $WORK/logs/haproxy-mesh-*.err)"
fi

# meshproof, two-hop mTLS mesh: client-bench's outbound port -> mTLS -> backend-v1-0
mesh_setup meshproof-2hop-mtls "meshproof, two-hop mTLS" bench/peers/mesh-two-hop.yaml client-bench outbound
mesh_setup meshproof-2hop-mtls-log "meshproof, two-hop mTLS, access log" "$(with_access_log mesh-two-hop.yaml)" \
  client-bench outbound

# Odd rounds measure haproxy first, even rounds meshproof first: a drift within a round then
# favours neither.
for ((ROUND = 1; ROUND <= ROUNDS; ROUND++)); do
  measure_path direct
  for hop in 1hop 2hop-mtls; do
    if ((ROUND % 2 == 1)); then
      measure_path "haproxy-$hop"; measure_path "meshproof-$hop"; measure_path "meshproof-$hop-log"
    else
      measure_path "meshproof-$hop-log"; measure_path "meshproof-$hop"; measure_path "haproxy-$hop"
    fi
  done
done

stop_group "$BACKEND_PID" 5
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- report
json="$root/bench/peers/results/latest.json"
jq -Rn \
  --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  --arg commit "$(git rev-parse HEAD 2>/dev/null || true)" \
  --argjson seconds "$SECS" --argjson warmup "$WARMUP" --argjson connections "$CONNS" --argjson rounds "$ROUNDS" \
  --arg load_before "$LOAD_BEFORE" --arg load_after "$LOAD_AFTER" \
  --arg haproxy "$(haproxy -v 2>&1 | head -n1)" --arg nginx "$(nginx -v 2>&1 | head -n1)" \
  --arg wrk "$(wrk -v 2>&1 | head -n1)" '
  def num: if . == "" or . == null then null else tonumber end;
  def median: map(select(. != null)) | sort | length as $n
    | if $n == 0 then null elif $n % 2 == 1 then .[($n - 1) / 2] else (.[$n / 2 - 1] + .[$n / 2]) / 2 end;
  def r3: if . == null then null else (. * 1000 | round) / 1000 end;
  [inputs | split("\u001f") | {
    id: .[0], round: (.[1] | tonumber), label: .[2], status: .[3],
    rps: (.[4] | num), p50_us: (.[5] | num), p99_us: (.[6] | num), requests: (.[7] | num),
    proxy_cpu_us_per_request: (.[8] | num), backend_cpu_us_per_request: (.[9] | num),
    non_2xx: (.[10] | num), socket_errors: (.[11] | num), message: .[12]}] as $runs
  | def ok($id; $round): $runs | map(select(.id == $id and .round == $round and .status == "ok")) | first;
    def ratios($path; $hop; $field):
      [range(1; $rounds + 1) as $r | ok($path; $r) as $m | ok("haproxy-" + $hop; $r) as $h
       | if $m != null and $h != null and $h[$field] != null and $h[$field] > 0 and $m[$field] != null
         then $m[$field] / $h[$field] else empty end];
    def summary($path; $hop):
      {rps: ratios($path; $hop; "rps"), p99: ratios($path; $hop; "p99_us"),
       proxy_cpu_per_request: ratios($path; $hop; "proxy_cpu_us_per_request")}
      | map_values({median: (median | r3), min: (min | r3), max: (max | r3), rounds: map(r3)});
  {
    date: $date, commit: $commit,
    method: {wrk: "taskset -c 0 wrk -t1 -c\($connections) -d\($seconds)s --latency -H \"Host: backend\"",
             seconds: $seconds, warmup_seconds: $warmup, connections: $connections, rounds: $rounds,
             order: "every path set up first; each round measures them in turn (haproxy first in odd rounds, meshproof first in even ones); ratios are taken within a round",
             cpu0: "wrk + nginx origin (1 worker)", cpu1: "the proxies of every path (only the measured one busy)"},
    versions: {haproxy: $haproxy, nginx: $nginx, wrk: $wrk},
    load_average: {before: $load_before, after: $load_after},
    paths: ($runs | group_by(.id) | map(. as $rows | {
      id: $rows[0].id, label: $rows[0].label,
      status: (if any($rows[]; .status == "error") then "error" elif all($rows[]; .status == "skipped") then "skipped" else "ok" end),
      message: ([$rows[] | .message | select(. != "")] | unique | join("; ")),
      median: ([$rows[] | select(.status == "ok")] as $ok
        | {rps: ($ok | map(.rps) | median), p50_us: ($ok | map(.p50_us) | median), p99_us: ($ok | map(.p99_us) | median),
           proxy_cpu_us_per_request: ($ok | map(.proxy_cpu_us_per_request) | median),
           backend_cpu_us_per_request: ($ok | map(.backend_cpu_us_per_request) | median), rounds_ok: ($ok | length)}),
      runs: $rows})),
    ratios_meshproof_over_haproxy: {one_hop: summary("meshproof-1hop"; "1hop"),
                                    two_hop_mtls: summary("meshproof-2hop-mtls"; "2hop-mtls"),
                                    one_hop_access_log: summary("meshproof-1hop-log"; "1hop"),
                                    two_hop_mtls_access_log: summary("meshproof-2hop-mtls-log"; "2hop-mtls")}
  }' <"$RESULTS" >"$json"

# The table: each path's median over its rounds.
echo
printf '%-26s %10s %10s %10s %14s %16s %7s\n' path rps "p50 us" "p99 us" "proxy us/req" "backend us/req" rounds
jq -r --arg order "direct haproxy-1hop meshproof-1hop meshproof-1hop-log haproxy-2hop-mtls meshproof-2hop-mtls meshproof-2hop-mtls-log" '
  def f($d): if . == null then "-" else (. * pow(10; $d) | round) / pow(10; $d) | tostring end;
  ($order | split(" ")) as $ids | .paths | sort_by(.id as $i | $ids | index($i)) | .[]
  | if .median.rounds_ok == 0 then "\(.label)\t\(.status): \(.message)"
    else [.label, (.median.rps | f(0)), (.median.p50_us | f(1)), (.median.p99_us | f(1)),
          (.median.proxy_cpu_us_per_request | f(2)), (.median.backend_cpu_us_per_request | f(2)),
          "\(.median.rounds_ok)", (if .status == "error" then "ERROR: " + .message else "" end)] | join("\t") end' "$json" |
  while IFS=$'\t' read -r label rps p50 p99 pcpu bcpu n err; do
    if [[ -z ${p50-} ]]; then
      printf '%-26s %s\n' "$label" "$rps"
    else
      printf '%-26s %10s %10s %10s %14s %16s %7s%s\n' "$label" "$rps" "$p50" "$p99" "$pcpu" "$bcpu" "$n" "${err:+  $err}"
    fi
  done

echo
echo "meshproof / haproxy, median (range) of the rounds' ratios"
echo "                      rps (higher is better)   p99 (lower is better)    proxy CPU per request (lower is better)"
jq -r '
  def cell: if .median == null then "n/a" elif .min == .max then "\(.median)" else "\(.median) (\(.min)-\(.max))" end;
  .ratios_meshproof_over_haproxy | ["one hop", .one_hop], ["two-hop mTLS", .two_hop_mtls],
    ["one hop, access log", .one_hop_access_log], ["two-hop, access log", .two_hop_mtls_access_log]
  | "\(.[0])\t\(.[1].rps | cell)\t\(.[1].p99 | cell)\t\(.[1].proxy_cpu_per_request | cell)"' "$json" |
  while IFS=$'\t' read -r hop rps p99 cpu; do
    printf '  %-20s %-24s %-24s %s\n' "$hop" "$rps" "$p99" "$cpu"
  done
echo
echo "JSON: ${json#"$root"/}"
[[ $FAILED -eq 0 ]] || exit 1

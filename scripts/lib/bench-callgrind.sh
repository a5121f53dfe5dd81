# shellcheck shell=bash
# Server instructions per request, counted by valgrind's callgrind, for
# scripts/bench-api (BENCH_CALLGRIND=SECONDS). Source it after lib/common.sh.
#
# Why: on a shared 2-core machine wrk's requests per second and the server's
# CPU time per request move by ±20 % between runs of the same binary, so a
# change worth 5 % cannot be told from noise. Callgrind counts the
# instructions the server executes, which do not depend on what else the
# machine does: the same binary and requests give nearly the same count.
# Instructions are not time (cache misses, system calls and lock waits are
# not in them), so this complements the wrk runs, it does not replace them.
#
# How: the server runs under callgrind (every thread counted together); a
# warm-up of each request first (pools, caches); then, per operation, the
# counters are zeroed, wrk sends requests over one keep-alive connection for
# a fixed time, and the counters are dumped. The server's background work
# (job relay, cleanup) runs meanwhile; it is counted alone over an idle
# period of the same length and subtracted. With BENCH_PERF_DIR the dumps
# are kept there (callgrind-OP.out, for callgrind_annotate).

# callgrind_totals FILE: the "totals:" (or "summary:") instruction count of a
# callgrind dump.
callgrind_totals() {
  awk '/^(totals|summary):/ { print $2; exit }' "$1"
}

# callgrind_dump PID LABEL: dumps the server's counters (which zeroes them)
# and prints the instructions counted since the last zero or dump.
callgrind_dump() {
  local pid="$1" before newest
  before="$(find "$WORK" -maxdepth 1 -name 'callgrind.out.*' | wc -l)"
  callgrind_control -d "$2" "$pid" >/dev/null
  # The dump is written by the server's own thread, shortly after the
  # request to dump is taken.
  for _ in $(seq 1 100); do
    [ "$(find "$WORK" -maxdepth 1 -name 'callgrind.out.*' | wc -l)" -gt "$before" ] && break
    sleep 0.2
  done
  newest="$(ls -t "$WORK"/callgrind.out.* | head -n 1)"
  callgrind_totals "$newest"
}

# callgrind_wrk OP SECONDS: one wrk connection sending OP's request for
# SECONDS; prints the number of completed requests.
callgrind_wrk() {
  BENCH_BODY_FILE="${BODY[englog.$1]}" BENCH_TOKEN="${TOKENS[englog.$1]}" \
    wrk -t1 -c1 -d"$2s" --timeout 30s -s "$BENCH_DIR/wrk_graphql.lua" "$URL/graphql" >"$WORK/callgrind_wrk_$1.txt" 2>&1
  awk '/requests in/ { print $1 }' "$WORK/callgrind_wrk_$1.txt"
}

# count_instructions SECONDS: restarts the server under callgrind and stores
# R[OP.instructions] (per request, background work subtracted) and
# R[OP.instructions_requests] for list and create.
count_instructions() {
  local secs="$1" idle total n op
  command -v valgrind >/dev/null 2>&1 || apt_install valgrind
  log "Restarting the server under callgrind (BENCH_CALLGRIND=$secs)"
  stop_server
  # Names uncompressed: each dump then names its own functions, so a kept
  # dump reads alone in callgrind_annotate (compressed, the names are only in
  # the first dump of the process).
  start_server valgrind --tool=callgrind --compress-strings=no --callgrind-out-file="$WORK/callgrind.out.%p"
  # Several seconds to start under callgrind: the first requests also warm
  # the connection pool, the parsed-document and validation caches.
  for op in list create; do callgrind_wrk "$op" 5 >/dev/null; done
  callgrind_dump "$SERVER_PID" warmup >/dev/null
  sleep "$secs"
  idle="$(callgrind_dump "$SERVER_PID" idle)"
  R[idle.instructions_per_s]="$(awk -v i="$idle" -v s="$secs" 'BEGIN { printf "%.0f", i / s }')"
  for op in list create; do
    callgrind_dump "$SERVER_PID" "before-$op" >/dev/null
    n="$(callgrind_wrk "$op" "$secs")"
    total="$(callgrind_dump "$SERVER_PID" "$op")"
    R[$op.instructions_requests]="${n:-0}"
    R[$op.instructions]="$(awk -v t="$total" -v i="$idle" -v n="${n:-0}" 'BEGIN {
      if (n <= 0) { print "nan"; exit }
      printf "%.0f", (t - i) / n }')"
    log "[$op] ${R[$op.instructions]} server instructions per request (${n:-0} requests)"
    # With BENCH_PERF_DIR, the dump is kept for callgrind_annotate: a
    # profile by instructions, as repeatable as the count.
    [ -z "$PERF_DIR" ] || cp "$(ls -t "$WORK"/callgrind.out.* | head -n 1)" "$PERF_DIR/callgrind-$op.out"
  done
  stop_server
}

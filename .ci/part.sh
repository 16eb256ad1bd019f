#!/usr/bin/env bash
# .ci/part.sh NAME COMMAND...: one part of `make test` (they run side by side and each prints its
# output when it is done): the command, its output, then how it ended and when it ran.
set -uo pipefail
name=$1
shift
echo "== $name: $*"
start=$(date +%s)
"$@"
status=$?
end=$(date +%s)
if [ "$status" -eq 0 ]; then outcome=ok; else outcome="FAILED (exit $status)"; fi
echo "== $name: $outcome in $((end - start)) s ($(date -d "@$start" +%T)-$(date -d "@$end" +%T))"
exit "$status"

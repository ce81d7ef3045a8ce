#!/usr/bin/env bash
# Fuzzes the parsers of hostile input with Jazzer (docs/testing.md). `mvn -B verify` only replays each fuzz test's
# committed seeds; this script runs the fuzzer for real, one fuzz test at a time. From the repository root:
#   benchmarks/fuzz.sh                                   # lists the fuzz tests
#   benchmarks/fuzz.sh all 120                           # fuzzes every one for 120 seconds
#   benchmarks/fuzz.sh RoutesFuzzTest 300                # every fuzz test of a class
#   benchmarks/fuzz.sh 'StructuredFieldsFuzzTest#parseList_anyFieldLines_roundTripsOrFailsWithStructuredFieldException' 60
# A finding fails the run and leaves its input in src/test/resources/<package>/<Class>Inputs/<method>/ as crash-<sha1>:
# fix the parser, keep the input (it is replayed in every build from then on) and commit both. Inputs that found new
# coverage go to safeguards-core/.cifuzz-corpus/ (ignored by git), so that the next run starts from them.
set -euo pipefail
cd "$(dirname "$0")/.."

SOURCES=safeguards-core/src/test/java

list() {
  grep -rl --include='*FuzzTest.java' '@FuzzTest' "$SOURCES" | sort | while read -r file; do
    awk -v cls="$(basename "$file" .java)" '
      /@FuzzTest/ { pending = 1; next }
      pending && match($0, /void [A-Za-z0-9_]+\(/) { print cls "#" substr($0, RSTART + 5, RLENGTH - 6); pending = 0 }
    ' "$file"
  done
}

if [ $# -eq 0 ]; then
  list
  exit 0
fi
TARGET=$1
SECONDS_EACH=${2:-120}
case "$SECONDS_EACH" in
  '' | *[!0-9]*) echo "fuzz.sh: the duration is a number of seconds, not '$SECONDS_EACH'" >&2; exit 2 ;;
esac

TESTS=()
while read -r test; do
  case "$TARGET" in
    all) TESTS+=("$test") ;;
    *'#'*) [[ "$test" == $TARGET ]] && TESTS+=("$test") ;;
    *) [[ "${test%%#*}" == "$TARGET" ]] && TESTS+=("$test") ;;
  esac
done < <(list)
if [ ${#TESTS[@]} -eq 0 ]; then
  echo "fuzz.sh: no fuzz test matches '$TARGET'; run without arguments to list them" >&2
  exit 2
fi

# One JVM per fuzz test (Jazzer fuzzes a single test per run), with Jazzer's instrumentation on and a bounded heap.
JAVA_MAJOR=$(java -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ { print $2 }')
ARGLINE=-Xmx2g
if [ "${JAVA_MAJOR%%.*}" -ge 21 ]; then
  ARGLINE="$ARGLINE -XX:+EnableDynamicAgentLoading"
fi
LOGS=safeguards-core/target/fuzz
mvn -B -q -Dstyle.color=never -pl safeguards-core test-compile
mkdir -p "$LOGS"

failed=()
for test in "${TESTS[@]}"; do
  log="$LOGS/${test//#/.}.log"
  echo "== $test for ${SECONDS_EACH} s ($(java -version 2>&1 | head -n 1)); log: $log"
  if JAZZER_FUZZ=1 JAZZER_MAX_DURATION="${SECONDS_EACH}s" mvn -B -Dstyle.color=never -pl safeguards-core surefire:test \
      -Djazzer.hooks=true -DargLine="$ARGLINE" -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
      > "$log" 2>&1; then
    grep -E '^#[0-9]+[[:space:]]+DONE|^Done [0-9]+ runs' "$log" | tail -n 2 || true
  else
    failed+=("$test")
    grep -E 'FuzzTestFindingException|^== Java Exception|Test unit written to|^#[0-9]+[[:space:]]+DONE|^Done [0-9]+ runs' "$log" \
      | head -n 8 || true
  fi
done

echo
if [ ${#failed[@]} -gt 0 ]; then
  echo "== findings in: ${failed[*]}"
  git status --short -- 'safeguards-core/src/test/resources' || true
  exit 1
fi
echo "== no finding in ${#TESTS[@]} fuzz test(s), ${SECONDS_EACH} s each"

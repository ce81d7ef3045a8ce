#!/usr/bin/env bash
# Runs every Safeguards benchmark and prints what each safeguard costs as a ratio to the raw primitive or bare server
# measured in the same run (docs/performance.md). From the repository root:
#   benchmarks/run.sh                 # everything (about 25 minutes on 2 cores)
#   benchmarks/run.sh Jwt             # only the JMH benchmarks matching a regular expression, then their ratios
# Extra JMH options may follow the pattern, e.g. benchmarks/run.sh Jwt -prof gc
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=benchmarks/target/benchmarks.jar
if [ ! -f "$JAR" ]; then
  mvn -B -q -pl benchmarks -am package -DskipTests
fi
RESULTS=benchmarks/target/jmh-results.json

echo "== $(java -version 2>&1 | head -n 1); $(nproc) cores; $(uname -srm)"
java -jar "$JAR" "${1:-.*Benchmark.*}" "${@:2}" -rf json -rff "$RESULTS"
echo
echo "== Ratios to the raw primitive, same run (higher is better)"
java -cp "$JAR" dev.safeguards.benchmarks.Ratios "$RESULTS"

if [ $# -eq 0 ]; then
  echo
  echo "== Group commit of the durable audit log"
  java -cp "$JAR" dev.safeguards.benchmarks.GroupCommit 10
  echo
  echo "== HTTP overhead"
  benchmarks/http-overhead.sh
fi

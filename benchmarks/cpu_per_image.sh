#!/usr/bin/env bash
# CPU per image against its floor, measured in the same run on the same file:
#
#   floor     `base64 -d` of the answer's b64_json text (its start-up subtracted)
#             plus one zlib inflate of the PNG's image data (benchmarks/png_floor.c,
#             compiled here with cc -lz)
#   imagegen  user + system CPU of a 200-line --batch (--concurrency 16) against
#             benchmarks/fake_provider.py, divided by 200
#
# The image is a 1024x1024 RGB PNG of 1.43 MB compressed like a photograph
# (png_floor make); CPU_IMAGE=stored takes the fake's own 1024x1024 answer
# instead (3 MiB of noise stored uncompressed: inflating it is a copy, so
# base64 and everything else weigh more). Goal: imagegen / floor <= 2.0.
#
#   bash benchmarks/cpu_per_image.sh [IMAGEGEN...]
#
# With no argument, builds the release binary (as `make bench` does) and
# measures it; with several binaries (an older build, say), each is measured
# in turn, runs interleaved. CPU_RUNS (default 3) runs each; the median is
# printed. From benchmarks/run.sh:  bash benchmarks/cpu_per_image.sh "$BIN"
# Exits 0 whatever the figures (BENCH_STRICT=1: 1 when the goal is missed).
set -euo pipefail

cd "$(dirname "$0")/.."
RUNS=${CPU_RUNS:-3}
LINES=200

if [ $# -eq 0 ]; then
  echo "cpu_per_image: building the release binary" >&2
  swift build -c release --product imagegen --static-swift-stdlib --quiet
  set -- "$(swift build -c release --product imagegen --static-swift-stdlib --show-bin-path)/imagegen"
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/imagegen-cpu.XXXXXX")
FAKE_PID=
cleanup() {
  if [ -n "$FAKE_PID" ]; then kill "$FAKE_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

cc -O2 -o "$WORK/png_floor" benchmarks/png_floor.c -lz
if [ "${CPU_IMAGE:-photo}" = photo ]; then
  "$WORK/png_floor" make "$WORK/made.png"
  export FAKE_PROVIDER_PNG="$WORK/made.png"
fi
python3 benchmarks/fake_provider.py >"$WORK/fake.out" &
FAKE_PID=$!
for _ in $(seq 300); do
  grep -q '^PORT ' "$WORK/fake.out" 2>/dev/null && break
  kill -0 "$FAKE_PID" 2>/dev/null || { echo "cpu_per_image: the fake provider did not start" >&2; exit 1; }
  sleep 0.1
done
export OPENAI_API_KEY=sk-bench-loopback-only
# The history is appended (its SHA-256 per file is part of the CPU measured), not to the user's own.
export XDG_STATE_HOME=$WORK/state
export OPENAI_API_BASE=http://127.0.0.1:$(awk '/^PORT /{print $2}' "$WORK/fake.out")/v1
unset OPENAI_BASE_URL OPENAI_ORGANIZATION IMAGEGEN_MODEL
for i in $(seq "$LINES"); do echo "cpu prompt $i"; done >"$WORK/prompts.txt"

# The floor works on the very text the fake sends.
python3 - "$OPENAI_API_BASE/images/generations" "$WORK/photo.b64" "$WORK/photo.png" <<'PY'
import base64, json, sys, urllib.request
request = urllib.request.Request(sys.argv[1], data=b'{"model":"gpt-image-1","prompt":"p","size":"1024x1024"}',
                                 headers={"Content-Type": "application/json"})
text = json.load(urllib.request.urlopen(request))["data"][0]["b64_json"]
open(sys.argv[2], "w").write(text)
open(sys.argv[3], "wb").write(base64.b64decode(text))
PY
: >"$WORK/empty.b64"

# User + system CPU seconds of a command and its children (bash's `time`).
cpu() {
  local TIMEFORMAT='%U %S'
  { time "$@" >/dev/null 2>&1; } 2>&1 | awk '{print $1 + $2}'
}
b64_loop() { for _ in $(seq 50); do base64 -d "$1" >/dev/null; done; }

: >"$WORK/floor.txt"
for run in $(seq "$RUNS"); do
  # The floor, measured again beside every round of imagegen runs.
  with=$(cpu b64_loop "$WORK/photo.b64")
  without=$(cpu b64_loop "$WORK/empty.b64")
  inflate=$("$WORK/png_floor" inflate "$WORK/photo.png" 50)
  echo "$with $without $inflate" | awk '{printf "%.6f %.6f\n", ($1 - $2) / 50, $3}' >>"$WORK/floor.txt"
  index=0
  for bin in "$@"; do
    index=$((index + 1))
    rm -rf "$WORK/out"
    seconds=$(cpu "$bin" --batch "$WORK/prompts.txt" --concurrency 16 --model gpt-image-1 --size 1024x1024 \
      -o "$WORK/out/")
    files=$(find "$WORK/out" -type f 2>/dev/null | wc -l)
    echo "$seconds $files" >>"$WORK/bin-$index.txt"
  done
done

python3 - "$WORK" "$LINES" "$(stat -c %s "$WORK/photo.png")" "$(stat -c %s "$WORK/photo.b64")" "$@" <<'PY'
import os, statistics, sys

work, lines, png_bytes, b64_bytes, binaries = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5:]
floor = [tuple(map(float, line.split())) for line in open(os.path.join(work, "floor.txt"))]
b64 = statistics.median(f[0] for f in floor)
inflate = statistics.median(f[1] for f in floor)
total = b64 + inflate
print(f"image ({os.environ.get('CPU_IMAGE', 'photo')}): 1024x1024 RGB PNG of {png_bytes} bytes, {b64_bytes} bytes of base64")
print(f"floor per image: base64 -d {b64 * 1e3:.2f} ms + zlib inflate {inflate * 1e3:.2f} ms = {total * 1e3:.2f} ms"
      f" (median of {len(floor)})")
failed = False
for index, binary in enumerate(binaries, 1):
    runs = [line.split() for line in open(os.path.join(work, f"bin-{index}.txt"))]
    per_image = [float(seconds) / lines for seconds, _ in runs]
    files = {int(count) for _, count in runs}
    median = statistics.median(per_image)
    ratio = median / total
    ok = ratio <= 2.0 and files == {lines}
    failed |= not ok
    shown = ", ".join(f"{p * 1e3:.2f}" for p in per_image)
    print(f"{binary}: CPU per image {median * 1e3:.2f} ms (runs: {shown} ms; files {sorted(files)})"
          f"  ratio {ratio:.2f}  goal <= 2.0  {'PASS' if ok else 'FAIL'}")
print(f"load average {open('/proc/loadavg').read().split()[:3]}")
sys.exit(1 if failed and os.environ.get("BENCH_STRICT") == "1" else 0)
PY

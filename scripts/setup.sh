#!/usr/bin/env bash
# Install everything sohoa needs on a fresh Debian/Ubuntu machine: system packages, the
# virtual environment and the package itself. Safe to run again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  tesseract-ocr tesseract-ocr-vie tesseract-ocr-osd   # OCR engine, Vietnamese and OSD models
  poppler-utils qpdf                                   # pdftoppm/pdftotext/pdfinfo; PDF repair
  jbig2dec                                             # pikepdf decodes JBIG2 scans with it
  hunspell-vi                                          # Vietnamese syllable list (post-correction)
  fonts-liberation2 fonts-freefont-ttf fonts-dejavu-core  # Vietnamese-capable fonts
  fonts-texgyre fonts-noto-core                        # dev2 corpus fonts (bench/dev2)
  python3-venv                                          # venv on Debian's Python
)
if [[ "${SOHOA_WITH_BROWSER:-0}" == "1" ]]; then
  APT_PACKAGES+=(chromium chromium-driver)
fi

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "setup: installing system packages: ${missing[*]}"
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

PY=""
for cand in python3.13 python3.12 python3.11 python3; do
  # A pyenv shim exists for versions that are not selected and complains when run: keep the
  # probe silent and let only the outcome count.
  if command -v "$cand" >/dev/null 2>&1 \
      && "$cand" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; then
    PY=$cand; break
  fi
done
[[ -n "$PY" ]] || { echo "setup: Python >= 3.11 is required" >&2; exit 1; }

if [[ ! -x .venv/bin/python ]]; then
  echo "setup: creating .venv with $PY"
  "$PY" -m venv .venv
fi
stamp=.venv/.sohoa-installed
if [[ ! -f $stamp || pyproject.toml -nt $stamp ]]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[dev]'
  # Pinned so a seed keeps giving the same scans; --no-deps: see pyproject.toml's dev extras.
  .venv/bin/python -m pip install -q --no-deps augraphy==8.2.6
  touch "$stamp"
fi
# Optional Vietnamese model (SOHOA_OCR__MODEL=best): the tessdata_best-derived integer model
# (Apache-2.0 data, packaged by tesseract.js on the npm registry). Slightly more accurate but
# 1.3x slower than Debian's model, which stays the default (bench/RESULTS.md). Without npm or
# the registry, only Debian's model is available and setup says so.
MODEL=models/tessdata/vie.traineddata
MODEL_SHA=112f6fd1d04ab4cb0208cad9cada8de214ae33a1e4db3750ffcda69262aef0a8
if [[ ! -f $MODEL ]]; then
  if command -v npm >/dev/null 2>&1; then
    tmp=$(mktemp -d)
    if (cd "$tmp" && timeout 300 npm pack --silent @tesseract.js-data/vie@1.0.0 >/dev/null 2>&1) \
        && tar xzf "$tmp"/tesseract.js-data-vie-1.0.0.tgz -C "$tmp" \
        && gunzip -c "$tmp/package/4.0.0_best_int/vie.traineddata.gz" > "$tmp/vie.traineddata" \
        && echo "$MODEL_SHA  $tmp/vie.traineddata" | sha256sum -c --quiet; then
      mkdir -p models/tessdata
      mv "$tmp/vie.traineddata" "$MODEL"
      echo "setup: installed the tessdata_best Vietnamese model into $MODEL"
    else
      echo "setup: could not fetch @tesseract.js-data/vie; using Debian's vie model" >&2
    fi
    rm -rf "$tmp"
  else
    echo "setup: npm not found; using Debian's vie model" >&2
  fi
fi
echo "setup: ready ($(.venv/bin/python --version), $(tesseract --version 2>&1 | head -1))"

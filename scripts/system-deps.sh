#!/usr/bin/env bash
# Debian packages PolicyKG and its tests need: Tesseract with its simplified-Chinese model (OCR of
# scanned PDFs), poppler-utils (rasterising PDFs for OCR), Chromium and its driver (UI tests in a
# real browser) and a CJK font (readable screenshots). Installs only what is missing; needs root (as on CI).
set -euo pipefail
# Usage: scripts/system-deps.sh [runtime]   (runtime: only what the app itself needs, no browser)
need=()
if [ "${1:-}" != runtime ]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
  [ -d /usr/share/fonts/truetype/wqy ] || need+=(fonts-wqy-zenhei)
fi
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
ls /usr/share/tesseract-ocr/*/tessdata/chi_sim.traineddata >/dev/null 2>&1 || need+=(tesseract-ocr-chi-sim)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "policykg: missing ${need[*]}; install them (apt-get install ${need[*]}) or OCR and the browser tests are unavailable" >&2
  exit 0
fi
echo "policykg: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null

#!/usr/bin/env bash
# Debian packages the tests need: Chromium and its driver (UI tests in a real browser) and a CJK
# font (readable screenshots). Installs only what is missing; needs root (as on CI).
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
[ -d /usr/share/fonts/truetype/wqy ] || need+=(fonts-wqy-zenhei)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "policykg: missing ${need[*]}; install them (apt-get install ${need[*]}) or browser tests are skipped" >&2
  exit 0
fi
echo "policykg: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null

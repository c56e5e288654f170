#!/usr/bin/env bash
# Installs everything Alur needs on a bare Debian machine, and is quick when nothing changed:
# Debian packages, the Python virtualenv, npm packages (hls.js) and compiled translations.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(ffmpeg chromium zbar-tools poppler-utils wrk fonts-dejavu-core fonts-noto-core
              nodejs npm python3-venv)
PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# nodejs/npm/venv may come from elsewhere (nvm, pyenv): only ask apt when the tool is absent.
filtered=()
for pkg in "${missing[@]}"; do
  case "$pkg" in
    nodejs) command -v node >/dev/null 2>&1 || filtered+=("$pkg") ;;
    npm) command -v npm >/dev/null 2>&1 || filtered+=("$pkg") ;;
    python3-venv) "$PYTHON" -c "import venv, ensurepip" 2>/dev/null || filtered+=("$pkg") ;;
    *) filtered+=("$pkg") ;;
  esac
done
if ((${#filtered[@]})); then
  echo "setup: installing Debian packages: ${filtered[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${filtered[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating the virtualenv (.venv) with $PYTHON"
  "$PYTHON" -m venv .venv
fi
req_sum=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ "$(cat .venv/.requirements.sha 2>/dev/null)" != "$req_sum" ]; then
  echo "setup: installing Python packages"
  # This machine's pip configuration names optional local mirrors; their absence is not news.
  .venv/bin/pip install -q --upgrade pip 2> >(grep -v '^WARNING: Location' >&2)
  .venv/bin/pip install -q -r requirements.txt 2> >(grep -v '^WARNING: Location' >&2)
  echo "$req_sum" > .venv/.requirements.sha
fi

lock_sum=$(sha256sum package.json package-lock.json 2>/dev/null | sha256sum | cut -d' ' -f1)
if [ ! -d node_modules ] || [ "$(cat node_modules/.alur.sha 2>/dev/null)" != "$lock_sum" ]; then
  echo "setup: installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" > node_modules/.alur.sha
fi
# The player loads hls.js as a static asset; it is copied at set-up, never committed. The
# light build (no subtitles-in-stream, no DRM, no alternate audio) is all the player needs:
# captions are separate WebVTT tracks.
mkdir -p static/vendor
rm -f static/vendor/hls.min.js
cp node_modules/hls.js/dist/hls.light.min.js static/vendor/hls.light.min.js
# The studio's drag-and-drop module list.
cp node_modules/sortablejs/Sortable.min.js static/vendor/Sortable.min.js

# Fingerprinted, gzip- and brotli-compressed copies of static/ (served with immutable caching).
.venv/bin/python -c "from lms.web.static_files import build; build()"

.venv/bin/pybabel compile -d translations >/dev/null

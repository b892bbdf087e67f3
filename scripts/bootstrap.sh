#!/usr/bin/env bash
# Install everything the project needs, and nothing twice: system browser and fonts
# (as root on Debian), the virtualenv and the project with its test extras.
# Safe to run again; each part checks before it installs.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
PYTHON=${PYTHON:-python3}

need_apt=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need_apt+=(chromium)
# (not `fc-list | grep -q`: with pipefail, grep's early exit fails the pipeline on SIGPIPE)
[ -n "$(fc-list 'Noto Sans CJK JP' 2>/dev/null)" ] || need_apt+=(fonts-noto-cjk)
command -v pdftotext >/dev/null 2>&1 || need_apt+=(poppler-utils)
# A display for `guideshot record`'s window where there is none (the tests walk it there).
command -v Xvfb >/dev/null 2>&1 || need_apt+=(xvfb)
command -v xdotool >/dev/null 2>&1 || need_apt+=(xdotool)

if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "bootstrap: installing ${need_apt[*]} with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "bootstrap: missing ${need_apt[*]}; install them with your package manager" \
         "(a Playwright-managed Chromium is tried below)" >&2
  fi
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "bootstrap: creating $VENV"
  "$PYTHON" -m venv "$VENV"
fi
stamp="$VENV/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "bootstrap: installing the project into $VENV"
  "$VENV/bin/pip" install -q --upgrade pip >/dev/null
  "$VENV/bin/pip" install -q -e ".[test]"
  touch "$stamp"
fi

# Without a system Chromium, fall back to Playwright's own download where the network allows.
if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  "$VENV/bin/playwright" install chromium || \
    echo "bootstrap: no browser could be installed; set GUIDESHOT_BROWSER to a Chromium binary" >&2
fi

# Playwright records video (pytest --video) with its own ffmpeg build. Where that cannot be
# downloaded, the ffmpeg imageio-ffmpeg ships on PyPI (it encodes the VP9 WebM Playwright
# asks for) is linked at the place Playwright looks for its own.
ffmpeg_dir=$("$VENV/bin/playwright" install --dry-run ffmpeg 2>/dev/null |
  sed -n 's/^ *Install location: *//p' | head -n 1)
if [ "$(uname -s)" = Linux ] && [ -n "$ffmpeg_dir" ] && [ ! -x "$ffmpeg_dir/ffmpeg-linux" ]; then
  if ! "$VENV/bin/playwright" install ffmpeg >/dev/null 2>&1; then
    echo "bootstrap: Playwright's ffmpeg cannot be downloaded; linking imageio-ffmpeg's"
    "$VENV/bin/pip" install -q "imageio-ffmpeg>=0.6,<1"
    mkdir -p "$ffmpeg_dir"
    ln -sfn "$("$VENV/bin/python" -c 'import imageio_ffmpeg; print(imageio_ffmpeg.get_ffmpeg_exe())')" \
      "$ffmpeg_dir/ffmpeg-linux"
  fi
fi

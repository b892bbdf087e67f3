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

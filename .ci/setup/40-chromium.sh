#!/bin/sh
# Debian's Chromium and chromedriver for the console's browser test
# (cmd/govshare TestConsoleInBrowser, which fails under CI without them),
# and a CJK font so the screenshots show Chinese. Idempotent: installs only
# what is missing.
set -eu
missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v chromedriver >/dev/null 2>&1 || [ -x /usr/bin/chromedriver ] || missing="$missing chromium-driver"
fc-list :lang=zh 2>/dev/null | grep -q . || missing="$missing fonts-wqy-microhei"
if [ -n "$missing" ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update
	# shellcheck disable=SC2086
	apt-get install -y --no-install-recommends $missing
fi
chromium --version
chromedriver --version

#!/bin/sh
# Installs the Debian packages the hall needs, if any is missing. With no arguments: those the tests need.
set -eu
# fonts-nanum: Korean font for receipt pictures; chromium: the browser the page tests drive; libnss3-tools:
# certutil, which trusts the hall CA in chromium's certificate store for the HTTPS page tests; redis-server:
# the message queue of a hall run as several processes, which the tests start and stop themselves; nginx-light:
# the front door the scale benchmark measures against direct ports (its tiny form is a test).
PACKAGES="${*:-fonts-nanum chromium libnss3-tools redis-server nginx-light}"
missing=""
for package in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing="$missing $package"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages:$missing — run: sudo apt-get install$missing" >&2
    exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing

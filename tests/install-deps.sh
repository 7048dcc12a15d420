#!/bin/sh
# Installs, on a fresh Debian 12 machine, everything the build and the tests
# need.  Run as root (or through sudo).
set -eu
export DEBIAN_FRONTEND=noninteractive
if [ "$(id -u)" -ne 0 ]; then
    exec sudo "$0" "$@"
fi
# Installing apache2 must not start the stock service: the tests start
# their own servers on free loopback ports.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy"
    chmod +x "$policy"
    trap 'rm -f "$policy"' EXIT
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
    build-essential pkg-config ca-certificates \
    libxml2-dev libxml2-utils libcmocka-dev valgrind \
    apache2 apache2-dev curl python3 python3-pytest \
    chromium fonts-dejavu-core \
    clang libclang-rt-14-dev wrk gnuplot-nox time strace \
    debhelper dpkg-dev \
    libaprutil1-dbd-sqlite3 libaprutil1-dbd-pgsql postgresql >/dev/null
# The browser tests drive Chromium with playwright-core from the npm registry,
# and run the Nu HTML Checker (vnu-jar), which needs Java.
command -v npm >/dev/null || apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
command -v java >/dev/null || apt-get install -y -qq --no-install-recommends default-jre-headless >/dev/null

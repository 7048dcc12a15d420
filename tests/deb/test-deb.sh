#!/usr/bin/env bash
# The Debian package in the machine's stock Apache (issue 7):
#
#   tests/deb/test-deb.sh          (run as root; `make test-deb`)
#
# builds build/deb/libapache2-mod-briefing_*.deb (tests/deb/build-deb.sh;
# DEB=FILE tests a given .deb instead), installs it with apt-get, runs
# `a2enmod briefing`, points the stock configuration at a free loopback
# port with a test site that uses the installed demo glossary and article,
# runs `apache2ctl configtest`, starts the stock service, fetches the
# article (byte for byte against tests/golden/) and glossary pages, stops
# the service and purges the package.
#
# Everything it changes is put back, on failure too: ports.conf, the test
# site, the package, apache2's enable/disable markers for `briefing`, and
# any unpackaged copies from `make install` at the package's paths (moved
# aside while the package is installed).  At the end it checks that
# /etc/apache2, /var/lib/apache2 and the module directory are as they were
# and that no stock apache2 process is left.  It only ever stops the stock
# service (the one started by apache2ctl from /etc/apache2); httpd servers
# that other tests run from their own configurations are left alone.
#
# Prints one "ok - ..." / "not ok - ..." line per check and a closing line
# "deb: N passed, N failed"; exits non-zero when a check failed.
set -euo pipefail
export LC_ALL=C DEBIAN_FRONTEND=noninteractive
if [ "$(id -u)" -ne 0 ]; then
    exec sudo -E "$0" "$@"
fi
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"

pkg=libapache2-mod-briefing
examples=/usr/share/doc/$pkg/examples
article=working-visit-to-kazakhstan.html
golden=tests/golden/working-visit-to-kazakhstan.first.html
site=briefing-deb-test
apt_opts=(-y -q -o DPkg::Lock::Timeout=120 -o Dpkg::Use-Pty=0)
start_time=$(date +%s)

passed=0
failed=0
ok()     { passed=$((passed + 1)); echo "ok - $*"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $*"; }
check()  { local what=$1; shift; if "$@"; then ok "$what"; else not_ok "$what"; fi; }
die()    { echo "deb: $*" >&2; exit 1; }

# The stock service: started by apache2ctl with /etc/apache2 (its command
# line is exactly "/usr/sbin/apache2 -k start"), pid file from envvars.
pid_file=$(set +u; . /etc/apache2/envvars; echo "${APACHE_PID_FILE:-/var/run/apache2/apache2.pid}")
stock_pids() { pgrep -x -f '/usr/sbin/apache2 -k start' || true; }

for cmd in dpkg-buildpackage dh_apache2 apt-get apache2ctl a2enmod curl python3; do
    command -v "$cmd" >/dev/null || die "$cmd is missing (tests/install-deps.sh, and see tests/deb/deb.mk)"
done
[ -z "$(stock_pids)" ] ||
    die "the stock apache2 is running (pids $(stock_pids | xargs)); this test starts and stops it, stop it first"
status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
case "$status" in
""|not-installed) ;;
*) die "$pkg is already on this machine ($status); apt-get purge $pkg first" ;;
esac

# What the test may change; each is saved now and put back at the end.
touched=(
    /etc/apache2/ports.conf
    /etc/apache2/mods-available/briefing.load /etc/apache2/mods-available/briefing.conf
    /etc/apache2/mods-enabled/briefing.load /etc/apache2/mods-enabled/briefing.conf
    /etc/apache2/sites-available/$site.conf /etc/apache2/sites-enabled/$site.conf
    /usr/lib/apache2/modules/mod_briefing.so /usr/bin/briefing /usr/share/mod-briefing
)
# apache2's enable/disable markers (a2enmod, a2dismod, the maintainer
# scripts), and their directories, which a2dismod and a2dissite create.
state_dirs=()
for state in enabled_by_admin disabled_by_admin enabled_by_maint disabled_by_maint; do
    touched+=(/var/lib/apache2/module/$state/briefing /var/lib/apache2/site/$state/$site)
    for kind in module site; do
        [ -d /var/lib/apache2/$kind/$state ] || state_dirs+=(/var/lib/apache2/$kind/$state)
    done
done
snapshot_paths=(/etc/apache2 /var/lib/apache2 /usr/lib/apache2/modules /usr/bin/briefing
                /usr/share/mod-briefing /usr/share/doc/$pkg /usr/sbin/policy-rc.d)
snapshot() {
    local p
    for p in "${snapshot_paths[@]}"; do
        [ -e "$p" ] || [ -L "$p" ] || continue
        find "$p" -printf '%p %y %m %u:%g %l\n'
        find "$p" -type f -exec md5sum {} +
    done | sort
}

policy=/usr/sbin/policy-rc.d
made_policy=false
cleaned=false
cleanup() {
    local rc=$?
    $cleaned && return
    cleaned=true
    set +eu
    if [ "$failed" -ne 0 ] && [ -s "$tmp/error.log" ]; then
        echo "    the test site's error log (last 20 lines):"
        tail -20 "$tmp/error.log" | sed 's/^/    /'
    fi
    echo "deb: cleaning up"
    # 1. The stock service, if it runs (it did not when the test began).
    if [ -n "$(stock_pids)" ]; then
        apache2ctl stop >/dev/null 2>&1
        for _ in $(seq 100); do [ -z "$(stock_pids)" ] && break; sleep 0.1; done
        if [ -n "$(stock_pids)" ]; then
            echo "deb: the stock apache2 did not stop; killing pids $(stock_pids | xargs)"
            kill -KILL $(stock_pids) 2>/dev/null
            sleep 0.5
        fi
        rm -f "$pid_file"
    fi
    # 2. The test site, the package, then what was there before.
    a2dissite -q "$site" >/dev/null 2>&1
    rm -f "/etc/apache2/sites-available/$site.conf"
    status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null)
    if [ -n "$status" ] && [ "$status" != not-installed ]; then
        apt-get purge "${apt_opts[@]}" "$pkg" > "$tmp/purge.log" 2>&1 ||
            { cat "$tmp/purge.log"; echo "deb: apt-get purge $pkg failed"; }
    fi
    for p in "${touched[@]}"; do
        rm -rf "$p"
        if [ -e "$saved$p" ] || [ -L "$saved$p" ]; then
            mkdir -p "$(dirname "$p")" && cp -a "$saved$p" "$(dirname "$p")/"
        fi
    done
    for d in "${state_dirs[@]}"; do rmdir "$d" 2>/dev/null; done
    $made_policy && rm -f "$policy"
    # 3. The machine as it was?
    snapshot > "$tmp/after"
    if ! [ -s "$tmp/before" ]; then
        :
    elif diff -u "$tmp/before" "$tmp/after" > "$tmp/diff"; then
        ok "cleanup: /etc/apache2, /var/lib/apache2 and the package's paths are as before"
    else
        not_ok "cleanup: the machine differs from before the test:"
        sed 's/^/    /' "$tmp/diff" | head -40
        rc=1
    fi
    if [ -z "$(stock_pids)" ]; then
        ok "cleanup: no stock apache2 process left"
    else
        not_ok "cleanup: stock apache2 processes left: $(stock_pids | xargs)"
        rc=1
    fi
    rm -rf "$tmp"
    echo "deb: $passed passed, $failed failed ($(( $(date +%s) - start_time )) s)"
    [ "$failed" -eq 0 ] || rc=1
    exit "$rc"
}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/briefing-deb-test.XXXXXX")
chmod 755 "$tmp"          # apt's _apt user reads the .deb from here
saved=$tmp/saved
mkdir "$saved"

trap cleanup EXIT
trap 'not_ok "interrupted by a signal"; exit 130' INT TERM HUP
snapshot > "$tmp/before"
for p in "${touched[@]}"; do
    if [ -e "$p" ] || [ -L "$p" ]; then
        mkdir -p "$saved${p%/*}" && cp -a "$p" "$saved${p%/*}/"
    fi
done

# --- Build ---------------------------------------------------------------
if [ -n "${DEB:-}" ]; then
    deb=$DEB
else
    tests/deb/build-deb.sh || { not_ok "dpkg-buildpackage"; exit 1; }
    deb=$(ls build/deb/${pkg}_*.deb | tail -1)
fi
check "the package is built: ${deb#"$top"/}" test -f "$deb"
cp "$deb" "$tmp/" && chmod 644 "$tmp/$(basename "$deb")"

# --- Install -------------------------------------------------------------
# Unpackaged copies at the package's paths (`make install`) are moved aside
# (saved above); so are apache2's markers for briefing, so that the package
# is installed as on a fresh machine.
for p in /etc/apache2/mods-available/briefing.load /etc/apache2/mods-available/briefing.conf \
         /etc/apache2/mods-enabled/briefing.load /etc/apache2/mods-enabled/briefing.conf \
         /usr/lib/apache2/modules/mod_briefing.so /usr/bin/briefing /usr/share/mod-briefing \
         /var/lib/apache2/module/*/briefing; do
    rm -rf "$p"
done
# The maintainer scripts restart apache2 when they enable the module: keep
# them from starting the stock service (as tests/install-deps.sh does).
if ! [ -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod 755 "$policy"
    made_policy=true
fi
if apt-get install "${apt_opts[@]}" --no-install-recommends "$tmp/$(basename "$deb")" > "$tmp/install.log" 2>&1; then
    ok "apt-get install ./$(basename "$deb")"
else
    cat "$tmp/install.log"; not_ok "apt-get install ./$(basename "$deb")"; exit 1
fi
for f in /usr/lib/apache2/modules/mod_briefing.so /etc/apache2/mods-available/briefing.load \
         /etc/apache2/mods-available/briefing.conf /usr/bin/briefing /usr/share/mod-briefing/glossary.rng \
         $examples/glossary.xml $examples/htdocs/$article /usr/share/man/man1/briefing.1.gz; do
    check "installed: $f" test -f "$f"
done
check "briefing.load loads /usr/lib/apache2/modules/mod_briefing.so" \
    grep -qx 'LoadModule briefing_module /usr/lib/apache2/modules/mod_briefing.so' /etc/apache2/mods-available/briefing.load
check "the package enabled the module on installation" test -L /etc/apache2/mods-enabled/briefing.load
check "briefing check validates the demo glossary" \
    sh -c "/usr/bin/briefing check $examples/glossary.xml | grep -q ': valid$'"
if command -v xmllint >/dev/null; then
    check "xmllint validates the demo glossary against the installed schema" \
        sh -c "xmllint --noout --relaxng /usr/share/mod-briefing/glossary.rng $examples/glossary.xml 2>/dev/null"
fi
check "briefing annotate on the demo article gives the golden page" \
    sh -c "/usr/bin/briefing annotate -g $examples/glossary.xml $examples/htdocs/$article | cmp -s - $golden"

# --- Configure -----------------------------------------------------------
check "a2enmod briefing" a2enmod -q briefing
check "apache2ctl -M lists briefing_module" sh -c "apache2ctl -M 2>/dev/null | grep -q ' briefing_module '"
check "enabled with no site using it, the configuration is valid" sh -c "apache2ctl configtest >/dev/null 2>&1"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > /etc/apache2/ports.conf <<EOF
# Written by tests/deb/test-deb.sh for the length of the test; the
# original is put back when it ends.
Listen 127.0.0.1:$port
EOF
# The module is on, with a glossary, everywhere on this site; the article
# is annotated only under /news/ (BriefingAnnotate is off by default).
cat > /etc/apache2/sites-available/$site.conf <<EOF
# Written by tests/deb/test-deb.sh; removed when it ends.
<VirtualHost 127.0.0.1:$port>
    ServerName 127.0.0.1
    DocumentRoot $examples/htdocs
    ErrorLog $tmp/error.log
    CustomLog $tmp/access.log combined
    LogLevel warn briefing:debug
    BriefingGlossary $examples/glossary.xml
    Alias /news/ $examples/htdocs/
    <Directory $examples/htdocs>
        Require all granted
    </Directory>
    <Location "/news/">
        BriefingAnnotate On
    </Location>
    <Location "/glossary/">
        SetHandler briefing-glossary
    </Location>
</VirtualHost>
EOF
check "a2ensite $site" sh -c "a2ensite -q $site >/dev/null"
if apache2ctl configtest > "$tmp/configtest.log" 2>&1 && grep -q 'Syntax OK' "$tmp/configtest.log"; then
    ok "apache2ctl configtest"
else
    sed 's/^/    /' "$tmp/configtest.log"; not_ok "apache2ctl configtest"; exit 1
fi

# --- Serve ---------------------------------------------------------------
if apache2ctl start > "$tmp/start.log" 2>&1; then
    ok "apache2ctl start (stock service, 127.0.0.1:$port)"
else
    sed 's/^/    /' "$tmp/start.log"; not_ok "apache2ctl start"; exit 1
fi
base=http://127.0.0.1:$port
for _ in $(seq 100); do
    curl -s -o /dev/null "$base/" && break
    sleep 0.1
done
# fetch PATH OUT: the body into OUT, prints the status code.
fetch() { curl -s -o "$2" -w '%{http_code}' --max-time 10 "$base$1" || echo 000; }

code=$(fetch "/news/$article" "$tmp/annotated.html")
check "GET /news/$article: 200" test "$code" = 200
check "  the page is tests/golden/${golden##*/}, byte for byte" cmp -s "$tmp/annotated.html" "$golden"
check "  it links Aleksandr Lukashenko" \
    grep -qF '<a class="briefing briefing-person" href="/glossary/lukashenko" data-briefing-id="lukashenko"' "$tmp/annotated.html"
check "  $(grep -o 'class="briefing ' "$tmp/annotated.html" | wc -l) links, as in the golden page" \
    test "$(grep -o 'class="briefing ' "$tmp/annotated.html" | wc -l)" = "$(grep -o 'class="briefing ' "$golden" | wc -l)"
code=$(fetch "/$article" "$tmp/plain.html")
check "GET /$article (BriefingAnnotate not set): 200, the file unchanged" \
    sh -c "[ $code = 200 ] && cmp -s '$tmp/plain.html' '$examples/htdocs/$article'"
code=$(fetch /glossary/lukashenko "$tmp/entry.html")
check "GET /glossary/lukashenko: 200, the entry page" \
    sh -c "[ $code = 200 ] && grep -q 'Aleksandr Lukashenko' '$tmp/entry.html'"
code=$(fetch /glossary/index.json "$tmp/index.json")
entries=$(/usr/bin/briefing check "$examples/glossary.xml" | sed -n 's/^entries: //p')
check "GET /glossary/index.json: 200, $entries entries" \
    sh -c "[ $code = 200 ] && python3 -c 'import json,sys; sys.exit(json.load(open(\"$tmp/index.json\"))[\"count\"] != $entries)'"
code=$(fetch /glossary/no-such-entry "$tmp/404.html")
check "GET /glossary/no-such-entry: 404" test "$code" = 404

# --- Stop ----------------------------------------------------------------
apache2ctl stop > "$tmp/stop.log" 2>&1 || sed 's/^/    /' "$tmp/stop.log"
for _ in $(seq 100); do [ -z "$(stock_pids)" ] && break; sleep 0.1; done
check "apache2ctl stop: the stock service is gone" test -z "$(stock_pids)"
# The rest (purge, put back, final checks) is cleanup's.

#!/bin/sh
# Starts (or stops) the demo: httpd on 127.0.0.1:${PORT:-8080} serving the
# seed article annotated with the demo glossary.  Used by `make demo`.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
# The workers run as www-data when started by root: the pages and the
# glossary are copied to a directory they can read, wherever the clone is.
if [ "$(id -u)" -eq 0 ]; then
    demo="${DEMO_DIR:-/var/tmp/mod_briefing-demo}"
else
    demo="${DEMO_DIR:-$top/build/demo}"
fi
port=${PORT:-8080}
conf="$demo/httpd.conf"
case "${1:-start}" in
stop)
    if [ -f "$demo/httpd.pid" ]; then
        /usr/sbin/apache2 -f "$conf" -k stop
        echo "demo stopped"
    else
        echo "demo is not running"
    fi
    exit 0
    ;;
esac
mkdir -p "$demo/logs"
chmod 755 "$demo"
rm -rf "$demo/htdocs" && cp -R "$top/htdocs" "$demo/htdocs"
cp "$top/data/glossary.xml" "$demo/glossary.xml"
chmod -R a+rX "$demo/htdocs" "$demo/glossary.xml"
modules=/usr/lib/apache2/modules
# Backlinks ("Articles that mention X" on the entry pages) go to an SQLite
# file through mod_dbd; the workers write it (and its journal) in db/.
backlinks=""
if ls /usr/lib/*/apr-util-1/apr_dbd_sqlite3*.so >/dev/null 2>&1 && [ -f $modules/mod_dbd.so ]; then
    mkdir -p "$demo/db"
    if [ "$(id -u)" -eq 0 ]; then
        chown www-data:www-data "$demo/db"
    fi
    backlinks="LoadModule dbd_module $modules/mod_dbd.so
DBDriver sqlite3
DBDParams \"$demo/db/backlinks.sqlite\"
BriefingBacklinks On"
else
    echo "demo: no backlinks (libaprutil1-dbd-sqlite3 is missing: run tests/install-deps.sh)" >&2
fi
cat > "$conf" <<CONF
ServerRoot "$demo"
ServerName 127.0.0.1
Listen 127.0.0.1:$port
PidFile "$demo/httpd.pid"
ErrorLog "$demo/logs/error.log"
LogLevel warn briefing:info
LoadModule mpm_event_module $modules/mod_mpm_event.so
LoadModule authz_core_module $modules/mod_authz_core.so
LoadModule mime_module $modules/mod_mime.so
LoadModule dir_module $modules/mod_dir.so
LoadModule deflate_module $modules/mod_deflate.so
LoadModule filter_module $modules/mod_filter.so
LoadModule briefing_module "$top/build/mod_briefing.so"
$backlinks
User www-data
Group www-data
TypesConfig /etc/mime.types
AddDefaultCharset utf-8
DirectoryIndex index.html
DocumentRoot "$demo/htdocs"
BriefingGlossary "$demo/glossary.xml"
BriefingReloadInterval 2
<Directory "$demo/htdocs">
    Require all granted
    BriefingAnnotate On
    BriefingAssets On
</Directory>
AddOutputFilterByType DEFLATE text/html text/css application/javascript application/json
<Location "/glossary/">
    SetHandler briefing-glossary
</Location>
CONF
if [ -f "$demo/httpd.pid" ] && kill -0 "$(cat "$demo/httpd.pid")" 2>/dev/null; then
    /usr/sbin/apache2 -f "$conf" -k restart
else
    /usr/sbin/apache2 -f "$conf" -k start
fi
# Served once, the article is on its entities' pages right away.
if [ -n "$backlinks" ]; then
    for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
        if curl -fs -o /dev/null "http://127.0.0.1:$port/working-visit-to-kazakhstan.html"; then
            break
        fi
        sleep 0.2
    done
fi
echo "demo: http://127.0.0.1:$port/ (stop it with: make demo-stop)"

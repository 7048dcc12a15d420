#!/usr/bin/env bash
# Builds the Debian package from a copy of the working tree (tracked files
# and untracked ones that are not ignored), so that no build product lands
# in the tree, and puts the .deb files into build/deb/ (or $DEB_OUT).
#
#   tests/deb/build-deb.sh          (used by `make deb` and `make test-deb`)
#   DEB_FROM=HEAD tests/deb/build-deb.sh    a commit instead of the working
#                                   tree (debian/ still from the working tree)
#
# Needs dpkg-dev, debhelper, apache2-dev (dh_apache2), libxml2-dev,
# pkg-config and, for the unit tests run during the build, libcmocka-dev
# (DEB_BUILD_OPTIONS=nocheck skips them).  Root is not needed.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${DEB_OUT:-$top/build/deb}
version=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
upstream=${version%-*}
work=$(mktemp -d "${TMPDIR:-/tmp}/briefing-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
src=$work/mod-briefing-$upstream
mkdir "$src"

cd "$top"
if [ -n "${DEB_FROM:-}" ]; then
    # A commit (DEB_FROM=HEAD, a tag...), with debian/ from the working tree.
    git archive "$DEB_FROM" | tar -C "$src" -xf -
    rm -rf "$src/debian" && cp -a debian "$src/"
elif git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    # -c and -o: tracked and untracked-but-not-ignored; a tracked file
    # deleted in the working tree is left out.
    git ls-files -co --exclude-standard -z |
        while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
        tar --null -T - -cf - | tar -C "$src" -xf -
else
    tar --exclude=./.git --exclude=./build --exclude=./bin --exclude=node_modules \
        --exclude='*.o' --exclude='*.so' --exclude='*.lo' --exclude='*.slo' --exclude=.libs \
        -cf - . | tar -C "$src" -xf -
fi

echo "deb: building mod-briefing $version in $src"
start=$(date +%s)
if ! (cd "$src" && dpkg-buildpackage -us -uc -b -Jauto) >"$work/build.log" 2>&1; then
    tail -60 "$work/build.log"
    echo "deb: dpkg-buildpackage failed (full log above, last 60 lines)" >&2
    exit 1
fi
mkdir -p "$out"
rm -f "$out"/libapache2-mod-briefing_*.deb "$out"/libapache2-mod-briefing-dbgsym_*.deb
cp "$work"/*.deb "$out"/
cp "$work/build.log" "$out/build.log"
echo "deb: built in $(( $(date +%s) - start )) s:"
for deb in "$out"/*.deb; do echo "  ${deb#"$top"/}"; done

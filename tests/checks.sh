# Shared by tests/cli.sh and tests/lint.sh: sourced after SUITE is set (cli,
# lint).  Checks the one argument (the briefing binary), sets B (its
# absolute path), G (the demo glossary), P (the demo article), T (a temp dir
# removed at exit), and defines pass, fail and show_diff; the suite prints
# its closing line "$SUITE: N passed, N failed".

set -u
LC_ALL=C
export LC_ALL

if [ $# -ne 1 ]; then
    echo "usage: tests/$SUITE.sh PATH_TO_BRIEFING" >&2
    exit 2
fi
case $1 in
/*) B=$1 ;;
*) B=$PWD/$1 ;;
esac
if [ ! -x "$B" ]; then
    echo "tests/$SUITE.sh: $1 is not an executable" >&2
    exit 2
fi
G=$PWD/data/glossary.xml
P=$PWD/htdocs/working-visit-to-kazakhstan.html
if [ ! -f "$G" ] || [ ! -f "$P" ]; then
    echo "tests/$SUITE.sh: run me from the repository root" >&2
    exit 2
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/briefing-$SUITE.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
trap 'exit 130' HUP INT TERM

passed=0
failed=0
rc=0

pass() {
    passed=$((passed + 1))
    echo "ok - $1"
}

# fail NAME [DETAIL...]: DETAIL lines are printed as "#   ..." diagnostics.
fail() {
    failed=$((failed + 1))
    echo "not ok - $1"
    shift
    for line in "$@"; do
        printf '#   %s\n' "$line"
    done
}

# Shows how FILE differs from EXPECTED, as diagnostics (at most 16 lines).
show_diff() {
    diff "$2" "$1" 2>&1 | head -16 | sed 's/^/#     /'
}

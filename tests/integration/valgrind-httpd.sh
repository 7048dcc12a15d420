#!/bin/sh
# Runs a command (apache2 and its arguments) under valgrind's memcheck,
# following every process (make test-integration-valgrind).  Used as
# BRIEFING_HTTPD_WRAPPER by the integration harness, which sets
# BRIEFING_SANITIZER_DIR: each process writes valgrind.PID there, and the
# harness fails the test on an error report or a non-zero ERROR SUMMARY.
#
# Leak checking is off: httpd exits with its pools alive, by design.
set -eu
: "${BRIEFING_SANITIZER_DIR:?set by the harness}"
exec valgrind --tool=memcheck --trace-children=yes --child-silent-after-fork=no \
  --leak-check=no --error-limit=no --num-callers=30 \
  --log-file="$BRIEFING_SANITIZER_DIR/valgrind.%p" \
  ${VALGRIND_OPTIONS:-} "$@"

#!/bin/sh
# Runs a command (apache2 and its arguments) with the AddressSanitizer
# runtime preloaded, for a module built with -fsanitize=address,undefined
# (make test-integration-asan).  Used as BRIEFING_HTTPD_WRAPPER by the
# integration harness, which sets BRIEFING_SANITIZER_DIR: every process
# (root and www-data) writes its reports there as asan.PID, and the harness
# fails the test when one holds "ERROR: AddressSanitizer" or "runtime error:".
#
# httpd exits with its pools (and the parent's configuration) alive, so
# leak detection is off; every other error counts.  httpd installs its own
# SIGSEGV handler: allow_user_segv_handler=0 keeps ASan's, so that a crash
# comes with a report.
set -eu
: "${BRIEFING_SANITIZER_DIR:?set by the harness}"
runtime=${BRIEFING_ASAN_RUNTIME:-$(${CC:-cc} -print-file-name=libasan.so)}
[ -e "$runtime" ] || { echo "asan-httpd.sh: no ASan runtime at $runtime" >&2; exit 2; }
LD_PRELOAD="$runtime${LD_PRELOAD:+ $LD_PRELOAD}"
ASAN_OPTIONS="log_path=$BRIEFING_SANITIZER_DIR/asan:detect_leaks=0:abort_on_error=0:allow_user_segv_handler=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
UBSAN_OPTIONS="log_path=$BRIEFING_SANITIZER_DIR/ubsan:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export LD_PRELOAD ASAN_OPTIONS UBSAN_OPTIONS
exec "$@"

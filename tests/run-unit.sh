#!/bin/sh
# Runs each cmocka test binary given and prints one closing line:
# "N passed, N failed".  Exits non-zero when any test failed.
passed=0
failed=0
for bin in "$@"; do
    out=$("$bin" 2>&1)
    status=$?
    printf '%s\n' "$out" | grep -E '^\[  (FAILED|ERROR) |^\[  PASSED|^\[==========\]' || true
    p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p')
    f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p')
    passed=$((passed + ${p:-0}))
    if [ "$status" -ne 0 ]; then
        printf '%s\n' "$out" | tail -30
        failed=$((failed + ${f:-1}))
    fi
done
echo "unit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

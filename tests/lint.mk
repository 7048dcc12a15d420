# `briefing lint` (issue 8 part 4): warnings about a glossary that an
# editor acts on; see docs/lint.md.
#
#   make test-lint        tests/lint.sh against bin/briefing (a few seconds)
#   make test-lint-asan   the same against the ASan+UBSan build, with leak
#                         detection
#
# Needs python3 (the --json checks).  Include from the top-level Makefile.

.PHONY: test-lint test-lint-asan
test-lint: bin/briefing
	@tests/lint.sh bin/briefing

test-lint-asan: build/briefing-san
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 tests/lint.sh build/briefing-san

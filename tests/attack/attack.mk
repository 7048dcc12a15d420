# The attack suite (issue 5): hostile glossaries and pages, each with an
# exact expectation; hostile glossary text through a real httpd.
#
#   make test-attack      about 20 s on an idle two-core machine
#
# Needs /usr/bin/python3 with pytest, GNU time (/usr/bin/time, for peak
# memory), strace (loading must open no other file and no socket) and
# apache2 (tests/install-deps.sh).  Big inputs (a 200 MB glossary, 1,000,000
# entries, 10 MB attributes, 100,000 nested tags) are generated into a temp
# dir at test time, never committed.  Included by the top-level Makefile.

.PHONY: test-attack
test-attack: bin/briefing build/mod_briefing.so
	@/usr/bin/python3 -m pytest -q -p no:cacheprovider tests/attack

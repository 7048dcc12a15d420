# mod_briefing — build, tests and benchmark.
#
#   make              the engine library, bin/briefing and build/mod_briefing.so
#   make install      installs the module, its .load/.conf and bin/briefing
#                     (then: a2enmod briefing); DESTDIR and PREFIX apply
#   make deb          the Debian package, into build/deb/
#   make test-deb     installs that package into the stock apache2 and serves
#                     the demo article with it (root; part of make test)
#   make test         every test: unit, golden, chunking, CLI, then the same
#                     suite under ASan+UBSan and the CLI under valgrind
#   make test-unit    the unit tests only (fast)
#   make test-attack  hostile glossaries and pages (tests/attack/)
#   make test-lint    briefing lint (tests/lint.sh)
#   make test-soak    the server under load while the glossary changes, graceful
#                     restarts, clients that hang up (tests/integration/soak.mk)
#   make test-integration-asan / -valgrind   the integration suite against the
#                     module built with ASan+UBSan / a smoke set under valgrind
#   make test-asan    the suite built with -fsanitize=address,undefined
#   make valgrind     bin/briefing on the demo page under valgrind
#   make bench        engine throughput and memory (see bench/README.md)
#   make demo         httpd on http://127.0.0.1:8080/ with the annotated article
#   make demo-stop    stops it

CC      ?= cc
XML_CFLAGS := $(shell pkg-config --cflags libxml-2.0)
XML_LIBS   := $(shell pkg-config --libs libxml-2.0)
WARN    := -Wall -Wextra -Werror
CFLAGS  ?= -O2 -g
ALL_CFLAGS = -std=gnu11 $(WARN) -fPIC $(CFLAGS) -Iengine $(XML_CFLAGS)
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

ENGINE_SRC := $(wildcard engine/*.c)
UNIT_SRC   := $(wildcard tests/unit/test_*.c)

B := build
ENGINE_OBJ := $(ENGINE_SRC:engine/%.c=$(B)/engine/%.o) $(B)/engine/schema_rng.o
SAN_OBJ    := $(ENGINE_SRC:engine/%.c=$(B)/san/%.o) $(B)/san/schema_rng.o

UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
SAN_UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/san-tests/%)

APXS    ?= apxs
MODULE_SRC := mod_briefing.c module/glossary_store.c module/status.c module/backlinks.c $(B)/assets.c

.PHONY: demo demo-stop all install test test-unit test-cli test-asan test-integration test-browser valgrind bench clean
all: bin/briefing $(B)/libbriefing.a $(B)/mod_briefing.so

# The module links the engine in, so one .so and one XML file suffice.
# The stylesheet and script of the glossary pages and hover cards, as C strings.
$(B)/assets.c: assets/briefing.css assets/briefing.js | $(B)
	{ echo '/* Generated from assets/. */'; \
	  for f in css js; do echo "const char briefing_$$f[] ="; \
	    sed 's/\\/\\\\/g; s/"/\\"/g; s/^/"/; s/$$/\\n"/' assets/briefing.$$f; echo ';'; done; } > $@

$(B)/mod_briefing.so: $(MODULE_SRC) module/*.h engine/*.h $(B)/libbriefing.a
	$(APXS) -c -o $(B)/mod_briefing.la -Wc,-std=gnu11 -Wc,-Wall -Wc,-Wextra -Wc,-Werror \
	  -I engine -I . $(XML_CFLAGS) $(MODULE_SRC) $(B)/libbriefing.a $(XML_LIBS) >$(B)/apxs.log 2>&1 \
	  || { cat $(B)/apxs.log; exit 1; }
	cp $(B)/.libs/mod_briefing.so $@.tmp && mv -f $@.tmp $@   # a new inode: a running server keeps its copy

# DESTDIR-friendly; `install` unlinks first, so a running server keeps its copy.
PREFIX ?= /usr/local
install: $(B)/mod_briefing.so bin/briefing
	install -D -m 644 $(B)/mod_briefing.so $(DESTDIR)$$($(APXS) -q LIBEXECDIR)/mod_briefing.so
	install -D -m 644 conf/briefing.load $(DESTDIR)$$($(APXS) -q SYSCONFDIR)/mods-available/briefing.load
	install -D -m 644 conf/briefing.conf $(DESTDIR)$$($(APXS) -q SYSCONFDIR)/mods-available/briefing.conf
	install -D -m 755 bin/briefing $(DESTDIR)$(PREFIX)/bin/briefing
	install -D -m 644 schema/glossary.rng $(DESTDIR)$(PREFIX)/share/mod-briefing/glossary.rng

$(B)/engine/%.o: engine/%.c engine/*.h | $(B)/engine
	$(CC) $(ALL_CFLAGS) -c $< -o $@
$(B)/san/%.o: engine/%.c engine/*.h | $(B)/san
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -c $< -o $@

# The schema is compiled in, so that one binary and one XML file suffice.
$(B)/schema_rng.c: schema/glossary.rng | $(B)
	{ echo '/* Generated from schema/glossary.rng. */'; \
	  echo 'const char glossary_schema[] ='; \
	  sed 's/\\/\\\\/g; s/"/\\"/g; s/^/"/; s/$$/\\n"/' $<; echo ';'; } > $@
$(B)/engine/schema_rng.o: $(B)/schema_rng.c | $(B)/engine
	$(CC) $(ALL_CFLAGS) -c $< -o $@
$(B)/san/schema_rng.o: $(B)/schema_rng.c | $(B)/san
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -c $< -o $@

$(B)/libbriefing.a: $(ENGINE_OBJ)
	rm -f $@ && ar rcs $@ $^
$(B)/libbriefing-san.a: $(SAN_OBJ)
	rm -f $@ && ar rcs $@ $^

bin/briefing: cli/briefing.c cli/lint.c cli/*.h $(B)/libbriefing.a | bin
	$(CC) $(ALL_CFLAGS) cli/briefing.c cli/lint.c $(B)/libbriefing.a $(XML_LIBS) -o $@
$(B)/briefing-san: cli/briefing.c cli/lint.c cli/*.h $(B)/libbriefing-san.a
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) cli/briefing.c cli/lint.c $(B)/libbriefing-san.a $(XML_LIBS) -o $@

$(B)/tests/%: tests/unit/%.c tests/unit/*.h $(B)/libbriefing.a | $(B)/tests
	$(CC) $(ALL_CFLAGS) -Itests/unit $< $(B)/libbriefing.a $(XML_LIBS) -lcmocka -o $@
$(B)/san-tests/%: tests/unit/%.c tests/unit/*.h $(B)/libbriefing-san.a | $(B)/san-tests
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -Itests/unit $< $(B)/libbriefing-san.a $(XML_LIBS) -lcmocka -o $@

$(B) $(B)/engine $(B)/san $(B)/tests $(B)/san-tests bin:
	mkdir -p $@

test: test-unit test-cli test-lint test-attack test-integration test-browser test-asan test-lint-asan \
      valgrind test-fuzz test-soak test-integration-asan test-integration-valgrind test-deb

# Debian's Chromium driven by playwright-core against the demo server.
test-browser: $(B)/mod_briefing.so
	@cd tests/browser && npm ci --no-audit --no-fund --loglevel=error >/dev/null && node --test

test-integration: $(B)/mod_briefing.so
	@/usr/bin/python3 -m pytest -q tests/integration

test-unit: $(UNIT_BIN)
	@tests/run-unit.sh $(UNIT_BIN)

test-cli: bin/briefing
	@tests/cli.sh bin/briefing

test-asan: $(SAN_UNIT_BIN) $(B)/briefing-san
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  tests/run-unit.sh $(SAN_UNIT_BIN)
	@ASAN_OPTIONS=detect_leaks=1 tests/cli.sh $(B)/briefing-san

valgrind: bin/briefing
	valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
	  --errors-for-leak-kinds=definite,indirect \
	  bin/briefing annotate -g data/glossary.xml htdocs/working-visit-to-kazakhstan.html > /dev/null
	valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
	  bin/briefing check data/glossary.xml > /dev/null
	@echo "valgrind: clean"

demo: $(B)/mod_briefing.so
	@conf/demo.sh start

demo-stop:
	@conf/demo.sh stop

bench: bin/briefing
	@$(MAKE) -s -C bench

clean:
	rm -rf $(B) bin *.lo *.slo module/*.lo module/*.slo .libs module/.libs
include tests/fuzz/fuzz.mk
include tests/attack/attack.mk
include tests/lint.mk
include tests/integration/soak.mk
include tests/deb/deb.mk

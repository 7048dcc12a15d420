# The server under fire, and the integration suite under the sanitizers and
# valgrind.  Included from the Makefile:
#
#   make test-soak                  wrk at 64 connections while the glossary is
#                                   rewritten every 100 ms (valid and broken in
#                                   turn), two graceful restarts under load, 200
#                                   clients that hang up mid-way through a
#                                   several-MB annotated page (~2.5 min)
#   make test-integration-asan      the whole integration suite against the
#                                   module built with -fsanitize=address,undefined
#                                   (build/asan-module/mod_briefing.so), the
#                                   ASan runtime preloaded into apache2
#   make test-integration-valgrind  a smoke set (annotated page, glossary pages,
#                                   reloads) with apache2 under valgrind
#
# The soak tests live in tests/integration/soak/ as soak_*.py, and the
# valgrind smoke set as valgrind_smoke.py: pytest's default pattern
# (test_*.py) does not collect them, so `pytest tests/integration` runs the
# integration suite alone.  These targets select them with -o python_files.
# Needs wrk and valgrind (tests/install-deps.sh installs them).

SOAK_PYTEST   := /usr/bin/python3 -m pytest -q -p no:cacheprovider
ASAN_MOD_DIR  := $(B)/asan-module
ASAN_MOD      := $(ASAN_MOD_DIR)/mod_briefing.so
ASAN_MOD_SAN  := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined
ASAN_MOD_CFLAGS = -std=gnu11 -Wall -Wextra -fPIC $(ASAN_MOD_SAN) -DLINUX -D_REENTRANT -D_GNU_SOURCE \
  -I$(shell $(APXS) -q INCLUDEDIR) $(shell apr-1-config --includes) -Iengine -I. $(XML_CFLAGS)
# The module's sources as the Makefile lists them (MODULE_SRC), and the engine's.
ASAN_MOD_SRC  := $(or $(MODULE_SRC),mod_briefing.c $(wildcard module/*.c) $(B)/assets.c) \
                 $(ENGINE_SRC) $(B)/schema_rng.c
ASAN_MOD_OBJ  := $(patsubst %.c,$(ASAN_MOD_DIR)/obj/%.o,$(patsubst $(B)/%,%,$(ASAN_MOD_SRC)))

.PHONY: test-soak test-integration-asan test-integration-valgrind asan-module

test-soak: $(B)/mod_briefing.so
	@command -v wrk >/dev/null || { echo "test-soak needs wrk (tests/install-deps.sh)"; exit 1; }
	@$(SOAK_PYTEST) -o python_files='soak_*.py' tests/integration/soak

asan-module: $(ASAN_MOD)

$(ASAN_MOD_DIR)/obj/%.o: %.c engine/*.h module/*.h
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_MOD_CFLAGS) -c $< -o $@
$(ASAN_MOD_DIR)/obj/%.o: $(B)/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_MOD_CFLAGS) -c $< -o $@

# gcc links the sanitizer runtimes dynamically into a shared object; apache2
# gets libasan preloaded by tests/integration/asan-httpd.sh.
$(ASAN_MOD): $(ASAN_MOD_OBJ)
	$(CC) -shared -fsanitize=address,undefined $(ASAN_MOD_OBJ) $(XML_LIBS) -o $@.tmp
	mv -f $@.tmp $@

test-integration-asan: $(ASAN_MOD)
	@BRIEFING_MODULE=$(abspath $(ASAN_MOD)) \
	  BRIEFING_ASAN_RUNTIME=$$($(CC) -print-file-name=libasan.so) \
	  BRIEFING_HTTPD_WRAPPER=$(abspath tests/integration/asan-httpd.sh) \
	  $(SOAK_PYTEST) -o python_files='test_*.py sanitizer_check.py' tests/integration

test-integration-valgrind: $(B)/mod_briefing.so
	@command -v valgrind >/dev/null || { echo "needs valgrind (tests/install-deps.sh)"; exit 1; }
	@BRIEFING_HTTPD_WRAPPER=$(abspath tests/integration/valgrind-httpd.sh) \
	  $(SOAK_PYTEST) -o python_files='valgrind_smoke.py sanitizer_check.py' tests/integration/soak

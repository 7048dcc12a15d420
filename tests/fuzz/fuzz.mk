# libFuzzer targets for the engine, included from the Makefile:
#
#   make fuzz-build     build/fuzz/fuzz_annotator, fuzz_glossary, fuzz_matcher
#   make fuzz           builds them and runs each for $(FUZZ_SECONDS) s (default 60)
#   make fuzz-merge     folds what the runs found into tests/fuzz/corpus/ (kept small)
#   make fuzz-regress   runs every saved input of tests/fuzz/regressions/ once
#   make test-fuzz      what make test (and CI) runs: fuzz-regress, then each
#                       target for 60 s; the fuzzers' output in build/fuzz/fuzz.log
#
# Needs clang and its libFuzzer runtime (Debian: clang libclang-rt-14-dev).
# The engine is compiled again with clang and the sanitizers into
# build/fuzz/; the gcc-built archive is not linked.  `make fuzz` writes new
# inputs to build/fuzz/corpus/ and crashes to build/fuzz/artifacts/, never
# into the tree; the corpora in tests/fuzz/corpus/ are only read.  Each run
# first replays both corpora, which takes a while once build/fuzz/corpus/
# has grown (rm -rf build/fuzz/corpus after `make fuzz-merge` to restart).

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SAN     := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS   = $(FUZZ_SAN) -Iengine $(XML_CFLAGS)
FUZZ_DIR     := $(B)/fuzz
FUZZ_TARGETS := fuzz_annotator fuzz_glossary fuzz_matcher
FUZZ_BIN     := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/%)
FUZZ_OBJ     := $(ENGINE_SRC:engine/%.c=$(FUZZ_DIR)/%.o) $(FUZZ_DIR)/schema_rng.o
# Per target: extra libFuzzer options.
FUZZ_OPTS_fuzz_annotator := -max_len=4096 -dict=tests/fuzz/fuzz_annotator.dict -entropic_scale_per_exec_time=1
FUZZ_OPTS_fuzz_glossary  := -dict=tests/fuzz/fuzz_glossary.dict -seed_inputs=data/glossary.xml -max_len=32768
FUZZ_OPTS_fuzz_matcher   := -max_len=2048
# The most files a merged corpus keeps.
FUZZ_CORPUS_MAX ?= 200

.PHONY: fuzz fuzz-build fuzz-merge fuzz-regress test-fuzz
.SECONDARY: $(FUZZ_OBJ)

fuzz-build: $(FUZZ_BIN)

$(FUZZ_DIR):
	mkdir -p $@

$(FUZZ_DIR)/%.o: engine/%.c engine/*.h | $(FUZZ_DIR)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@
$(FUZZ_DIR)/schema_rng.o: $(B)/schema_rng.c | $(FUZZ_DIR)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJ) engine/*.h | $(FUZZ_DIR)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Wall -Wextra $< $(FUZZ_OBJ) $(XML_LIBS) -o $@

# Each target from its corpus in the tree plus what earlier runs found.
fuzz: fuzz-build
	@set -e; for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_DIR)/corpus/$$t $(FUZZ_DIR)/artifacts/$$t; \
	  case $$t in \
	    fuzz_annotator) opts="$(FUZZ_OPTS_fuzz_annotator)";; \
	    fuzz_glossary) opts="$(FUZZ_OPTS_fuzz_glossary)";; \
	    fuzz_matcher) opts="$(FUZZ_OPTS_fuzz_matcher)";; \
	  esac; \
	  echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
	  $(FUZZ_DIR)/$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 $$opts \
	    -print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/artifacts/$$t/ \
	    $(FUZZ_DIR)/corpus/$$t tests/fuzz/corpus/$$t \
	    || { echo "fuzz: $$t failed; the input is in $(FUZZ_DIR)/artifacts/$$t/"; exit 1; }; \
	done

# A small corpus that reaches what the corpus in the tree and everything
# found since reach: libFuzzer's merge lists the edges each input reaches
# (hit counts aside), tests/fuzz/corpus_cover.py keeps a greedy set cover of
# at most $(FUZZ_CORPUS_MAX) inputs, which replaces tests/fuzz/corpus/TARGET/.
fuzz-merge: fuzz-build
	@set -e; for t in $(FUZZ_TARGETS); do \
	  case $$t in \
	    fuzz_annotator) opts="$(FUZZ_OPTS_fuzz_annotator)";; \
	    fuzz_glossary) opts="$(FUZZ_OPTS_fuzz_glossary)";; \
	    fuzz_matcher) opts="$(FUZZ_OPTS_fuzz_matcher)";; \
	  esac; \
	  m=$(FUZZ_DIR)/merge/$$t; rm -rf $$m && mkdir -p $$m/scratch $(FUZZ_DIR)/corpus/$$t; \
	  $(FUZZ_DIR)/$$t -merge=1 -use_counters=0 -timeout=10 $$opts -merge_control_file=$$m/control \
	    $$m/scratch tests/fuzz/corpus/$$t $(FUZZ_DIR)/corpus/$$t >$$m/log 2>&1 \
	    || { cat $$m/log; exit 1; }; \
	  echo "fuzz-merge: $$t: $$(python3 tests/fuzz/corpus_cover.py $$m/control $(FUZZ_CORPUS_MAX) $$m/kept)"; \
	  if [ -n "$$(ls $$m/kept)" ]; then rm -f tests/fuzz/corpus/$$t/* && cp $$m/kept/* tests/fuzz/corpus/$$t/; fi; \
	done

# Inputs that once failed; each must now pass.
fuzz-regress: fuzz-build
	@set -e; for t in $(FUZZ_TARGETS); do \
	  files=$$(find tests/fuzz/regressions/$$t -type f ! -name '*.txt' ! -name '.*' 2>/dev/null | sort); \
	  if [ -n "$$files" ]; then $(FUZZ_DIR)/$$t $$files; fi; \
	done; echo "fuzz-regress: passed"

test-fuzz: fuzz-regress
	@$(MAKE) -s fuzz FUZZ_SECONDS=60 >$(FUZZ_DIR)/fuzz.log 2>&1 \
	  || { tail -n 60 $(FUZZ_DIR)/fuzz.log; exit 1; }
	@grep -E "^fuzz: |^Done [0-9]+ runs" $(FUZZ_DIR)/fuzz.log

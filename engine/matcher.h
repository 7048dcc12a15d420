/* Finding mentions in a run of text, one code point at a time.
 *
 * A `matcher` is built once per glossary and shared read-only; a
 * `match_stream` is one text stream's state.  Patterns are found by two
 * automata, one over the text as it is and one over its case folding (for
 * case-insensitive aliases).  Among the candidates whose both ends are at
 * word boundaries the leftmost wins, then the longest; a candidate is final
 * once no text still to come could start a match at or before it. */
#ifndef BRIEFING_MATCHER_H
#define BRIEFING_MATCHER_H

#include <stddef.h>
#include <stdint.h>

#include "automaton.h"
#include "byte_blocks.h"
#include "prefix_index.h"

/* Patterns longer than this many code points are refused at load. */
#define MATCH_PATTERN_MAX 256
/* Text held back while a mention may still be in progress; past it the
 * mention in progress is given up (only long whitespace runs get there). */
#define MATCH_HOLD_MAX (64 * 1024)

struct match_pattern {
    uint32_t entry;       /* as the loader gave it (see GLOSSARY_DATED) */
    uint16_t length;      /* code points */
    uint8_t type;         /* entry type, for the type filter */
    uint8_t types;        /* bits 1 << type of every entry it may mean
                           * (1 << type; the loader widens it for dated
                           * patterns right after matcher_build) */
};

#define MATCH_CHAR_TWO_BYTES 0x800
#define MATCH_CHAR_PUNCT 0x80
#define MATCH_CHAR_PUNCT_FIRST 0x2000
#define MATCH_REFERENCES 19
enum { CHAR_CLASS = 3, CHAR_STOPS = 4 };

#define MATCH_AFTER_THREE 1024   /* after_three's slots: 2^(32 - 22) */

struct matcher {
    struct automaton *exact, *folded;
    /* What the annotator may skip between mentions, per byte. */
    unsigned char byte_info[256];
    /* Bit b3 & 7 of starts2[b1][b2]: some pattern begins with the ASCII
     * bytes b1 b2 (in either case when case-insensitive) and then b3, or
     * a byte of b3's class. */
    unsigned char starts2[128][128];
    /* Per byte, its class (byte & 7) as a bit; all of them (0xFF) for one
     * that may stand for anything: a byte to decode, whitespace but a
     * plain space (a pattern's space takes any run). */
    unsigned char class_bit[256];
    /* For patterns that begin with three ASCII word characters, by a hash
     * of those (either case): bit 8 * (b4 & 7) + (b5 & 7) when the next
     * two bytes may be b4 b5, or of their classes. */
    uint64_t after_three[MATCH_AFTER_THREE];
    struct byte_classes classes;  /* byte_info's word and start bytes */
    /* The characters that need decoding which pages have most, U+0080 to
     * U+07FF (Latin, Greek, Cyrillic) and then U+2000 to U+207F (General
     * Punctuation): their uc_class, and CHAR_STOPS where the scan must
     * leave one that follows no word character to the feed. */
    unsigned char char_table[MATCH_CHAR_TWO_BYTES + MATCH_CHAR_PUNCT];
    /* The same for the character references pages write most. */
    unsigned char reference_entries[MATCH_REFERENCES];
    /* Non-zero for the ASCII bytes that are a pattern, or begin one before
     * a character that is no ASCII word character. */
    unsigned char lone_starts[128];
    struct prefix_index prefix;
    struct match_pattern *patterns;
    size_t npatterns;
};

/* What the loader hands over: UTF-8, whitespace folded and trimmed, and
 * case-folded when `insensitive`. */
struct matcher_pattern_spec {
    const char *text;
    size_t len;
    uint32_t entry;
    uint8_t type;
    uint8_t insensitive;
};

struct matcher *matcher_build(const struct matcher_pattern_spec *specs, size_t n);
void matcher_free(struct matcher *m);
size_t matcher_memory(const struct matcher *m);

/* Fed for bytes that are not UTF-8: a boundary that no pattern contains. */
#define MATCH_INVALID_CP 0x110000u

struct mention {
    uint32_t entry;
    uint64_t start, end;  /* source byte offsets, end exclusive */
};

struct match_candidate {
    uint64_t first, last;   /* symbol indexes, last exclusive */
    struct mention mention;
};

#define MATCH_RING 512   /* > MATCH_PATTERN_MAX, a power of two */
#define MATCH_CANDIDATES_MAX 4096

/* The text ahead of match_scan, classified a few blocks at a time. */
#define SCAN_AHEAD (8 * BYTE_BLOCK)
struct scan_ahead {
    const unsigned char *from, *to;    /* what is classified */
    struct byte_block blocks[SCAN_AHEAD / BYTE_BLOCK];
};

struct match_stream {
    const struct matcher *m;
    unsigned type_mask;
    uint32_t state_exact, state_folded;
    uint64_t symbols;          /* symbols fed so far */
    uint64_t committed_end;    /* no candidate may start before this */
    int prev_word, prev_space;
    struct {
        uint64_t offset;
        uint8_t boundary_before;
    } ring[MATCH_RING];
    /* Candidates waiting to see whether the next code point is a boundary. */
    struct match_candidate *open;
    size_t nopen, open_cap;
    /* Candidates with both boundaries, not yet final. */
    struct match_candidate *ready;
    size_t nready, ready_cap;
    /* The caller's buffer that texts given to match_scan lie in, if any,
     * and what of it is classified. */
    const unsigned char *buffer;
    size_t buffer_len;
    struct scan_ahead ahead;
    /* Final mentions, in text order, for the caller to take. */
    struct mention *done;
    size_t ndone, done_cap;
    int out_of_memory;
};

void match_stream_init(struct match_stream *s, const struct matcher *m, unsigned type_mask);
void match_stream_release(struct match_stream *s);
/* Feeds one code point of text that spans source bytes [start, end). */
void match_feed(struct match_stream *s, uint32_t cp, uint64_t start, uint64_t end);
enum {
    BYTE_STARTS = 1,      /* first byte of a pattern (either case if insensitive) */
    BYTE_WORD = 2,        /* ASCII letter, digit or '_' */
    BYTE_SPACE = 4,       /* ASCII whitespace */
    BYTE_STOP = 8         /* '&' or non-ASCII: must be decoded to know */
};

/* Nothing is in progress: no automaton is inside a pattern, no candidate
 * waits. */
static inline int match_idle(const struct match_stream *s)
{
    return s->state_exact == AC_ROOT && s->state_folded == AC_ROOT && !s->nopen && !s->nready;
}
/* While idle, takes as much of the text p[0..n) (at source offset `offset`)
 * as it can decide without feeding it code point by code point: words that
 * begin no pattern are passed over (ASCII ones, and with `utf8` those of
 * two-byte characters too), and a mention of ASCII text that lies wholly
 * within the bytes in hand is found from its first byte and put with the
 * final ones.  Returns the bytes taken, whole characters; the caller feeds
 * the next one (a reference, another character, or text whose outcome
 * depends on what comes after p[n-1]). */
size_t match_scan(struct match_stream *s, const unsigned char *p, size_t n, uint64_t offset,
                  int utf8);
/* The texts match_scan gets next lie in p[0..len), and no byte of it
 * changes until the next call: classification runs on past a text into the
 * markup after it, once for several texts.  What follows a text in the
 * buffer must be more of it or markup that ends the run (match_end_run):
 * the filter reads those bytes as they are.  NULL: texts lie anywhere. */
void match_scan_buffer(struct match_stream *s, const unsigned char *p, size_t len);
/* The references the scan decodes itself (the ones pages write most)
 * that charref.c, the annotator's decoder, would read otherwise: 0, as
 * the tests check. */
size_t matcher_references_misread(void);
/* The text run ends here (markup, end of page): every candidate is settled. */
void match_end_run(struct match_stream *s);
/* The first source byte that a mention still in progress may need; text
 * before it can be written out.  UINT64_MAX when nothing is in progress. */
uint64_t match_hold_from(const struct match_stream *s);

#endif

/* libFuzzer target: the matcher (matcher.h, SPEC §3.1 rules 4-6) against
 * a slow reference.
 *
 * The input makes a handful of short patterns over a tiny alphabet (some
 * case-insensitive, folded with uc_fold as the loader does) and a text.
 * The text is fed a code point at a time with its UTF-8 byte offsets, as
 * the annotator does: once plainly, and twice letting match_scan take idle
 * text (on the rest of the run; and on windows of random length, as the
 * tokenizer's text callbacks would cut it, within the whole text named by
 * match_scan_buffer as the annotator names its chunk).  The mentions must equal
 * those of a brute-force leftmost-longest matcher; no mention may start in
 * text that match_hold_from had already released.  Any failure abort()s.
 * FUZZ_SHOW=1 in the environment shows the patterns, text and mentions.
 *
 * Input layout:
 *   [0] bits 0-2: patterns - 1; bits 3-7: window seed
 *   per pattern: a header byte (bit 7: case-insensitive; bits 0-3:
 *     length - 1; bits 4-6 all set: long, length 16 * (1 + next byte % 16)),
 *     then a byte per symbol (taken cyclically when long)
 *   the rest, a byte per text item: 0xE0-0xEF a pattern's text (bits 0-2:
 *     which, bit 3: other case), 0xF0-0xFF a whitespace run, else a symbol.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matcher.h"
#include "unicode.h"

#define FAIL(...) do { fprintf(stderr, "fuzz_matcher: " __VA_ARGS__); fputc('\n', stderr); abort(); } while (0)

#define CP_BREAK UINT32_MAX       /* markup: ends a run, takes one byte */
#define MAX_PATTERNS 8
#define MAX_TEXT 8192

static const uint32_t pattern_alphabet[] = {
    'a', 'b', 'A', 'B', ' ', 0xE9 /* é */, 0xC9 /* É */, 0x431 /* б */, 0x411 /* Б */, '-', '2',
    's', 'S', 0x17F /* ſ */, 'k', 0x212A /* Kelvin */, 0xDF /* ß */, 0x1E9E /* ẞ */,
    0x3C3 /* σ */, 0x3A3 /* Σ */, 0x3C2 /* ς */, 0xAD /* soft hyphen */, '_', ' ',
};
#define PATTERN_ALPHABET (sizeof(pattern_alphabet) / sizeof(pattern_alphabet[0]))

static const uint32_t noise[] = {
    '.', '\t', '\n', 0xA0, 0x3000, 0x2014, 0xB2 /* ² */, 0x200B, MATCH_INVALID_CP, CP_BREAK,
    'c', '&', '(', 0x202F, '\r', 0xFEFF,
};
#define TEXT_ALPHABET (PATTERN_ALPHABET + sizeof(noise) / sizeof(noise[0]))

static const uint32_t spaces[] = {' ', ' ', '\t', '\n', 0xA0, 0x3000, 0x202F, '\f'};

static uint32_t text_symbol(unsigned i)
{
    i %= TEXT_ALPHABET;
    return i < PATTERN_ALPHABET ? pattern_alphabet[i] : noise[i - PATTERN_ALPHABET];
}

/* The other case of a letter of the alphabets, as text may write it. */
static uint32_t other_case(uint32_t cp)
{
    switch (cp) {
    case 'a': return 'A';
    case 'b': return 'B';
    case 's': return 0x17F;
    case 'k': return 0x212A;
    case 0xE9: return 0xC9;
    case 0x431: return 0x411;
    case 0xDF: return 0x1E9E;
    case 0x3C3: return 0x3A3;
    case 'A': return 'a';
    case 'B': return 'b';
    case 'S': return 's';
    case 0xC9: return 0xE9;
    case 0x411: return 0x431;
    case 0x3A3: return 0x3C2;
    default: return cp;
    }
}

/* ---- input ---- */

struct input {
    const uint8_t *p;
    size_t n;
};

static uint8_t next(struct input *in)
{
    if (!in->n)
        return 0;
    in->n--;
    return *in->p++;
}

/* ---- patterns ---- */

struct pat {
    uint32_t cp[MATCH_PATTERN_MAX];
    size_t len;
    int insensitive;
    char utf8[MATCH_PATTERN_MAX * 4 + 1];
    size_t utf8_len;
};

static int keys_equal(const struct pat *x, const struct pat *y)
{
    if (x->len != y->len)
        return 0;
    for (size_t i = 0; i < x->len; i++)
        if (uc_fold(x->cp[i]) != uc_fold(y->cp[i]))
            return 0;
    return 1;
}

/* The loader's duplicate rule: equal, or equal folded with either one
 * case-insensitive. */
static int clashes(const struct pat *all, size_t n, const struct pat *p)
{
    for (size_t i = 0; i < n; i++)
        if (keys_equal(&all[i], p) &&
            (all[i].insensitive || p->insensitive ||
             memcmp(all[i].cp, p->cp, p->len * sizeof(uint32_t)) == 0))
            return 1;
    return 0;
}

/* Reads one pattern: whitespace folded and trimmed as the loader does, and
 * case-folded when insensitive.  Returns 0 when it comes out empty. */
static int read_pattern(struct input *in, struct pat *p)
{
    uint8_t hdr = next(in);
    size_t len = 1 + (hdr & 15);
    uint8_t sym[16];
    if ((hdr & 0x70) == 0x70)
        len = 16 * (1 + next(in) % 16);
    size_t nsym = 1 + (hdr & 15);
    for (size_t i = 0; i < nsym; i++)
        sym[i] = next(in);
    p->insensitive = hdr >> 7;
    p->len = 0;
    for (size_t i = 0; i < len; i++) {
        uint32_t cp = pattern_alphabet[sym[i % nsym] % PATTERN_ALPHABET];
        if (cp == ' ' && (p->len == 0 || p->cp[p->len - 1] == ' '))
            continue;
        p->cp[p->len++] = p->insensitive ? uc_fold(cp) : cp;
    }
    while (p->len && p->cp[p->len - 1] == ' ')
        p->len--;
    if (!p->len)
        return 0;
    p->utf8_len = 0;
    for (size_t i = 0; i < p->len; i++)
        p->utf8_len += utf8_encode(p->cp[i], (unsigned char *)p->utf8 + p->utf8_len);
    p->utf8[p->utf8_len] = '\0';
    return 1;
}

/* ---- text ---- */

struct text {
    uint32_t cp[MAX_TEXT];
    uint64_t start[MAX_TEXT], end[MAX_TEXT];
    size_t n;
    unsigned char bytes[MAX_TEXT * 4];
    size_t nbytes;
};

static void add(struct text *t, uint32_t cp)
{
    if (t->n == MAX_TEXT)
        return;
    t->cp[t->n] = cp;
    t->start[t->n] = t->nbytes;
    if (cp == CP_BREAK)
        t->bytes[t->nbytes++] = '<';
    else if (cp == MATCH_INVALID_CP)
        t->bytes[t->nbytes++] = 0xFF;
    else
        t->nbytes += utf8_encode(cp, t->bytes + t->nbytes);
    t->end[t->n] = t->nbytes;
    t->n++;
}

static void read_text(struct input *in, const struct pat *pats, size_t npats, struct text *t)
{
    t->n = t->nbytes = 0;
    while (in->n && t->n < MAX_TEXT) {
        uint8_t b = next(in);
        if (b >= 0xF0) {
            for (unsigned k = 0; k <= (b & 3u); k++)
                add(t, spaces[((b >> 2) + k) % (sizeof(spaces) / sizeof(spaces[0]))]);
        } else if (b >= 0xE0) {
            const struct pat *p = &pats[(b & 7u) % npats];
            for (size_t i = 0; i < p->len; i++) {
                if (p->cp[i] == ' ')
                    add(t, (b & 8) ? '\n' : ' ');
                else
                    add(t, (b & 8) ? other_case(p->cp[i]) : p->cp[i]);
            }
        } else {
            add(t, text_symbol(b));
        }
    }
}

/* ---- the engine, driven ---- */

struct mentions {
    struct mention *items;
    size_t n, cap;
};

static void push(struct mentions *ms, struct mention m)
{
    if (ms->n == ms->cap) {
        ms->cap = ms->cap ? ms->cap * 2 : 64;
        ms->items = realloc(ms->items, ms->cap * sizeof(*ms->items));
        if (!ms->items)
            abort();
    }
    ms->items[ms->n++] = m;
}

static uint64_t rng;

static uint32_t rnd(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return (uint32_t)((rng * 2685821657736338717ull) >> 32);
}

enum skip_mode { SKIP_NONE, SKIP_RUN, SKIP_WINDOWS };

static void take_done(struct match_stream *s, struct mentions *out, uint64_t released)
{
    for (size_t i = 0; i < s->ndone; i++) {
        if (s->done[i].start < released)
            FAIL("mention [%llu, %llu) found after text up to %llu was released",
                 (unsigned long long)s->done[i].start, (unsigned long long)s->done[i].end,
                 (unsigned long long)released);
        push(out, s->done[i]);
    }
    s->ndone = 0;
}

static void run_engine(const struct matcher *m, const struct text *t, enum skip_mode skip,
                       struct mentions *out)
{
    struct match_stream s;
    match_stream_init(&s, m, ~0u);
    if (skip == SKIP_WINDOWS)
        match_scan_buffer(&s, t->bytes, t->nbytes);
    uint64_t released = 0;    /* text before this could have been written */
    for (size_t i = 0; i < t->n;) {
        size_t skipped = 0;
        if (skip != SKIP_NONE && t->cp[i] != CP_BREAK && match_idle(&s)) {
            /* The bytes to the end of the run, or fewer. */
            size_t from = (size_t)t->start[i], to = from;
            while (to < t->nbytes && t->bytes[to] != '<')
                to++;
            if (skip == SKIP_WINDOWS) {
                size_t w = 1 + rnd() % 24;
                if (to - from > w)
                    to = from + w;
            }
            size_t k = match_scan(&s, t->bytes + from, to - from, from, 1);
            if (k > to - from)
                FAIL("match_scan took %zu of %zu bytes", k, to - from);
            /* Whole code points of one to three bytes. */
            for (; skipped < t->n - i && t->start[i + skipped] < from + k; skipped++)
                if (t->cp[i + skipped] >= 0x10000 || t->cp[i + skipped] == CP_BREAK)
                    FAIL("match_scan took U+%04X at byte %llu", (unsigned)t->cp[i + skipped],
                         (unsigned long long)t->start[i + skipped]);
            if (skipped && t->end[i + skipped - 1] != from + k)
                FAIL("match_scan took %zu bytes, not whole code points", k);
        }
        if (skipped) {
            i += skipped;
        } else {
            if (t->cp[i] == CP_BREAK)
                match_end_run(&s);
            else
                match_feed(&s, t->cp[i], t->start[i], t->end[i]);
            i++;
        }
        if (s.out_of_memory)
            FAIL("out of memory");
        take_done(&s, out, released);
        uint64_t hold = match_hold_from(&s);
        uint64_t pos = i < t->n ? t->start[i] : t->nbytes;
        uint64_t now = hold < pos ? hold : pos;
        if (now < released)
            FAIL("match_hold_from went back from %llu to %llu", (unsigned long long)released,
                 (unsigned long long)now);
        released = now;
    }
    match_end_run(&s);
    take_done(&s, out, released);
    if (match_hold_from(&s) != UINT64_MAX)
        FAIL("something is held after the end of the text");
    if (!match_idle(&s))
        FAIL("the stream is not idle after the end of the text");
    match_stream_release(&s);
}

/* ---- the reference ---- */

/* Leftmost-longest by brute force, one run at a time: whitespace runs are
 * one space; a candidate needs a boundary (not a word character, or the
 * run's edge) on both sides. */
static void reference(const struct pat *pats, size_t npats, const struct text *t,
                      struct mentions *out)
{
    static uint32_t sym[MAX_TEXT];
    static uint64_t from[MAX_TEXT], to[MAX_TEXT];
    static int word[MAX_TEXT];
    for (size_t i = 0; i <= t->n;) {
        size_t ns = 0;
        for (; i < t->n && t->cp[i] != CP_BREAK; i++) {
            enum uc_class c = uc_classify(t->cp[i]);
            if (c == UC_SPACE && ns > 0 && sym[ns - 1] == ' ')
                continue;
            sym[ns] = c == UC_SPACE ? ' ' : t->cp[i];
            from[ns] = t->start[i];
            to[ns] = t->end[i];
            word[ns] = c == UC_WORD;
            ns++;
        }
        i++;
        for (size_t at = 0; at < ns;) {
            size_t best_len = 0;
            uint32_t best = 0;
            if (at == 0 || !word[at - 1]) {
                for (size_t k = 0; k < npats; k++) {
                    const struct pat *p = &pats[k];
                    if (p->len <= best_len || at + p->len > ns)
                        continue;
                    if (at + p->len < ns && word[at + p->len])
                        continue;
                    size_t j = 0;
                    while (j < p->len &&
                           (p->insensitive ? uc_fold(sym[at + j]) : sym[at + j]) == p->cp[j])
                        j++;
                    if (j == p->len) {
                        best_len = p->len;
                        best = (uint32_t)k;
                    }
                }
            }
            if (!best_len) {
                at++;
                continue;
            }
            push(out, (struct mention){best, from[at], to[at + best_len - 1]});
            at += best_len;
        }
    }
}

/* ---- reporting ---- */

static void describe_text(const struct text *t)
{
    fprintf(stderr, "text (%zu code points):\n  ", t->n);
    for (size_t i = 0; i < t->n; i++) {
        uint32_t c = t->cp[i];
        if (c == CP_BREAK)
            fprintf(stderr, "<|>");
        else if (c == MATCH_INVALID_CP)
            fprintf(stderr, "<bad>");
        else if (c >= 0x21 && c < 0x7F)
            fprintf(stderr, "%c", (char)c);
        else
            fprintf(stderr, "<%X>", (unsigned)c);
        if (i % 64 == 63)
            fprintf(stderr, "\n  ");
    }
    fprintf(stderr, "\n");
}

static void describe_mentions(const char *what, const struct mentions *ms)
{
    fprintf(stderr, "%s:", what);
    for (size_t i = 0; i < ms->n; i++)
        fprintf(stderr, " %u@%llu-%llu", (unsigned)ms->items[i].entry,
                (unsigned long long)ms->items[i].start, (unsigned long long)ms->items[i].end);
    fprintf(stderr, "\n");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct input in = {data, size};
    uint8_t b0 = next(&in);
    size_t want = 1 + (b0 & 7);
    static struct pat pats[MAX_PATTERNS];
    size_t npats = 0;
    for (size_t k = 0; k < want; k++) {
        struct pat *p = &pats[npats];
        if (read_pattern(&in, p) && !clashes(pats, npats, p))
            npats++;
    }
    if (!npats)
        return 0;
    struct matcher_pattern_spec specs[MAX_PATTERNS];
    for (size_t k = 0; k < npats; k++)
        specs[k] = (struct matcher_pattern_spec){pats[k].utf8, pats[k].utf8_len, (uint32_t)k,
                                                 (uint8_t)(k % 5), (uint8_t)pats[k].insensitive};
    struct matcher *m = matcher_build(specs, npats);
    if (!m)
        FAIL("matcher_build failed");
    if (!matcher_memory(m))
        FAIL("matcher_memory() is 0");

    static struct text t;
    read_text(&in, pats, npats, &t);

    struct mentions want_ms = {0};
    reference(pats, npats, &t, &want_ms);
    if (getenv("FUZZ_SHOW")) {
        for (size_t k = 0; k < npats; k++)
            fprintf(stderr, "pattern %zu%s: \"%s\"\n", k, pats[k].insensitive ? " (insensitive)" : "",
                    pats[k].utf8);
        describe_text(&t);
        describe_mentions("reference", &want_ms);
    }
    static const char *const modes[] = {"fed whole", "skipping to the run's end",
                                        "skipping in windows"};
    for (int mode = SKIP_NONE; mode <= SKIP_WINDOWS; mode++) {
        rng = ((uint64_t)b0 << 32) + 0x9E3779B97F4A7C15ull;
        struct mentions got = {0};
        run_engine(m, &t, (enum skip_mode)mode, &got);
        int same = got.n == want_ms.n;
        for (size_t i = 0; same && i < got.n; i++)
            same = got.items[i].entry == want_ms.items[i].entry &&
                   got.items[i].start == want_ms.items[i].start &&
                   got.items[i].end == want_ms.items[i].end;
        if (!same) {
            for (size_t k = 0; k < npats; k++)
                fprintf(stderr, "pattern %zu%s: \"%s\"\n", k, pats[k].insensitive ? " (insensitive)" : "",
                        pats[k].utf8);
            describe_text(&t);
            describe_mentions("reference", &want_ms);
            describe_mentions("matcher  ", &got);
            FAIL("the matcher (%s) differs from the reference", modes[mode]);
        }
        free(got.items);
    }
    free(want_ms.items);
    matcher_free(m);
    return 0;
}

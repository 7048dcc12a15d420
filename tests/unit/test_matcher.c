/* The matcher on its own (SPEC §3 matching, §3.1 rules 4-7): code points
 * are fed with fake offsets, the i-th code point spanning [i, i+1), and the
 * mentions are compared with what is expected; then 1000 random patterns
 * against a plain reference matcher.  Every text is run twice: fed whole,
 * and with match_scan taking ASCII text while the stream is idle, as
 * the annotator does. */
#include "testing.h"

#include "automaton.h"
#include "matcher.h"
#include "prefix_index.h"
#include "unicode.h"

#define ALL_TYPES ((1u << ENTRY_TYPE_COUNT) - 1)

/* In marked texts: a run break (markup), not fed but taking an offset. */
#define MARK_BREAK '|'
/* In marked texts: one invalid byte, fed as MATCH_INVALID_CP. */
#define MARK_INVALID '\x01'
/* In code point arrays: a run break. */
#define CP_BREAK UINT32_MAX

struct pat {
    const char *text;
    uint32_t entry;
    uint8_t type;
    uint8_t insensitive;
};

static struct matcher *build(const struct pat *p, size_t n)
{
    struct matcher_pattern_spec *specs = calloc(n ? n : 1, sizeof(*specs));
    assert_non_null(specs);
    for (size_t i = 0; i < n; i++)
        specs[i] = (struct matcher_pattern_spec){p[i].text, strlen(p[i].text), p[i].entry,
                                                 p[i].type, p[i].insensitive};
    struct matcher *m = matcher_build(specs, n);
    free(specs);
    assert_non_null(m);
    return m;
}

/* ---- a growing string ---- */

struct str {
    char *s;
    size_t len, cap;
};

static void str_add(struct str *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (b->len + (size_t)n + 1 > b->cap) {
        b->cap = (b->len + (size_t)n + 1) * 2;
        b->s = realloc(b->s, b->cap);
        assert_non_null(b->s);
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* ---- the engine, driven ---- */

struct mentions {
    struct mention *items;
    size_t n, cap;
};

static void take_done(struct match_stream *s, struct mentions *out)
{
    for (size_t i = 0; i < s->ndone; i++) {
        if (out->n == out->cap) {
            out->cap = out->cap ? out->cap * 2 : 64;
            out->items = realloc(out->items, out->cap * sizeof(*out->items));
            assert_non_null(out->items);
        }
        out->items[out->n++] = s->done[i];
    }
    s->ndone = 0;
}

/* Feeds cps[0..n) (CP_BREAK ends a run), the i-th at offset i, then ends
 * the run.  With `skip`, ASCII text is taken by match_scan whenever
 * the stream is idle, as the annotator does.  Checks on the way that no
 * mention starts before text that match_hold_from already let go. */
static void run_engine_with(const struct matcher *m, unsigned mask, const uint32_t *cps, size_t n,
                            int skip, struct mentions *out)
{
    struct match_stream s;
    match_stream_init(&s, m, mask);
    uint64_t released = 0;   /* text before this could have been written */
    for (size_t i = 0; i < n;) {
        size_t before = out->n, skipped = 0;
        if (skip && cps[i] < 0x80 && match_idle(&s)) {
            unsigned char bytes[64];
            size_t len = 0;
            while (len < sizeof(bytes) && i + len < n && cps[i + len] < 0x80) {
                bytes[len] = (unsigned char)cps[i + len];
                len++;
            }
            skipped = match_scan(&s, bytes, len, i, 1);
            assert_true(skipped <= len);
        }
        if (skipped) {
            i += skipped;
        } else {
            if (cps[i] == CP_BREAK)
                match_end_run(&s);
            else
                match_feed(&s, cps[i], i, i + 1);
            i++;
        }
        assert_false(s.out_of_memory);
        take_done(&s, out);
        for (size_t k = before; k < out->n; k++)
            if (out->items[k].start < released)
                fail_msg("mention [%llu, %llu) found after text up to %llu was released",
                         (unsigned long long)out->items[k].start,
                         (unsigned long long)out->items[k].end, (unsigned long long)released);
        uint64_t hold = match_hold_from(&s);
        uint64_t now = hold < i ? hold : i;
        if (now < released)
            fail_msg("match_hold_from went back from %llu to %llu",
                     (unsigned long long)released, (unsigned long long)now);
        released = now;
    }
    size_t before = out->n;
    match_end_run(&s);
    take_done(&s, out);
    for (size_t k = before; k < out->n; k++)
        assert_true(out->items[k].start >= released);
    assert_int_equal(match_hold_from(&s), UINT64_MAX);
    match_stream_release(&s);
}

static void run_engine(const struct matcher *m, unsigned mask, const uint32_t *cps, size_t n,
                       struct mentions *out)
{
    run_engine_with(m, mask, cps, n, 0, out);
}

static char *mentions_string(const struct mentions *ms)
{
    struct str b = {0};
    str_add(&b, "%s", "");
    for (size_t i = 0; i < ms->n; i++)
        str_add(&b, "%s%u@%llu-%llu", i ? " " : "", (unsigned)ms->items[i].entry,
                (unsigned long long)ms->items[i].start, (unsigned long long)ms->items[i].end);
    return b.s;
}

/* Decodes a marked text: "[3:text]" is a mention of entry 3, MARK_BREAK a
 * run break, MARK_INVALID an invalid byte.  Fills cps and the expected
 * mentions, as a string. */
static size_t parse_marked(const char *marked, uint32_t *cps, size_t cap, char **expected)
{
    struct str b = {0};
    str_add(&b, "%s", "");
    size_t n = 0, nexp = 0;
    const unsigned char *p = (const unsigned char *)marked;
    unsigned entry = 0;
    size_t start = 0;
    int in_mention = 0;
    while (*p) {
        assert_true(n < cap);
        if (*p == '[') {
            assert_false(in_mention);
            char *end;
            entry = (unsigned)strtoul((const char *)p + 1, &end, 10);
            assert_int_equal(*end, ':');
            p = (const unsigned char *)end + 1;
            start = n;
            in_mention = 1;
        } else if (*p == ']') {
            assert_true(in_mention);
            str_add(&b, "%s%u@%zu-%zu", nexp++ ? " " : "", entry, start, n);
            in_mention = 0;
            p++;
        } else if (*p == MARK_BREAK) {
            cps[n++] = CP_BREAK;
            p++;
        } else if (*p == MARK_INVALID) {
            cps[n++] = MATCH_INVALID_CP;
            p++;
        } else {
            uint32_t cp;
            int len = utf8_decode(p, strlen((const char *)p), &cp);
            assert_true(len > 0);
            cps[n++] = cp;
            p += len;
        }
    }
    assert_false(in_mention);
    *expected = b.s;
    return n;
}

static void expect_marked(const struct matcher *m, unsigned mask, const char *marked)
{
    uint32_t cps[1024];
    char *expected;
    size_t n = parse_marked(marked, cps, 1024, &expected);
    for (int skip = 0; skip <= 1; skip++) {
        struct mentions got = {0};
        run_engine_with(m, mask, cps, n, skip, &got);
        char *actual = mentions_string(&got);
        if (strcmp(actual, expected) != 0)
            fail_msg("%s%s\n  expected: %s\n  actual:   %s", marked,
                     skip ? " (skipping idle text)" : "", expected, actual);
        free(actual);
        free(got.items);
    }
    free(expected);
}

/* ---- the cases ---- */

static void leftmost_longest(void **state)
{
    (void)state;
    static const struct pat p[] = {
        {"Supreme Eurasian Economic Council", 0, ENTRY_ORGANIZATION, 0},
        {"Eurasian Economic", 1, ENTRY_TERM, 0},
        {"Eurasian Economic Union", 2, ENTRY_ORGANIZATION, 0},
        {"Economic Council", 3, ENTRY_TERM, 0},
    };
    struct matcher *m = build(p, 4);
    expect_marked(m, ALL_TYPES, "The [0:Supreme Eurasian Economic Council] met.");
    expect_marked(m, ALL_TYPES, "The Supreme [2:Eurasian Economic Union] Council.");
    expect_marked(m, ALL_TYPES, "[2:Eurasian Economic Union] and [1:Eurasian Economic] Council");
    expect_marked(m, ALL_TYPES, "Supreme [1:Eurasian Economic] [3:Economic Council]");
    expect_marked(m, ALL_TYPES, "Supreme [1:Eurasian Economic] Councils");
    /* SPEC §3.1 rule 6. */
    expect_marked(m, ALL_TYPES, "[1:Eurasian Economic] Unionist");
    expect_marked(m, ALL_TYPES, "[1:Eurasian Economic] Union_");
    expect_marked(m, ALL_TYPES, "[1:Eurasian Economic] Union\xC2\xAD");
    expect_marked(m, ALL_TYPES, "[2:Eurasian Economic Union]'s");
    expect_marked(m, ALL_TYPES, "Supreme [1:Eurasian Economic] Counci");
    expect_marked(m, ALL_TYPES, "Supreme [1:Eurasian Economic]|Council");
    matcher_free(m);
}

static void chains_of_overlaps(void **state)
{
    (void)state;
    static const struct pat p[] = {
        {"X Y", 0, ENTRY_PERSON, 0},
        {"Y Z", 1, ENTRY_TERM, 0},
        {"Z", 2, ENTRY_TERM, 0},
        {"Y", 3, ENTRY_TERM, 0},
    };
    struct matcher *m = build(p, 4);
    expect_marked(m, ALL_TYPES, "[0:X Y] [2:Z]");
    expect_marked(m, ALL_TYPES, "[0:X Y] [2:Z] [1:Y Z] [3:Y]");
    expect_marked(m, ALL_TYPES, "XY [2:Z]");
    expect_marked(m, ALL_TYPES, "[0:X   Y]\t\n[2:Z]");
    expect_marked(m, ALL_TYPES, "X- [1:Y Z]");
    expect_marked(m, ALL_TYPES, "X|[1:Y Z]");
    expect_marked(m, ALL_TYPES, "[0:X Y]|[2:Z] [1:Y Z]");
    /* Without "X Y", the chain starts one later. */
    expect_marked(m, ALL_TYPES & ~(1u << ENTRY_PERSON), "X [1:Y Z]");
    matcher_free(m);

    /* a, a a, a a a, ...: the longest at the leftmost place, repeatedly. */
    static const struct pat q[] = {
        {"a", 0, ENTRY_TERM, 0},
        {"a a", 1, ENTRY_TERM, 0},
        {"a a a", 2, ENTRY_TERM, 0},
        {"a b", 3, ENTRY_TERM, 0},
    };
    m = build(q, 4);
    expect_marked(m, ALL_TYPES, "[2:a a a] [2:a a a] [1:a a]");
    expect_marked(m, ALL_TYPES, "[2:a a a] [3:a b]");
    expect_marked(m, ALL_TYPES, "[1:a a]|[3:a b]");
    expect_marked(m, ALL_TYPES, "[2:a a a] [0:a] ab");
    matcher_free(m);
}

static void word_boundaries(void **state)
{
    (void)state;
    static const struct pat p[] = {
        {"UN", 0, ENTRY_ORGANIZATION, 0},
        {"Hunan", 1, ENTRY_PLACE, 0},
    };
    struct matcher *m = build(p, 2);
    expect_marked(m, ALL_TYPES, "[0:UN]'s view ([0:UN]) on UNESCO in [1:Hunan], [0:UN].");
    expect_marked(m, ALL_TYPES, "[0:UN]\xE2\x80\x94[0:UN]\xC2\xAB[0:UN]\xC2\xBB \xEF\xBF\xBD[0:UN]\xEF\xBF\xBD");
    expect_marked(m, ALL_TYPES, "UNESCO HUNAN Hunanese un Un uN");
    expect_marked(m, ALL_TYPES, "UN\xC2\xB2 UN2 2UN UN_ _UN \xD0\x9BUN UN\xD0\x9B UN\xCC\x81");
    expect_marked(m, ALL_TYPES, "UN\xC2\xAD" "ESCO UN\xE2\x80\x8B" "ESCO UN\xE2\x80\x8D" "ESCO UN\xE2\x81\xA0" "ESCO");
    expect_marked(m, ALL_TYPES, "\xC2\xAD" "UN \xE2\x80\x8B" "UN");
    /* Invalid bytes are boundaries. */
    expect_marked(m, ALL_TYPES, "\x01[0:UN]\x01" "ESCO");
    /* Run starts and ends are boundaries. */
    expect_marked(m, ALL_TYPES, "[0:UN]");
    expect_marked(m, ALL_TYPES, "[0:UN]|ESCO");
    expect_marked(m, ALL_TYPES, "H|[0:UN]|an");
    expect_marked(m, ALL_TYPES, "x|||[0:UN]||");
    expect_marked(m, ALL_TYPES, "H|unan");
    /* A mention never spans a run break. */
    expect_marked(m, ALL_TYPES, "Hu|nan U|N");
    /* Spaces of every kind are boundaries. */
    expect_marked(m, ALL_TYPES, "\xC2\xA0[0:UN]\xE3\x80\x80[0:UN]\xE2\x80\xAF[0:UN]\t[0:UN]\r\n");
    matcher_free(m);
}

static void type_mask(void **state)
{
    (void)state;
    static const struct pat p[] = {
        {"Supreme Eurasian Economic Council", 0, ENTRY_ORGANIZATION, 0},
        {"Eurasian Economic Union", 1, ENTRY_ORGANIZATION, 0},
        {"Eurasian Economic", 2, ENTRY_TERM, 0},
        {"Lukashenko", 3, ENTRY_PERSON, 0},
        {"Aleksandr Lukashenko", 3, ENTRY_PERSON, 0},
    };
    struct matcher *m = build(p, 5);
    expect_marked(m, ALL_TYPES,
                  "[0:Supreme Eurasian Economic Council], [1:Eurasian Economic Union], [3:Aleksandr Lukashenko]");
    /* Excluded entries take no part: the shorter patterns inside them win. */
    expect_marked(m, ALL_TYPES & ~(1u << ENTRY_ORGANIZATION),
                  "Supreme [2:Eurasian Economic] Council, [2:Eurasian Economic] Union, [3:Aleksandr Lukashenko]");
    expect_marked(m, 1u << ENTRY_PERSON,
                  "Supreme Eurasian Economic Council, Eurasian Economic Union, [3:Aleksandr Lukashenko]");
    expect_marked(m, 1u << ENTRY_TERM,
                  "Supreme [2:Eurasian Economic] Council, [2:Eurasian Economic] Union, Aleksandr Lukashenko");
    expect_marked(m, 0, "Supreme Eurasian Economic Council, Eurasian Economic Union, Aleksandr Lukashenko");
    matcher_free(m);
}

/* Text with eight plain ASCII bytes ahead of a word is looked up in the
 * prefix index (keys of 1, 2, 3, 4 and 8 bytes) instead of walked; near a
 * tab, a double space or the end of the text it is walked.  Both must
 * agree with the plain feed. */
static void prefix_index_keys(void **state)
{
    (void)state;
    static const struct pat p[] = {
        {"X", 0, ENTRY_TERM, 0},
        {"UN", 1, ENTRY_ORGANIZATION, 0},
        {"un", 2, ENTRY_TERM, 1},
        {"EEU", 3, ENTRY_ORGANIZATION, 0},
        {"U.N.", 4, ENTRY_ORGANIZATION, 0},
        {"Minsk", 5, ENTRY_PLACE, 0},
        {"Kazakhst", 6, ENTRY_PLACE, 0},
        {"Kazakhstan", 7, ENTRY_PLACE, 0},
        {"republic of kazakhstan", 8, ENTRY_PLACE, 1},
        {"Belarus Republic", 9, ENTRY_PLACE, 0},
    };
    struct matcher *m = build(p, 10);
    expect_marked(m, ALL_TYPES, "the [1:UN] and [2:un] and [2:Un] and [3:EEU] members, not UNESCO "
                                "or EEUX or [4:U.N.] or U.N.O. yet");
    expect_marked(m, ALL_TYPES, "in [5:Minsk] and [7:Kazakhstan], Kazakhstani, [6:Kazakhst] and "
                                "[0:X] or Xylophone; [8:Republic of Kazakhstan] and "
                                "[8:REPUBLIC  OF\tKAZAKHSTAN] and [8:republic of kazakhstan]");
    /* A whitespace run from the eighth byte on (compared eight at a time). */
    expect_marked(m, ALL_TYPES, "the [9:Belarus  Republic] and [9:Belarus Republic] and "
                                "[9:Belarus \tRepublic] and Belarus Republican ...........");
    expect_marked(m, ALL_TYPES, "[7:Kazakhstan]\t[1:UN]  [3:EEU]\t\t[5:Minsk]&[1:UN]&amp; [2:un]");
    expect_marked(m, 1u << ENTRY_TERM, "the [2:UN] and [2:un] and [0:X] in Minsk, [2:UN] and EEU.........");
    expect_marked(m, 1u << ENTRY_PLACE, "Republic of [6:Kazakhst] and [6:Kazakhst] in [8:Republic of "
                                        "Kazakhstan] ...........");
    matcher_free(m);
}

/* Under one key more patterns than the index compares: the walk decides. */
static void prefix_index_crowded_key(void **state)
{
    (void)state;
    static const struct pat p[] = {
        {"Aleksandr Ivanov", 0, ENTRY_PERSON, 0}, {"Aleksandr Orlov", 1, ENTRY_PERSON, 0},
        {"Aleksandr Popov", 2, ENTRY_PERSON, 0},  {"Aleksandr Sokolov", 3, ENTRY_PERSON, 0},
        {"Aleksandr Volkov", 4, ENTRY_PERSON, 0}, {"aleksandr kozlov", 5, ENTRY_PERSON, 1},
        {"Aleksandra", 6, ENTRY_PERSON, 0},       {"Alek", 7, ENTRY_TERM, 0},
    };
    struct matcher *m = build(p, 8);
    expect_marked(m, ALL_TYPES, "[1:Aleksandr Orlov] met [5:ALEKSANDR KOZLOV], [6:Aleksandra] and "
                                "Aleksandr Petrov, [7:Alek] and [4:Aleksandr  Volkov] ..........");
    expect_marked(m, 1u << ENTRY_TERM, "Aleksandr Orlov met [7:Alek] and Aleksandra ..........");
    matcher_free(m);
}

/* Crowds under one key of eight bytes, for the prefix index itself. */
static const struct prefix_index_input crowds[] = {
    /* Of sixteen bytes or more: under keys of sixteen. */
    {"Aleksandr Ivanov", 16, 0}, {"Aleksandr Sokolov", 17, 0}, {"aleksandr kozlov", 16, 1},
    {"Aleksandr Orlov Jr", 18, 0},
    /* Shorter: still under the key of eight, after a note. */
    {"Aleksandr Orlov", 15, 0}, {"Aleksandra", 10, 0}, {"Aleksandr Popov", 15, 0},
    /* Too many under the same sixteen bytes: walked. */
    {"Nikolai Petrovich Aa", 20, 0}, {"Nikolai Petrovich Ab", 20, 0},
    {"Nikolai Petrovich Ac", 20, 0}, {"Nikolai Petrovich Ad", 20, 0},
    {"Nikolai Petrovich Ae", 20, 0},
    /* Too many shorter ones to compare: the whole key walked. */
    {"Vladimir Aa", 11, 0}, {"Vladimir Ab", 11, 0}, {"Vladimir Ac", 11, 0},
    {"Vladimir Ad", 11, 0}, {"Vladimir Ae", 11, 0}, {"Vladimir Putin Sr.", 18, 0},
};

/* The entries under the key of klen bytes (8 or 16) that text begins. */
static const struct prefix_pattern *under_key(const struct prefix_index *x, const char *text,
                                              unsigned klen, size_t *count)
{
    unsigned char padded[2 * PREFIX_WINDOW] = {0};
    memcpy(padded, text, strlen(text) < sizeof(padded) ? strlen(text) : sizeof(padded));
    uint64_t first = prefix_window(padded), second = prefix_window(padded + PREFIX_WINDOW);
    uint64_t key = klen == 16 ? prefix_key16(first, second) : prefix_key(first, klen);
    return prefix_index_find(x, key, klen, count);
}

static void expect_pattern_under(const struct prefix_index *x, const char *text, uint32_t pattern)
{
    size_t count;
    const struct prefix_pattern *c = under_key(x, text, 16, &count);
    assert_int_equal(count, 1);
    assert_int_equal(c->pattern, pattern);
    assert_int_equal(c->len, crowds[pattern].len);
}

/* Under a key of eight bytes that more than four patterns share, those of
 * sixteen bytes or more are indexed by their first sixteen, and a note
 * before the shorter ones says so; where that does not thin the crowd, it
 * is still left to the walk. */
static void prefix_index_sixteen_byte_keys(void **state)
{
    (void)state;
    struct prefix_index x;
    assert_int_equal(prefix_index_build(&x, crowds, sizeof(crowds) / sizeof(crowds[0])), 0);
    size_t count;
    const struct prefix_pattern *c = under_key(&x, "ALEKSANDR", 8, &count);
    assert_int_equal(count, 4);
    assert_true(c[0].len == 0 && c[0].longer);
    assert_int_equal(c[1].len, 15);
    assert_int_equal(c[2].len, 15);
    assert_int_equal(c[3].pattern, 5);
    expect_pattern_under(&x, "aleksandr ivanov", 0);
    expect_pattern_under(&x, "Aleksandr Sokolov", 1);
    expect_pattern_under(&x, "ALEKSANDR KOZLOV", 2);
    expect_pattern_under(&x, "Aleksandr Orlov Jr.", 3);
    c = under_key(&x, "Aleksandr Popov and", 16, &count);
    assert_int_equal(count, 0);
    c = under_key(&x, "Nikolai ", 8, &count);
    assert_true(count == 1 && c->len == 0 && c->longer);
    c = under_key(&x, "Nikolai Petrovich", 16, &count);
    assert_true(count == 1 && c->len == 0 && !c->longer);
    c = under_key(&x, "Vladimir", 8, &count);
    assert_true(count == 1 && c->len == 0 && !c->longer);
    prefix_index_release(&x);
}

/* What the keys of sixteen bytes find is what the walk finds: the longest
 * pattern, whitespace runs in the name, the end of the text, the types. */
static void prefix_index_sixteen_byte_matches(void **state)
{
    (void)state;
    static const struct pat p[] = {
        {"Aleksandr Ivanov", 0, ENTRY_PERSON, 0}, {"Aleksandr Sokolov", 1, ENTRY_PERSON, 0},
        {"aleksandr kozlov", 2, ENTRY_PERSON, 1}, {"Aleksandr Orlov Jr", 3, ENTRY_TERM, 0},
        {"Aleksandr Orlov", 4, ENTRY_PERSON, 0},  {"Aleksandra", 5, ENTRY_PERSON, 0},
        {"Aleksandr Popov", 6, ENTRY_PERSON, 0},
    };
    struct matcher *m = build(p, 7);
    expect_marked(m, ALL_TYPES, "[3:Aleksandr Orlov Jr] and [4:Aleksandr Orlov] met "
                                "[2:ALEKSANDR KOZLOV] and [0:Aleksandr Ivanov], not Aleksandr "
                                "Ivanovich; [1:Aleksandr  Sokolov] and [1:Aleksandr\nSokolov] "
                                "with [5:Aleksandra] and [6:Aleksandr Popov] ........");
    expect_marked(m, ALL_TYPES, "said [0:Aleksandr Ivanov]");
    expect_marked(m, ALL_TYPES, "Aleksandr Ivan|[0:Aleksandr Ivanov]|Aleksandr Sokolo");
    expect_marked(m, 1u << ENTRY_PERSON, "[4:Aleksandr Orlov] Jr and [0:Aleksandr Ivanov] ........");
    expect_marked(m, 1u << ENTRY_TERM, "[3:Aleksandr Orlov Jr] and Aleksandr Ivanov ........");
    matcher_free(m);
}

/* Text with the references pages write most, a no-break space in a name
 * among them, is taken whole from the bytes in hand, not left to be fed a
 * character at a time; the mentions are the ones feeding would find. */
static void scan_takes_common_references(void **state)
{
    (void)state;
    static const struct pat p[] = {
        {"Aleksandr Lukashenko", 0, ENTRY_PERSON, 0},
        {"Russia", 1, ENTRY_PLACE, 0},
    };
    struct matcher *m = build(p, 2);
    static const char text[] = "said Aleksandr&nbsp;Lukashenko&rsquo;s R&amp;D with Russia today";
    const size_t n = sizeof(text) - 1, russia = (size_t)(strstr(text, "Russia") - text);
    struct match_stream s;
    match_stream_init(&s, m, ALL_TYPES);
    assert_int_equal(match_scan(&s, (const unsigned char *)text, n, 0, 1), n);
    assert_int_equal(s.ndone, 2);
    assert_int_equal(s.done[0].entry, 0);
    assert_int_equal(s.done[0].start, 5);
    assert_int_equal(s.done[0].end, 5 + strlen("Aleksandr&nbsp;Lukashenko"));
    assert_int_equal(s.done[1].entry, 1);
    assert_int_equal(s.done[1].start, russia);
    assert_int_equal(s.done[1].end, russia + 6);
    match_stream_release(&s);
    matcher_free(m);
    /* The scan reads those references as the annotator's decoder does. */
    assert_int_equal(matcher_references_misread(), 0);
}

static void case_insensitive(void **state)
{
    (void)state;
    /* Insensitive patterns come already folded (the loader folds them). */
    static const struct pat p[] = {
        {"\xD0\xB5\xD0\xB2\xD1\x80\xD0\xB0\xD0\xB7\xD0\xB8\xD0\xB9\xD1\x81\xD0\xBA\xD0\xB8\xD0\xB9 "
         "\xD1\x8D\xD0\xBA\xD0\xBE\xD0\xBD\xD0\xBE\xD0\xBC\xD0\xB8\xD1\x87\xD0\xB5\xD1\x81\xD0\xBA\xD0\xB8\xD0\xB9 "
         "\xD1\x81\xD0\xBE\xD1\x8E\xD0\xB7", 0, ENTRY_ORGANIZATION, 1},   /* евразийский экономический союз */
        {"\xD0\xB5\xD0\xB2\xD1\x80\xD0\xB0\xD0\xB7\xD0\xB8\xD0\xB9\xD1\x81\xD0\xBA\xD0\xB8\xD0\xB9", 1, ENTRY_TERM, 1},
        {"eeu", 2, ENTRY_ORGANIZATION, 1},
        {"\xCE\xBF\xCE\xB4\xCE\xBF\xCF\x83", 3, ENTRY_PLACE, 1},              /* οδοσ */
        {"UN", 4, ENTRY_ORGANIZATION, 0},
        {"EEU Council", 5, ENTRY_ORGANIZATION, 0},
        {"kelvin", 6, ENTRY_TERM, 1},
    };
    struct matcher *m = build(p, 7);
    /* ЕВРАЗИЙСКИЙ ЭКОНОМИЧЕСКИЙ СОЮЗ */
    expect_marked(m, ALL_TYPES,
                  "[0:\xD0\x95\xD0\x92\xD0\xA0\xD0\x90\xD0\x97\xD0\x98\xD0\x99\xD0\xA1\xD0\x9A\xD0\x98\xD0\x99 "
                  "\xD0\xAD\xD0\x9A\xD0\x9E\xD0\x9D\xD0\x9E\xD0\x9C\xD0\x98\xD0\xA7\xD0\x95\xD0\xA1\xD0\x9A\xD0\x98\xD0\x99 "
                  "\xD0\xA1\xD0\x9E\xD0\xAE\xD0\x97]!");
    /* Евразийский экономический союз, over a line break */
    expect_marked(m, ALL_TYPES,
                  "([0:\xD0\x95\xD0\xB2\xD1\x80\xD0\xB0\xD0\xB7\xD0\xB8\xD0\xB9\xD1\x81\xD0\xBA\xD0\xB8\xD0\xB9\n"
                  "\xD1\x8D\xD0\xBA\xD0\xBE\xD0\xBD\xD0\xBE\xD0\xBC\xD0\xB8\xD1\x87\xD0\xB5\xD1\x81\xD0\xBA\xD0\xB8\xD0\xB9 "
                  "\xD1\x81\xD0\xBE\xD1\x8E\xD0\xB7])");
    /* ЕВРАЗИЙСКИЙ alone */
    expect_marked(m, ALL_TYPES,
                  "[1:\xD0\x95\xD0\x92\xD0\xA0\xD0\x90\xD0\x97\xD0\x98\xD0\x99\xD0\xA1\xD0\x9A\xD0\x98\xD0\x99] "
                  "\xD0\xA1\xD0\x9E\xD0\xAE\xD0\x97");
    expect_marked(m, ALL_TYPES, "[2:EEU] [2:eeu] [2:Eeu] [2:eEU] EEUs");
    /* The case-sensitive pattern that is longer wins where it matches. */
    expect_marked(m, ALL_TYPES, "[5:EEU Council] [2:eeu] council");
    /* ΟΔΟΣ, οδος (final sigma), Οδός has an accent: no. */
    expect_marked(m, ALL_TYPES,
                  "[3:\xCE\x9F\xCE\x94\xCE\x9F\xCE\xA3] [3:\xCE\xBF\xCE\xB4\xCE\xBF\xCF\x82] "
                  "\xCE\x9F\xCE\xB4\xCF\x8C\xCF\x82");
    /* Case-sensitive stays so. */
    expect_marked(m, ALL_TYPES, "[4:UN] un Un uN");
    /* The Kelvin sign folds to k. */
    expect_marked(m, ALL_TYPES, "[6:\xE2\x84\xAA" "ELVIN] [6:Kelvin]");
    matcher_free(m);
}

static void whitespace_runs(void **state)
{
    (void)state;
    static const struct pat p[] = {
        {"Aleksandr Lukashenko", 0, ENTRY_PERSON, 0},
        {"a b c", 1, ENTRY_TERM, 0},
    };
    struct matcher *m = build(p, 2);
    expect_marked(m, ALL_TYPES, "[0:Aleksandr Lukashenko]");
    expect_marked(m, ALL_TYPES, "[0:Aleksandr      Lukashenko]");
    expect_marked(m, ALL_TYPES, "[0:Aleksandr\n\t \r\n\fLukashenko]");
    expect_marked(m, ALL_TYPES, "[0:Aleksandr\xC2\xA0Lukashenko]");
    expect_marked(m, ALL_TYPES, "[0:Aleksandr\xE2\x80\xAF\xE2\x80\x89\xE3\x80\x80 Lukashenko]");
    expect_marked(m, ALL_TYPES, "  \n [0:Aleksandr \xC2\xA0 Lukashenko]  \n ");
    expect_marked(m, ALL_TYPES, "[1:a  b\t\tc]   [1:a\xC2\xA0" "b\xC2\xA0" "c]");
    /* A run break is not a space; nor are other separators. */
    expect_marked(m, ALL_TYPES, "Aleksandr|Lukashenko Aleksandr| Lukashenko Aleksandr-Lukashenko");
    expect_marked(m, ALL_TYPES, "AleksandrLukashenko Aleksandr\x0BLukashenko Aleksandr\xC2\xADLukashenko");
    /* A long run of spaces inside a mention still matches. */
    char text[700];
    strcpy(text, "[0:Aleksandr");
    size_t n = strlen(text);
    memset(text + n, ' ', 600);
    strcpy(text + n + 600, "Lukashenko]");
    expect_marked(m, ALL_TYPES, text);
    matcher_free(m);
}

static void hold_from(void **state)
{
    (void)state;
    static const struct pat p[] = {
        {"Aleksandr Lukashenko", 0, ENTRY_PERSON, 0},
        {"A B", 1, ENTRY_TERM, 0},
        {"A B C D", 2, ENTRY_TERM, 0},
    };
    struct matcher *m = build(p, 3);
    struct match_stream s;
    match_stream_init(&s, m, ALL_TYPES);
    assert_int_equal(match_hold_from(&s), UINT64_MAX);
    /* "xy " fed at offsets 100, 101, 102: idle. */
    uint64_t at = 100;
    for (const char *c = "xy "; *c; c++, at++) {
        match_feed(&s, (unsigned char)*c, at, at + 1);
        assert_int_equal(match_hold_from(&s), UINT64_MAX);
    }
    /* "Aleksandr" at 103..111, then spaces: held from the 'A'. */
    for (const char *c = "Aleksandr"; *c; c++, at++) {
        match_feed(&s, (unsigned char)*c, at, at + 1);
        assert_int_equal(match_hold_from(&s), 103);
    }
    for (int i = 0; i < 5; i++, at++) {
        match_feed(&s, i % 2 ? ' ' : 0xA0, at, at + 1);
        assert_int_equal(match_hold_from(&s), 103);
    }
    for (const char *c = "Lukashenko"; *c; c++, at++) {
        match_feed(&s, (unsigned char)*c, at, at + 1);
        assert_int_equal(match_hold_from(&s), 103);
        assert_int_equal(s.ndone, 0);
    }
    /* The boundary after it makes it final. */
    match_feed(&s, '.', at, at + 1);
    at++;
    assert_int_equal(s.ndone, 1);
    assert_int_equal(s.done[0].entry, 0);
    assert_int_equal(s.done[0].start, 103);
    assert_int_equal(s.done[0].end, 103 + 9 + 5 + 10);
    s.ndone = 0;
    assert_int_equal(match_hold_from(&s), UINT64_MAX);

    /* A mention that is found but may still be beaten holds its start. */
    match_feed(&s, ' ', at, at + 1);
    at++;
    uint64_t a_at = at;
    for (const char *c = "A B C"; *c; c++, at++)
        match_feed(&s, (unsigned char)*c, at, at + 1);
    assert_int_equal(s.ndone, 0);
    assert_int_equal(match_hold_from(&s), a_at);
    /* "A B C E": "A B C D" is out, so "A B" is final. */
    match_feed(&s, ' ', at, at + 1);
    at++;
    match_feed(&s, 'E', at, at + 1);
    at++;
    assert_int_equal(s.ndone, 1);
    assert_int_equal(s.done[0].entry, 1);
    assert_int_equal(s.done[0].start, a_at);
    assert_int_equal(s.done[0].end, a_at + 3);
    s.ndone = 0;
    assert_int_equal(match_hold_from(&s), UINT64_MAX);

    /* The end of a run settles everything. */
    for (const char *c = " Aleks"; *c; c++, at++)
        match_feed(&s, (unsigned char)*c, at, at + 1);
    assert_int_equal(match_hold_from(&s), at - 5);
    match_end_run(&s);
    assert_int_equal(s.ndone, 0);
    assert_int_equal(match_hold_from(&s), UINT64_MAX);
    for (const char *c = "A B"; *c; c++, at++)
        match_feed(&s, (unsigned char)*c, at, at + 1);
    assert_int_equal(match_hold_from(&s), at - 3);
    match_end_run(&s);
    assert_int_equal(s.ndone, 1);
    assert_int_equal(s.done[0].start, at - 3);
    assert_int_equal(s.done[0].end, at);
    assert_int_equal(match_hold_from(&s), UINT64_MAX);
    match_stream_release(&s);
    matcher_free(m);
}

/* Patterns that take several bytes per code point and offsets that are
 * not one per code point: the offsets are the ones fed. */
static void offsets_are_the_fed_ones(void **state)
{
    (void)state;
    static const struct pat p[] = {
        {"\xD0\x9B\xD1\x83\xD0\xBA\xD0\xB0\xD1\x88\xD0\xB5\xD0\xBD\xD0\xBA\xD0\xBE", 7, ENTRY_PERSON, 0},
    };
    struct matcher *m = build(p, 1);
    struct match_stream s;
    match_stream_init(&s, m, ALL_TYPES);
    static const uint32_t cps[] = {0x41B, 0x443, 0x43A, 0x430, 0x448, 0x435, 0x43D, 0x43A, 0x43E};
    uint64_t at = 1000;
    for (size_t i = 0; i < 9; i++) {
        /* as if each were written as a 6-byte reference "&#NNNN;" */
        match_feed(&s, cps[i], at, at + 7);
        at += 7;
    }
    match_end_run(&s);
    assert_int_equal(s.ndone, 1);
    assert_int_equal(s.done[0].entry, 7);
    assert_int_equal(s.done[0].start, 1000);
    assert_int_equal(s.done[0].end, 1000 + 9 * 7);
    match_stream_release(&s);
    matcher_free(m);
}

static void automaton_finds_every_pattern(void **state)
{
    (void)state;
    struct ac_pattern p[] = {
        {(const unsigned char *)"he", 2, 0},
        {(const unsigned char *)"she", 3, 1},
        {(const unsigned char *)"his", 3, 2},
        {(const unsigned char *)"hers", 4, 3},
        {(const unsigned char *)"\xD0\x9B", 2, 4},
    };
    struct automaton *a = automaton_build(p, 5);
    assert_non_null(a);
    assert_true(automaton_memory(a) > 0);
    /* "ushers Л": she and he end at 's'... */
    const char *text = "ushers \xD0\x9B";
    struct str found = {0};
    str_add(&found, "%s", "");
    uint32_t s = AC_ROOT;
    for (size_t i = 0; text[i]; i++) {
        s = automaton_next(a, s, (unsigned char)text[i]);
        for (uint32_t r = automaton_found(a, s); r != AC_NO_REPORT; r = a->reports[r].next)
            str_add(&found, "%u@%zu(%u) ", a->reports[r].pattern, i, a->depth[s]);
    }
    /* (the depth is the state's, in code points) */
    assert_string_equal(found.s, "1@3(3) 0@3(3) 3@5(4) 4@8(1) ");
    free(found.s);
    automaton_free(a);
}

/* ---- random patterns against a reference ---- */

static uint64_t rng_state;

static uint32_t rnd(void)
{
    /* xorshift64* */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 2685821657736338717ull) >> 32);
}

static uint32_t pick(const uint32_t *a, size_t n)
{
    return a[rnd() % n];
}

#define LAMBDA 0x3BBu
#define CAP_LAMBDA 0x39Bu
#define SHY 0xADu

/* Patterns use these; case-insensitive ones only the folded ones. */
static const uint32_t pattern_chars[] = {'a', 'a', 'b', 'b', 'A', '-', LAMBDA, CAP_LAMBDA, SHY, '2'};
static const uint32_t folded_chars[] = {'a', 'a', 'b', 'b', '-', LAMBDA, SHY, '2'};
/* Text noise. */
static const uint32_t noise_chars[] = {'a', 'b', 'A', 'B', 'c', LAMBDA, CAP_LAMBDA, '-', '.', '(', SHY, '2', 0xB2, 0x2014};
static const uint32_t space_chars[] = {' ', ' ', ' ', '\t', '\n', 0xA0, 0x3000, 0x202F};

struct rpat {
    uint32_t cp[MATCH_PATTERN_MAX];
    size_t len;
    int insensitive;
    uint8_t type;
    char *utf8;
};

static int keys_equal(const struct rpat *x, const struct rpat *y)
{
    if (x->len != y->len)
        return 0;
    for (size_t i = 0; i < x->len; i++)
        if (uc_fold(x->cp[i]) != uc_fold(y->cp[i]))
            return 0;
    return 1;
}

/* The loader's duplicate rule, so that no two patterns match one span. */
static int clashes(const struct rpat *all, size_t n, const struct rpat *p)
{
    for (size_t i = 0; i < n; i++) {
        if (!keys_equal(&all[i], p))
            continue;
        if (all[i].insensitive || p->insensitive)
            return 1;
        if (memcmp(all[i].cp, p->cp, p->len * sizeof(uint32_t)) == 0)
            return 1;
    }
    return 0;
}

static void make_pattern(struct rpat *p, size_t max_len)
{
    for (;;) {
        p->insensitive = rnd() % 3 == 0;
        p->type = (uint8_t)(rnd() % ENTRY_TYPE_COUNT);
        int long_one = rnd() % 8 == 0 || (max_len > 100 && rnd() % 2);
        size_t len = 1 + rnd() % (long_one || max_len < 7 ? max_len : 7);
        p->len = len;
        for (size_t i = 0; i < len; i++) {
            if (i > 0 && i + 1 < len && p->cp[i - 1] != ' ' && rnd() % 4 == 0)
                p->cp[i] = ' ';
            else
                p->cp[i] = p->insensitive ? pick(folded_chars, sizeof(folded_chars) / 4)
                                          : pick(pattern_chars, sizeof(pattern_chars) / 4);
        }
        if (p->cp[0] != ' ' && p->cp[len - 1] != ' ')
            break;
    }
    unsigned char buf[MATCH_PATTERN_MAX * 4 + 1];
    size_t n = 0;
    for (size_t i = 0; i < p->len; i++)
        n += utf8_encode(p->cp[i], buf + n);
    buf[n] = '\0';
    p->utf8 = strdup((const char *)buf);
    assert_non_null(p->utf8);
}

struct text {
    uint32_t *cp;
    size_t n, cap;
};

static void text_add(struct text *t, uint32_t cp)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 1024;
        t->cp = realloc(t->cp, t->cap * sizeof(*t->cp));
        assert_non_null(t->cp);
    }
    t->cp[t->n++] = cp;
}

static void add_space_run(struct text *t)
{
    size_t n = 1 + (rnd() % 4 == 0 ? rnd() % 4 : 0);
    for (size_t i = 0; i < n; i++)
        text_add(t, pick(space_chars, sizeof(space_chars) / 4));
}

static uint32_t random_case(uint32_t cp)
{
    if (rnd() % 2)
        return cp;
    if (cp == 'a' || cp == 'b')
        return cp - 32;
    if (cp == LAMBDA)
        return CAP_LAMBDA;
    return cp;
}

static void add_pattern_text(struct text *t, const struct rpat *p, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (p->cp[i] == ' ')
            add_space_run(t);
        else
            text_add(t, p->insensitive ? random_case(p->cp[i]) : p->cp[i]);
    }
}

static void make_text(struct text *t, const struct rpat *pats, size_t npats, size_t target)
{
    t->n = 0;
    while (t->n < target) {
        unsigned r = rnd() % 10;
        const struct rpat *p = &pats[rnd() % npats];
        if (r < 5)
            add_pattern_text(t, p, p->len);
        else if (r < 7)
            add_pattern_text(t, p, 1 + rnd() % p->len);   /* a prefix */
        else
            for (unsigned k = 1 + rnd() % 3; k > 0; k--)
                text_add(t, pick(noise_chars, sizeof(noise_chars) / 4));
        switch (rnd() % 10) {
        case 0: case 1: case 2: case 3:
            add_space_run(t);
            break;
        case 4: case 5:
            break;
        case 6:
            text_add(t, pick(noise_chars + 7, sizeof(noise_chars) / 4 - 7));
            break;
        case 7:
            text_add(t, CP_BREAK);
            break;
        case 8:
            text_add(t, rnd() % 2 ? MATCH_INVALID_CP : SHY);
            break;
        default:
            add_space_run(t);
            text_add(t, CP_BREAK);
            add_space_run(t);
        }
    }
}

/* Leftmost-longest by brute force, one run at a time. */
static void reference(const struct rpat *pats, size_t npats, unsigned mask,
                      const uint32_t *cps, size_t n, struct mentions *out)
{
    uint32_t *sym = malloc((n + 1) * sizeof(*sym));
    uint64_t *off = malloc((n + 1) * sizeof(*off));
    int *word = malloc((n + 1) * sizeof(*word));
    assert_non_null(sym);
    assert_non_null(off);
    assert_non_null(word);
    for (size_t i = 0; i <= n;) {
        /* One run: symbols, with whitespace runs as one ' '. */
        size_t ns = 0;
        for (; i < n && cps[i] != CP_BREAK; i++) {
            enum uc_class c = uc_classify(cps[i]);
            if (c == UC_SPACE && ns > 0 && sym[ns - 1] == ' ')
                continue;
            sym[ns] = c == UC_SPACE ? ' ' : cps[i];
            off[ns] = i;
            word[ns] = c == UC_WORD;
            ns++;
        }
        i++;
        for (size_t at = 0; at < ns;) {
            size_t best_len = 0;
            uint32_t best_entry = 0;
            if (at == 0 || !word[at - 1]) {
                for (size_t k = 0; k < npats; k++) {
                    const struct rpat *p = &pats[k];
                    if (p->len <= best_len || at + p->len > ns || !(mask & (1u << p->type)))
                        continue;
                    if (at + p->len < ns && word[at + p->len])
                        continue;
                    size_t j = 0;
                    if (p->insensitive)
                        while (j < p->len && uc_fold(sym[at + j]) == p->cp[j])
                            j++;
                    else
                        while (j < p->len && sym[at + j] == p->cp[j])
                            j++;
                    if (j == p->len) {
                        best_len = p->len;
                        best_entry = (uint32_t)k;
                    }
                }
            }
            if (!best_len) {
                at++;
                continue;
            }
            if (out->n == out->cap) {
                out->cap = out->cap ? out->cap * 2 : 64;
                out->items = realloc(out->items, out->cap * sizeof(*out->items));
                assert_non_null(out->items);
            }
            out->items[out->n++] = (struct mention){best_entry, off[at], off[at + best_len - 1] + 1};
            at += best_len;
        }
    }
    free(sym);
    free(off);
    free(word);
}

static void describe_text(const uint32_t *cps, size_t from, size_t to)
{
    struct str b = {0};
    str_add(&b, "%s", "");
    for (size_t i = from; i < to; i++) {
        if (cps[i] == CP_BREAK)
            str_add(&b, "<|>");
        else if (cps[i] == MATCH_INVALID_CP)
            str_add(&b, "<bad>");
        else if (cps[i] < 0x80 && cps[i] >= 0x20)
            str_add(&b, "%c", (char)cps[i]);
        else
            str_add(&b, "<%X>", (unsigned)cps[i]);
    }
    fprintf(stderr, "text [%zu, %zu): %s\n", from, to, b.s);
    free(b.s);
}

static size_t first_difference(const struct mentions *want, const struct mentions *got)
{
    size_t k = 0;
    while (k < want->n && k < got->n && want->items[k].entry == got->items[k].entry &&
           want->items[k].start == got->items[k].start && want->items[k].end == got->items[k].end)
        k++;
    return k;
}

static void show_mention(const char *what, const struct rpat *pats, const struct mention *m)
{
    fprintf(stderr, "%s %u \"%s\" [%llu, %llu)\n", what, m->entry, pats[m->entry].utf8,
            (unsigned long long)m->start, (unsigned long long)m->end);
}

static void show_difference(const struct rpat *pats, const struct text *t, const struct mentions *want,
                            const struct mentions *got, size_t k)
{
    uint64_t from = k < want->n ? want->items[k].start : got->items[k].start;
    if (k < got->n && got->items[k].start < from)
        from = got->items[k].start;
    from = from > 20 ? from - 20 : 0;
    describe_text(t->cp, from, from + 80 < t->n ? from + 80 : t->n);
    for (size_t j = k; j < k + 3; j++) {
        if (j < want->n)
            show_mention("want", pats, &want->items[j]);
        if (j < got->n)
            show_mention("got ", pats, &got->items[j]);
    }
}

static void against_reference(uint64_t seed, size_t npats, size_t max_len, size_t texts, size_t text_len)
{
    rng_state = seed;
    struct rpat *pats = calloc(npats, sizeof(*pats));
    struct matcher_pattern_spec *specs = calloc(npats, sizeof(*specs));
    assert_non_null(pats);
    assert_non_null(specs);
    for (size_t i = 0; i < npats; i++) {
        do {
            free(pats[i].utf8);
            make_pattern(&pats[i], max_len);
        } while (clashes(pats, i, &pats[i]));
        specs[i] = (struct matcher_pattern_spec){pats[i].utf8, strlen(pats[i].utf8), (uint32_t)i,
                                                 pats[i].type, (uint8_t)pats[i].insensitive};
    }
    struct matcher *m = matcher_build(specs, npats);
    assert_non_null(m);
    struct text t = {0};
    size_t total = 0;
    for (size_t round = 0; round < texts; round++) {
        unsigned mask = round % 2 ? ALL_TYPES : rnd() & ALL_TYPES;
        make_text(&t, pats, npats, text_len);
        struct mentions want = {0};
        reference(pats, npats, mask, t.cp, t.n, &want);
        total += want.n;
        for (int skip = 0; skip <= 1; skip++) {
            struct mentions got = {0};
            run_engine_with(m, mask, t.cp, t.n, skip, &got);
            size_t k = first_difference(&want, &got);
            if (k < want.n || k < got.n) {
                show_difference(pats, &t, &want, &got, k);
                fail_msg("seed %llu, text %zu (mask %#x%s): mention %zu differs (%zu wanted, %zu found)",
                         (unsigned long long)seed, round, mask, skip ? ", skipping idle text" : "",
                         k, want.n, got.n);
            }
            free(got.items);
        }
        free(want.items);
    }
    /* The texts must have exercised the matcher. */
    assert_true(total > texts * 10);
    free(t.cp);
    matcher_free(m);
    for (size_t i = 0; i < npats; i++)
        free(pats[i].utf8);
    free(pats);
    free(specs);
}

static void random_short_patterns(void **state)
{
    (void)state;
    against_reference(20160530, 1000, 12, 60, 3000);
}

static void random_long_patterns(void **state)
{
    (void)state;
    against_reference(20160531, 1000, 40, 30, 3000);
}

static void random_longest_patterns(void **state)
{
    (void)state;
    against_reference(1994, 60, MATCH_PATTERN_MAX, 20, 4000);
}

static void random_few_patterns(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 40; seed++)
        against_reference(seed, 1 + seed % 7, 5, 10, 400);
}

/* Many nested patterns at one place: only the longest candidate per start
 * is kept, so the list never fills and leftmost-longest holds.  With "a",
 * "a a", ..., 100 a's and a text of 120 a's: 100 a's, then 20. */
static void many_nested_patterns(void **state)
{
    (void)state;
    enum { N = 100, T = 120 };
    struct matcher_pattern_spec specs[N];
    char *texts[N];
    for (size_t k = 1; k <= N; k++) {
        char *t = malloc(2 * k);
        assert_non_null(t);
        for (size_t i = 0; i < k; i++) {
            t[2 * i] = 'a';
            t[2 * i + 1] = ' ';
        }
        t[2 * k - 1] = '\0';
        texts[k - 1] = t;
        specs[k - 1] = (struct matcher_pattern_spec){t, 2 * k - 1, (uint32_t)k, ENTRY_TERM, 0};
    }
    struct matcher *m = matcher_build(specs, N);
    assert_non_null(m);
    uint32_t cps[2 * T + 1];
    size_t n = 0;
    for (size_t i = 0; i < T; i++) {
        if (i)
            cps[n++] = ' ';
        cps[n++] = 'a';
    }
    cps[n++] = '.';
    struct mentions got = {0};
    run_engine(m, ALL_TYPES, cps, n, &got);
    char *actual = mentions_string(&got), result[128];
    snprintf(result, sizeof(result), "%s", actual);
    free(actual);
    free(got.items);
    matcher_free(m);
    for (size_t k = 0; k < N; k++)
        free(texts[k]);
    assert_string_equal(result, "100@0-199 20@200-239");
}

static void no_patterns(void **state)
{
    (void)state;
    struct matcher *m = matcher_build(NULL, 0);
    assert_non_null(m);
    assert_null(m->exact);
    assert_null(m->folded);
    expect_marked(m, ALL_TYPES, "Nothing to see here|at all");
    assert_true(matcher_memory(m) > 0);
    matcher_free(m);
    /* Only case-insensitive ones, only case-sensitive ones. */
    static const struct pat ci[] = {{"un", 0, ENTRY_ORGANIZATION, 1}};
    m = build(ci, 1);
    assert_null(m->exact);
    expect_marked(m, ALL_TYPES, "[0:UN] [0:un] [0:Un]'s UNESCO Hunan hUN ([0:uN])");
    matcher_free(m);
    static const struct pat cs[] = {{"UN", 0, ENTRY_ORGANIZATION, 0}};
    m = build(cs, 1);
    assert_null(m->folded);
    expect_marked(m, ALL_TYPES, "[0:UN] un UNESCO");
    matcher_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(leftmost_longest),
        cmocka_unit_test(chains_of_overlaps),
        cmocka_unit_test(word_boundaries),
        cmocka_unit_test(type_mask),
        cmocka_unit_test(prefix_index_keys),
        cmocka_unit_test(prefix_index_crowded_key),
        cmocka_unit_test(prefix_index_sixteen_byte_keys),
        cmocka_unit_test(prefix_index_sixteen_byte_matches),
        cmocka_unit_test(scan_takes_common_references),
        cmocka_unit_test(case_insensitive),
        cmocka_unit_test(whitespace_runs),
        cmocka_unit_test(hold_from),
        cmocka_unit_test(offsets_are_the_fed_ones),
        cmocka_unit_test(automaton_finds_every_pattern),
        cmocka_unit_test(no_patterns),
        cmocka_unit_test(many_nested_patterns),
        cmocka_unit_test(random_short_patterns),
        cmocka_unit_test(random_long_patterns),
        cmocka_unit_test(random_longest_patterns),
        cmocka_unit_test(random_few_patterns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

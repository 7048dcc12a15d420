#include "matcher.h"
#include "charref.h"
#include "unicode.h"

#include <stdlib.h>
#include <string.h>

static uint16_t count_code_points(const char *s, size_t n)
{
    size_t cps = 0;
    for (size_t i = 0; i < n; i++)
        cps += ((unsigned char)s[i] & 0xC0) != 0x80;
    return (uint16_t)cps;
}

static struct automaton *build_side(const struct matcher_pattern_spec *specs, size_t n,
                                    int insensitive, int *failed)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        count += specs[i].insensitive == insensitive;
    if (!count)
        return NULL;
    struct ac_pattern *p = malloc(count * sizeof(*p));
    if (!p) {
        *failed = 1;
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (specs[i].insensitive == insensitive)
            p[k++] = (struct ac_pattern){(const unsigned char *)specs[i].text,
                                         specs[i].len, (uint32_t)i};
    struct automaton *a = automaton_build(p, count);
    free(p);
    if (!a)
        *failed = 1;
    return a;
}

/* The classes (byte & 7) of what may follow a pattern's first two bytes
 * in text: a third byte, anything after a pattern of two bytes.  (Text
 * whitespace but a plain space, which a pattern's space may stand for, is
 * of every class: see class_bit.) */
static unsigned char third_byte_classes(const struct automaton *a, uint32_t node)
{
    if (automaton_pattern(a, node) != AC_NO_PATTERN)
        return 0xFF;
    unsigned char classes = 0;
    for (uint32_t c3 = a->nodes[node].children; c3 < a->nodes[node + 1].children; c3++)
        classes |= (unsigned char)(1u << (a->label[c3] & 7));
    return classes;
}

static unsigned char ascii_upper(unsigned char b)
{
    return b >= 'a' && b <= 'z' ? (unsigned char)(b - 32) : b;
}

static void set_start2(struct matcher *m, unsigned char b1, unsigned char b2, unsigned char classes)
{
    m->starts2[b1][b2] |= classes;
}

/* From the first two levels of an automaton: starts2, the first two bytes
 * of every pattern and the classes of its third; lone_starts, the first
 * bytes that are a pattern or come before a character that is no ASCII
 * word character.  Both cases of ASCII letters for the case-insensitive
 * automaton (whose patterns are folded; a letter's case does not change
 * its class). */
static void mark_starts(struct matcher *m, const struct automaton *a, int both_cases)
{
    if (!a)
        return;
    for (uint32_t c1 = a->nodes[AC_ROOT].children; c1 < a->nodes[AC_ROOT + 1].children; c1++) {
        unsigned char b1 = a->label[c1];
        if (b1 >= 0x80)
            continue;
        int lone = automaton_pattern(a, c1) != AC_NO_PATTERN;
        for (uint32_t c2 = a->nodes[c1].children; c2 < a->nodes[c1 + 1].children; c2++) {
            unsigned char b2 = a->label[c2];
            lone |= b2 >= 0x80 || uc_classify(b2) != UC_WORD;
            if (b2 >= 0x80)
                continue;
            unsigned char classes = third_byte_classes(a, c2);
            set_start2(m, b1, b2, classes);
            if (both_cases) {
                set_start2(m, ascii_upper(b1), b2, classes);
                set_start2(m, b1, ascii_upper(b2), classes);
                set_start2(m, ascii_upper(b1), ascii_upper(b2), classes);
            }
        }
        if (lone)
            m->lone_starts[b1] = m->lone_starts[both_cases ? ascii_upper(b1) : b1] = 1;
    }
}

/* after_three's slot for the three bytes at p, either case. */
static inline size_t after_three_slot(const unsigned char *p)
{
    uint32_t three = ((uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2]) | 0x202020u;
    return (three * 0x9E3779B1u) >> 22;
}

/* The classes (byte & 7) the text may have at p[k] where a pattern has
 * text[k]: any after its end or for a byte that is decoded; a space's
 * after a space too (the run may go on). */
static unsigned char classes_at(const unsigned char *text, size_t len, size_t k)
{
    if (k >= len || text[k] >= 0x80 || text[k] == '&')
        return 0xFF;
    unsigned char classes = (unsigned char)(1u << (text[k] & 7));
    return k > 0 && text[k - 1] == ' ' ? classes | 1u << (' ' & 7) : classes;
}

/* after_three from the patterns that begin with three ASCII word
 * characters. */
static void mark_after_three(struct matcher *m, const struct matcher_pattern_spec *specs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const unsigned char *t = (const unsigned char *)specs[i].text;
        size_t len = specs[i].len, k = 0;
        while (k < 3 && k < len && t[k] < 0x80 && uc_classify(t[k]) == UC_WORD)
            k++;
        if (k < 3)
            continue;
        unsigned char third = classes_at(t, len, 3), fourth = classes_at(t, len, 4);
        uint64_t *bits = &m->after_three[after_three_slot(t)];
        for (unsigned a = 0; a < 8; a++)
            for (unsigned b = 0; b < 8; b++)
                if ((third >> a & 1) && (fourth >> b & 1))
                    *bits |= 1ull << (a * 8 + b);
    }
}

static int index_prefixes(struct matcher *m, const struct matcher_pattern_spec *specs, size_t n)
{
    struct prefix_index_input *in = malloc((n ? n : 1) * sizeof(*in));
    if (!in)
        return -1;
    for (size_t i = 0; i < n; i++)
        in[i] = (struct prefix_index_input){specs[i].text, specs[i].len, specs[i].insensitive};
    int rv = prefix_index_build(&m->prefix, in, n);
    free(in);
    return rv;
}

static int char_may_start(const struct matcher *m, const unsigned char *p, size_t len, uint32_t cp);
static int common_reference_at(const unsigned char *p, size_t n);

/* A character's entry in char_table: what match_scan would decide from
 * its decoding. */
static unsigned char char_entry(const struct matcher *m, uint32_t cp)
{
    unsigned char bytes[4];
    size_t len = utf8_encode(cp, bytes);
    enum uc_class cls = uc_classify(cp);
    int stops = char_may_start(m, bytes, len, cp) || (len == 3 && cls == UC_WORD);
    return (unsigned char)(cls | (stops ? CHAR_STOPS : 0));
}

/* Character references that pages write most, in forms that decode alike
 * wherever they stand (a name with its ';', a number), each to a character
 * that is no word character. */
static const struct common_reference {
    char text[9];
    uint8_t len;
    uint32_t cp;
} common_references[MATCH_REFERENCES] = {
    {"&nbsp;", 6, 0xA0},     {"&#160;", 6, 0xA0},     {"&#xa0;", 6, 0xA0},    {"&#xA0;", 6, 0xA0},
    {"&#Xa0;", 6, 0xA0},     {"&#XA0;", 6, 0xA0},     {"&amp;", 5, '&'},      {"&quot;", 6, '"'},
    {"&#39;", 5, '\''},      {"&apos;", 6, '\''},     {"&lt;", 4, '<'},       {"&gt;", 4, '>'},
    {"&lsquo;", 7, 0x2018},  {"&rsquo;", 7, 0x2019},  {"&ldquo;", 7, 0x201C}, {"&rdquo;", 7, 0x201D},
    {"&ndash;", 7, 0x2013},  {"&mdash;", 7, 0x2014},  {"&hellip;", 8, 0x2026},
};

/* Which of common_references is at p[0] ('&'), whole before n; -1 when
 * none is. */
static int common_reference_at(const unsigned char *p, size_t n)
{
    for (int r = 0; r < MATCH_REFERENCES; r++) {
        const struct common_reference *c = &common_references[r];
        if (n >= c->len && p[1] == (unsigned char)c->text[1] &&
            memcmp(p + 2, c->text + 2, c->len - 2u) == 0)
            return r;
    }
    return -1;
}

/* Whether charref.c, which decodes references for the annotator, decodes
 * the common reference whole, from its own bytes, to its code point, and
 * that is no word character (the scan takes it for a boundary). */
static int decodes_as_listed(const struct common_reference *c)
{
    struct charref ref;
    charref_start(&ref);
    enum charref_step step = CHARREF_MORE;
    for (size_t k = 1; k < c->len && step == CHARREF_MORE; k++)
        step = charref_push(&ref, (unsigned char)c->text[k]);
    uint32_t cp[2];
    int ncp;
    return step == CHARREF_DONE && charref_resolve(&ref, 0, -1, cp, &ncp) == c->len - 1u &&
           ncp == 1 && cp[0] == c->cp && uc_classify(cp[0]) != UC_WORD;
}

static void tabulate_chars(struct matcher *m)
{
    for (int r = 0; r < MATCH_REFERENCES; r++)
        m->reference_entries[r] = char_entry(m, common_references[r].cp);
    for (uint32_t cp = 0x80; cp < MATCH_CHAR_TWO_BYTES; cp++)
        m->char_table[cp] = char_entry(m, cp);
    for (uint32_t k = 0; k < MATCH_CHAR_PUNCT; k++)
        m->char_table[MATCH_CHAR_TWO_BYTES + k] = char_entry(m, MATCH_CHAR_PUNCT_FIRST + k);
}

static void classify_bytes(struct matcher *m)
{
    unsigned char word[128], starts[128];
    for (unsigned b = 0; b < 128; b++) {
        word[b] = (m->byte_info[b] & BYTE_WORD) != 0;
        starts[b] = (m->byte_info[b] & BYTE_STARTS) != 0;
    }
    byte_classes_init(&m->classes, word, starts);
}

struct matcher *matcher_build(const struct matcher_pattern_spec *specs, size_t n)
{
    struct matcher *m = calloc(1, sizeof(*m));
    if (!m)
        return NULL;
    m->patterns = malloc((n ? n : 1) * sizeof(*m->patterns));
    if (!m->patterns) {
        free(m);
        return NULL;
    }
    m->npatterns = n;
    for (size_t i = 0; i < n; i++)
        m->patterns[i] = (struct match_pattern){specs[i].entry,
            count_code_points(specs[i].text, specs[i].len), specs[i].type,
            (uint8_t)(1u << specs[i].type)};
    int failed = 0;
    m->exact = build_side(specs, n, 0, &failed);
    m->folded = build_side(specs, n, 1, &failed);
    if (failed) {
        matcher_free(m);
        return NULL;
    }
    if (index_prefixes(m, specs, n)) {
        matcher_free(m);
        return NULL;
    }
    mark_starts(m, m->exact, 0);
    mark_starts(m, m->folded, 1);
    mark_after_three(m, specs, n);
    for (unsigned b = 0; b < 256; b++) {
        if (b >= 0x80 || b == '&') {
            m->byte_info[b] = BYTE_STOP;
            continue;
        }
        enum uc_class cls = uc_classify(b);
        int starts = (m->exact && m->exact->root_next[b] != AC_ROOT) ||
                     (m->folded && m->folded->root_next[uc_fold(b)] != AC_ROOT);
        m->byte_info[b] = (unsigned char)((starts ? BYTE_STARTS : 0) |
                                          (cls == UC_WORD ? BYTE_WORD : 0) |
                                          (cls == UC_SPACE ? BYTE_SPACE : 0));
    }
    for (unsigned b = 0; b < 256; b++) {
        int any = (m->byte_info[b] & BYTE_STOP) || ((m->byte_info[b] & BYTE_SPACE) && b != ' ');
        m->class_bit[b] = any ? 0xFF : (unsigned char)(1u << (b & 7));
    }
    classify_bytes(m);
    tabulate_chars(m);
    return m;
}

void matcher_free(struct matcher *m)
{
    if (!m)
        return;
    automaton_free(m->exact);
    automaton_free(m->folded);
    prefix_index_release(&m->prefix);
    free(m->patterns);
    free(m);
}

size_t matcher_memory(const struct matcher *m)
{
    return sizeof(*m) + m->npatterns * sizeof(*m->patterns) + prefix_index_memory(&m->prefix) +
           (m->exact ? automaton_memory(m->exact) : 0) +
           (m->folded ? automaton_memory(m->folded) : 0);
}

void match_stream_init(struct match_stream *s, const struct matcher *m, unsigned type_mask)
{
    memset(s, 0, sizeof(*s));
    s->m = m;
    s->type_mask = type_mask;
}

void match_stream_release(struct match_stream *s)
{
    free(s->open);
    free(s->ready);
    free(s->done);
    s->open = s->ready = NULL;
    s->done = NULL;
}

static int reserve(void **items, size_t *cap, size_t need, size_t size, size_t max)
{
    if (need <= *cap)
        return 0;
    if (need > max)
        return -1;
    size_t n = *cap ? *cap * 2 : 16;
    while (n < need)
        n *= 2;
    void *p = realloc(*items, n * size);
    if (!p)
        return -1;
    *items = p;
    *cap = n;
    return 0;
}

static void add_open(struct match_stream *s, uint32_t pattern, uint64_t end_offset)
{
    const struct match_pattern *p = &s->m->patterns[pattern];
    uint64_t last = s->symbols + 1, first = last - p->length;
    if (first < s->committed_end || !(s->type_mask & p->types))
        return;
    if (!s->ring[first % MATCH_RING].boundary_before)
        return;
    /* The longest candidate ending here comes first; a shorter one that
     * ends at the same place still matters if the longer one is beaten. */
    if (reserve((void **)&s->open, &s->open_cap, s->nopen + 1,
                sizeof(*s->open), MATCH_CANDIDATES_MAX))
        return;
    s->open[s->nopen++] = (struct match_candidate){first, last,
        {p->entry, s->ring[first % MATCH_RING].offset, end_offset}};
}

static inline void collect(struct match_stream *s, const struct automaton *a, uint32_t state,
                           uint64_t end_offset)
{
    for (uint32_t r = automaton_found(a, state); r != AC_NO_REPORT; r = a->reports[r].next)
        add_open(s, a->reports[r].pattern, end_offset);
}

/* The candidates waiting for their right boundary learn it. */
static void settle_open(struct match_stream *s, int boundary_after)
{
    if (boundary_after) {
        for (size_t i = 0; i < s->nopen; i++) {
            if (s->open[i].first < s->committed_end)
                continue;
            /* Of two candidates that start together only the longer can
             * ever win, so one per start is kept: at most a window's worth. */
            size_t k = 0;
            while (k < s->nready && s->ready[k].first != s->open[i].first)
                k++;
            if (k < s->nready) {
                if (s->open[i].last > s->ready[k].last)
                    s->ready[k] = s->open[i];
                continue;
            }
            if (reserve((void **)&s->ready, &s->ready_cap, s->nready + 1,
                        sizeof(*s->ready), MATCH_CANDIDATES_MAX))
                break;
            s->ready[s->nready++] = s->open[i];
        }
    }
    s->nopen = 0;
}

/* Makes final, leftmost-longest first, every candidate that starts before
 * symbol `horizon`: nothing still to come can start at or before it. */
static void commit_before(struct match_stream *s, uint64_t horizon)
{
    while (s->nready) {
        size_t best = 0;
        for (size_t i = 1; i < s->nready; i++) {
            const struct match_candidate *c = &s->ready[i], *b = &s->ready[best];
            if (c->first < b->first || (c->first == b->first && c->last > b->last))
                best = i;
        }
        if (s->ready[best].first >= horizon)
            return;
        if (reserve((void **)&s->done, &s->done_cap, s->ndone + 1, sizeof(*s->done),
                    SIZE_MAX / sizeof(*s->done))) {
            s->out_of_memory = 1;
            s->nready = 0;
            return;
        }
        s->done[s->ndone++] = s->ready[best].mention;
        s->committed_end = s->ready[best].last;
        size_t kept = 0;
        for (size_t i = 0; i < s->nready; i++)
            if (s->ready[i].first >= s->committed_end)
                s->ready[kept++] = s->ready[i];
        s->nready = kept;
    }
}

static uint64_t window_start(const struct match_stream *s)
{
    unsigned depth = 0;
    if (s->m->exact)
        depth = s->m->exact->depth[s->state_exact];
    if (s->m->folded && s->m->folded->depth[s->state_folded] > depth)
        depth = s->m->folded->depth[s->state_folded];
    return s->symbols - depth;
}

static uint32_t step(const struct automaton *a, uint32_t state, uint32_t cp)
{
    if (cp < 0x80)
        return automaton_next(a, state, (unsigned char)cp);
    unsigned char bytes[4];
    size_t n = utf8_encode(cp, bytes);
    for (size_t i = 0; i < n; i++)
        state = automaton_next(a, state, bytes[i]);
    return state;
}

static void reset_automata(struct match_stream *s)
{
    s->state_exact = s->state_folded = AC_ROOT;
    s->prev_word = s->prev_space = 0;
}

void match_feed(struct match_stream *s, uint32_t cp, uint64_t start, uint64_t end)
{
    enum uc_class cls = uc_classify(cp);
    if (s->nopen)
        settle_open(s, cls != UC_WORD);
    if (cls == UC_SPACE) {
        if (s->prev_space) {
            uint64_t held = match_hold_from(s);
            if (held != UINT64_MAX && end - held > MATCH_HOLD_MAX)
                match_end_run(s);
            return;
        }
        cp = ' ';
    }
    s->ring[s->symbols % MATCH_RING].offset = start;
    s->ring[s->symbols % MATCH_RING].boundary_before = !s->prev_word;
    if (s->m->exact) {
        s->state_exact = step(s->m->exact, s->state_exact, cp);
        collect(s, s->m->exact, s->state_exact, end);
    }
    if (s->m->folded) {
        s->state_folded = step(s->m->folded, s->state_folded, uc_fold(cp));
        collect(s, s->m->folded, s->state_folded, end);
    }
    s->prev_word = cls == UC_WORD;
    s->prev_space = cls == UC_SPACE;
    s->symbols++;
    if (s->nready)
        commit_before(s, window_start(s));
}

void match_end_run(struct match_stream *s)
{
    /* Most runs end with nothing waiting. */
    if (s->nopen || s->nready) {
        settle_open(s, 1);
        commit_before(s, UINT64_MAX);
    }
    reset_automata(s);
    s->committed_end = s->symbols;
}

uint64_t match_hold_from(const struct match_stream *s)
{
    uint64_t from = UINT64_MAX;
    uint64_t first = window_start(s);
    if (first < s->symbols)
        from = s->ring[first % MATCH_RING].offset;
    for (size_t i = 0; i < s->nready; i++)
        if (s->ready[i].mention.start < from)
            from = s->ready[i].mention.start;
    return from;
}

/* ---- the fast path: whole mentions in the bytes in hand ---- */

#define SCAN_UNSURE SIZE_MAX

static uint32_t anchored_child(const struct automaton *a, uint32_t state, unsigned char b)
{
    return state == AC_ROOT ? a->root_next[b] : automaton_child(a, state, b);
}

/* The pattern that ends at `state` and starts where the walk started, if
 * the stream looks for its type. */
static uint32_t anchored_pattern(const struct match_stream *s, const struct automaton *a,
                                 uint32_t state)
{
    uint32_t pattern = automaton_pattern(a, state);
    if (pattern == AC_NO_PATTERN || !(s->type_mask & s->m->patterns[pattern].types))
        return AC_NO_PATTERN;
    return pattern;
}

/* The length of the longest mention that starts at p[0], with *pattern its
 * pattern; 0 when none does; SCAN_UNSURE when the answer depends on a byte
 * that is not plain ASCII text in hand.  Walks both tries from the root as
 * the automata would, without touching the stream. */
__attribute__((noinline))   /* keeps match_scan's loop in registers */
static size_t longest_at(const struct match_stream *s, const unsigned char *p, size_t n,
                         uint32_t *pattern)
{
    const struct matcher *m = s->m;
    uint32_t exact = AC_ROOT, folded = AC_ROOT;
    int exact_alive = m->exact != NULL, folded_alive = m->folded != NULL, prev_space = 0;
    size_t best = 0;
    for (size_t j = 0; exact_alive || folded_alive; j++) {
        if (j == n)
            return SCAN_UNSURE;
        unsigned char info = m->byte_info[p[j]];
        if (info & BYTE_STOP)
            return SCAN_UNSURE;
        if ((info & BYTE_SPACE) && prev_space)
            continue;
        prev_space = info & BYTE_SPACE;
        unsigned char c = prev_space ? ' ' : p[j];
        uint32_t found = AC_NO_PATTERN;
        if (exact_alive) {
            exact = anchored_child(m->exact, exact, c);
            exact_alive = exact != AC_ROOT;
            if (exact_alive)
                found = anchored_pattern(s, m->exact, exact);
        }
        if (folded_alive) {
            folded = anchored_child(m->folded, folded, (unsigned char)uc_fold(c));
            folded_alive = folded != AC_ROOT;
            if (folded_alive && found == AC_NO_PATTERN)
                found = anchored_pattern(s, m->folded, folded);
        }
        if (found == AC_NO_PATTERN)
            continue;
        if (j + 1 == n || (m->byte_info[p[j + 1]] & BYTE_STOP))
            return SCAN_UNSURE;
        if (!(m->byte_info[p[j + 1]] & BYTE_WORD)) {
            best = j + 1;
            *pattern = found;
        }
    }
    return best;
}

/* Whether some pattern may begin with the ASCII bytes p[0] p[1] and then
 * p[2] (known by its class only; a byte to decode may be anything). */
static inline int three_bytes_start(const struct matcher *m, const unsigned char *p)
{
    return m->starts2[p[0]][p[1]] & m->class_bit[p[2]];
}

/* Whether some pattern that begins with the three ASCII word characters
 * p[0..3) may go on with p[3] and p[4] (known by their classes; a byte to
 * decode may be anything). */
static inline int five_bytes_start(const struct matcher *m, const unsigned char *p)
{
    unsigned fourth = m->class_bit[p[3]], fifth = m->class_bit[p[4]];
    return fourth == 0xFF || fifth == 0xFF ||
           (m->after_three[after_three_slot(p)] >> (__builtin_ctz(fourth) * 8 + __builtin_ctz(fifth)) & 1);
}

/* A mention at a word start needs its first three bytes to begin some
 * pattern: where the prefix index cannot judge, most words are passed over
 * on that alone. */
static int may_start_at(const struct matcher *m, const unsigned char *p, size_t n)
{
    return n < 3 || !(m->byte_info[p[1]] & BYTE_WORD) || three_bytes_start(m, p);
}

/* The text's eight bytes at p, ASCII letters lower-cased when folded. */
static inline uint64_t text_window(const unsigned char *p, int folded)
{
    uint64_t w = prefix_window(p);
    return folded ? prefix_ascii_lower(w) : w;
}

/* Whether the text at p is the plain pattern's very bytes, ASCII letters
 * lower-cased for a folded one: a mention's usual case, read eight bytes
 * at a time without a branch per window.  p[0..8) and p[0..c->len) may be
 * read; t has the index's padding after it. */
static inline int same_bytes(const struct prefix_pattern *c, const unsigned char *t,
                             const unsigned char *p)
{
    if (c->len < PREFIX_WINDOW)
        return !((text_window(p, c->folded) ^ prefix_window(t)) & prefix_first_bytes(c->len));
    /* The last window overlaps the one before it rather than reading on. */
    size_t last = c->len - PREFIX_WINDOW;
    uint64_t diff = text_window(p + last, c->folded) ^ prefix_window(t + last);
    for (size_t k = 0; k < last; k += PREFIX_WINDOW)
        diff |= text_window(p + k, c->folded) ^ prefix_window(t + k);
    return !diff;
}

/* The length of a common reference to whitespace at p[j], whole before n
 * (&nbsp;, which a name often has to keep it on one line); else 0. */
static size_t space_reference(const unsigned char *p, size_t j, size_t n)
{
    int r = common_reference_at(p + j, n - j);
    return r >= 0 && uc_classify(common_references[r].cp) == UC_SPACE ? common_references[r].len
                                                                       : 0;
}

/* What a mention that would end before p[j] comes to: j when a word
 * boundary follows, else 0; SCAN_UNSURE when that is not known. */
static inline size_t mention_end(const unsigned char *info, const unsigned char *p, size_t j,
                                 size_t n)
{
    if (j == n)
        return SCAN_UNSURE;
    if (info[p[j]] & BYTE_STOP)
        return p[j] == '&' && common_reference_at(p + j, n - j) >= 0 ? j : SCAN_UNSURE;
    return (info[p[j]] & BYTE_WORD) ? 0 : j;
}

/* The bytes of the whitespace run at p[j] that a pattern's space takes:
 * ASCII whitespace and common references to whitespace; 0 when there is
 * none. */
static size_t space_run(const unsigned char *info, const unsigned char *p, size_t j, size_t n)
{
    size_t at = j;
    for (;;) {
        size_t step = at == n                     ? 0
                      : (info[p[at]] & BYTE_SPACE) ? 1
                      : p[at] == '&'               ? space_reference(p, at, n)
                                                   : 0;
        if (!step)
            return at - j;
        at += step;
    }
}

/* compare_at a byte at a time, for text that is not the pattern's very
 * bytes: a mismatch, a whitespace run (with no-break spaces written as
 * references too), a pattern that is not plain. */
__attribute__((noinline))   /* keeps compare_at's callers in registers */
static size_t compare_bytewise(const struct matcher *m, const struct prefix_pattern *c,
                               const unsigned char *t, const unsigned char *p, size_t n)
{
    const unsigned char *info = m->byte_info;
    size_t k = 0, j;
    /* What comes before the difference is usually the pattern's very
     * bytes (a name up to its line break): a window at a time, unless it
     * ends in a space, which may take a longer run. */
    if (c->plain)
        while (k + PREFIX_WINDOW <= c->len && k + PREFIX_WINDOW <= n &&
               t[k + PREFIX_WINDOW - 1] != ' ' &&
               text_window(p + k, c->folded) == prefix_window(t + k))
            k += PREFIX_WINDOW;
    for (j = k; k < c->len; k++, j++) {
        size_t run = t[k] == ' ' ? space_run(info, p, j, n) : 0;
        if (run) {
            j += run - 1;
            continue;
        }
        if (j == n || (info[p[j]] & BYTE_STOP))
            return SCAN_UNSURE;
        if ((c->folded ? (unsigned char)uc_fold(p[j]) : p[j]) != t[k])
            return 0;
    }
    return mention_end(info, p, j, n);
}

/* The pattern's length in the text at p[0] when it is there and ends at a
 * word boundary, else 0; SCAN_UNSURE as for longest_at.  Compares as the
 * walk would: a space of the pattern takes a run of whitespace.  n >= 8. */
__attribute__((always_inline))
static inline size_t compare_at(const struct matcher *m, const struct prefix_pattern *c,
                                const unsigned char *p, size_t n)
{
    const unsigned char *t = (const unsigned char *)m->prefix.texts + c->text;
    if (c->plain && c->len < n && same_bytes(c, t, p))
        return mention_end(m->byte_info, p, c->len, n);
    return compare_bytewise(m, c, t, p, n);
}

/* What an entry of len 0 says (first_found): too many patterns to
 * compare, or that the longer ones have keys of sixteen bytes. */
enum { WALK = 1, LONGER = 2 };

/* The first of the count patterns from c that is at p[0], which is the
 * longest there (they come longest first), with *pattern its number; 0
 * when none is; SCAN_UNSURE as for longest_at.  At an entry of len 0, *to
 * says which it is (WALK or LONGER), and the rest wait. */
__attribute__((always_inline))   /* the loop in registers */
static inline size_t first_found(const struct match_stream *s, const unsigned char *p, size_t n,
                                 const struct prefix_pattern *c, size_t count, uint32_t *pattern,
                                 int *to)
{
    const struct matcher *m = s->m;
    for (; count; count--, c++) {
        if (!c->len) {
            *to = c->longer ? LONGER : WALK;
            return 0;
        }
        if (!(s->type_mask & m->patterns[c->pattern].types))
            continue;
        size_t len = compare_at(m, c, p, n);
        if (len) {
            *pattern = c->pattern;
            return len;
        }
    }
    return 0;
}

/* first_found over the patterns under the key of klen bytes. */
__attribute__((always_inline))   /* klen a constant */
static inline size_t first_of_key(const struct match_stream *s, const unsigned char *p, size_t n,
                                  uint64_t key, unsigned klen, uint32_t *pattern, int *to)
{
    size_t count;
    const struct prefix_pattern *c = prefix_index_find(&s->m->prefix, key, klen, &count);
    return first_found(s, p, n, c, count, pattern, to);
}

/* Under a crowded key of eight bytes (prefix_index.h): the patterns of
 * sixteen bytes or more by the key of the text's sixteen, then the
 * shorter ones after the note; as first_found.  The walk decides where
 * the text's sixteen bytes are no key: not all readable, not plain, or a
 * whitespace run across the two windows. */
__attribute__((noinline))   /* rare: keeps longest_indexed in registers */
static size_t first_in_crowd(const struct match_stream *s, const unsigned char *p, size_t n,
                             size_t readable, uint64_t window, uint32_t *pattern, int *to)
{
    /* (0, for a window that cannot be read, is not plain.) */
    uint64_t second = readable >= 2 * PREFIX_WINDOW ? prefix_window(p + PREFIX_WINDOW) : 0;
    if (!prefix_window_plain(second) || (p[PREFIX_WINDOW - 1] == ' ' && p[PREFIX_WINDOW] == ' ')) {
        *to = WALK;
        return 0;
    }
    size_t len = first_of_key(s, p, n, prefix_key16(window, second), 2 * PREFIX_WINDOW, pattern, to);
    if (len || *to)
        return len;
    size_t count;   /* at least the note, which comes first */
    const struct prefix_pattern *c = prefix_index_find(&s->m->prefix, prefix_key(window, 8), 8, &count);
    return first_found(s, p, n, c + 1, count - 1, pattern, to);
}

/* longest_at for a plain window: only the few patterns the index names
 * are compared (unless there are too many), longest key first. */
static size_t longest_indexed(const struct match_stream *s, const unsigned char *p, size_t n,
                              size_t readable, uint64_t window, uint32_t *pattern)
{
    int to = 0;
    size_t len = first_of_key(s, p, n, prefix_key(window, 8), 8, pattern, &to);
    if (to == LONGER) {
        to = 0;
        len = first_in_crowd(s, p, n, readable, window, pattern, &to);
    }
    if (!len && !to)
        len = first_of_key(s, p, n, prefix_key(window, 4), 4, pattern, &to);
    /* A pattern shorter than four bytes is all key: the word must end. */
    for (unsigned klen = 3; klen && !len && !to; klen--)
        if (!(s->m->byte_info[p[klen]] & BYTE_WORD))
            len = first_of_key(s, p, n, prefix_key(window, klen), klen, pattern, &to);
    return to ? longest_at(s, p, n, pattern) : len;
}

/* The longest mention that starts at p[0], as longest_at.  The window may
 * run on past the text (a short text before markup), to p[readable - 1]:
 * what lies there can only fail to match. */
static size_t longest_here(const struct match_stream *s, const unsigned char *p, size_t n,
                           size_t readable, uint32_t *pattern)
{
    uint64_t window = readable >= PREFIX_WINDOW ? prefix_window(p) : 0;
    if (readable >= PREFIX_WINDOW && prefix_window_plain(window))
        return longest_indexed(s, p, n, readable, window, pattern);
    return may_start_at(s->m, p, n) ? longest_at(s, p, n, pattern) : 0;
}

static int put_final(struct match_stream *s, uint32_t pattern, uint64_t start, uint64_t end)
{
    if (reserve((void **)&s->done, &s->done_cap, s->ndone + 1, sizeof(*s->done),
                SIZE_MAX / sizeof(*s->done))) {
        s->out_of_memory = 1;
        return -1;
    }
    s->done[s->ndone++] = (struct mention){s->m->patterns[pattern].entry, start, end};
    s->committed_end = s->symbols;
    return 0;
}

/* The length of the UTF-8 character of two or three bytes at p[i], whole
 * in hand, with *cp its code point; else 0.  Only for UTF-8 text. */
static size_t multibyte_char(const unsigned char *p, size_t i, size_t n, uint32_t *cp)
{
    int len = utf8_decode(p + i, n - i, cp);
    return len == 2 || len == 3 ? (size_t)len : 0;
}

/* Whether the automaton has a path from its root over b[0..len). */
static int has_prefix(const struct automaton *a, const unsigned char *b, size_t len)
{
    uint32_t state = a->root_next[b[0]];
    for (size_t k = 1; k < len && state != AC_ROOT; k++)
        state = automaton_child(a, state, b[k]);
    return state != AC_ROOT;
}

/* Whether a pattern can begin with the len bytes at p (an exact one), or
 * with the folding of the character cp they make (a case-insensitive one). */
static int char_may_start(const struct matcher *m, const unsigned char *p, size_t len, uint32_t cp)
{
    if (m->exact && has_prefix(m->exact, p, len))
        return 1;
    unsigned char folded[4];
    return m->folded && has_prefix(m->folded, folded, utf8_encode(uc_fold(cp), folded));
}

/* The length of the UTF-8 character at p when char_table has it, with
 * *entry its entry there; else 0. */
static inline size_t tabled_char(const struct matcher *m, const unsigned char *p, size_t n,
                                 unsigned char *entry)
{
    if (n >= 2 && p[0] >= 0xC2 && p[0] <= 0xDF && (p[1] & 0xC0) == 0x80) {
        *entry = m->char_table[(p[0] & 0x1F) << 6 | (p[1] & 0x3F)];
        return 2;
    }
    if (n >= 3 && p[0] == 0xE2 && (p[1] & 0xFE) == 0x80 && (p[2] & 0xC0) == 0x80) {
        *entry = m->char_table[MATCH_CHAR_TWO_BYTES + ((p[1] & 1) << 6 | (p[2] & 0x3F))];
        return 3;
    }
    return 0;
}

/* tabled_char for a reference at p[0] that common_references has. */
__attribute__((noinline))   /* rare: keeps match_scan's loop in registers */
static size_t tabled_reference(const struct matcher *m, const unsigned char *p, size_t n,
                               unsigned char *entry)
{
    int r = common_reference_at(p, n);
    if (r < 0)
        return 0;
    *entry = m->reference_entries[r];
    return common_references[r].len;
}

/* The class of the character that ends at p[i - 1], i > 0, taken whole. */
static enum uc_class class_before(const unsigned char *p, size_t i)
{
    if (p[i - 1] < 0x80)
        return (enum uc_class)uc_low_classes[p[i - 1]];
    size_t start = i - 1;
    while (start > 0 && (p[start] & 0xC0) == 0x80)
        start--;
    uint32_t cp;
    return utf8_decode(p + start, i - start, &cp) > 0 ? uc_classify(cp) : UC_BOUNDARY;
}

/* Whether the filter lets a pattern begin at p[0]: no when it knows that
 * none can (as for most words), else yes.  Bit k of word_ahead says
 * whether p[k] is a word character, for k < known. */
static int may_begin_here(const struct matcher *m, const unsigned char *p, size_t n,
                          uint64_t word_ahead, unsigned known)
{
    const struct prefix_index *x = &m->prefix;
    if (n < PREFIX_WINDOW)
        return 1;
    /* First, the first two letters and the third byte, by table; a letter
     * before a reference to punctuation ("R&amp;D") is a word of its own. */
    if (known >= 2 && (word_ahead & 2) ? !three_bytes_start(m, p)
        : p[1] == '&' && !m->lone_starts[p[0]] && common_reference_at(p + 1, n - 1) >= 0)
        return 0;
    if (known >= 5 && (word_ahead & 7) == 7 && !five_bytes_start(m, p))
        return 0;
    uint64_t w = prefix_window(p);
    /* A word of eight letters or more, or of four to seven, is plain as
     * far as it goes, and a pattern cannot end inside it: eight letters
     * leave only patterns of eight bytes or more. */
    if (known >= PREFIX_WINDOW && (word_ahead & 0xFF) == 0xFF)
        return prefix_filter_has(x, w, 8);
    if (known >= 4 && (word_ahead & 0xF) == 0xF)
        return prefix_filter_has(x, w, PREFIX_FILTER_LONG4) || prefix_filter_has(x, w, 4);
    if (prefix_window_plain(w)) {
        if (prefix_filter_has(x, w, 8))
            return 1;
    } else if (!prefix_window_plain4(w) || prefix_filter_has(x, w, PREFIX_FILTER_LONG4)) {
        return 1;
    }
    if (prefix_filter_has(x, w, 4))
        return 1;
    /* A pattern shorter than four bytes must end where the word does. */
    for (unsigned klen = 1; klen < 4; klen++)
        if (!(m->byte_info[p[klen]] & BYTE_WORD) && prefix_filter_has(x, w, klen))
            return 1;
    return 0;
}

/* The first position at or after i where the scan has something to do: a
 * byte to decode, or a byte that begins a pattern and follows no word
 * character; n when there is none.  *after_word tells whether p[i - 1] is
 * a word character, and then whether the byte before the event is.
 * p[0..readable) may be read and classified, readable >= n. */
static size_t next_event(const struct matcher *m, struct scan_ahead *ahead,
                         const unsigned char *p, size_t i, size_t n, size_t readable,
                         int *after_word)
{
    int word = *after_word;
    for (;;) {
        const unsigned char *q = p + i;
        /* (As numbers: the classified bytes may lie in another buffer.) */
        if ((uintptr_t)q < (uintptr_t)ahead->from || (uintptr_t)q >= (uintptr_t)ahead->to) {
            if (i >= n)
                return n;
            size_t len = readable - i < SCAN_AHEAD ? readable - i : SCAN_AHEAD;
            ahead->from = q;
            ahead->to = q + len;
            byte_blocks_classify(&m->classes, q, len, ahead->blocks);
        }
        size_t k = (size_t)(q - ahead->from) / BYTE_BLOCK;
        const unsigned char *block = ahead->from + k * BYTE_BLOCK;
        const struct byte_block *b = &ahead->blocks[k];
        uint64_t at = 1ull << (q - block);
        /* The byte before p[i] may have been decoded: the caller knows. */
        uint64_t word_before = b->word << 1;
        word_before = word ? word_before | at : word_before & ~at;
        uint64_t events = (b->decode | (b->starts & ~word_before)) & -at;
        size_t block_at = (size_t)(block - p);
        /* Nothing past the text is an event (block_at <= i < n). */
        if (n - block_at < BYTE_BLOCK)
            events &= (1ull << (n - block_at)) - 1;
        for (; events; events &= events - 1) {
            unsigned bit = (unsigned)__builtin_ctzll(events);
            if (__builtin_expect((b->decode >> bit & 1) ||
                                     may_begin_here(m, block + bit, readable - block_at - bit,
                                                    b->word >> bit, BYTE_BLOCK - bit), 0)) {
                *after_word = (int)(word_before >> bit & 1);
                return block_at + bit;
            }
        }
        /* A block is short only at the end of what may be read. */
        i = block_at + BYTE_BLOCK;
        if (i >= n)
            return n;
        word = (int)(b->word >> 63);
    }
}

void match_scan_buffer(struct match_stream *s, const unsigned char *p, size_t len)
{
    s->buffer = p;
    s->buffer_len = len;
    s->ahead.from = s->ahead.to = NULL;
}

size_t match_scan(struct match_stream *s, const unsigned char *p, size_t n, uint64_t offset,
                  int utf8)
{
    const unsigned char *info = s->m->byte_info;
    /* Whitespace between tags, the commonest text of all, decides nothing
     * (a text that ends in something else is not all whitespace). */
    if (n && (info[p[n - 1]] & BYTE_SPACE)) {
        size_t spaces = 0;
        while (spaces < n && (info[p[spaces]] & BYTE_SPACE))
            spaces++;
        if (spaces == n) {
            s->prev_word = 0;
            s->prev_space = 1;
            return n;
        }
    }
    /* Within the caller's buffer the classification may run on past the
     * text, to be used again by the next text of the buffer. */
    size_t readable = n;
    uintptr_t start = (uintptr_t)s->buffer;
    if (s->buffer && (uintptr_t)p >= start && (uintptr_t)(p + n) <= start + s->buffer_len)
        readable = (size_t)(s->buffer + s->buffer_len - p);
    else
        s->ahead.from = s->ahead.to = NULL;
    size_t i = 0;
    int after_word = s->prev_word;
    for (;;) {
        if ((i = next_event(s->m, &s->ahead, p, i, n, readable, &after_word)) == n)
            break;
        if (info[p[i]] & BYTE_STOP) {
            /* Characters of two and three bytes are passed over unless one
             * could begin a mention; a three-byte word character there
             * (the BOM among them) is left to the feed. */
            unsigned char entry;
            size_t tabled = utf8 ? tabled_char(s->m, p + i, n - i, &entry) : 0;
            if (!tabled && p[i] == '&')
                tabled = tabled_reference(s->m, p + i, n - i, &entry);
            if (tabled) {
                if (!after_word && (entry & CHAR_STOPS))
                    break;
                i += tabled;
                after_word = (entry & CHAR_CLASS) == UC_WORD;
                continue;
            }
            uint32_t cp;
            size_t len = utf8 ? multibyte_char(p, i, n, &cp) : 0;
            enum uc_class cls = len ? uc_classify(cp) : UC_BOUNDARY;
            if (!len || (!after_word && ((len == 3 && cls == UC_WORD) ||
                                         char_may_start(s->m, p + i, len, cp))))
                break;
            i += len;
            after_word = cls == UC_WORD;
            continue;
        }
        uint32_t pattern = AC_NO_PATTERN;
        size_t len = longest_here(s, p + i, n - i, readable - i, &pattern);
        if (len == SCAN_UNSURE || (len && put_final(s, pattern, offset + i, offset + i + len)))
            break;
        i += len ? len : 1;
        after_word = (info[p[i - 1]] & BYTE_WORD) != 0;
    }
    if (i) {
        enum uc_class last = class_before(p, i);
        s->prev_word = last == UC_WORD;
        s->prev_space = last == UC_SPACE;
    }
    return i;
}

size_t matcher_references_misread(void)
{
    size_t misread = 0;
    for (int r = 0; r < MATCH_REFERENCES; r++)
        misread += !decodes_as_listed(&common_references[r]);
    return misread;
}

#define _GNU_SOURCE /* qsort_r */
#include "prefix_index.h"

#include <stdlib.h>
#include <string.h>

#define BUCKETS_MIN_LOG2 10
/* More patterns than this under one key (generated names that share a
 * first name, say) are too many to compare one by one: those of sixteen
 * bytes or more go under their first sixteen, and what is still crowded
 * is left to the walk, which tells patterns apart in one pass. */
#define CROWD_MAX 4
#define BUCKETS_MAX_LOG2 24

static unsigned key_length(size_t len)
{
    return len >= 8 ? 8 : len >= 4 ? 4 : (unsigned)len;
}

static int ascii_start(const char *text, size_t len)
{
    for (size_t i = 0; i < key_length(len); i++)
        if ((unsigned char)text[i] >= 0x80)
            return 0;
    return len > 0;
}

/* Printable ASCII without '&' or two spaces in a row (prefix_window_plain
 * for all of it). */
static int plain_ascii(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char b = (unsigned char)text[i];
        if (b >= 0x80 || b < 0x20 || b == '&' || (b == ' ' && i && text[i - 1] == ' '))
            return 0;
    }
    return 1;
}

static unsigned buckets_log2(size_t n)
{
    unsigned log2 = BUCKETS_MIN_LOG2;
    while (log2 < BUCKETS_MAX_LOG2 && ((size_t)1 << log2) < n * 2)
        log2++;
    return log2;
}

/* Sixteen bits per pattern keep the filter's false hits near 1 in 16;
 * 32 Kbit (4 KB) at least, 16 Mbit (2 MB) at most. */
static unsigned filter_log2(size_t n)
{
    unsigned log2 = 15;
    while (log2 < 24 && ((size_t)1 << log2) < n * 16)
        log2++;
    return log2;
}

static void set_filter_bit(struct prefix_index *x, uint64_t key, unsigned klen)
{
    size_t bit = prefix_bucket(x->filter_shift, key, klen);
    x->filter[bit / 64] |= 1ull << (bit % 64);
}

/* The filter's bits for one pattern: its key's, when it is indexed, and
 * for a long one whose first four bytes are ASCII, indexed or not (its
 * next four may not be), theirs under PREFIX_FILTER_LONG4. */
static void set_filter_bits(struct prefix_index *x, const struct prefix_index_input *in)
{
    unsigned char first[PREFIX_WINDOW] = {0};
    memcpy(first, in->text, in->len < PREFIX_WINDOW ? in->len : PREFIX_WINDOW);
    uint64_t w = prefix_window(first);
    unsigned klen = key_length(in->len);
    if (ascii_start(in->text, in->len))
        set_filter_bit(x, prefix_key(w, klen), klen);
    if (klen == 8 && ascii_start(in->text, 4))
        set_filter_bit(x, prefix_key(w, 4), PREFIX_FILTER_LONG4);
}

/* Sorting context: qsort_r's last argument. */
struct sorting {
    const char *texts;
    unsigned shift;
};

static uint64_t key_of(const char *texts, const struct prefix_pattern *c)
{
    return prefix_text_key((const unsigned char *)texts + c->text, c->klen);
}

static size_t bucket_of(const char *texts, unsigned shift, const struct prefix_pattern *c)
{
    return prefix_bucket(shift, key_of(texts, c), c->klen);
}

static int by_bucket_key_length(const void *a, const void *b, void *sorting)
{
    const struct prefix_pattern *x = a, *y = b;
    const struct sorting *by = sorting;
    size_t bx = bucket_of(by->texts, by->shift, x), by_ = bucket_of(by->texts, by->shift, y);
    if (bx != by_)
        return bx < by_ ? -1 : 1;
    if (x->klen != y->klen)
        return x->klen < y->klen ? -1 : 1;
    uint64_t kx = key_of(by->texts, x), ky = key_of(by->texts, y);
    if (kx != ky)
        return kx < ky ? -1 : 1;
    /* The longest first (a note of longer patterns before them all), and
     * a case-sensitive one before a folded one of its length: the first
     * that is found in the text is the one. */
    if (x->len != y->len)
        return !x->len ? -1 : !y->len ? 1 : x->len > y->len ? -1 : 1;
    return (int)x->folded - (int)y->folded;
}

static int same_key(const char *texts, const struct prefix_pattern *a, const struct prefix_pattern *b)
{
    return a->klen == b->klen && key_of(texts, a) == key_of(texts, b);
}

/* The end of the run of patterns from i on that share its key. */
static size_t key_run_end(const struct prefix_index *x, size_t i)
{
    size_t end = i + 1;
    while (end < x->npatterns && same_key(x->texts, &x->patterns[i], &x->patterns[end]))
        end++;
    return end;
}

/* A pattern that a key of its first sixteen bytes can find: the text's
 * second window is then plain too. */
static int sixteen_keyed(const char *texts, const struct prefix_pattern *c)
{
    return c->len >= 2 * PREFIX_WINDOW && plain_ascii(texts + c->text + PREFIX_WINDOW, PREFIX_WINDOW);
}

/* Whether the run of patterns [i, end) under one key is a crowd of eight
 * bytes that keys of sixteen thin to CROWD_MAX or fewer. */
static int splits(const struct prefix_index *x, size_t i, size_t end)
{
    if (x->patterns[i].klen != PREFIX_WINDOW || end - i <= CROWD_MAX)
        return 0;
    size_t longer = 0;
    for (size_t k = i; k < end; k++)
        longer += sixteen_keyed(x->texts, &x->patterns[k]);
    return longer && end - i - longer <= CROWD_MAX;
}

/* In each run that splits, gives the patterns sixteen_keyed their keys of
 * sixteen and notes it in the run (an entry of len 0, `longer`).  Returns
 * whether any did (the index is then sorted again), or -1 when out of
 * memory. */
static int split_crowds(struct prefix_index *x)
{
    size_t n = x->npatterns, notes = 0;
    for (size_t i = 0, end; i < n; i = end) {
        end = key_run_end(x, i);
        notes += splits(x, i, end);
    }
    if (!notes)
        return 0;
    struct prefix_pattern *grown = realloc(x->patterns, (n + notes) * sizeof(*grown));
    if (!grown)
        return -1;
    x->patterns = grown;
    for (size_t i = 0, end; i < n; i = end) {
        end = key_run_end(x, i);
        if (!splits(x, i, end))
            continue;
        struct prefix_pattern *note = &x->patterns[x->npatterns++];
        *note = x->patterns[i];
        note->len = 0;
        note->longer = 1;
        for (size_t k = i; k < end; k++)
            if (sixteen_keyed(x->texts, &x->patterns[k]))
                x->patterns[k].klen = 2 * PREFIX_WINDOW;
    }
    return 1;
}

/* Replaces each run of more than CROWD_MAX patterns under one key with one
 * entry that says so (len 0, not `longer`). */
static void mark_crowds(struct prefix_index *x)
{
    size_t kept = 0;
    for (size_t i = 0, end; i < x->npatterns; i = end) {
        end = key_run_end(x, i);
        if (end - i > CROWD_MAX && x->patterns[i].len) {
            x->patterns[kept] = x->patterns[i];
            x->patterns[kept++].len = 0;
        } else {
            memmove(&x->patterns[kept], &x->patterns[i], (end - i) * sizeof(*x->patterns));
            kept += end - i;
        }
    }
    x->npatterns = kept;
}

static void fill_buckets(struct prefix_index *x, size_t nbuckets)
{
    size_t k = 0;
    for (size_t b = 0; b < nbuckets; b++) {
        x->bucket_start[b] = (uint32_t)k;
        while (k < x->npatterns && bucket_of(x->texts, x->shift, &x->patterns[k]) == b)
            k++;
    }
    x->bucket_start[nbuckets] = (uint32_t)k;
}

int prefix_index_build(struct prefix_index *x, const struct prefix_index_input *in, size_t n)
{
    memset(x, 0, sizeof(*x));
    size_t count = 0, bytes = 0;
    for (size_t i = 0; i < n; i++)
        if (ascii_start(in[i].text, in[i].len)) {
            count++;
            bytes += in[i].len;
        }
    unsigned log2 = buckets_log2(count);
    x->shift = 64 - log2;
    x->patterns = malloc((count ? count : 1) * sizeof(*x->patterns));
    x->bucket_start = malloc((((size_t)1 << log2) + 1) * sizeof(*x->bucket_start));
    x->texts = calloc(bytes + PREFIX_WINDOW, 1);
    x->filter_shift = 64 - filter_log2(count);
    x->filter = calloc(((size_t)1 << (64 - x->filter_shift)) / 64, sizeof(*x->filter));
    if (!x->patterns || !x->bucket_start || !x->texts || !x->filter || bytes > UINT32_MAX) {
        prefix_index_release(x);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        set_filter_bits(x, &in[i]);
        if (!ascii_start(in[i].text, in[i].len))
            continue;
        x->patterns[x->npatterns++] = (struct prefix_pattern){
            (uint32_t)i, (uint32_t)x->texts_len, (uint16_t)in[i].len,
            (uint8_t)key_length(in[i].len), in[i].folded, plain_ascii(in[i].text, in[i].len), 0};
        memcpy(x->texts + x->texts_len, in[i].text, in[i].len);
        x->texts_len += in[i].len;
    }
    struct sorting sorting = {x->texts, x->shift};
    qsort_r(x->patterns, x->npatterns, sizeof(*x->patterns), by_bucket_key_length, &sorting);
    int split = split_crowds(x);
    if (split < 0) {
        prefix_index_release(x);
        return -1;
    }
    if (split)
        qsort_r(x->patterns, x->npatterns, sizeof(*x->patterns), by_bucket_key_length, &sorting);
    mark_crowds(x);
    fill_buckets(x, (size_t)1 << log2);
    return 0;
}

void prefix_index_release(struct prefix_index *x)
{
    free(x->patterns);
    free(x->bucket_start);
    free(x->texts);
    free(x->filter);
    memset(x, 0, sizeof(*x));
}

size_t prefix_index_memory(const struct prefix_index *x)
{
    if (!x->bucket_start)
        return 0;
    return x->npatterns * sizeof(*x->patterns) + x->texts_len + PREFIX_WINDOW +
           ((size_t)1 << (64 - x->filter_shift)) / 8 +
           ((((size_t)1 << (64 - x->shift)) + 1) * sizeof(*x->bucket_start));
}

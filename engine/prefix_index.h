/* The patterns by their first bytes: at a word start, eight bytes of plain
 * ASCII text name the few patterns that may begin there (usually none), so
 * that a word is passed over, or a mention checked, without walking the
 * automata.  Keys are the first 1, 2, 3, 4 or 8 bytes of a pattern (4 for
 * patterns of 5 to 7 bytes) with ASCII letters in lower case: a key finds
 * a pattern in either case, and the caller compares the whole pattern.
 * Where many patterns share their first eight bytes (names that share a
 * first name), those of sixteen bytes or more are found by their first
 * sixteen instead. */
#ifndef BRIEFING_PREFIX_INDEX_H
#define BRIEFING_PREFIX_INDEX_H

#include <stddef.h>
#include <stdint.h>

#define PREFIX_WINDOW 8

struct prefix_pattern {
    uint32_t pattern;          /* the matcher's pattern number */
    uint32_t text;             /* offset of its bytes in the index's texts */
    uint16_t len;              /* in bytes; 0: not a pattern but a note
                                * that says where to look (`longer`) */
    uint8_t klen;              /* of the key: 1, 2, 3, 4, 8 or 16 */
    uint8_t folded : 1;        /* compared case-insensitively */
    uint8_t plain : 1;         /* ASCII without '&': text with these very
                                * bytes needs no decoding */
    uint8_t longer : 1;        /* with len 0: the longer patterns under
                                * this key have keys of 16 bytes (the
                                * patterns after it are shorter); else
                                * too many patterns for the index, walk */
};

struct prefix_index {
    struct prefix_pattern *patterns;   /* grouped by bucket */
    uint32_t *bucket_start;            /* nbuckets + 1 entries */
    unsigned shift;                    /* 64 - log2(nbuckets) */
    /* A bit per hash of a key that some pattern has (see
     * prefix_filter_has): most words are turned away by a few clear bits
     * before any bucket is read. */
    uint64_t *filter;
    unsigned filter_shift;             /* 64 - log2(bits) */
    char *texts;                       /* PREFIX_WINDOW bytes of padding at the end */
    size_t npatterns, texts_len;
};

struct prefix_index_input {
    const char *text;          /* UTF-8, whitespace folded to single spaces */
    size_t len;
    uint8_t folded;            /* text is case-folded */
};

/* Indexes every pattern whose first bytes are ASCII (plain ASCII text can
 * begin no other); pattern numbers are positions in `in`.  Returns 0, or
 * -1 when out of memory. */
int prefix_index_build(struct prefix_index *x, const struct prefix_index_input *in, size_t n);
void prefix_index_release(struct prefix_index *x);
size_t prefix_index_memory(const struct prefix_index *x);

/* The window's bytes as one word, in memory order. */
static inline uint64_t prefix_window(const unsigned char *p)
{
    uint64_t w;
    __builtin_memcpy(&w, p, sizeof(w));
    return w;
}

#define PREFIX_ONES 0x0101010101010101ull
#define PREFIX_HIGHS 0x8080808080808080ull

/* Whether the window w can be looked up: no byte to decode ('&',
 * non-ASCII) and no whitespace but single plain spaces, so that its bytes
 * are what a pattern's first bytes would be.  Else the caller walks. */
static inline int prefix_window_plain(uint64_t w)
{
    uint64_t amp = w ^ (PREFIX_ONES * '&');
    uint64_t space = w ^ (PREFIX_ONES * ' ');
    /* Exact per byte: the high bit set where the byte is a space. */
    uint64_t spaces = ~(((space & ~PREFIX_HIGHS) + ~PREFIX_HIGHS) | space) & PREFIX_HIGHS;
    /* Exact as to whether any byte is below 0x20, or is '&'. */
    uint64_t controls = (w - PREFIX_ONES * 0x20) & ~w & PREFIX_HIGHS;
    uint64_t amps = (amp - PREFIX_ONES) & ~amp & PREFIX_HIGHS;
    return !((w & PREFIX_HIGHS) | controls | amps | (spaces & (spaces >> 8)));
}

/* The bits of a window's first klen bytes. */
static inline uint64_t prefix_first_bytes(unsigned klen)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return klen == 8 ? ~0ull : ~(~0ull >> (8 * klen));
#else
    return klen == 8 ? ~0ull : (1ull << (8 * klen)) - 1;
#endif
}

/* The first klen bytes of the window w, lower-cased (and some punctuation
 * changed with them, alike for text and patterns). */
static inline uint64_t prefix_key(uint64_t w, unsigned klen)
{
    return (w | PREFIX_ONES * 0x20) & prefix_first_bytes(klen);
}

/* The key of sixteen bytes, two windows: mixed into one word, as two
 * patterns that share it are told apart when compared. */
static inline uint64_t prefix_key16(uint64_t first, uint64_t second)
{
    uint64_t mixed = prefix_key(second, 8) * 0xFF51AFD7ED558CCDull;
    return prefix_key(first, 8) ^ (mixed >> 29 | mixed << 35);
}

/* A pattern's key of klen bytes, from its text (with padding after). */
static inline uint64_t prefix_text_key(const unsigned char *text, unsigned klen)
{
    if (klen == 16)
        return prefix_key16(prefix_window(text), prefix_window(text + PREFIX_WINDOW));
    return prefix_key(prefix_window(text), klen);
}

/* The window's first klen bytes, the rest made plain letters. */
static inline uint64_t prefix_only_first(uint64_t w, unsigned klen)
{
    uint64_t first = prefix_first_bytes(klen);
    return (w & first) | (PREFIX_ONES * 'a' & ~first);
}

/* Whether the window's first four bytes can be looked up, as
 * prefix_window_plain says of all eight. */
static inline int prefix_window_plain4(uint64_t w)
{
    return prefix_window_plain(prefix_only_first(w, 4));
}

/* ASCII letters A-Z lower-cased, every other byte as it is. */
static inline uint64_t prefix_ascii_lower(uint64_t w)
{
    uint64_t low7 = w & ~PREFIX_HIGHS;
    uint64_t from_a = low7 + PREFIX_ONES * (0x80 - 'A'), past_z = low7 + PREFIX_ONES * (0x80 - 'Z' - 1);
    return w | ((from_a & ~past_z & ~w & PREFIX_HIGHS) >> 2);
}

static inline size_t prefix_bucket(unsigned shift, uint64_t key, unsigned klen)
{
    return (size_t)(((key + klen) * 0x9E3779B97F4A7C15ull) >> shift);
}

/* A pattern's key (klen 1, 2, 3, 4 or 8) sets the filter's bit for it; a
 * pattern of eight bytes or more also sets the bit of its first four
 * under PREFIX_FILTER_LONG4, for text whose eight bytes cannot be read as
 * a window. */
#define PREFIX_FILTER_LONG4 5

static inline int prefix_filter_has(const struct prefix_index *x, uint64_t w, unsigned klen)
{
    unsigned bytes = klen == PREFIX_FILTER_LONG4 ? 4 : klen;
    size_t bit = prefix_bucket(x->filter_shift, prefix_key(w, bytes), klen);
    return (x->filter[bit / 64] >> (bit % 64)) & 1;
}

static inline int prefix_has_key(const struct prefix_index *x, const struct prefix_pattern *c,
                                 unsigned klen, uint64_t key)
{
    const unsigned char *text = (const unsigned char *)x->texts + c->text;
    return c->klen == klen && prefix_text_key(text, klen) == key;
}

/* The patterns whose key of `klen` bytes is `key` (prefix_key of a plain
 * window, or prefix_key16 of two): *count of them from the returned
 * pointer. */
static inline const struct prefix_pattern *prefix_index_find(const struct prefix_index *x,
                                                             uint64_t key, unsigned klen,
                                                             size_t *count)
{
    size_t b = prefix_bucket(x->shift, key, klen);
    const struct prefix_pattern *first = x->patterns + x->bucket_start[b];
    const struct prefix_pattern *end = x->patterns + x->bucket_start[b + 1];
    while (first < end && !prefix_has_key(x, first, klen, key))
        first++;
    const struct prefix_pattern *last = first;
    while (last < end && prefix_has_key(x, last, klen, key))
        last++;
    *count = (size_t)(last - first);
    return first;
}

#endif

#include "byte_blocks.h"

#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_AVX2_PATH 1
#endif

static void set_low_table(unsigned char low[16], const unsigned char set[128])
{
    memset(low, 0, 16);
    for (unsigned b = 0; b < 128; b++)
        if (set[b])
            low[b & 15] |= (unsigned char)(1u << (b >> 4));
}

void byte_classes_init(struct byte_classes *c, const unsigned char word[128],
                       const unsigned char starts[128])
{
    unsigned char starts_plain[128];
    for (unsigned b = 0; b < 128; b++)   /* '&' is decoded, never a start */
        starts_plain[b] = b != '&' && starts[b];
    set_low_table(c->word_low, word);
    set_low_table(c->starts_low, starts_plain);
    for (unsigned b = 0; b < 256; b++)
        c->kind[b] = (unsigned char)(b >= 0x80 || b == '&' ? BYTE_KIND_DECODE
                                     : (word[b] ? BYTE_KIND_WORD : 0) |
                                       (starts[b] ? BYTE_KIND_STARTS : 0));
#ifdef HAVE_AVX2_PATH
    c->vector = __builtin_cpu_supports("avx2");
#else
    c->vector = 0;
#endif
}

static void classify_bytewise(const struct byte_classes *c, const unsigned char *p, size_t len,
                              struct byte_block *out)
{
    uint64_t word = 0, decode = 0, starts = 0;
    for (size_t k = 0; k < len; k++) {
        unsigned kind = c->kind[p[k]];
        word |= (uint64_t)(kind & BYTE_KIND_WORD) << k;
        decode |= (uint64_t)((kind & BYTE_KIND_DECODE) >> 1) << k;
        starts |= (uint64_t)((kind & BYTE_KIND_STARTS) >> 2) << k;
    }
    *out = (struct byte_block){word, decode, starts};
}

size_t byte_blocks_classify_bytewise(const struct byte_classes *c, const unsigned char *p,
                                     size_t len, struct byte_block *out)
{
    size_t blocks = 0;
    for (size_t at = 0; at < len; at += BYTE_BLOCK)
        classify_bytewise(c, p + at, len - at < BYTE_BLOCK ? len - at : BYTE_BLOCK, &out[blocks++]);
    return blocks;
}

#ifdef HAVE_AVX2_PATH
/* Bits 0-7 for high nibbles 0-7; none for 8-15, which are no ASCII. */
static const unsigned char high_bits[16] = {1, 2, 4, 8, 16, 32, 64, 128};

struct half_masks {
    uint32_t word, decode, starts;
};

__attribute__((target("avx2"))) static inline uint32_t in_set(__m256i low_table, __m256i low,
                                                             __m256i high_bit)
{
    __m256i hit = _mm256_and_si256(_mm256_shuffle_epi8(low_table, low), high_bit);
    return ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(hit, _mm256_setzero_si256()));
}

struct vector_tables {
    __m256i nibble, high_bits, word_low, starts_low, amp;
};

__attribute__((target("avx2"))) static inline __m256i broadcast16(const unsigned char t[16])
{
    return _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)t));
}

__attribute__((target("avx2"))) static inline struct half_masks
classify32(const struct vector_tables *t, const unsigned char *p)
{
    __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)p);
    __m256i low = _mm256_and_si256(v, t->nibble);
    __m256i high = _mm256_and_si256(_mm256_srli_epi16(v, 4), t->nibble);
    __m256i high_bit = _mm256_shuffle_epi8(t->high_bits, high);
    uint32_t amp = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, t->amp));
    return (struct half_masks){in_set(t->word_low, low, high_bit),
                               (uint32_t)_mm256_movemask_epi8(v) | amp,
                               in_set(t->starts_low, low, high_bit)};
}

__attribute__((target("avx2"))) static size_t classify_vector(const struct byte_classes *c,
                                                             const unsigned char *p, size_t len,
                                                             struct byte_block *out)
{
    const struct vector_tables t = {_mm256_set1_epi8(0x0F), broadcast16(high_bits),
                                    broadcast16(c->word_low), broadcast16(c->starts_low),
                                    _mm256_set1_epi8('&')};
    size_t blocks = 0;
    for (size_t at = 0; at < len; at += BYTE_BLOCK) {
        const unsigned char *q = p + at;
        unsigned char copy[BYTE_BLOCK];
        if (len - at < BYTE_BLOCK) {   /* nothing is read past p[len - 1] */
            memset(copy, 0, sizeof(copy));
            memcpy(copy, q, len - at);
            q = copy;
        }
        struct half_masks a = classify32(&t, q), b = classify32(&t, q + 32);
        out[blocks++] = (struct byte_block){a.word | (uint64_t)b.word << 32,
                                            a.decode | (uint64_t)b.decode << 32,
                                            a.starts | (uint64_t)b.starts << 32};
    }
    return blocks;
}
#endif

size_t byte_blocks_classify(const struct byte_classes *c, const unsigned char *p, size_t len,
                            struct byte_block *out)
{
#ifdef HAVE_AVX2_PATH
    if (c->vector)
        return classify_vector(c, p, len, out);
#endif
    return byte_blocks_classify_bytewise(c, p, len, out);
}

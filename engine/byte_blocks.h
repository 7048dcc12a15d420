/* Text classified 64 bytes at a time, so that the matcher touches only the
 * bytes where something may happen: a byte that may begin a pattern, or
 * one that must be decoded.  Three bit masks per block, bit k for byte k:
 * word characters (ASCII letters, digits, '_'), bytes to decode ('&' and
 * every byte >= 0x80) and bytes that begin some pattern.  With AVX2 a
 * block takes about twenty vector instructions; elsewhere a loop over a
 * byte table gives the same masks. */
#ifndef BRIEFING_BYTE_BLOCKS_H
#define BRIEFING_BYTE_BLOCKS_H

#include <stddef.h>
#include <stdint.h>

#define BYTE_BLOCK 64

struct byte_block {
    uint64_t word, decode, starts;
};

/* Each set of ASCII bytes is also kept as a 16-byte table indexed by a
 * byte's low nibble, holding one bit per high nibble (0-7): byte b is in
 * the set when low[b & 15] has bit b >> 4.  Sixteen bytes are looked up
 * at once that way. */
struct byte_classes {
    unsigned char word_low[16], starts_low[16];
    unsigned char kind[256];      /* per byte: BYTE_KIND_* */
    int vector;                   /* the CPU has AVX2 */
};

enum { BYTE_KIND_WORD = 1, BYTE_KIND_DECODE = 2, BYTE_KIND_STARTS = 4 };

/* word[b] and starts[b] are non-zero for the ASCII bytes b that are word
 * characters and that begin some pattern. */
void byte_classes_init(struct byte_classes *c, const unsigned char word[128],
                       const unsigned char starts[128]);

/* Classifies p[0..len) into out[0..), one block per BYTE_BLOCK bytes, the
 * last one partial with its bits past the end 0.  Returns the number of
 * blocks.  Reads only p[0..len). */
size_t byte_blocks_classify(const struct byte_classes *c, const unsigned char *p, size_t len,
                            struct byte_block *out);
/* The same, one byte at a time (what a CPU without AVX2 runs; the tests
 * hold the two to the same masks). */
size_t byte_blocks_classify_bytewise(const struct byte_classes *c, const unsigned char *p,
                                     size_t len, struct byte_block *out);

#endif

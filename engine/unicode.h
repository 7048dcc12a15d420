/* The few Unicode facts matching needs: word/space/boundary classes,
 * simple case folding and UTF-8 coding.  Tables: tools/gen_tables.py. */
#ifndef BRIEFING_UNICODE_H
#define BRIEFING_UNICODE_H

#include <stddef.h>
#include <stdint.h>

enum uc_class {
    UC_BOUNDARY = 0,  /* punctuation, symbols, controls, invalid bytes */
    UC_WORD = 1,      /* letters, marks, numbers, '_', format characters */
    UC_SPACE = 2      /* ASCII whitespace and space separators (Zs) */
};

enum uc_class uc_classify_slow(uint32_t cp);
uint32_t uc_fold_slow(uint32_t cp);

#define UC_LOW_LIMIT 0x800
extern const unsigned char uc_low_classes[UC_LOW_LIMIT];
extern const uint16_t uc_low_folds[UC_LOW_LIMIT];

#define UC_PUNCT_FIRST 0x2000
#define UC_PUNCT_LIMIT 0x2070
extern const unsigned char uc_punct_classes[UC_PUNCT_LIMIT - UC_PUNCT_FIRST];

/* Code points below U+0800 (ASCII, Latin, Greek, Cyrillic: the text of
 * most pages) and the dashes and quotes of General Punctuation are a table
 * lookup here; the rest a search. */
static inline enum uc_class uc_classify(uint32_t cp)
{
    if (cp < UC_LOW_LIMIT)
        return (enum uc_class)uc_low_classes[cp];
    if (cp - UC_PUNCT_FIRST < UC_PUNCT_LIMIT - UC_PUNCT_FIRST)
        return (enum uc_class)uc_punct_classes[cp - UC_PUNCT_FIRST];
    return uc_classify_slow(cp);
}

static inline uint32_t uc_fold(uint32_t cp)
{
    if (cp < UC_LOW_LIMIT)
        return uc_low_folds[cp];
    if (cp - UC_PUNCT_FIRST < UC_PUNCT_LIMIT - UC_PUNCT_FIRST)
        return cp;
    return uc_fold_slow(cp);
}

/* Decodes one UTF-8 sequence from s[0..n).  Returns its length; 0 when
 * s[0..n) is a valid but incomplete start; -1 when s[0] begins no valid
 * sequence (overlong, surrogate, out of range, stray continuation). */
int utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);
/* Writes cp (a valid scalar value) as UTF-8; returns its length (1-4). */
size_t utf8_encode(uint32_t cp, unsigned char *out);

#endif

#include "unicode.h"
#include "unicode_tables.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))


enum uc_class uc_classify_slow(uint32_t cp)
{
    size_t lo = 0, hi = COUNT(uc_class_ranges);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < uc_class_ranges[mid].first)
            hi = mid;
        else if (cp > uc_class_ranges[mid].last)
            lo = mid + 1;
        else
            return (enum uc_class)uc_class_ranges[mid].cls;
    }
    return UC_BOUNDARY;
}

uint32_t uc_fold_slow(uint32_t cp)
{
    size_t lo = 0, hi = COUNT(uc_fold_runs);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const struct uc_fold_run *r = &uc_fold_runs[mid];
        if (cp < r->first)
            hi = mid;
        else if (cp > r->last)
            lo = mid + 1;
        else if (r->stride == 2 && (cp - r->first) % 2)
            return cp;
        else
            return (uint32_t)((int32_t)cp + r->delta);
    }
    return cp;
}

int utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char b = s[0];
    size_t len;
    uint32_t v, min;
    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    if (b >= 0xC2 && b <= 0xDF) {
        len = 2; v = b & 0x1F; min = 0x80;
    } else if (b >= 0xE0 && b <= 0xEF) {
        len = 3; v = b & 0x0F; min = 0x800;
    } else if (b >= 0xF0 && b <= 0xF4) {
        len = 4; v = b & 0x07; min = 0x10000;
    } else {
        return -1;
    }
    for (size_t i = 1; i < len; i++) {
        if (i >= n)
            return 0;   /* invalid starts are caught by the second byte */
        if ((s[i] & 0xC0) != 0x80)
            return -1;
        v = (v << 6) | (s[i] & 0x3F);
        if (i == 1) {
            /* Overlongs, surrogates and values past U+10FFFF show in the
             * second byte already. */
            uint32_t lo = v << (6 * (len - 2)), hi = lo | ((1u << (6 * (len - 2))) - 1);
            if (hi < min || lo > 0x10FFFF || (lo >= 0xD800 && hi <= 0xDFFF))
                return -1;
        }
    }
    *cp = v;
    return (int)len;
}

size_t utf8_encode(uint32_t cp, unsigned char *out)
{
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (unsigned char)(0xC0 | (cp >> 6));
        out[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (unsigned char)(0xE0 | (cp >> 12));
        out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (unsigned char)(0xF0 | (cp >> 18));
    out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

#include "charref.h"
#include "entities_table.h"
#include "unicode.h"

#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

enum { CR_FIRST, CR_NAMED, CR_HASH, CR_DECIMAL, CR_HEX };

_Static_assert(ENTITY_NAME_MAX <= CHARREF_NAME_MAX, "entity name buffer");

static int is_alnum(unsigned char b)
{
    return (b >= '0' && b <= '9') || ((b | 0x20) >= 'a' && (b | 0x20) <= 'z');
}

static int hex_digit(unsigned char b)
{
    if (b >= '0' && b <= '9')
        return b - '0';
    b |= 0x20;
    return b >= 'a' && b <= 'f' ? b - 'a' + 10 : -1;
}

void charref_start(struct charref *r)
{
    memset(r, 0, sizeof(*r));
    r->state = CR_FIRST;
}

static void add_digit(struct charref *r, uint32_t base, uint32_t digit)
{
    r->value = r->value * base + digit;
    if (r->value > 0x10FFFF)
        r->value = 0x110000;
}

enum charref_step charref_push(struct charref *r, unsigned char b)
{
    enum charref_step step = CHARREF_MORE;
    switch (r->state) {
    case CR_FIRST:
        if (b == '#') {
            r->state = CR_HASH;
            break;
        }
        r->state = CR_NAMED;
        /* fall through */
    case CR_NAMED:
        if (b == ';' && r->name_len > 0) {
            r->has_semicolon = 1;
            r->name[r->name_len++] = b;
            step = CHARREF_DONE;
        } else if (is_alnum(b) && r->name_len < ENTITY_NAME_MAX) {
            r->name[r->name_len++] = b;
        } else {
            step = CHARREF_STOP;
        }
        break;
    case CR_HASH:
        if ((b | 0x20) == 'x') {
            r->state = CR_HEX;
        } else if (b >= '0' && b <= '9') {
            r->state = CR_DECIMAL;
            r->name_len = 1;   /* counts digits */
            add_digit(r, 10, b - '0');
        } else {
            step = CHARREF_STOP;
        }
        break;
    case CR_DECIMAL:
    case CR_HEX: {
        int d = r->state == CR_HEX ? hex_digit(b) : (b >= '0' && b <= '9' ? b - '0' : -1);
        if (d >= 0) {
            r->name_len = 1;
            add_digit(r, r->state == CR_HEX ? 16 : 10, (uint32_t)d);
        } else if (b == ';' && r->name_len) {
            r->has_semicolon = 1;
            step = CHARREF_DONE;
        } else {
            step = CHARREF_STOP;
        }
        break;
    }
    default:
        step = CHARREF_STOP;
    }
    if (step != CHARREF_STOP)
        r->raw_len++;
    return step;
}

/* The code points that HTML maps numeric references 0x80-0x9F to. */
static const uint16_t windows1252_c1[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

static uint32_t numeric_value(uint32_t v)
{
    if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0xFFFD;
    if (v >= 0x80 && v <= 0x9F)
        return windows1252_c1[v - 0x80];
    return v;
}

static int compare_name(const char *name, size_t len, const char *entity)
{
    int c = strncmp(name, entity, len);
    if (c == 0 && entity[len] != '\0')
        return -1;
    return c;
}

static const struct entity *find_entity(const char *name, size_t len)
{
    size_t lo = 0, hi = COUNT(entity_table);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = compare_name(name, len, entity_table[mid].name);
        if (c == 0)
            return &entity_table[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

size_t charref_resolve(const struct charref *r, int in_attribute, int next,
                       uint32_t cp[2], int *ncp)
{
    *ncp = 0;
    if (r->state == CR_DECIMAL || r->state == CR_HEX) {
        if (!r->name_len)
            return 0;
        cp[0] = numeric_value(r->value);
        *ncp = 1;
        return r->raw_len;
    }
    if (r->state != CR_NAMED)
        return 0;
    for (size_t len = r->name_len; len > 0; len--) {
        const struct entity *e = find_entity((const char *)r->name, len);
        if (!e)
            continue;
        if (in_attribute && r->name[len - 1] != ';') {
            int after = len < r->name_len ? r->name[len] : next;
            if (after == '=' || (after >= 0 && is_alnum((unsigned char)after)))
                return 0;
        }
        cp[0] = e->cp[0];
        cp[1] = e->cp[1];
        *ncp = e->cp[1] ? 2 : 1;
        return len;
    }
    return 0;
}

static size_t put_cp(char *out, size_t at, size_t cap, uint32_t cp)
{
    unsigned char tmp[4];
    size_t n = utf8_encode(cp, tmp);
    if (at + n > cap)
        return (size_t)-1;
    memcpy(out + at, tmp, n);
    return at + n;
}

size_t charref_decode_attribute(const char *in, size_t n, char *out, size_t cap)
{
    size_t o = 0, i = 0;
    while (i < n) {
        if (in[i] != '&') {
            if (o >= cap)
                return (size_t)-1;
            out[o++] = in[i++];
            continue;
        }
        struct charref r;
        charref_start(&r);
        size_t j = i + 1;
        enum charref_step step = CHARREF_MORE;
        while (j < n && step == CHARREF_MORE) {
            step = charref_push(&r, (unsigned char)in[j]);
            if (step != CHARREF_STOP)
                j++;
        }
        uint32_t cp[2];
        int ncp;
        size_t covered = charref_resolve(&r, 1, j < n ? (unsigned char)in[j] : -1, cp, &ncp);
        if (!covered) {
            if (o >= cap)
                return (size_t)-1;
            out[o++] = in[i++];
            continue;
        }
        for (int k = 0; k < ncp; k++)
            if ((o = put_cp(out, o, cap, cp[k])) == (size_t)-1)
                return o;
        i += 1 + covered;
    }
    return o;
}

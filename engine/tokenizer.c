#include "tokenizer.h"

#include <string.h>

enum {
    S_DATA, S_TAG_OPEN, S_END_TAG_OPEN, S_TAG_NAME,
    S_BEFORE_ATTR_NAME, S_ATTR_NAME, S_AFTER_ATTR_NAME, S_BEFORE_ATTR_VALUE,
    S_ATTR_VALUE_DQ, S_ATTR_VALUE_SQ, S_ATTR_VALUE_UNQUOTED, S_AFTER_ATTR_VALUE,
    S_SELF_CLOSING,
    S_MARKUP_DECL, S_DECL_DASH, S_DECL_DOCTYPE, S_DECL_CDATA,
    S_COMMENT_START, S_COMMENT_START_DASH, S_COMMENT, S_COMMENT_END_DASH,
    S_COMMENT_END, S_COMMENT_END_BANG, S_BOGUS_COMMENT,
    S_CDATA, S_CDATA_BRACKET, S_CDATA_END,
    S_RAW, S_RAW_LT, S_RAW_END_NAME,
    S_SCRIPT, S_SCRIPT_LT, S_SCRIPT_END_NAME,
    S_SCRIPT_ESC_START, S_SCRIPT_ESC_START_DASH,
    S_SCRIPT_ESC, S_SCRIPT_ESC_DASH, S_SCRIPT_ESC_DASH_DASH,
    S_SCRIPT_ESC_LT, S_SCRIPT_ESC_END_NAME,
    S_SCRIPT_DBL_ESC_START, S_SCRIPT_DBL_ESC, S_SCRIPT_DBL_ESC_DASH,
    S_SCRIPT_DBL_ESC_DASH_DASH, S_SCRIPT_DBL_ESC_LT, S_SCRIPT_DBL_ESC_END,
    S_PLAINTEXT
};

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static int is_space(unsigned char b)
{
    return b == ' ' || b == '\t' || b == '\n' || b == '\f' || b == '\r';
}

static int is_alpha(unsigned char b)
{
    return (b | 0x20) >= 'a' && (b | 0x20) <= 'z';
}

static unsigned char lower(unsigned char b)
{
    return b >= 'A' && b <= 'Z' ? b + 32 : b;
}

uint64_t tag_name_hash(const char *name, size_t n)
{
    uint64_t h = FNV_OFFSET;
    for (size_t i = 0; i < n; i++)
        h = (h ^ lower((unsigned char)name[i])) * FNV_PRIME;
    return h;
}

void tokenizer_init(struct html_tokenizer *t, const struct html_handler *h, void *ctx)
{
    memset(t, 0, sizeof(*t));
    t->handler = h;
    t->ctx = ctx;
    t->state = S_DATA;
}

uint64_t tokenizer_hold_from(const struct html_tokenizer *t)
{
    return t->state == S_TAG_OPEN ? t->lt_offset : UINT64_MAX;
}

static void begin_tag(struct html_tokenizer *t, int is_end)
{
    t->tag.hash = FNV_OFFSET;
    t->tag.name_len = 0;
    memset(t->tag.name, 0, sizeof(t->tag.name));
    t->tag.is_end = (uint8_t)is_end;
    t->tag.self_closing = 0;
    /* Most tags have no attribute that is kept, nor had the one before. */
    if (t->attrs_kept)
        for (int i = 0; i < ATTR_COUNT; i++)
            t->tag.attr[i].present = 0;
    t->attrs_kept = 0;
}

/* Adds p[0..n) to the tag's name. */
static void tag_name_add_all(struct html_tokenizer *t, const unsigned char *p, size_t n)
{
    uint64_t hash = t->tag.hash;
    size_t len = t->tag.name_len;
    for (size_t i = 0; i < n; i++, len++) {
        unsigned char b = lower(p[i]);
        hash = (hash ^ b) * FNV_PRIME;
        if (len < TAG_NAME_KEEP)
            t->tag.name[len] = (char)b;
    }
    t->tag.hash = hash;
    t->tag.name_len = len;
}

static void tag_name_add(struct html_tokenizer *t, unsigned char b)
{
    tag_name_add_all(t, &b, 1);
}

static void begin_attribute(struct html_tokenizer *t)
{
    t->attr_name_len = 0;
    t->attr_slot = ATTR_COUNT;
}

static void attribute_name_add(struct html_tokenizer *t, unsigned char b)
{
    if (t->attr_name_len < sizeof(t->attr_name))
        t->attr_name[t->attr_name_len] = (char)lower(b);
    t->attr_name_len++;
}

static int attribute_named(const struct html_tokenizer *t, const char *name)
{
    size_t n = strlen(name);
    return t->attr_name_len == n && memcmp(t->attr_name, name, n) == 0;
}

/* Decides whether the attribute just named is one worth keeping; the
 * first of duplicate attributes wins, as in browsers. */
static void end_attribute_name(struct html_tokenizer *t)
{
    int slot = ATTR_COUNT;
    if (attribute_named(t, "data-briefing"))
        slot = ATTR_DATA_BRIEFING;
    else if (t->capture_scope && attribute_named(t, "id"))
        slot = ATTR_ID;
    else if (t->capture_scope && attribute_named(t, "class"))
        slot = ATTR_CLASS;
    else if (t->capture_date && attribute_named(t, "property"))
        slot = ATTR_PROPERTY;
    else if (t->capture_date && attribute_named(t, "name"))
        slot = ATTR_NAME;
    else if (t->capture_date && attribute_named(t, "content"))
        slot = ATTR_CONTENT;
    else if (t->capture_date && attribute_named(t, "datetime"))
        slot = ATTR_DATETIME;
    if (slot != ATTR_COUNT && t->tag.attr[slot].present)
        slot = ATTR_COUNT;
    t->attr_slot = slot;
    if (slot != ATTR_COUNT) {
        t->tag.attr[slot].present = 1;
        t->attrs_kept = 1;
        t->tag.attr[slot].len = 0;
        t->tag.attr[slot].truncated = 0;
    }
}

static void attribute_value_add(struct html_tokenizer *t, const unsigned char *p, size_t n)
{
    struct tag_attribute_value *v = &t->tag.attr[t->attr_slot];
    size_t room = ATTR_VALUE_KEEP - v->len;
    if (n > room) {
        n = room;
        v->truncated = 1;
    }
    memcpy(v->raw + v->len, p, n);
    v->len += n;
}

static void emit_tag(struct html_tokenizer *t)
{
    enum html_content content = t->handler->tag(t->ctx, &t->tag);
    t->state = S_DATA;
    if (t->tag.is_end)
        return;
    switch (content) {
    case CONTENT_RAWTEXT:
    case CONTENT_SCRIPT:
        memcpy(t->raw_end, t->tag.name, sizeof(t->raw_end));
        t->raw_end_len = t->tag.name_len;
        t->state = content == CONTENT_SCRIPT ? S_SCRIPT : S_RAW;
        break;
    case CONTENT_PLAINTEXT:
        t->state = S_PLAINTEXT;
        break;
    case CONTENT_DATA:
        break;
    }
}

static int is_alnum(unsigned char b)
{
    return is_alpha(b) || (b >= '0' && b <= '9');
}

/* A start or end tag of a name alone (<p>, </p>), the commonest markup,
 * whole in p[lt..n) with '<' at lt: read at once, as the states would
 * read it.  Returns the index after its '>', or 0 for any other markup,
 * which is left to the states. */
static size_t simple_tag(struct html_tokenizer *t, const unsigned char *p, size_t lt, size_t n)
{
    size_t k = lt + 1;
    int is_end = k < n && p[k] == '/';
    k += (size_t)is_end;
    if (k == n || !is_alpha(p[k]))
        return 0;
    size_t name = k;
    while (k < n && is_alnum(p[k]))
        k++;
    if (k == n || p[k] != '>')
        return 0;
    t->handler->markup(t->ctx, t->lt_offset);
    begin_tag(t, is_end);
    tag_name_add_all(t, p + name, k - name);
    emit_tag(t);
    return k + 1;
}

/* Scans to the next `c`; returns its index or n. */
static size_t skip_to(const unsigned char *p, size_t i, size_t n, unsigned char c)
{
    const unsigned char *q = memchr(p + i, c, n - i);
    return q ? (size_t)(q - p) : n;
}

/* Reads the name after "</" in raw text or script data.  Returns 1 when the
 * byte was consumed, 0 to reprocess it in `fallback`. */
static int raw_end_name(struct html_tokenizer *t, unsigned char b, int fallback)
{
    if (t->match < t->raw_end_len && lower(b) == (unsigned char)t->raw_end[t->match]) {
        t->match++;
        return 1;
    }
    if (t->match == t->raw_end_len && (is_space(b) || b == '/' || b == '>')) {
        begin_tag(t, 1);
        for (size_t k = 0; k < t->raw_end_len; k++)
            tag_name_add(t, (unsigned char)t->raw_end[k]);
        t->state = S_TAG_NAME;
        return 0;
    }
    t->state = fallback;
    return 0;
}

/* Script data double-escape names: is the temporary buffer "script"? */
static void temp_add(struct html_tokenizer *t, unsigned char b)
{
    static const char script[] = "script";
    if (t->match >= 6 || lower(b) != (unsigned char)script[t->match])
        t->temp_ok = 0;
    t->match++;
}

void tokenizer_feed(struct html_tokenizer *t, const unsigned char *p, size_t n)
{
    const struct html_handler *h = t->handler;
    const uint64_t base = t->offset;
    size_t i = 0;
    while (i < n) {
        unsigned char b = p[i];
        switch (t->state) {
        case S_DATA: {
            size_t lt = skip_to(p, i, n, '<');
            if (lt > i)
                h->text(t->ctx, p + i, lt - i, base + i);
            if (lt < n) {
                t->lt_offset = base + lt;
                size_t after = simple_tag(t, p, lt, n);
                if (after) {
                    i = after;
                    continue;
                }
                t->state = S_TAG_OPEN;
            }
            i = lt + 1;
            continue;
        }
        case S_TAG_OPEN:
            if (is_alpha(b)) {
                h->markup(t->ctx, t->lt_offset);
                begin_tag(t, 0);
                t->state = S_TAG_NAME;
                continue;
            }
            if (b == '!' || b == '/' || b == '?') {
                h->markup(t->ctx, t->lt_offset);
                t->state = b == '!' ? S_MARKUP_DECL : b == '/' ? S_END_TAG_OPEN : S_BOGUS_COMMENT;
                break;
            }
            h->text(t->ctx, (const unsigned char *)"<", 1, t->lt_offset);
            t->state = S_DATA;
            continue;
        case S_END_TAG_OPEN:
            if (is_alpha(b)) {
                begin_tag(t, 1);
                t->state = S_TAG_NAME;
                continue;
            }
            if (b == '>') {
                t->state = S_DATA;
                break;
            }
            t->state = S_BOGUS_COMMENT;
            continue;
        case S_TAG_NAME:
            if (is_space(b))
                t->state = S_BEFORE_ATTR_NAME;
            else if (b == '/')
                t->state = S_SELF_CLOSING;
            else if (b == '>')
                emit_tag(t);
            else
                tag_name_add(t, b);
            break;
        case S_BEFORE_ATTR_NAME:
            if (is_space(b))
                break;
            if (b == '/' || b == '>') {
                t->state = S_AFTER_ATTR_NAME;
                continue;
            }
            begin_attribute(t);
            if (b == '=') {
                attribute_name_add(t, b);
                t->state = S_ATTR_NAME;
                break;
            }
            t->state = S_ATTR_NAME;
            continue;
        case S_ATTR_NAME:
            if (is_space(b) || b == '/' || b == '>') {
                end_attribute_name(t);
                t->state = S_AFTER_ATTR_NAME;
                continue;
            }
            if (b == '=') {
                end_attribute_name(t);
                t->state = S_BEFORE_ATTR_VALUE;
                break;
            }
            attribute_name_add(t, b);
            break;
        case S_AFTER_ATTR_NAME:
            if (is_space(b))
                break;
            if (b == '/')
                t->state = S_SELF_CLOSING;
            else if (b == '=')
                t->state = S_BEFORE_ATTR_VALUE;
            else if (b == '>')
                emit_tag(t);
            else {
                begin_attribute(t);
                t->state = S_ATTR_NAME;
                continue;
            }
            break;
        case S_BEFORE_ATTR_VALUE:
            if (is_space(b))
                break;
            if (b == '"')
                t->state = S_ATTR_VALUE_DQ;
            else if (b == '\'')
                t->state = S_ATTR_VALUE_SQ;
            else if (b == '>')
                emit_tag(t);
            else {
                t->state = S_ATTR_VALUE_UNQUOTED;
                continue;
            }
            break;
        case S_ATTR_VALUE_DQ:
        case S_ATTR_VALUE_SQ: {
            size_t q = skip_to(p, i, n, t->state == S_ATTR_VALUE_DQ ? '"' : '\'');
            if (t->attr_slot != ATTR_COUNT)
                attribute_value_add(t, p + i, q - i);
            if (q < n)
                t->state = S_AFTER_ATTR_VALUE;
            i = q + 1;
            continue;
        }
        case S_ATTR_VALUE_UNQUOTED:
            if (is_space(b))
                t->state = S_BEFORE_ATTR_NAME;
            else if (b == '>')
                emit_tag(t);
            else if (t->attr_slot != ATTR_COUNT)
                attribute_value_add(t, &b, 1);
            break;
        case S_AFTER_ATTR_VALUE:
            if (is_space(b))
                t->state = S_BEFORE_ATTR_NAME;
            else if (b == '/')
                t->state = S_SELF_CLOSING;
            else if (b == '>')
                emit_tag(t);
            else {
                t->state = S_BEFORE_ATTR_NAME;
                continue;
            }
            break;
        case S_SELF_CLOSING:
            if (b == '>') {
                t->tag.self_closing = 1;
                emit_tag(t);
                break;
            }
            t->state = S_BEFORE_ATTR_NAME;
            continue;
        case S_MARKUP_DECL:
            t->match = 1;
            if (b == '-')
                t->state = S_DECL_DASH;
            else if ((b | 0x20) == 'd')
                t->state = S_DECL_DOCTYPE;
            else if (b == '[' && t->foreign)
                t->state = S_DECL_CDATA;
            else {
                t->state = S_BOGUS_COMMENT;
                continue;
            }
            break;
        case S_DECL_DASH:
            if (b == '-') {
                t->state = S_COMMENT_START;
                break;
            }
            t->state = S_BOGUS_COMMENT;
            continue;
        case S_DECL_DOCTYPE:
        case S_DECL_CDATA: {
            /* A doctype reads like a bogus comment: both end at '>'. */
            const char *word = t->state == S_DECL_DOCTYPE ? "doctype" : "[CDATA[";
            unsigned char c = t->state == S_DECL_DOCTYPE ? lower(b) : b;
            if (c != (unsigned char)word[t->match]) {
                t->state = S_BOGUS_COMMENT;
                continue;
            }
            if (++t->match == 7)
                t->state = t->state == S_DECL_DOCTYPE ? S_BOGUS_COMMENT : S_CDATA;
            break;
        }
        case S_COMMENT_START:
            t->state = b == '-' ? S_COMMENT_START_DASH : b == '>' ? S_DATA : S_COMMENT;
            if (t->state == S_COMMENT)
                continue;
            break;
        case S_COMMENT_START_DASH:
            t->state = b == '-' ? S_COMMENT_END : b == '>' ? S_DATA : S_COMMENT;
            if (t->state == S_COMMENT)
                continue;
            break;
        case S_COMMENT:
            i = skip_to(p, i, n, '-');
            if (i < n) {
                t->state = S_COMMENT_END_DASH;
                i++;
            }
            continue;
        case S_COMMENT_END_DASH:
            t->state = b == '-' ? S_COMMENT_END : S_COMMENT;
            break;
        case S_COMMENT_END:
            if (b == '>')
                t->state = S_DATA;
            else if (b == '!')
                t->state = S_COMMENT_END_BANG;
            else if (b != '-')
                t->state = S_COMMENT;
            break;
        case S_COMMENT_END_BANG:
            t->state = b == '-' ? S_COMMENT_END_DASH : b == '>' ? S_DATA : S_COMMENT;
            break;
        case S_BOGUS_COMMENT:
            i = skip_to(p, i, n, '>');
            if (i < n) {
                t->state = S_DATA;
                i++;
            }
            continue;
        case S_CDATA:
            i = skip_to(p, i, n, ']');
            if (i < n) {
                t->state = S_CDATA_BRACKET;
                i++;
            }
            continue;
        case S_CDATA_BRACKET:
            if (b != ']') {
                t->state = S_CDATA;
                continue;
            }
            t->state = S_CDATA_END;
            break;
        case S_CDATA_END:
            if (b == '>')
                t->state = S_DATA;
            else if (b != ']') {
                t->state = S_CDATA;
                continue;
            }
            break;
        case S_RAW:
            i = skip_to(p, i, n, '<');
            if (i < n) {
                t->state = S_RAW_LT;
                i++;
            }
            continue;
        case S_RAW_LT:
            if (b == '/') {
                t->match = 0;
                t->state = S_RAW_END_NAME;
                break;
            }
            t->state = S_RAW;
            continue;
        case S_RAW_END_NAME:
            if (raw_end_name(t, b, S_RAW))
                break;
            continue;
        case S_SCRIPT:
            i = skip_to(p, i, n, '<');
            if (i < n) {
                t->state = S_SCRIPT_LT;
                i++;
            }
            continue;
        case S_SCRIPT_LT:
            if (b == '/') {
                t->match = 0;
                t->state = S_SCRIPT_END_NAME;
                break;
            }
            if (b == '!') {
                t->state = S_SCRIPT_ESC_START;
                break;
            }
            t->state = S_SCRIPT;
            continue;
        case S_SCRIPT_END_NAME:
            if (raw_end_name(t, b, S_SCRIPT))
                break;
            continue;
        case S_SCRIPT_ESC_START:
        case S_SCRIPT_ESC_START_DASH:
            if (b != '-') {
                t->state = S_SCRIPT;
                continue;
            }
            t->state = t->state == S_SCRIPT_ESC_START ? S_SCRIPT_ESC_START_DASH
                                                      : S_SCRIPT_ESC_DASH_DASH;
            break;
        case S_SCRIPT_ESC:
        case S_SCRIPT_ESC_DASH:
        case S_SCRIPT_ESC_DASH_DASH:
            if (b == '<')
                t->state = S_SCRIPT_ESC_LT;
            else if (b == '-')
                t->state = t->state == S_SCRIPT_ESC ? S_SCRIPT_ESC_DASH : S_SCRIPT_ESC_DASH_DASH;
            else if (b == '>' && t->state == S_SCRIPT_ESC_DASH_DASH)
                t->state = S_SCRIPT;
            else
                t->state = S_SCRIPT_ESC;
            break;
        case S_SCRIPT_ESC_LT:
            t->match = 0;
            if (b == '/') {
                t->state = S_SCRIPT_ESC_END_NAME;
                break;
            }
            if (is_alpha(b)) {
                t->temp_ok = 1;
                t->state = S_SCRIPT_DBL_ESC_START;
                continue;
            }
            t->state = S_SCRIPT_ESC;
            continue;
        case S_SCRIPT_ESC_END_NAME:
            if (raw_end_name(t, b, S_SCRIPT_ESC))
                break;
            continue;
        case S_SCRIPT_DBL_ESC_START:
        case S_SCRIPT_DBL_ESC_END: {
            int starting = t->state == S_SCRIPT_DBL_ESC_START;
            if (is_space(b) || b == '/' || b == '>') {
                int is_script = t->temp_ok && t->match == 6;
                if (starting)
                    t->state = is_script ? S_SCRIPT_DBL_ESC : S_SCRIPT_ESC;
                else
                    t->state = is_script ? S_SCRIPT_ESC : S_SCRIPT_DBL_ESC;
                break;
            }
            if (is_alpha(b)) {
                temp_add(t, b);
                break;
            }
            t->state = starting ? S_SCRIPT_ESC : S_SCRIPT_DBL_ESC;
            continue;
        }
        case S_SCRIPT_DBL_ESC:
        case S_SCRIPT_DBL_ESC_DASH:
        case S_SCRIPT_DBL_ESC_DASH_DASH:
            if (b == '<')
                t->state = S_SCRIPT_DBL_ESC_LT;
            else if (b == '-')
                t->state = t->state == S_SCRIPT_DBL_ESC ? S_SCRIPT_DBL_ESC_DASH
                                                        : S_SCRIPT_DBL_ESC_DASH_DASH;
            else if (b == '>' && t->state == S_SCRIPT_DBL_ESC_DASH_DASH)
                t->state = S_SCRIPT;
            else
                t->state = S_SCRIPT_DBL_ESC;
            break;
        case S_SCRIPT_DBL_ESC_LT:
            if (b == '/') {
                t->match = 0;
                t->temp_ok = 1;
                t->state = S_SCRIPT_DBL_ESC_END;
                break;
            }
            t->state = S_SCRIPT_DBL_ESC;
            continue;
        case S_PLAINTEXT:
            i = n;
            continue;
        }
        i++;
    }
    t->offset = base + n;
}

void tokenizer_finish(struct html_tokenizer *t)
{
    if (t->state == S_TAG_OPEN) {
        t->handler->text(t->ctx, (const unsigned char *)"<", 1, t->lt_offset);
        t->state = S_DATA;
    }
}

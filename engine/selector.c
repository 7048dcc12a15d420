#include "selector.h"
#include "tokenizer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_name_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '_' || c >= 0x80;
}

static size_t name_length(const char *s)
{
    size_t n = 0;
    while (is_name_char((unsigned char)s[n]))
        n++;
    return n;
}

int selector_parse(const char *text, struct selector *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    const char *s = text;
    if (*s == '*') {
        s++;
    } else if (name_length(s)) {
        size_t n = name_length(s);
        out->tag_hash = tag_name_hash(s, n);
        s += n;
    }
    while (*s) {
        char kind = *s++;
        size_t n = name_length(s);
        if ((kind != '.' && kind != '#') || n == 0)
            goto bad;
        char *name = strndup(s, n);
        if (!name)
            goto bad;
        if (kind == '#') {
            if (out->id) {
                free(name);
                goto bad;
            }
            out->id = name;
        } else if (out->nclasses < SELECTOR_CLASSES_MAX) {
            out->classes[out->nclasses++] = name;
        } else {
            free(name);
            goto bad;
        }
        s += n;
    }
    if (s == text)
        goto bad;
    return 0;
bad:
    selector_release(out);
    snprintf(err, errlen, "\"%s\" is not a simple selector (tag, .class, #id, tag.class, tag#id, .a.b, *)", text);
    return -1;
}

void selector_release(struct selector *s)
{
    free(s->id);
    for (size_t i = 0; i < s->nclasses; i++)
        free(s->classes[i]);
    memset(s, 0, sizeof(*s));
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static int has_class(const char *classes, size_t n, const char *name)
{
    size_t len = strlen(name);
    for (size_t i = 0; i < n;) {
        while (i < n && is_space(classes[i]))
            i++;
        size_t start = i;
        while (i < n && !is_space(classes[i]))
            i++;
        if (i - start == len && memcmp(classes + start, name, len) == 0)
            return 1;
    }
    return 0;
}

int selector_matches(const struct selector *s, uint64_t tag_hash, const char *id,
                     const char *classes, size_t classes_len)
{
    if (s->tag_hash && s->tag_hash != tag_hash)
        return 0;
    if (s->id && (!id || strcmp(s->id, id) != 0))
        return 0;
    for (size_t i = 0; i < s->nclasses; i++)
        if (!classes || !has_class(classes, classes_len, s->classes[i]))
            return 0;
    return 1;
}

#include "charset.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "charset_tables.h"

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static unsigned char lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int starts_with_ci(const unsigned char *p, size_t n, const char *word)
{
    size_t len = strlen(word);
    if (n < len)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (lower(p[i]) != (unsigned char)word[i])
            return 0;
    return 1;
}

static void copy_label(const unsigned char *p, size_t n, char *label, size_t cap)
{
    while (n && is_space(*p)) {
        p++;
        n--;
    }
    while (n && is_space(p[n - 1]))
        n--;
    if (n >= cap)
        n = cap - 1;
    for (size_t i = 0; i < n; i++)
        label[i] = (char)lower(p[i]);
    label[n] = '\0';
}

/* "Extracting a character encoding from a meta element" (HTML standard). */
static int charset_in_content(const unsigned char *p, size_t n, char *label, size_t cap)
{
    for (size_t i = 0; i + 7 <= n; i++) {
        if (!starts_with_ci(p + i, n - i, "charset"))
            continue;
        size_t j = i + 7;
        while (j < n && is_space(p[j]))
            j++;
        if (j >= n || p[j] != '=') {
            i = j - 1;
            continue;
        }
        j++;
        while (j < n && is_space(p[j]))
            j++;
        if (j >= n)
            return 0;
        if (p[j] == '"' || p[j] == '\'') {
            const unsigned char *end = memchr(p + j + 1, p[j], n - j - 1);
            if (!end)
                return 0;
            copy_label(p + j + 1, (size_t)(end - p) - j - 1, label, cap);
            return label[0] != '\0';
        }
        size_t k = j;
        while (k < n && !is_space(p[k]) && p[k] != ';')
            k++;
        copy_label(p + j, k - j, label, cap);
        return label[0] != '\0';
    }
    return 0;
}

int charset_from_content_type(const char *value, char *label, size_t cap)
{
    return charset_in_content((const unsigned char *)value, strlen(value), label, cap);
}

struct attribute {
    const unsigned char *name, *value;
    size_t name_len, value_len;
};

/* "Get an attribute" of the prescan; returns 0 at the end of the tag. */
static int next_attribute(const unsigned char *p, size_t n, size_t *pos, struct attribute *a)
{
    size_t i = *pos;
    while (i < n && (is_space(p[i]) || p[i] == '/'))
        i++;
    if (i >= n || p[i] == '>')
        return 0;
    a->name = p + i;
    while (i < n && !(p[i] == '=' && i > (size_t)(a->name - p)) && !is_space(p[i]) &&
           p[i] != '/' && p[i] != '>')
        i++;
    a->name_len = (size_t)(p + i - a->name);
    while (i < n && is_space(p[i]))
        i++;
    a->value = p + i;
    a->value_len = 0;
    if (i < n && p[i] == '=') {
        i++;
        while (i < n && is_space(p[i]))
            i++;
        if (i < n && (p[i] == '"' || p[i] == '\'')) {
            unsigned char q = p[i++];
            a->value = p + i;
            while (i < n && p[i] != q)
                i++;
            a->value_len = (size_t)(p + i - a->value);
            i++;
        } else {
            a->value = p + i;
            while (i < n && !is_space(p[i]) && p[i] != '>')
                i++;
            a->value_len = (size_t)(p + i - a->value);
        }
    }
    *pos = i;
    return i <= n;
}

static int attribute_is(const struct attribute *a, const char *name)
{
    return a->name_len == strlen(name) && starts_with_ci(a->name, a->name_len, name);
}

static int meta_charset(const unsigned char *p, size_t n, size_t *pos, char *label, size_t cap)
{
    int got_pragma = 0, need_pragma = -1, seen_charset = 0, seen_content = 0;
    char found[CHARSET_LABEL_MAX] = "";
    struct attribute a;
    while (next_attribute(p, n, pos, &a)) {
        if (attribute_is(&a, "http-equiv")) {
            got_pragma |= a.value_len == 12 && starts_with_ci(a.value, 12, "content-type");
        } else if (attribute_is(&a, "content") && !seen_content) {
            seen_content = 1;
            if (!found[0] && charset_in_content(a.value, a.value_len, found, sizeof(found)))
                need_pragma = 1;
        } else if (attribute_is(&a, "charset") && !seen_charset) {
            seen_charset = 1;
            copy_label(a.value, a.value_len, found, sizeof(found));
            need_pragma = 0;
        }
    }
    if (need_pragma < 0 || (need_pragma == 1 && !got_pragma) || !found[0])
        return 0;
    /* A page that could be read as ASCII cannot be UTF-16: HTML reads a
     * meta declaring UTF-16 as UTF-8. */
    if (strncmp(found, "utf-16", 6) == 0)
        strcpy(found, "utf-8");
    copy_label((const unsigned char *)found, strlen(found), label, cap);
    return 1;
}

int charset_sniff(const unsigned char *p, size_t n, char *label, size_t cap)
{
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
        copy_label((const unsigned char *)"utf-8", 5, label, cap);
        return 1;
    }
    if (n >= 2 && ((p[0] == 0xFE && p[1] == 0xFF) || (p[0] == 0xFF && p[1] == 0xFE))) {
        copy_label((const unsigned char *)(p[0] == 0xFE ? "utf-16be" : "utf-16le"), 8, label, cap);
        return 1;
    }
    if (n > CHARSET_PRESCAN_BYTES)
        n = CHARSET_PRESCAN_BYTES;
    size_t i = 0;
    while (i < n) {
        const unsigned char *lt = memchr(p + i, '<', n - i);
        if (!lt)
            return 0;
        i = (size_t)(lt - p);
        if (starts_with_ci(p + i, n - i, "<!--")) {
            const unsigned char *end = NULL;
            for (size_t j = i + 4; j + 3 <= n && !end; j++)
                if (p[j] == '-' && p[j + 1] == '-' && p[j + 2] == '>')
                    end = p + j;
            if (!end)
                return 0;
            i = (size_t)(end - p) + 3;
        } else if (starts_with_ci(p + i, n - i, "<meta") && i + 5 < n &&
                   (is_space(p[i + 5]) || p[i + 5] == '/')) {
            i += 5;
            if (meta_charset(p, n, &i, label, cap))
                return 1;
        } else if (p[i] == '<' && i + 1 < n &&
                   (((p[i + 1] | 0x20) >= 'a' && (p[i + 1] | 0x20) <= 'z') ||
                    (p[i + 1] == '/' && i + 2 < n && (p[i + 2] | 0x20) >= 'a' &&
                     (p[i + 2] | 0x20) <= 'z'))) {
            while (i < n && !is_space(p[i]) && p[i] != '>')
                i++;
            struct attribute a;
            while (next_attribute(p, n, &i, &a))
                ;
        } else if (p[i] == '<' && i + 1 < n && (p[i + 1] == '!' || p[i + 1] == '/' || p[i + 1] == '?')) {
            const unsigned char *end = memchr(p + i, '>', n - i);
            if (!end)
                return 0;
            i = (size_t)(end - p);
        }
        i++;
    }
    return 0;
}

int charset_is_utf8(const char *label)
{
    static const char *const utf8[] = {
        "utf-8", "utf8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8",
        "x-unicode20utf8", "us-ascii", "ascii", "ansi_x3.4-1968", "iso-ir-6", NULL
    };
    for (size_t i = 0; utf8[i]; i++)
        if (strcasecmp(label, utf8[i]) == 0)
            return 1;
    return 0;
}

static int compare_label(const void *key, const void *item)
{
    return strcasecmp(key, ((const struct charset_label *)item)->label);
}

const struct charset_table *charset_table_find(const char *label)
{
    const struct charset_label *found =
        bsearch(label, charset_labels, sizeof(charset_labels) / sizeof(charset_labels[0]),
                sizeof(charset_labels[0]), compare_label);
    return found ? &charset_tables[found->table] : NULL;
}

int charset_is_supported(const char *label)
{
    return charset_is_utf8(label) || charset_table_find(label);
}

unsigned char charset_encode(const struct charset_table *t, uint32_t cp)
{
    for (unsigned i = 0; i < 128; i++)
        if (t->high[i] == cp)
            return (unsigned char)(0x80 + i);
    return 0;
}

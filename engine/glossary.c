#include "glossary.h"
#include "arena.h"
#include "inflect_ru.h"
#include "unicode.h"

#include <errno.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>

#define GLOSSARY_NS "urn:briefing:glossary:1"

extern const char glossary_schema[];

const char *const entry_type_names[ENTRY_TYPE_COUNT] = {
    "person", "organization", "agreement", "place", "term"
};

int entry_type_from_name(const char *s, size_t n)
{
    for (int t = 0; t < ENTRY_TYPE_COUNT; t++)
        if (strlen(entry_type_names[t]) == n && memcmp(entry_type_names[t], s, n) == 0)
            return t;
    return -1;
}

/* What one load knows: the file's bytes (for positions) and the first
 * error. */
struct loader {
    const char *name;
    const char *data;
    size_t size;
    char *err;
    size_t errlen;
    int failed;
    char pending[GLOSSARY_ERROR_MAX];   /* a validation error still without a place */
    struct glossary *g;
    struct arena *scratch;       /* pattern texts, freed once the matcher is built */
    const char *last_lang;       /* the xml:lang kept last, for node_lang */
};

static void fail_at(struct loader *ld, long line, long col, const char *fmt, ...)
{
    if (ld->failed)
        return;
    ld->failed = 1;
    int n = line > 0 ? snprintf(ld->err, ld->errlen, "%s:%ld:%ld: ", ld->name, line, col > 0 ? col : 1)
                     : snprintf(ld->err, ld->errlen, "%s: ", ld->name);
    if (n < 0 || (size_t)n >= ld->errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ld->err + n, ld->errlen - (size_t)n, fmt, ap);
    va_end(ap);
    /* libxml2's messages end with a newline and some have one inside;
     * an error is one line in a log. */
    size_t len = strlen(ld->err);
    while (len && (ld->err[len - 1] == '\n' || ld->err[len - 1] == ' '))
        ld->err[--len] = '\0';
    for (char *nl = strchr(ld->err, '\n'); nl; nl = strchr(nl, '\n'))
        *nl = ' ';
}

/* Line and column (in characters, from 1) of a byte offset. */
static void position_of(const struct loader *ld, size_t offset, long *line, long *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < offset && i < ld->size; i++) {
        unsigned char b = (unsigned char)ld->data[i];
        if (b == '\n') {
            ++*line;
            *col = 1;
        } else if ((b & 0xC0) != 0x80) {
            ++*col;
        }
    }
}

/* Elements remember where their start tag began (offset + 1) in _private,
 * since libxml2 keeps only their line. */
static void fail_at_node(struct loader *ld, const xmlNode *node, const char *fmt, ...)
{
    if (ld->failed)
        return;
    long line = node ? (long)xmlGetLineNo(node) : 0, col = 0;
    if (node && node->_private)
        position_of(ld, (size_t)(uintptr_t)node->_private - 1, &line, &col);
    char message[GLOSSARY_ERROR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);
    fail_at(ld, line, col, "%s", message);
}

static void on_xml_error(void *ctx, xmlErrorPtr e)
{
    struct loader *ld = ctx;
    if (e->level < XML_ERR_ERROR)
        return;
    const xmlNode *node = e->node;
    /* The validator may point at the child it was reading when the error
     * is about the parent it names. */
    if (node && e->str1 && node->parent && node->parent->type == XML_ELEMENT_NODE &&
        strcmp((const char *)node->name, e->str1) != 0 &&
        !(e->str2 && strcmp((const char *)node->name, e->str2) == 0) &&
        strcmp((const char *)node->parent->name, e->str1) == 0)
        node = node->parent;
    const char *message = e->message ? e->message : "invalid";
    if (e->domain != XML_FROM_PARSER && !node && !ld->pending[0]) {
        /* Some RELAX NG errors come without a node; the next one has it. */
        snprintf(ld->pending, sizeof(ld->pending), "%s", message);
        return;
    }
    if (ld->pending[0])
        message = ld->pending;
    if (node && e->domain != XML_FROM_PARSER)
        fail_at_node(ld, node, "%s", message);
    else
        fail_at(ld, e->line, e->int2, "%s", message);
}

/* libxml2 hands parser errors the parser context, not our data. */
static void on_parse_error(void *ctx, xmlErrorPtr e)
{
    xmlParserCtxtPtr ctxt = ctx;
    on_xml_error(ctxt->_private, e);
}

static void on_start_element(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                             const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                             int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
    xmlParserCtxtPtr ctxt = ctx;
    xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces,
                          nb_attributes, nb_defaulted, attributes);
    /* The start tag has just been read: its '<' is the last one before the
     * cursor, since '<' cannot stand in an attribute value. */
    const xmlChar *base = ctxt->input->base, *at = ctxt->input->cur;
    while (at > base && *--at != '<')
        ;
    if (ctxt->node && *at == '<')
        ctxt->node->_private = (void *)(uintptr_t)(ctxt->input->consumed + (size_t)(at - base) + 1);
}

static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *external_id,
                       const xmlChar *system_id)
{
    xmlParserCtxtPtr ctxt = ctx;
    struct loader *ld = ctxt->_private;
    (void)name;
    (void)external_id;
    (void)system_id;
    /* Name the declaration's start, which lies a little before the cursor. */
    const xmlChar *base = ctxt->input->base, *at = ctxt->input->cur;
    while (at > base && xmlStrncasecmp(at, (const xmlChar *)"<!DOCTYPE", 9) != 0)
        at--;
    long line = ctxt->input->line, col = ctxt->input->col;
    if (xmlStrncasecmp(at, (const xmlChar *)"<!DOCTYPE", 9) == 0)
        position_of(ld, ctxt->input->consumed + (size_t)(at - base), &line, &col);
    fail_at(ld, line, col, "a DOCTYPE is not allowed in a glossary (no DTDs, no entities)");
    xmlStopParser(ctxt);
}

static int in_glossary_ns(const xmlNode *n, const char *name);

/* The whitespace between the elements of glossary, entry and description,
 * whose content is elements only, would be a text node each: a third of a
 * large glossary's tree while it loads.  It is dropped as it is read. */
static void on_characters(void *ctx, const xmlChar *ch, int len)
{
    xmlParserCtxtPtr ctxt = ctx;
    const xmlNode *parent = ctxt->node;
    int blank = 1;
    for (int i = 0; i < len && blank; i++)
        blank = ch[i] == ' ' || ch[i] == '\t' || ch[i] == '\n' || ch[i] == '\r';
    if (blank && parent && (in_glossary_ns(parent, "entry") || in_glossary_ns(parent, "glossary") ||
                            in_glossary_ns(parent, "description")))
        return;
    xmlSAX2Characters(ctx, ch, len);
}

/* libxml2 copies a document handed over whole; read through this, it
 * takes the bytes a window at a time, so a big file is in memory once. */
struct memory_reader {
    const char *next;
    size_t left;
};

static int read_memory(void *ctx, char *buf, int len)
{
    struct memory_reader *r = ctx;
    size_t n = r->left < (size_t)len ? r->left : (size_t)len;
    memcpy(buf, r->next, n);
    r->next += n;
    r->left -= n;
    return (int)n;
}

/* UTF-16 and UTF-32 begin with a byte order mark or a NUL byte. */
static int looks_utf16_or_32(const struct loader *ld)
{
    const unsigned char *p = (const unsigned char *)ld->data;
    size_t n = ld->size < 4 ? ld->size : 4;
    if (n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF)))
        return 1;
    return memchr(p, 0, n) != NULL;
}

static xmlDocPtr parse(struct loader *ld)
{
    if (looks_utf16_or_32(ld)) {
        fail_at(ld, 1, 1, "not UTF-8: a glossary is UTF-8 XML");
        return NULL;
    }
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        fail_at(ld, 0, 0, "out of memory");
        return NULL;
    }
    ctxt->_private = ld;
    ctxt->sax->startElementNs = on_start_element;
    ctxt->sax->internalSubset = on_doctype;
    ctxt->sax->externalSubset = on_doctype;
    ctxt->sax->serror = on_parse_error;
    ctxt->sax->characters = ctxt->sax->ignorableWhitespace = on_characters;
    /* No network, no DTD loading, no entity substitution; the SAX hooks
     * above reject any DOCTYPE before its declarations are read. */
    /* Read as UTF-8 whatever the declaration says (libxml2's conversion
     * would also copy the document once more).  The tree is only read:
     * short texts may be kept in their nodes (XML_PARSE_COMPACT). */
    struct memory_reader reader = {ld->data, ld->size};
    xmlDocPtr doc = xmlCtxtReadIO(ctxt, read_memory, NULL, &reader, ld->name, NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_IGNORE_ENC |
                                  XML_PARSE_COMPACT);
    if (doc && (ld->failed || !ctxt->wellFormed || doc->intSubset || doc->extSubset)) {
        fail_at(ld, 0, 0, "not well-formed");
        xmlFreeDoc(doc);
        doc = NULL;
    }
    if (!doc)
        fail_at(ld, 0, 0, "not well-formed");
    xmlFreeParserCtxt(ctxt);
    return doc;
}

static int valid_id(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > GLOSSARY_ID_MAX || id[0] == '-')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((id[i] >= 'a' && id[i] <= 'z') || (id[i] >= '0' && id[i] <= '9') || id[i] == '-'))
            return 0;
    return 1;
}

static int is_web_url(const char *href)
{
    return strncasecmp(href, "http:", 5) == 0 || strncasecmp(href, "https:", 6) == 0;
}

/* At most one of these per entry (and exactly one name). */
static void check_children(struct loader *ld, const xmlNode *entry, const xmlChar *id)
{
    static const char *const once[] = {"name", "summary", "description"};
    for (size_t k = 0; k < sizeof(once) / sizeof(once[0]); k++) {
        size_t seen = 0;
        for (const xmlNode *c = entry->children; c && !ld->failed; c = c->next)
            if (in_glossary_ns(c, once[k]) && ++seen == 2)
                fail_at_node(ld, c, "entry \"%s\" has a second %s; it may have one", id, once[k]);
        if (k == 0 && seen == 0)
            fail_at_node(ld, entry, "entry \"%s\" has no name", id);
    }
}

static void check_links(struct loader *ld, const xmlNode *entry)
{
    for (const xmlNode *c = entry->children; c && !ld->failed; c = c->next) {
        if (!in_glossary_ns(c, "link"))
            continue;
        xmlChar *href = xmlGetNoNsProp(c, (const xmlChar *)"href");
        if (href && !is_web_url((const char *)href))
            fail_at_node(ld, c, "link href \"%s\" is not an http: or https: URL", href);
        xmlFree(href);
    }
}

/* from= and until= of aliases: the schema's message would be "Invalid
 * attribute from for element alias". */
static void check_alias_dates(struct loader *ld, const xmlNode *entry)
{
    static const char *const names[2] = {"from", "until"};
    for (const xmlNode *c = entry->children; c && !ld->failed; c = c->next) {
        if (!in_glossary_ns(c, "alias"))
            continue;
        for (int k = 0; k < 2 && !ld->failed; k++) {
            xmlChar *v = xmlGetNoNsProp(c, (const xmlChar *)names[k]);
            int32_t day;
            if (v && (strlen((const char *)v) != 10 ||
                      glossary_parse_date((const char *)v, 10, &day)))
                fail_at_node(ld, c, "alias %s=\"%s\" is not a date: YYYY-MM-DD, as in 2019-03-20",
                             names[k], v);
            xmlFree(v);
        }
    }
}

/* The schema checks these too, but says only "failed to validate
 * attributes"; the common mistakes deserve a message that names them. */
static int check_entry_attributes(struct loader *ld, const xmlNode *root)
{
    for (const xmlNode *c = root ? root->children : NULL; c && !ld->failed; c = c->next) {
        if (!in_glossary_ns(c, "entry"))
            continue;
        xmlChar *id = xmlGetNoNsProp(c, (const xmlChar *)"id");
        xmlChar *type = xmlGetNoNsProp(c, (const xmlChar *)"type");
        if (!id)
            fail_at_node(ld, c, "entry has no id attribute");
        else if (!valid_id((const char *)id))
            fail_at_node(ld, c, "entry id \"%s\" is not valid: 1 to 64 of a-z, 0-9 and '-', "
                         "not starting with '-'", id);
        else if (!type)
            fail_at_node(ld, c, "entry \"%s\" has no type attribute", id);
        else if (entry_type_from_name((const char *)type, strlen((const char *)type)) < 0)
            fail_at_node(ld, c, "entry \"%s\" has type \"%s\"; the types are person, "
                         "organization, agreement, place and term", id, type);
        if (!ld->failed)
            check_children(ld, c, id);
        xmlFree(id);
        xmlFree(type);
        check_links(ld, c);
        check_alias_dates(ld, c);
    }
    return ld->failed ? -1 : 0;
}

static void on_relaxng_error(void *ctx, xmlErrorPtr e)
{
    on_xml_error(ctx, e);
}

static int validate(struct loader *ld, xmlDocPtr doc)
{
    xmlRelaxNGParserCtxtPtr pctxt = xmlRelaxNGNewMemParserCtxt(glossary_schema,
                                                               (int)strlen(glossary_schema));
    xmlRelaxNGPtr schema = pctxt ? xmlRelaxNGParse(pctxt) : NULL;
    xmlRelaxNGValidCtxtPtr vctxt = schema ? xmlRelaxNGNewValidCtxt(schema) : NULL;
    int ok = 0;
    if (!vctxt) {
        fail_at(ld, 0, 0, "cannot compile the built-in schema");
    } else {
        xmlRelaxNGSetValidStructuredErrors(vctxt, on_relaxng_error, ld);
        ok = xmlRelaxNGValidateDoc(vctxt, doc) == 0;
        if (!ok)
            fail_at(ld, 0, 0, "%s", ld->pending[0] ? ld->pending : "does not match the glossary schema");
    }
    xmlRelaxNGFreeValidCtxt(vctxt);
    xmlRelaxNGFree(schema);
    xmlRelaxNGFreeParserCtxt(pctxt);
    return ok;
}

static int in_glossary_ns(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->ns &&
           strcmp((const char *)n->ns->href, GLOSSARY_NS) == 0 &&
           strcmp((const char *)n->name, name) == 0;
}

/* Whitespace runs folded to one space and trimmed, optionally case-folded;
 * the text comes from libxml2, so it is valid UTF-8.  s[0..n) is folded
 * into out, which must hold 2 * n bytes (folding can lengthen a
 * character); returns the length. */
static size_t fold_into(const char *s, size_t n, int casefold, char *out)
{
    size_t o = 0;
    int pending_space = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        int len = utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (len <= 0) {
            cp = 0xFFFD;
            len = 1;
        }
        i += (size_t)len;
        if (uc_classify(cp) == UC_SPACE) {
            pending_space = o > 0;
            continue;
        }
        if (pending_space)
            out[o++] = ' ';
        pending_space = 0;
        o += utf8_encode(casefold ? uc_fold(cp) : cp, (unsigned char *)out + o);
    }
    return o;
}

static char *fold_text(struct arena *a, const char *s, int casefold, size_t *out_len)
{
    size_t n = strlen(s);
    char small[256];
    /* Folded into scratch, kept exactly. */
    char *out = n * 2 + 1 <= sizeof(small) ? small : malloc(n * 2 + 1);
    if (!out)
        return NULL;
    size_t o = fold_into(s, n, casefold, out);
    char *kept = arena_strndup(a, out, o);
    if (out != small)
        free(out);
    if (out_len)
        *out_len = o;
    return kept;
}

static char *node_text(struct loader *ld, const xmlNode *n, int fold)
{
    xmlChar *content = xmlNodeGetContent(n);
    char *s = content ? (fold ? fold_text(ld->g->arena, (const char *)content, 0, NULL)
                              : arena_strdup(ld->g->arena, (const char *)content))
                      : arena_strdup(ld->g->arena, "");
    xmlFree(content);
    if (!s)
        fail_at(ld, 0, 0, "out of memory");
    return s;
}

static char *node_attr(struct loader *ld, const xmlNode *n, const char *name, const char *ns)
{
    xmlChar *v = ns ? xmlGetNsProp(n, (const xmlChar *)name, (const xmlChar *)ns)
                    : xmlGetNoNsProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = arena_strdup(ld->g->arena, (const char *)v);
    xmlFree(v);
    if (!s)
        fail_at(ld, 0, 0, "out of memory");
    return s;
}

/* Whether the attribute `name` (in no namespace) is `value`. */
static int node_attr_is(const xmlNode *n, const char *name, const char *value)
{
    xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
    int is = v && strcmp((const char *)v, value) == 0;
    xmlFree(v);
    return is;
}

/* The entry type named by the node's type attribute, or -1. */
static int node_type(const xmlNode *n)
{
    xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)"type");
    int type = v ? entry_type_from_name((const char *)v, strlen((const char *)v)) : -1;
    xmlFree(v);
    return type;
}

/* xml:lang of the node or the nearest ancestor that has one.  Most nodes
 * inherit the root's: a run of equal ones shares one copy. */
static const char *node_lang(struct loader *ld, const xmlNode *n)
{
    xmlChar *lang = xmlNodeGetLang(n);
    if (lang && ld->last_lang && strcmp((const char *)lang, ld->last_lang) == 0) {
        xmlFree(lang);
        return ld->last_lang;
    }
    char *s = lang ? arena_strdup(ld->g->arena, (const char *)lang) : NULL;
    xmlFree(lang);
    if (s)
        ld->last_lang = s;
    return s;
}

static const char *html_entity(char c)
{
    switch (c) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    default: return NULL;
    }
}

size_t html_escape(const char *s, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        const char *rep = html_entity(s[i]);
        if (!rep) {
            out[o++] = s[i];
            continue;
        }
        size_t len = strlen(rep);
        memcpy(out + o, rep, len);
        o += len;
    }
    return o;
}

/* ---- dates ---- */

/* Days since 1970-01-01 of a Gregorian date (H. Hinnant's days_from_civil). */
static int32_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + doe - 719468);
}

int glossary_parse_date(const char *s, size_t n, int32_t *day)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (n < 10 || (n > 10 && s[10] >= '0' && s[10] <= '9') || s[4] != '-' || s[7] != '-')
        return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return -1;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] || (m == 2 && d == 29 && !leap))
        return -1;
    *day = days_from_civil(y, m, d);
    return 0;
}

void glossary_format_date(int32_t day, char out[11])
{
    /* civil_from_days */
    int64_t z = (int64_t)day + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    if (y < 0 || y > 9999)
        y = y < 0 ? 0 : 9999;
    int v[3] = {(int)y, (int)m, (int)d}, width[3] = {4, 2, 2};
    char *o = out;
    for (int k = 0; k < 3; k++) {
        for (int i = width[k]; i-- > 0;)
            o[i] = (char)('0' + v[k] % 10), v[k] /= 10;
        o += width[k];
        *o++ = k < 2 ? '-' : '\0';
    }
}

uint32_t glossary_resolve(const struct glossary *g, uint32_t entry, int32_t day)
{
    if (!(entry & GLOSSARY_DATED))
        return entry;
    const struct dated_pattern *d = &g->dated[entry & ~GLOSSARY_DATED];
    for (size_t i = 0; i < d->n; i++)
        if (d->meanings[i].from <= day && day <= d->meanings[i].until)
            return d->meanings[i].entry;
    return UINT32_MAX;
}

/* One pattern on its way into the matcher. */
struct pattern {
    struct matcher_pattern_spec spec;
    const char *key;          /* case-folded, for the duplicate check */
    size_t key_len;
    const xmlNode *node;
    const char *from;         /* a form made by inflect="ru-person" from this; else NULL */
    int dated;                /* from= or until= on its alias */
    int32_t day_from, day_until;
    uint32_t leader;          /* the first pattern of its dated text; UINT32_MAX: itself */
};

/* The days of an alias's from= and until= (the schema checked their form). */
static int node_days(struct loader *ld, const xmlNode *node, int32_t *from, int32_t *until)
{
    static const char *const names[2] = {"from", "until"};
    int32_t *day[2] = {from, until};
    *from = GLOSSARY_DAY_MIN;
    *until = GLOSSARY_DAY_MAX;
    int dated = 0;
    for (int k = 0; k < 2; k++) {
        xmlChar *v = xmlGetNoNsProp(node, (const xmlChar *)names[k]);
        if (!v)
            continue;
        dated = 1;
        size_t n = strlen((const char *)v);
        if (n != 10 || glossary_parse_date((const char *)v, n, day[k])) {
            /* check_alias_dates said so before; here for safety. */
            fail_at_node(ld, node, "%s=\"%s\" is not a date", names[k], (const char *)v);
            xmlFree(v);
            return -1;
        }
        xmlFree(v);
    }
    if (*from > *until) {
        fail_at_node(ld, node, "alias from= is after its until=: it would mean this entry on no day");
        return -1;
    }
    return dated;
}

struct pattern_list {
    struct pattern *items;
    size_t n, cap;
};

/* `raw` is the node's text, or a form made from it (`from`). */
static int add_pattern_text(struct loader *ld, struct pattern_list *pl, const xmlNode *node,
                            const char *raw, uint32_t entry, enum entry_type type,
                            int insensitive, const char *from)
{
    struct pattern p = {0};
    size_t len;
    char *text = fold_text(ld->scratch, raw, insensitive, &len);
    p.key = fold_text(ld->scratch, raw, 1, &p.key_len);
    if (!text || !p.key) {
        fail_at(ld, 0, 0, "out of memory");
        return -1;
    }
    if (len == 0) {
        fail_at_node(ld, node, "empty %s: a pattern needs at least one character", node->name);
        return -1;
    }
    size_t cps = 0;
    for (size_t i = 0; i < len; i++)
        cps += ((unsigned char)text[i] & 0xC0) != 0x80;
    if (cps > MATCH_PATTERN_MAX) {
        if (from)
            fail_at_node(ld, node, "\"%s\", made by inflect=\"ru-person\", is %zu characters long; "
                         "patterns are at most %d", text, cps, MATCH_PATTERN_MAX);
        else
            fail_at_node(ld, node, "%s is %zu characters long; patterns are at most %d",
                         node->name, cps, MATCH_PATTERN_MAX);
        return -1;
    }
    p.spec = (struct matcher_pattern_spec){text, len, entry, (uint8_t)type, (uint8_t)insensitive};
    p.node = node;
    p.from = from;
    p.leader = UINT32_MAX;
    if ((p.dated = node_days(ld, node, &p.day_from, &p.day_until)) < 0)
        return -1;
    if (pl->n == pl->cap) {
        size_t cap = pl->cap ? pl->cap * 2 : 256;
        struct pattern *items = realloc(pl->items, cap * sizeof(*items));
        if (!items) {
            fail_at(ld, 0, 0, "out of memory");
            return -1;
        }
        pl->items = items;
        pl->cap = cap;
    }
    pl->items[pl->n++] = p;
    return 0;
}

static int add_pattern(struct loader *ld, struct pattern_list *pl, const xmlNode *node,
                       uint32_t entry, enum entry_type type, int insensitive)
{
    xmlChar *content = xmlNodeGetContent(node);
    int status = add_pattern_text(ld, pl, node, content ? (const char *)content : "", entry,
                                  type, insensitive, NULL);
    xmlFree(content);
    return status;
}

static int has_inflect(const xmlNode *n)
{
    return (in_glossary_ns(n, "name") || in_glossary_ns(n, "alias")) &&
           xmlHasNsProp(n, (const xmlChar *)"inflect", NULL);
}

/* inflect="ru-person" on a name or alias (the schema allows no other
 * value): its case forms (engine/inflect_ru.h) become patterns of the entry
 * too, with the same case sensitivity, and are kept for `briefing check
 * --forms`.  They clash with other patterns like any pattern. */
static int add_inflected_forms(struct loader *ld, struct pattern_list *pl, const xmlNode *node,
                               struct entry *e, uint32_t index)
{
    if (!has_inflect(node))
        return 0;
    struct arena *a = ld->g->arena;
    if (!e->inflections) {
        size_t n = 0;
        for (const xmlNode *c = node->parent->children; c; c = c->next)
            n += has_inflect(c);
        if (!(e->inflections = arena_alloc(a, n * sizeof(*e->inflections)))) {
            fail_at(ld, 0, 0, "out of memory");
            return -1;
        }
    }
    xmlChar *content = xmlNodeGetContent(node);
    int insensitive = node_attr_is(node, "case", "insensitive");
    struct entry_inflection *inf = &e->inflections[e->ninflections++];
    struct ru_forms f = {0};
    inf->text = fold_text(a, content ? (const char *)content : "", 0, NULL);
    xmlFree(content);
    if (!inf->text || inflect_ru_person(inf->text, &f) ||
        !(inf->forms = arena_alloc(a, (f.n + 1) * sizeof(*inf->forms)))) {
        ru_forms_free(&f);
        fail_at(ld, 0, 0, "out of memory");
        return -1;
    }
    /* f.form[0] is the text itself, already a pattern. */
    for (size_t i = 1; i < f.n && !ld->failed; i++)
        if (!(inf->forms[inf->nforms] = arena_strdup(a, f.form[i])))
            fail_at(ld, 0, 0, "out of memory");
        else if (add_pattern_text(ld, pl, node, f.form[i], index, e->type, insensitive, inf->text) == 0)
            inf->nforms++;
    ru_forms_free(&f);
    return ld->failed ? -1 : 0;
}

/* Counts the children of an entry by element name. */
struct entry_shape {
    size_t aliases, paragraphs, facts, see, links;
};

static void measure_entry(const xmlNode *el, struct entry_shape *shape)
{
    memset(shape, 0, sizeof(*shape));
    for (const xmlNode *c = el->children; c; c = c->next) {
        if (in_glossary_ns(c, "alias"))
            shape->aliases++;
        else if (in_glossary_ns(c, "fact"))
            shape->facts++;
        else if (in_glossary_ns(c, "see"))
            shape->see++;
        else if (in_glossary_ns(c, "link"))
            shape->links++;
        else if (in_glossary_ns(c, "description"))
            for (const xmlNode *p = c->children; p; p = p->next)
                shape->paragraphs += in_glossary_ns(p, "p");
    }
}

static int allocate_entry(struct loader *ld, struct entry *e, const struct entry_shape *s)
{
    struct arena *a = ld->g->arena;
    /* Most entries have few of these: nothing is allocated for none. */
    e->aliases = s->aliases ? arena_alloc(a, s->aliases * sizeof(*e->aliases)) : NULL;
    e->paragraphs = s->paragraphs ? arena_alloc(a, s->paragraphs * sizeof(*e->paragraphs)) : NULL;
    e->facts = s->facts ? arena_alloc(a, s->facts * sizeof(*e->facts)) : NULL;
    e->see = s->see ? arena_alloc(a, s->see * sizeof(*e->see)) : NULL;
    e->links = s->links ? arena_alloc(a, s->links * sizeof(*e->links)) : NULL;
    if ((s->aliases && !e->aliases) || (s->paragraphs && !e->paragraphs) ||
        (s->facts && !e->facts) || (s->see && !e->see) || (s->links && !e->links)) {
        fail_at(ld, 0, 0, "out of memory");
        return -1;
    }
    return 0;
}

static int set_search_names(struct loader *ld, struct entry *e)
{
    size_t total = strlen(e->name) + 1;
    for (size_t i = 0; i < e->naliases; i++)
        total += strlen(e->aliases[i].text) + 1;
    char *joined = malloc(total), *at = joined;
    if (!joined) {
        fail_at(ld, 0, 0, "out of memory");
        return -1;
    }
    at += sprintf(at, "%s", e->name);
    for (size_t i = 0; i < e->naliases; i++)
        at += sprintf(at, "|%s", e->aliases[i].text);
    e->search_names = fold_text(ld->g->arena, joined, 1, NULL);
    free(joined);
    if (!e->search_names) {
        fail_at(ld, 0, 0, "out of memory");
        return -1;
    }
    return 0;
}

char *glossary_fold(const char *s)
{
    struct arena *a = arena_new();
    char *folded = a ? fold_text(a, s, 1, NULL) : NULL;
    char *copy = folded ? strdup(folded) : NULL;
    arena_free(a);
    return copy;
}

/* `see` elements wait until every id is known. */
struct see_list {
    struct see_ref { uint32_t entry; const xmlNode *node; } *items;
    size_t n, cap;
};

static int add_see(struct loader *ld, struct see_list *sl, uint32_t entry, const xmlNode *node)
{
    if (sl->n == sl->cap) {
        size_t cap = sl->cap ? sl->cap * 2 : 64;
        struct see_ref *items = realloc(sl->items, cap * sizeof(*items));
        if (!items) {
            fail_at(ld, 0, 0, "out of memory");
            return -1;
        }
        sl->items = items;
        sl->cap = cap;
    }
    sl->items[sl->n++] = (struct see_ref){entry, node};
    return 0;
}

/* The summary is kept as the end of the link title, "Name — Summary",
 * which is then not kept again (glossary_entry_title). */
static int read_summary(struct loader *ld, struct entry *e, const xmlNode *node)
{
    static const char separator[] = GLOSSARY_TITLE_SEPARATOR;
    xmlChar *content = xmlNodeGetContent(node);
    const char *text = content ? (const char *)content : "";
    size_t n = strlen(text), lead = e->name_len + sizeof(separator) - 1;
    char *title = malloc(lead + 2 * n + 1);
    size_t summary_len = 0;
    if (title) {
        sprintf(title, "%s%s", e->name, separator);
        summary_len = fold_into(text, n, 0, title + lead);
    }
    xmlFree(content);
    const char *kept = summary_len ? arena_strndup(ld->g->arena, title, lead + summary_len) : NULL;
    free(title);
    if (!title || (summary_len && !kept)) {
        fail_at(ld, 0, 0, "out of memory");
        return -1;
    }
    e->summary = kept ? kept + lead : NULL;   /* NULL when blank */
    if (kept)
        e->title_len = (uint32_t)(lead + summary_len);
    return 0;
}

static int has_special(const char *s)
{
    return s[strcspn(s, HTML_SPECIAL)] != '\0';
}

static int read_entry(struct loader *ld, const xmlNode *el, uint32_t index,
                      struct pattern_list *pl, struct see_list *sl)
{
    struct entry *e = &ld->g->entries[index];
    const xmlNode *summary = NULL;   /* read once the name is known */
    struct entry_shape shape;
    measure_entry(el, &shape);
    if (allocate_entry(ld, e, &shape))
        return -1;
    e->id = node_attr(ld, el, "id", NULL);
    int type = node_type(el);
    if (!e->id || type < 0)
        return -1;
    e->type = (uint8_t)type;
    e->lang = node_lang(ld, el);
    for (const xmlNode *c = el->children; c; c = c->next) {
        if (in_glossary_ns(c, "name")) {
            e->name = node_text(ld, c, 1);
            if (add_pattern(ld, pl, c, index, e->type, 0))
                return -1;
        } else if (in_glossary_ns(c, "alias")) {
            struct entry_alias *alias = &e->aliases[e->naliases++];
            alias->insensitive = node_attr_is(c, "case", "insensitive");
            alias->text = node_text(ld, c, 1);
            alias->lang = node_lang(ld, c);
            if (node_days(ld, c, &alias->from, &alias->until) < 0)
                return -1;
            if (add_pattern(ld, pl, c, index, e->type, alias->insensitive))
                return -1;
        } else if (in_glossary_ns(c, "summary")) {
            summary = c;
        } else if (in_glossary_ns(c, "description")) {
            for (const xmlNode *p = c->children; p; p = p->next)
                if (in_glossary_ns(p, "p"))
                    e->paragraphs[e->nparagraphs++] = node_text(ld, p, 1);
        } else if (in_glossary_ns(c, "fact")) {
            struct entry_fact *f = &e->facts[e->nfacts++];
            f->label = node_attr(ld, c, "label", NULL);
            f->value = node_text(ld, c, 1);
        } else if (in_glossary_ns(c, "see")) {
            if (add_see(ld, sl, index, c))
                return -1;
        } else if (in_glossary_ns(c, "link")) {
            struct entry_link *l = &e->links[e->nlinks++];
            l->href = node_attr(ld, c, "href", NULL);
            l->text = node_text(ld, c, 1);
        }
        if (add_inflected_forms(ld, pl, c, e, index))
            return -1;
    }
    if (ld->failed)
        return -1;
    e->id_len = (uint8_t)strlen(e->id);
    e->name_len = (uint16_t)strlen(e->name);
    e->title_len = e->name_len;
    if (summary && read_summary(ld, e, summary))
        return -1;
    e->title_escapes = has_special(e->name) || (e->summary && has_special(e->summary));
    return set_search_names(ld, e);
}

struct sort_slot {
    const char *key;
    uint32_t index;
};

/* Keys end at '|' too: the index sorts by a name, not by its aliases. */
static int compare_slots(const void *x, const void *y)
{
    const unsigned char *a = (const unsigned char *)((const struct sort_slot *)x)->key;
    const unsigned char *b = (const unsigned char *)((const struct sort_slot *)y)->key;
    for (;; a++, b++) {
        int ca = *a == '|' ? 0 : *a, cb = *b == '|' ? 0 : *b;
        if (ca != cb || !ca)
            return ca - cb;
    }
}

/* Entry indexes in the order of a string each entry has (at `key_offset`
 * in struct entry), into a new array in the arena.  Stable for equal keys
 * is not needed: ids are unique, names only order the index page. */
static uint32_t *sort_entries(struct loader *ld, size_t key_offset)
{
    struct glossary *g = ld->g;
    struct sort_slot *slots = malloc((g->nentries + 1) * sizeof(*slots));
    uint32_t *order = arena_alloc(g->arena, (g->nentries + 1) * sizeof(*order));
    if (!slots || !order) {
        free(slots);
        fail_at(ld, 0, 0, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < g->nentries; i++)
        slots[i] = (struct sort_slot){*(const char **)((const char *)&g->entries[i] + key_offset),
                                      (uint32_t)i};
    qsort(slots, g->nentries, sizeof(*slots), compare_slots);
    for (size_t i = 0; i < g->nentries; i++)
        order[i] = slots[i].index;
    free(slots);
    return order;
}

/* Sorts the ids for lookup and rejects a repeated one. */
static int index_ids(struct loader *ld, const xmlNode **entry_nodes)
{
    struct glossary *g = ld->g;
    if (!(g->by_id = sort_entries(ld, offsetof(struct entry, id))))
        return -1;
    for (size_t i = 1; i < g->nentries && !ld->failed; i++) {
        uint32_t a = g->by_id[i - 1], b = g->by_id[i];
        if (strcmp(g->entries[a].id, g->entries[b].id) == 0)
            fail_at_node(ld, entry_nodes[a > b ? a : b], "duplicate id \"%s\"", g->entries[b].id);
    }
    return ld->failed ? -1 : 0;
}

/* Entries in A-Z order of their folded names, for the index page. */
static int index_names(struct loader *ld)
{
    ld->g->by_name = sort_entries(ld, offsetof(struct entry, search_names));
    return ld->g->by_name ? 0 : -1;
}

const struct entry *glossary_find(const struct glossary *g, const char *id, size_t idlen)
{
    size_t lo = 0, hi = g->nentries;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const struct entry *e = &g->entries[g->by_id[mid]];
        int c = strncmp(id, e->id, idlen);
        if (c == 0 && e->id[idlen] != '\0')
            c = -1;
        if (c == 0)
            return e;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

static int resolve_see(struct loader *ld, const struct see_list *sl)
{
    struct glossary *g = ld->g;
    for (size_t i = 0; i < sl->n; i++) {
        char *ref = node_attr(ld, sl->items[i].node, "ref", NULL);
        struct entry *target = ref ? (struct entry *)glossary_find(g, ref, strlen(ref)) : NULL;
        if (!target) {
            fail_at_node(ld, sl->items[i].node, "see ref=\"%s\" names no entry", ref ? ref : "");
            return -1;
        }
        struct entry *e = &g->entries[sl->items[i].entry];
        uint32_t t = (uint32_t)(target - g->entries);
        size_t k = 0;
        while (k < e->nsee && e->see[k] != t)
            k++;
        if (k < e->nsee)
            continue;   /* named twice: listed once */
        e->see[e->nsee++] = t;
        target->nseen_by++;
    }
    /* The other direction, for "related" on both entries' pages. */
    for (size_t i = 0; i < g->nentries; i++) {
        struct entry *e = &g->entries[i];
        if (e->nseen_by && !(e->seen_by = arena_alloc(g->arena, e->nseen_by * sizeof(*e->seen_by)))) {
            fail_at(ld, 0, 0, "out of memory");
            return -1;
        }
        e->nseen_by = 0;
    }
    for (size_t i = 0; i < g->nentries; i++)
        for (size_t k = 0; k < g->entries[i].nsee; k++) {
            struct entry *target = &g->entries[g->entries[i].see[k]];
            target->seen_by[target->nseen_by++] = (uint32_t)i;
        }
    return 0;
}

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
    return h;
}

/* Two patterns clash when equal, or equal once case-folded and either is
 * case-insensitive. */
static int patterns_clash(const struct pattern *a, const struct pattern *b)
{
    if (a->key_len != b->key_len || memcmp(a->key, b->key, a->key_len) != 0)
        return 0;
    if (a->spec.insensitive || b->spec.insensitive)
        return 1;
    return a->spec.len == b->spec.len && memcmp(a->spec.text, b->spec.text, a->spec.len) == 0;
}

static int check_duplicates(struct loader *ld, const struct pattern_list *pl)
{
    size_t size = 16;
    while (size < pl->n * 2)
        size *= 2;
    /* Open addressing on the folded key; each slot heads a chain of the
     * patterns that share that key. */
    uint32_t *slot = malloc(size * sizeof(*slot));
    uint32_t *next = malloc((pl->n + 1) * sizeof(*next));
    if (!slot || !next) {
        free(slot);
        free(next);
        fail_at(ld, 0, 0, "out of memory");
        return -1;
    }
    memset(slot, 0xFF, size * sizeof(*slot));
    for (size_t i = 0; i < pl->n && !ld->failed; i++) {
        const struct pattern *p = &pl->items[i];
        size_t h = (size_t)hash_bytes(p->key, p->key_len) & (size - 1);
        while (slot[h] != UINT32_MAX) {
            const struct pattern *q = &pl->items[slot[h]];
            if (q->key_len == p->key_len && memcmp(q->key, p->key, p->key_len) == 0)
                break;
            h = (h + 1) & (size - 1);
        }
        for (uint32_t j = slot[h]; j != UINT32_MAX; j = next[j]) {
            const struct pattern *q = &pl->items[j];
            if (patterns_clash(p, q) && p->dated && q->dated &&
                (p->day_until < q->day_from || q->day_until < p->day_from)) {
                /* Dated, on days apart: one pattern whose meaning the
                 * page's date picks, if written alike. */
                if (p->spec.len != q->spec.len || p->spec.insensitive != q->spec.insensitive ||
                    memcmp(p->spec.text, q->spec.text, p->spec.len) != 0) {
                    fail_at_node(ld, p->node, "pattern \"%s\" of entry \"%s\" shares a dated pattern "
                                 "of entry \"%s\" but is written differently; dated patterns that "
                                 "share a text must be written alike, with the same case=",
                                 p->spec.text, ld->g->entries[p->spec.entry].id,
                                 ld->g->entries[q->spec.entry].id);
                    break;
                }
                pl->items[i].leader = q->leader == UINT32_MAX ? j : q->leader;
                continue;
            }
            if (patterns_clash(p, q)) {
                const struct entry *e = &ld->g->entries[p->spec.entry];
                const struct entry *f = &ld->g->entries[q->spec.entry];
                char made[2][GLOSSARY_ERROR_MAX / 2] = {"", ""};
                for (int k = 0; k < 2; k++)
                    if ((k ? q : p)->from)
                        snprintf(made[k], sizeof(made[k]), " (made by inflect=\"ru-person\" from \"%s\")",
                                 (k ? q : p)->from);
                fail_at_node(ld, p->node, "pattern \"%s\"%s of entry \"%s\" is already a pattern of entry \"%s\"%s",
                             p->spec.text, made[0], e->id, f->id, made[1]);
                break;
            }
        }
        next[i] = slot[h];
        slot[h] = (uint32_t)i;
    }
    free(slot);
    free(next);
    return ld->failed ? -1 : 0;
}

static int compare_meanings(const void *x, const void *y)
{
    const struct dated_meaning *a = x, *b = y;
    return (a->from > b->from) - (a->from < b->from);
}

/* Dated patterns become one matcher pattern per text, whose entry is
 * GLOSSARY_DATED and the index of its meanings. */
static int build_dated(struct loader *ld, struct pattern_list *pl,
                       struct matcher_pattern_spec *specs, uint8_t *types, size_t *nspecs)
{
    struct glossary *g = ld->g;
    uint32_t *group = malloc((pl->n + 1) * sizeof(*group));
    size_t *count = calloc(pl->n + 1, sizeof(*count));
    if (!group || !count)
        goto oom;
    for (size_t i = 0; i < pl->n; i++)
        if (pl->items[i].dated && pl->items[i].leader == UINT32_MAX)
            group[i] = (uint32_t)g->ndated++;
    g->dated = arena_alloc(g->arena, (g->ndated + 1) * sizeof(*g->dated));
    if (!g->dated)
        goto oom;
    for (size_t i = 0; i < pl->n; i++)
        if (pl->items[i].dated)
            count[pl->items[i].leader == UINT32_MAX ? i : pl->items[i].leader]++;
    *nspecs = 0;
    for (size_t i = 0; i < pl->n; i++) {
        const struct pattern *p = &pl->items[i];
        if (!p->dated) {
            specs[(*nspecs)++] = p->spec;
        } else if (p->leader == UINT32_MAX) {
            struct dated_pattern *d = &g->dated[group[i]];
            d->meanings = arena_alloc(g->arena, count[i] * sizeof(*d->meanings));
            if (!d->meanings)
                goto oom;
            specs[*nspecs] = p->spec;
            specs[(*nspecs)++].entry = GLOSSARY_DATED | group[i];
        }
    }
    for (size_t i = 0; i < pl->n; i++) {
        const struct pattern *p = &pl->items[i];
        if (!p->dated)
            continue;
        size_t lead = p->leader == UINT32_MAX ? i : p->leader;
        struct dated_pattern *d = &g->dated[group[lead]];
        ((struct dated_meaning *)d->meanings)[d->n++] =
            (struct dated_meaning){p->day_from, p->day_until, p->spec.entry};
    }
    for (size_t i = 0, k = 0; i < pl->n; i++) {
        const struct pattern *p = &pl->items[i];
        if (!p->dated) {
            types[k++] = 0;
        } else if (p->leader == UINT32_MAX) {
            const struct dated_pattern *d = &g->dated[group[i]];
            qsort((void *)d->meanings, d->n, sizeof(*d->meanings), compare_meanings);
            types[k] = 0;
            for (size_t j = 0; j < d->n; j++)
                types[k] |= (uint8_t)(1u << g->entries[d->meanings[j].entry].type);
            k++;
        }
    }
    free(group);
    free(count);
    return 0;
oom:
    free(group);
    free(count);
    fail_at(ld, 0, 0, "out of memory");
    return -1;
}

static int build_matcher(struct loader *ld, struct pattern_list *pl)
{
    struct matcher_pattern_spec *specs = malloc((pl->n + 1) * sizeof(*specs));
    uint8_t *types = malloc(pl->n + 1);
    size_t nspecs = 0;
    if (specs && types && build_dated(ld, pl, specs, types, &nspecs)) {
        free(specs);
        free(types);
        return -1;
    }
    if (specs && types && (ld->g->matcher = matcher_build(specs, nspecs)))
        for (size_t i = 0; i < nspecs; i++)
            if (types[i])
                ld->g->matcher->patterns[i].types = types[i];
    free(specs);
    free(types);
    ld->g->npatterns = nspecs;
    if (!ld->g->matcher) {
        fail_at(ld, 0, 0, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < nspecs; i++)
        ld->g->patterns_by_type[ld->g->matcher->patterns[i].type]++;
    return 0;
}

static int read_glossary(struct loader *ld, const xmlNode *root)
{
    struct glossary *g = ld->g;
    struct pattern_list pl = {0};
    struct see_list sl = {0};
    const xmlNode **entry_nodes = NULL;
    for (const xmlNode *c = root->children; c; c = c->next)
        g->nentries += in_glossary_ns(c, "entry");
    g->entries = arena_alloc(g->arena, (g->nentries + 1) * sizeof(*g->entries));
    entry_nodes = malloc((g->nentries + 1) * sizeof(*entry_nodes));
    if (!g->entries || !entry_nodes) {
        fail_at(ld, 0, 0, "out of memory");
        goto done;
    }
    uint32_t index = 0;
    for (const xmlNode *c = root->children; c && !ld->failed; c = c->next) {
        if (!in_glossary_ns(c, "entry"))
            continue;
        entry_nodes[index] = c;
        if (read_entry(ld, c, index, &pl, &sl))
            goto done;
        g->count_by_type[g->entries[index].type]++;
        index++;
    }
    g->lang = node_attr(ld, root, "lang", (const char *)XML_XML_NAMESPACE);
    if (index_ids(ld, entry_nodes) || index_names(ld) || resolve_see(ld, &sl) ||
        check_duplicates(ld, &pl))
        goto done;
    build_matcher(ld, &pl);
done:
    free(pl.items);
    free(sl.items);
    free(entry_nodes);
    return ld->failed ? -1 : 0;
}

struct glossary *glossary_load_memory(const char *data, size_t size, const char *name,
                                      char *err, size_t errlen)
{
    struct loader ld = {name, data, size, err, errlen, 0, "", NULL, NULL, NULL};
    if (size > GLOSSARY_MAX_BYTES) {
        fail_at(&ld, 0, 0, "is %zu bytes; a glossary may be at most %u bytes",
                size, GLOSSARY_MAX_BYTES);
        return NULL;
    }
    xmlInitParser();
    ld.g = calloc(1, sizeof(*ld.g));
    ld.scratch = arena_new();
    if (!ld.g || !ld.scratch || !(ld.g->arena = arena_new())) {
        free(ld.g);
        arena_free(ld.scratch);
        fail_at(&ld, 0, 0, "out of memory");
        return NULL;
    }
    ld.g->path = arena_strdup(ld.g->arena, name);
    ld.g->content_hash = hash_bytes(data, size);
    xmlDocPtr doc = parse(&ld);
    if (doc && check_entry_attributes(&ld, xmlDocGetRootElement(doc)) == 0 && validate(&ld, doc))
        read_glossary(&ld, xmlDocGetRootElement(doc));
    xmlFreeDoc(doc);
    arena_free(ld.scratch);
    if (ld.failed) {
        glossary_free(ld.g);
        return NULL;
    }
    return ld.g;
}

struct glossary *glossary_load_file(const char *path, char *err, size_t errlen)
{
    struct loader ld = {path, NULL, 0, err, errlen, 0, "", NULL, NULL, NULL};
    FILE *f = fopen(path, "rb");
    if (!f) {
        fail_at(&ld, 0, 0, "cannot open: %s", strerror(errno));
        return NULL;
    }
    char *data = NULL;
    size_t size = 0, cap = 0;
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && st.st_size > GLOSSARY_MAX_BYTES) {
        fclose(f);
        fail_at(&ld, 0, 0, "is larger than %u bytes, the most a glossary may be",
                GLOSSARY_MAX_BYTES);
        return NULL;
    }
    /* Room for the whole file and one byte more, to see that it ended. */
    size_t expected = st.st_size > 0 ? (size_t)st.st_size + 1 : 0;
    for (;;) {
        if (size == cap) {
            cap = !cap && expected ? expected : cap ? cap * 2 : 64 * 1024;
            if (cap > (size_t)GLOSSARY_MAX_BYTES + 1)
                cap = (size_t)GLOSSARY_MAX_BYTES + 1;
            char *p = size < cap ? realloc(data, cap) : NULL;
            if (!p)
                break;
            data = p;
        }
        size_t got = fread(data + size, 1, cap - size, f);
        size += got;
        if (got == 0)
            break;
    }
    int read_error = ferror(f);
    fclose(f);
    struct glossary *g = NULL;
    if (read_error)
        fail_at(&ld, 0, 0, "cannot read: %s", strerror(errno));
    else if (size > GLOSSARY_MAX_BYTES)
        fail_at(&ld, 0, 0, "is larger than %u bytes, the most a glossary may be",
                GLOSSARY_MAX_BYTES);
    else
        g = glossary_load_memory(data ? data : "", size, path, err, errlen);
    free(data);
    return g;
}

void glossary_free(struct glossary *g)
{
    if (!g)
        return;
    matcher_free(g->matcher);
    arena_free(g->arena);
    free(g);
}

size_t glossary_memory(const struct glossary *g)
{
    return sizeof(*g) + arena_footprint(g->arena) + (g->matcher ? matcher_memory(g->matcher) : 0);
}

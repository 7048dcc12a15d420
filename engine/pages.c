#include "pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

const char *const entry_type_labels[ENTRY_TYPE_COUNT] = {
    "Person", "Organization", "Agreement", "Place", "Term"
};
const char *const entry_type_plurals[ENTRY_TYPE_COUNT] = {
    "People", "Organizations", "Agreements", "Places", "Terms"
};

/* open, s escaped, close. */
static void sb_wrap(struct strbuf *b, const char *open, const char *s, const char *close)
{
    sb_puts(b, open);
    sb_html(b, s);
    sb_puts(b, close);
}

static void head(const struct glossary *g, const char *base, const char *title,
                 const char *description, struct strbuf *b)
{
    sb_printf(b, "<!DOCTYPE html>\n<html lang=\"");
    sb_html(b, g->lang ? g->lang : "en");
    sb_puts(b, "\">\n<head>\n<meta charset=\"utf-8\">\n"
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
               "<meta name=\"color-scheme\" content=\"light dark\">\n<title>");
    sb_html(b, title);
    sb_puts(b, "</title>\n");
    if (description) {
        sb_wrap(b, "<meta name=\"description\" content=\"", description, "\">\n");
    }
    sb_wrap(b, "<link rel=\"stylesheet\" href=\"", base, "briefing.css\">\n<script src=\"");
    sb_html(b, base);
    sb_puts(b, "briefing.js\" defer></script>\n</head>\n<body class=\"briefing-page\">\n"
               "<header class=\"briefing-masthead\"><a class=\"briefing-home\" href=\"");
    sb_html(b, base);
    sb_puts(b, "\">Glossary</a></header>\n");
}

static void foot(const char *base, const char *json, struct strbuf *b)
{
    sb_wrap(b, "<footer class=\"briefing-footer\"><p><a href=\"", base, "\">All entries</a> · <a href=\"");
    sb_html(b, base);
    sb_html(b, json);
    sb_puts(b, "\" type=\"application/json\">JSON</a></p></footer>\n</body>\n</html>\n");
}

static void entry_link(const struct entry *e, const char *base, struct strbuf *b)
{
    sb_puts(b, "<a href=\"");
    sb_html(b, base);
    sb_html(b, e->id);
    sb_wrap(b, "\">", e->name, "</a>");
}

/* Does the folded query occur in the entry's folded names? */
static int entry_matches(const struct entry *e, const char *folded_query)
{
    return !folded_query || !*folded_query || strstr(e->search_names, folded_query) != NULL;
}

void page_index(const struct glossary *g, const char *base, const char *query, struct strbuf *b)
{
    char *folded = query ? glossary_fold(query) : NULL;
    size_t count[ENTRY_TYPE_COUNT] = {0}, shown = 0;
    for (size_t i = 0; i < g->nentries; i++)
        if (entry_matches(&g->entries[i], folded)) {
            count[g->entries[i].type]++;
            shown++;
        }
    head(g, base, "Glossary", "The people, organizations, agreements and places in our articles.", b);
    sb_puts(b, "<main class=\"briefing-index\" id=\"main\">\n<h1>Glossary</h1>\n");
    sb_printf(b, "<p class=\"briefing-total\">%zu %s</p>\n", g->nentries,
              g->nentries == 1 ? "entry" : "entries");
    sb_puts(b, "<form class=\"briefing-filter\" role=\"search\" method=\"get\" action=\"");
    sb_html(b, base);
    sb_puts(b, "\">\n<label for=\"briefing-q\">Filter entries</label>\n"
               "<input id=\"briefing-q\" name=\"q\" type=\"search\" value=\"");
    sb_html(b, query ? query : "");
    sb_puts(b, "\" autocomplete=\"off\" spellcheck=\"false\">\n<button type=\"submit\">Filter</button>\n</form>\n");
    sb_puts(b, shown ? "<p class=\"briefing-noresults\" hidden>" : "<p class=\"briefing-noresults\">");
    sb_wrap(b, "No entry matches “", query ? query : "", "”.</p>\n");
    for (int t = 0; t < ENTRY_TYPE_COUNT; t++) {
        if (!count[t])
            continue;
        sb_printf(b, "<section class=\"briefing-group\" id=\"%s\" aria-labelledby=\"briefing-h-%s\">\n"
                     "<h2 id=\"briefing-h-%s\">%s <span class=\"briefing-count\">%zu</span></h2>\n"
                     "<ul class=\"briefing-list\">\n",
                  entry_type_names[t], entry_type_names[t], entry_type_names[t],
                  entry_type_plurals[t], count[t]);
        for (size_t i = 0; i < g->nentries; i++) {
            const struct entry *e = &g->entries[g->by_name[i]];
            if ((int)e->type != t || !entry_matches(e, folded))
                continue;
            sb_wrap(b, "<li data-briefing-names=\"", e->search_names, "\">");
            entry_link(e, base, b);
            if (e->summary) {
                sb_wrap(b, " <span class=\"briefing-list-summary\">", e->summary, "</span>");
            }
            sb_puts(b, "</li>\n");
        }
        sb_puts(b, "</ul>\n</section>\n");
    }
    sb_puts(b, "</main>\n");
    foot(base, "index.json", b);
    free(folded);
}

static void section_start(const char *id, const char *title, struct strbuf *b)
{
    sb_printf(b, "<section aria-labelledby=\"briefing-%s\">\n<h2 id=\"briefing-%s\">%s</h2>\n",
              id, id, title);
}

static void related_item(const struct glossary *g, uint32_t index, const char *base, struct strbuf *b)
{
    const struct entry *r = &g->entries[index];
    sb_puts(b, "<li>");
    entry_link(r, base, b);
    sb_printf(b, " <span class=\"briefing-type-label briefing-type-%s\">%s</span></li>\n",
              entry_type_names[r->type], entry_type_labels[r->type]);
}

/* Related both ways, each entry once: what this one names, then what names it. */
static void related(const struct glossary *g, const struct entry *e, const char *base, struct strbuf *b)
{
    if (!e->nsee && !e->nseen_by)
        return;
    section_start("related", "Related", b);
    sb_puts(b, "<ul class=\"briefing-related\">\n");
    for (size_t i = 0; i < e->nsee; i++)
        related_item(g, e->see[i], base, b);
    for (size_t i = 0; i < e->nseen_by; i++) {
        int listed = 0;
        for (size_t k = 0; k < e->nsee && !listed; k++)
            listed = e->see[k] == e->seen_by[i];
        if (!listed)
            related_item(g, e->seen_by[i], base, b);
    }
    sb_puts(b, "</ul>\n</section>\n");
}

static const char *const month_names[12] = {
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"
};

/* A URL that came from a page is a link only if it is a path or http(s). */
static int safe_url(const char *url)
{
    return (url[0] == '/' && url[1] != '/' && url[1] != '\\') ||
           !strncasecmp(url, "http://", 7) || !strncasecmp(url, "https://", 8);
}

/* base, the id, and "?page=N" past the first page (and ".json" first). */
static void page_url(struct strbuf *b, const char *base, const struct entry *e, const char *ext,
                     unsigned page)
{
    sb_html(b, base);
    sb_html(b, e->id);
    sb_puts(b, ext);
    if (page > 1)
        sb_printf(b, "?page=%u", page);
}

static void backlinks_section(const struct entry *e, const char *base, const struct backlinks *bl,
                              struct strbuf *b)
{
    if (!bl || bl->unavailable)
        return;
    sb_wrap(b, "<section class=\"briefing-backlinks\" aria-labelledby=\"briefing-backlinks\">\n"
               "<h2 id=\"briefing-backlinks\">Articles that mention ", e->name, "</h2>\n");
    if (!bl->count) {
        if (bl->page <= 1)
            sb_wrap(b, "<p class=\"briefing-none\">No article mentions ", e->name, " yet.</p>\n");
        else
            sb_puts(b, "<p class=\"briefing-none\">No older articles.</p>\n");
    } else {
        sb_puts(b, "<ul class=\"briefing-related briefing-articles\">\n");
        for (size_t i = 0; i < bl->count; i++) {
            const struct backlink *l = &bl->items[i];
            const char *text = *l->title ? l->title : l->url;
            if (safe_url(l->url))
                sb_wrap(b, "<li><a href=\"", l->url, "\">");
            else
                sb_puts(b, "<li><span>");
            sb_html(b, text);
            sb_puts(b, safe_url(l->url) ? "</a>" : "</span>");
            time_t t = (time_t)l->date;
            struct tm tm;
            if (l->date > 0 && gmtime_r(&t, &tm))
                sb_printf(b, " <time datetime=\"%04d-%02d-%02d\">%d %s %04d</time>",
                          tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_mday,
                          month_names[tm.tm_mon], tm.tm_year + 1900);
            sb_puts(b, "</li>\n");
        }
        sb_puts(b, "</ul>\n");
    }
    if (bl->page > 1 || bl->more) {
        sb_puts(b, "<nav class=\"briefing-pager\" aria-label=\"More articles\">");
        if (bl->page > 1) {
            sb_puts(b, "<a rel=\"prev\" href=\"");
            page_url(b, base, e, "", bl->page - 1);
            sb_puts(b, "\">Newer articles</a>");
        }
        if (bl->page > 1 && bl->more)
            sb_puts(b, " · ");
        if (bl->more) {
            sb_puts(b, "<a rel=\"next\" href=\"");
            page_url(b, base, e, "", bl->page + 1);
            sb_puts(b, "\">Older articles</a>");
        }
        sb_puts(b, "</nav>\n");
    }
    sb_puts(b, "</section>\n");
}

void page_entry(const struct glossary *g, const struct entry *e, const char *base, struct strbuf *b)
{
    page_entry_backlinks(g, e, base, NULL, b);
}

void page_entry_backlinks(const struct glossary *g, const struct entry *e, const char *base,
                          const struct backlinks *backlinks, struct strbuf *b)
{
    char *title = malloc(strlen(e->name) + sizeof(" — Glossary"));
    if (title)
        strcat(strcpy(title, e->name), " — Glossary");
    head(g, base, title ? title : e->name, e->summary, b);
    free(title);
    const char *type = entry_type_names[e->type];
    sb_puts(b, "<main class=\"briefing-entry\" id=\"main\">\n"
               "<nav class=\"briefing-crumbs\" aria-label=\"Breadcrumb\"><a href=\"");
    sb_html(b, base);
    sb_puts(b, "\">Glossary</a> <span aria-hidden=\"true\">›</span> <a href=\"");
    sb_html(b, base);
    sb_printf(b, "#%s\">%s</a></nav>\n<article", type, entry_type_plurals[e->type]);
    if (e->lang && (!g->lang || strcmp(e->lang, g->lang))) {
        sb_wrap(b, " lang=\"", e->lang, "\"");
    }
    sb_printf(b, ">\n<header>\n<p class=\"briefing-type briefing-type-%s\">%s</p>\n<h1>",
              type, entry_type_labels[e->type]);
    sb_html(b, e->name);
    sb_puts(b, "</h1>\n");
    if (e->summary) {
        sb_wrap(b, "<p class=\"briefing-lead\">", e->summary, "</p>\n");
    }
    sb_puts(b, "</header>\n");
    if (e->nparagraphs) {
        sb_puts(b, "<section class=\"briefing-description\">\n");
        for (size_t i = 0; i < e->nparagraphs; i++) {
            sb_wrap(b, "<p>", e->paragraphs[i], "</p>\n");
        }
        sb_puts(b, "</section>\n");
    }
    if (e->nfacts) {
        section_start("facts", "Facts", b);
        sb_puts(b, "<dl class=\"briefing-facts\">\n");
        for (size_t i = 0; i < e->nfacts; i++) {
            sb_wrap(b, "<div><dt>", e->facts[i].label, "</dt><dd>");
            sb_html(b, e->facts[i].value);
            sb_puts(b, "</dd></div>\n");
        }
        sb_puts(b, "</dl>\n</section>\n");
    }
    if (e->naliases) {
        section_start("aka", "Also known as", b);
        sb_puts(b, "<ul class=\"briefing-aliases\">\n");
        for (size_t i = 0; i < e->naliases; i++) {
            sb_puts(b, "<li");
            const char *lang = e->aliases[i].lang;
            if (lang && (!e->lang || strcmp(lang, e->lang))) {
                sb_wrap(b, " lang=\"", e->aliases[i].lang, "\"");
            }
            sb_wrap(b, ">", e->aliases[i].text, "</li>\n");
        }
        sb_puts(b, "</ul>\n</section>\n");
    }
    related(g, e, base, b);
    backlinks_section(e, base, backlinks, b);
    if (e->nlinks) {
        section_start("links", "Links", b);
        sb_puts(b, "<ul class=\"briefing-links\">\n");
        for (size_t i = 0; i < e->nlinks; i++) {
            sb_wrap(b, "<li><a href=\"", e->links[i].href, "\" rel=\"external noopener\">");
            sb_html(b, *e->links[i].text ? e->links[i].text : e->links[i].href);
            sb_puts(b, "</a></li>\n");
        }
        sb_puts(b, "</ul>\n</section>\n");
    }
    sb_puts(b, "</article>\n</main>\n");
    char *json = malloc(strlen(e->id) + 6);
    if (json)
        strcat(strcpy(json, e->id), ".json");
    foot(base, json ? json : "index.json", b);
    free(json);
}

static size_t min3(size_t a, size_t b, size_t c)
{
    size_t m = a < b ? a : b;
    return m < c ? m : c;
}

/* Edit distance, bounded: anything past `limit` is limit + 1. */
static size_t distance(const char *a, const char *b, size_t limit)
{
    size_t n = strlen(a), m = strlen(b);
    if ((n > m ? n - m : m - n) > limit || m > 64)
        return limit + 1;
    size_t row[65];
    for (size_t j = 0; j <= m; j++)
        row[j] = j;
    for (size_t i = 1; i <= n; i++) {
        size_t diag = row[0], best = row[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t up = row[j];
            row[j] = min3(up + 1, row[j - 1] + 1, diag + (a[i - 1] != b[j - 1]));
            diag = up;
            if (row[j] < best)
                best = row[j];
        }
        if (best > limit)
            return limit + 1;
    }
    return row[m];
}

#define SUGGESTIONS 5

void page_not_found(const struct glossary *g, const char *id, const char *base, struct strbuf *b)
{
    /* Close ids first, then names that contain what was asked for. */
    uint32_t found[SUGGESTIONS];
    size_t nfound = 0, limit = strlen(id) / 3 + 1;
    char *words = glossary_fold(id);
    for (char *p = words; p && *p; p++)
        if (*p == '-' || *p == '_')
            *p = ' ';
    for (size_t d = 0; d <= limit && nfound < SUGGESTIONS; d++)
        for (size_t i = 0; i < g->nentries && nfound < SUGGESTIONS; i++)
            if (distance(id, g->entries[i].id, limit) == d)
                found[nfound++] = (uint32_t)i;
    for (size_t i = 0; words && strlen(words) >= 3 && i < g->nentries && nfound < SUGGESTIONS; i++) {
        int listed = 0;
        for (size_t k = 0; k < nfound && !listed; k++)
            listed = found[k] == i;
        if (!listed && strstr(g->entries[i].search_names, words))
            found[nfound++] = (uint32_t)i;
    }
    free(words);
    head(g, base, "No such entry — Glossary", NULL, b);
    sb_wrap(b, "<main class=\"briefing-notfound\" id=\"main\">\n<h1>No entry “", id, "”</h1>\n<p>The glossary has no entry at this address.");
    if (nfound) {
        sb_puts(b, " Perhaps you meant:</p>\n<ul class=\"briefing-suggestions\">\n");
        for (size_t i = 0; i < nfound; i++)
            related_item(g, found[i], base, b);
        sb_puts(b, "</ul>\n");
    } else {
        sb_puts(b, "</p>\n");
    }
    sb_wrap(b, "<p><a href=\"", base, "\">All entries</a></p>\n</main>\n");
    foot(base, "index.json", b);
}

static void json_field(struct strbuf *b, const char *name, const char *value, int comma)
{
    sb_printf(b, "%s\"%s\":", comma ? "," : "", name);
    if (value)
        sb_json(b, value);
    else
        sb_puts(b, "null");
}

static void json_url(struct strbuf *b, const char *base, const struct entry *e)
{
    char *url = malloc(strlen(base) + strlen(e->id) + 1);
    if (url)
        strcat(strcpy(url, base), e->id);
    json_field(b, "url", url ? url : e->id, 1);
    free(url);
}

static void json_summary_fields(struct strbuf *b, const struct entry *e, const char *base)
{
    json_field(b, "id", e->id, 0);
    json_field(b, "type", entry_type_names[e->type], 1);
    json_field(b, "type_label", entry_type_labels[e->type], 1);
    json_field(b, "name", e->name, 1);
    json_field(b, "summary", e->summary, 1);
    json_url(b, base, e);
}

static void json_id_list(struct strbuf *b, const char *name, const struct glossary *g,
                         const uint32_t *ids, size_t n)
{
    sb_printf(b, ",\"%s\":[", name);
    for (size_t i = 0; i < n; i++) {
        if (i)
            sb_puts(b, ",");
        sb_json(b, g->entries[ids[i]].id);
    }
    sb_puts(b, "]");
}

static void json_backlinks(struct strbuf *b, const struct entry *e, const char *base,
                           const struct backlinks *bl)
{
    unsigned page = bl->page ? bl->page : 1;
    if (bl->unavailable) {
        sb_puts(b, ",\"backlinks\":null");
    } else {
        sb_puts(b, ",\"backlinks\":[");
        for (size_t i = 0; i < bl->count; i++) {
            const struct backlink *l = &bl->items[i];
            sb_puts(b, i ? ",{" : "{");
            json_field(b, "url", l->url, 0);
            json_field(b, "title", l->title, 1);
            time_t t = (time_t)l->date;
            struct tm tm;
            if (l->date > 0 && gmtime_r(&t, &tm))
                sb_printf(b, ",\"date\":\"%04d-%02d-%02dT%02d:%02d:%02dZ\"}", tm.tm_year + 1900,
                          tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
            else
                sb_puts(b, ",\"date\":null}");
        }
        sb_puts(b, "]");
    }
    sb_printf(b, ",\"backlinks_page\":%u,\"backlinks_next\":", page);
    if (!bl->unavailable && bl->more) {
        char *next = malloc(strlen(base) + strlen(e->id) + 32);
        if (next)
            sprintf(next, "%s%s.json?page=%u", base, e->id, page + 1);
        sb_json(b, next ? next : "");
        free(next);
    } else {
        sb_puts(b, "null");
    }
}

void json_entry(const struct glossary *g, const struct entry *e, const char *base, struct strbuf *b)
{
    json_entry_backlinks(g, e, base, NULL, b);
}

void json_entry_backlinks(const struct glossary *g, const struct entry *e, const char *base,
                          const struct backlinks *backlinks, struct strbuf *b)
{
    sb_puts(b, "{");
    json_summary_fields(b, e, base);
    sb_puts(b, ",\"aliases\":[");
    for (size_t i = 0; i < e->naliases; i++) {
        sb_puts(b, i ? ",{" : "{");
        json_field(b, "text", e->aliases[i].text, 0);
        json_field(b, "lang", e->aliases[i].lang, 1);
        sb_printf(b, ",\"case_insensitive\":%s}", e->aliases[i].insensitive ? "true" : "false");
    }
    sb_puts(b, "],\"description\":[");
    for (size_t i = 0; i < e->nparagraphs; i++) {
        if (i)
            sb_puts(b, ",");
        sb_json(b, e->paragraphs[i]);
    }
    sb_puts(b, "],\"facts\":[");
    for (size_t i = 0; i < e->nfacts; i++) {
        sb_puts(b, i ? ",{" : "{");
        json_field(b, "label", e->facts[i].label, 0);
        json_field(b, "value", e->facts[i].value, 1);
        sb_puts(b, "}");
    }
    sb_puts(b, "]");
    json_id_list(b, "see", g, e->see, e->nsee);
    json_id_list(b, "seen_by", g, e->seen_by, e->nseen_by);
    sb_puts(b, ",\"links\":[");
    for (size_t i = 0; i < e->nlinks; i++) {
        sb_puts(b, i ? ",{" : "{");
        json_field(b, "href", e->links[i].href, 0);
        json_field(b, "text", e->links[i].text, 1);
        sb_puts(b, "}");
    }
    sb_puts(b, "]");
    if (backlinks)
        json_backlinks(b, e, base, backlinks);
    sb_puts(b, "}\n");
}

void json_index(const struct glossary *g, const char *base, struct strbuf *b)
{
    sb_printf(b, "{\"version\":\"%016llx\",\"count\":%zu,\"entries\":[",
              (unsigned long long)g->content_hash, g->nentries);
    for (size_t i = 0; i < g->nentries; i++) {
        sb_puts(b, i ? ",\n{" : "\n{");
        json_summary_fields(b, &g->entries[g->by_name[i]], base);
        sb_puts(b, "}");
    }
    sb_puts(b, "\n]}\n");
}

#include "status.h"

#include <string.h>

#include "apr_shm.h"
#include "apr_strings.h"
#include "http_log.h"
#include "http_protocol.h"
#include "mod_status.h"

#include "glossary.h"
#include "strbuf.h"

APLOG_USE_MODULE(briefing);

#define BRLOGNO(n) "BR" #n ": "

struct counters {
    apr_uint64_t annotated, links;
    apr_uint64_t passed[PASS_REASON_COUNT];
};

static const char *const reason_names[PASS_REASON_COUNT] = {
    "off", "subrequest", "glossary_page", "head", "status", "content_type",
    "content_encoding", "no_transform", "charset", "error"
};

static struct counters *counters;    /* one set per server_rec, in list order */
static server_rec *servers;
static apr_time_t started;

apr_status_t status_post_config(apr_pool_t *pconf, server_rec *main_server)
{
    size_t n = 0;
    for (server_rec *s = main_server; s; s = s->next)
        n++;
    apr_shm_t *shm;
    apr_status_t rv = apr_shm_create(&shm, n * sizeof(*counters), NULL, pconf);
    if (rv == APR_SUCCESS) {
        counters = apr_shm_baseaddr_get(shm);
    } else {
        ap_log_error(APLOG_MARK, APLOG_WARNING, rv, main_server, BRLOGNO(0006)
                     "no shared memory for the status counters: each process counts its own");
        counters = apr_palloc(pconf, n * sizeof(*counters));
    }
    memset(counters, 0, n * sizeof(*counters));
    servers = main_server;
    started = apr_time_now();
    return APR_SUCCESS;
}

static struct counters *counters_of(const server_rec *s)
{
    size_t i = 0;
    for (const server_rec *each = servers; each && counters; each = each->next, i++)
        if (each == s)
            return &counters[i];
    return NULL;
}

static void add(apr_uint64_t *counter, apr_uint64_t n)
{
    __atomic_fetch_add(counter, n, __ATOMIC_RELAXED);
}

static apr_uint64_t get(const apr_uint64_t *counter)
{
    return __atomic_load_n(counter, __ATOMIC_RELAXED);
}

void status_count_annotated(server_rec *s, unsigned links)
{
    struct counters *c = counters_of(s);
    if (c) {
        add(&c->annotated, 1);
        add(&c->links, links);
    }
}

void status_count_passed(server_rec *s, enum pass_reason why)
{
    struct counters *c = counters_of(s);
    if (c)
        add(&c->passed[why], 1);
}

/* ---- what one virtual host shows ---- */

struct host_view {
    const server_rec *s;
    const struct glossary *g;            /* NULL without a glossary */
    const struct glossary_version *version;
    const char *path;
    char last_error[GLOSSARY_ERROR_MAX];
    apr_time_t last_error_at;
    struct counters counts;
};

static void view_host(request_rec *r, server_rec *s, status_glossary_of glossary_of,
                      struct host_view *v)
{
    memset(v, 0, sizeof(*v));
    v->s = s;
    struct glossary_slot *slot = glossary_of(s);
    if (slot) {
        v->version = glossary_store_acquire(slot, r->pool);
        v->g = v->version->glossary;
        v->path = glossary_store_path(slot);
        v->last_error_at = glossary_store_last_error(slot, v->last_error, sizeof(v->last_error));
    }
    const struct counters *c = counters_of(s);
    if (c) {
        v->counts.annotated = get(&c->annotated);
        v->counts.links = get(&c->links);
        for (int k = 0; k < PASS_REASON_COUNT; k++)
            v->counts.passed[k] = get(&c->passed[k]);
    }
}

static const char *when(apr_pool_t *p, apr_time_t t)
{
    char *buf = apr_palloc(p, APR_RFC822_DATE_LEN);
    apr_rfc822_date(buf, t);
    return buf;
}

static const char *version_of(apr_pool_t *p, const struct glossary *g)
{
    return apr_psprintf(p, "%016" APR_UINT64_T_HEX_FMT, (apr_uint64_t)g->content_hash);
}

static apr_uint64_t passed_total(const struct counters *c)
{
    apr_uint64_t n = 0;
    for (int k = 0; k < PASS_REASON_COUNT; k++)
        n += c->passed[k];
    return n;
}

/* ---- JSON ---- */

static void json_by_type(struct strbuf *b, const char *name, const size_t *counts)
{
    size_t total = 0;
    sb_printf(b, "\"%s\":{", name);
    for (int t = 0; t < ENTRY_TYPE_COUNT; t++) {
        sb_printf(b, "\"%s\":%zu,", entry_type_names[t], counts[t]);
        total += counts[t];
    }
    sb_printf(b, "\"total\":%zu}", total);
}

static void json_host(request_rec *r, const struct host_view *v, struct strbuf *b)
{
    sb_puts(b, "{\"name\":");
    sb_json(b, v->s->server_hostname ? v->s->server_hostname : "");
    sb_printf(b, ",\"port\":%u,\"defined_at\":", (unsigned)v->s->port);
    sb_json(b, apr_psprintf(r->pool, "%s:%d", v->s->defn_name ? v->s->defn_name : "",
                            v->s->defn_line_number));
    sb_puts(b, ",\"glossary\":");
    if (v->g) {
        sb_puts(b, "{\"path\":");
        sb_json(b, v->path);
        sb_printf(b, ",\"version\":\"%s\",\"loaded\":", version_of(r->pool, v->g));
        sb_json(b, when(r->pool, v->version->loaded));
        sb_puts(b, ",\"modified\":");
        sb_json(b, when(r->pool, v->version->mtime));
        sb_puts(b, ",");
        json_by_type(b, "entries", v->g->count_by_type);
        sb_puts(b, ",");
        json_by_type(b, "patterns", v->g->patterns_by_type);
        sb_puts(b, ",\"last_reload_error\":");
        if (v->last_error_at) {
            sb_puts(b, "{\"at\":");
            sb_json(b, when(r->pool, v->last_error_at));
            sb_puts(b, ",\"message\":");
            sb_json(b, v->last_error);
            sb_puts(b, "}}");
        } else {
            sb_puts(b, "null}");
        }
    } else {
        sb_puts(b, "null");
    }
    sb_printf(b, ",\"counters\":{\"annotated\":%" APR_UINT64_T_FMT ",\"links\":%" APR_UINT64_T_FMT
              ",\"passed\":{", v->counts.annotated, v->counts.links);
    for (int k = 0; k < PASS_REASON_COUNT; k++)
        sb_printf(b, "%s\"%s\":%" APR_UINT64_T_FMT, k ? "," : "", reason_names[k],
                  v->counts.passed[k]);
    sb_puts(b, "}}}");
}

/* ---- HTML ---- */

static void html_row(struct strbuf *b, const char *label, const char *value)
{
    sb_puts(b, "<tr><th scope=\"row\">");
    sb_html(b, label);
    sb_puts(b, "</th><td>");
    sb_html(b, value);
    sb_puts(b, "</td></tr>\n");
}

static void html_by_type(request_rec *r, struct strbuf *b, const char *label,
                         const size_t *counts)
{
    const char *each = "";
    size_t total = 0;
    for (int t = 0; t < ENTRY_TYPE_COUNT; t++) {
        each = apr_psprintf(r->pool, "%s%s%s %" APR_SIZE_T_FMT, each, t ? ", " : "", entry_type_names[t],
                            counts[t]);
        total += counts[t];
    }
    html_row(b, label, apr_psprintf(r->pool, "%" APR_SIZE_T_FMT " (%s)", total, each));
}

static void html_host(request_rec *r, const struct host_view *v, struct strbuf *b)
{
    apr_pool_t *p = r->pool;
    sb_puts(b, "<section>\n<h2>");
    sb_html(b, apr_psprintf(p, "%s:%u", v->s->server_hostname ? v->s->server_hostname : "",
                            (unsigned)v->s->port));
    sb_puts(b, "</h2>\n<table>\n");
    html_row(b, "Defined at", apr_psprintf(p, "%s:%d", v->s->defn_name ? v->s->defn_name : "",
                                           v->s->defn_line_number));
    if (v->g) {
        html_row(b, "Glossary", v->path);
        html_row(b, "Version", version_of(p, v->g));
        html_row(b, "Loaded", when(p, v->version->loaded));
        html_row(b, "File modified", when(p, v->version->mtime));
        html_by_type(r, b, "Entries", v->g->count_by_type);
        html_by_type(r, b, "Patterns", v->g->patterns_by_type);
        html_row(b, "Last reload error",
                 v->last_error_at ? apr_psprintf(p, "%s: %s", when(p, v->last_error_at),
                                                 v->last_error)
                                  : "none");
    } else {
        html_row(b, "Glossary", "none");
    }
    html_row(b, "Responses annotated", apr_psprintf(p, "%" APR_UINT64_T_FMT, v->counts.annotated));
    html_row(b, "Links inserted", apr_psprintf(p, "%" APR_UINT64_T_FMT, v->counts.links));
    for (int k = 0; k < PASS_REASON_COUNT; k++)
        html_row(b, apr_psprintf(p, "Passed through: %s", reason_names[k]),
                 apr_psprintf(p, "%" APR_UINT64_T_FMT, v->counts.passed[k]));
    sb_puts(b, "</table>\n</section>\n");
}

int status_page(request_rec *r, int json, status_glossary_of glossary_of)
{
    struct strbuf b;
    sb_init(&b);
    if (json) {
        sb_puts(&b, "{\"since\":");
        sb_json(&b, when(r->pool, started));
        sb_puts(&b, ",\"servers\":[");
    } else {
        sb_puts(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                    "<title>mod_briefing status</title></head>\n<body>\n"
                    "<h1>mod_briefing status</h1>\n<p>Counters since ");
        sb_html(&b, when(r->pool, started));
        sb_puts(&b, ", for every server process.</p>\n");
    }
    for (server_rec *s = servers; s; s = s->next) {
        struct host_view v;
        view_host(r, s, glossary_of, &v);
        if (json && s != servers)
            sb_puts(&b, ",");
        if (json)
            json_host(r, &v, &b);
        else
            html_host(r, &v, &b);
    }
    sb_puts(&b, json ? "]}\n" : "</body></html>\n");
    if (b.failed) {
        sb_release(&b);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    ap_set_content_type(r, json ? "application/json" : "text/html; charset=utf-8");
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    ap_rwrite(b.data, (int)b.len, r);
    sb_release(&b);
    return OK;
}

int status_section(request_rec *r, int flags, status_glossary_of glossary_of)
{
    struct counters total = {0};
    for (server_rec *s = servers; s; s = s->next) {
        struct host_view v;
        view_host(r, s, glossary_of, &v);
        total.annotated += v.counts.annotated;
        total.links += v.counts.links;
        for (int k = 0; k < PASS_REASON_COUNT; k++)
            total.passed[k] += v.counts.passed[k];
        if (s == servers && v.g && (flags & AP_STATUS_SHORT))
            ap_rprintf(r, "BriefingGlossary: %s\nBriefingGlossaryVersion: %s\n"
                       "BriefingEntries: %" APR_SIZE_T_FMT "\n", v.path, version_of(r->pool, v.g), v.g->nentries);
    }
    if (flags & AP_STATUS_SHORT) {
        ap_rprintf(r, "BriefingAnnotated: %" APR_UINT64_T_FMT "\nBriefingLinks: %" APR_UINT64_T_FMT
                   "\nBriefingPassed: %" APR_UINT64_T_FMT "\n", total.annotated, total.links,
                   passed_total(&total));
        return OK;
    }
    ap_rprintf(r, "<hr />\n<h2>mod_briefing</h2>\n<dl><dt>%" APR_UINT64_T_FMT
               " responses annotated, %" APR_UINT64_T_FMT " links inserted, %" APR_UINT64_T_FMT
               " responses passed through (all virtual hosts, since %s)</dt></dl>\n",
               total.annotated, total.links, passed_total(&total),
               ap_escape_html(r->pool, when(r->pool, started)));
    return OK;
}

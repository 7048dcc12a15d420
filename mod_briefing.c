/* mod_briefing: links the mentions of a glossary's people, organizations,
 * agreements and places in HTML responses to the glossary's pages.
 *
 * Glue only: directives, the BRIEFING output filter and hooks.  The work is
 * done by the engine (engine/), which knows nothing of Apache. */
#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "mod_status.h"
#include "mpm_common.h"
#include "util_filter.h"

#include "apr_date.h"
#include "apr_lib.h"
#include "apr_strings.h"

#include <libxml/parser.h>

#include "annotator.h"
#include "charset.h"
#include "glossary.h"
#include "pages.h"
#include "module/backlinks.h"
#include "module/glossary_store.h"
#include "module/status.h"

#define BRLOGNO(n) "BR" #n ": "
#define UNSET -1
#define FILTER_NAME "BRIEFING"
#define HANDLER_NAME "briefing-glossary"
#define STATUS_HANDLER_NAME "briefing-status"
#define PAGE_NOTE "briefing-glossary-page"

/* Built from assets/ by the Makefile; dated by the start of the server. */
extern const char briefing_css[], briefing_js[];
static apr_time_t assets_time;

module AP_MODULE_DECLARE_DATA briefing_module;

typedef struct {
    struct glossary_slot *glossary;     /* NULL: unset */
    int annotate;                       /* UNSET, 0, 1 */
    const char *link_base;
    int mentions;
    int max_links;
    int types;                          /* type mask, UNSET */
    apr_array_header_t *skip;           /* const char *, NULL-terminated */
    apr_array_header_t *scope;
    int assets;
    int backlinks;                      /* UNSET, 0, 1 */
    int backlinks_query;
    const unsigned char *date_sources;  /* BriefingPageDate; NULL: unset */
} briefing_dir_conf;

typedef struct {
    apr_interval_time_t reload_interval; /* UNSET: 60 s */
    apr_interval_time_t backlinks_max_age; /* UNSET: an hour */
    int backlinks_per_entry;            /* UNSET: 1000 */
    int backlinks_used;                 /* BriefingBacklinks On appears here */
} briefing_server_conf;

#define DEFAULT_RELOAD_INTERVAL apr_time_from_sec(60)
#define DEFAULT_BACKLINKS_MAX_AGE apr_time_from_sec(3600)
#define DEFAULT_BACKLINKS_PER_ENTRY 1000

static void *create_dir_conf(apr_pool_t *p, char *dir)
{
    briefing_dir_conf *c = apr_pcalloc(p, sizeof(*c));
    (void)dir;
    c->annotate = c->mentions = c->max_links = c->types = c->assets = UNSET;
    c->backlinks = c->backlinks_query = UNSET;
    return c;
}

#define MERGE(field, unset) (add->field != (unset) ? add->field : base->field)

static void *merge_dir_conf(apr_pool_t *p, void *basev, void *addv)
{
    const briefing_dir_conf *base = basev, *add = addv;
    briefing_dir_conf *c = apr_pcalloc(p, sizeof(*c));
    c->glossary = MERGE(glossary, NULL);
    c->annotate = MERGE(annotate, UNSET);
    c->link_base = MERGE(link_base, NULL);
    c->mentions = MERGE(mentions, UNSET);
    c->max_links = MERGE(max_links, UNSET);
    c->types = MERGE(types, UNSET);
    c->skip = MERGE(skip, NULL);
    c->scope = MERGE(scope, NULL);
    c->assets = MERGE(assets, UNSET);
    c->backlinks = MERGE(backlinks, UNSET);
    c->backlinks_query = MERGE(backlinks_query, UNSET);
    c->date_sources = MERGE(date_sources, NULL);
    return c;
}

static void *create_server_conf(apr_pool_t *p, server_rec *s)
{
    briefing_server_conf *c = apr_pcalloc(p, sizeof(*c));
    (void)s;
    c->reload_interval = c->backlinks_max_age = c->backlinks_per_entry = UNSET;
    return c;
}

static void *merge_server_conf(apr_pool_t *p, void *basev, void *addv)
{
    const briefing_server_conf *base = basev, *add = addv;
    briefing_server_conf *c = apr_pcalloc(p, sizeof(*c));
    c->reload_interval = MERGE(reload_interval, UNSET);
    c->backlinks_max_age = MERGE(backlinks_max_age, UNSET);
    c->backlinks_per_entry = MERGE(backlinks_per_entry, UNSET);
    /* The main server's directory sections apply to virtual hosts too. */
    c->backlinks_used = base->backlinks_used || add->backlinks_used;
    return c;
}

/* ---- directives ---- */

static const char *set_glossary(cmd_parms *cmd, void *dconf, const char *arg)
{
    briefing_dir_conf *c = dconf;
    char err[GLOSSARY_ERROR_MAX];
    const char *path = ap_server_root_relative(cmd->temp_pool, arg);
    if (!path)
        return apr_psprintf(cmd->pool, "BriefingGlossary: invalid path '%s'", arg);
    /* Loading here, while the configuration is read, is what makes
     * `apachectl configtest` reject a broken glossary. */
    c->glossary = glossary_store_open(path, err, sizeof(err));
    if (!c->glossary)
        return apr_psprintf(cmd->pool, "BriefingGlossary: %s", err);
    return NULL;
}

static const char *set_link_base(cmd_parms *cmd, void *dconf, const char *arg)
{
    briefing_dir_conf *c = dconf;
    if (arg[0] != '/' && strncasecmp(arg, "http://", 7) && strncasecmp(arg, "https://", 8))
        return apr_psprintf(cmd->pool, "BriefingLinkBase: '%s' is neither a URL path "
                            "(starting with /) nor an http or https URL", arg);
    c->link_base = arg;
    return NULL;
}

static const char *set_mentions(cmd_parms *cmd, void *dconf, const char *arg)
{
    briefing_dir_conf *c = dconf;
    if (!strcasecmp(arg, "first"))
        c->mentions = MENTIONS_FIRST;
    else if (!strcasecmp(arg, "all"))
        c->mentions = MENTIONS_ALL;
    else
        return apr_psprintf(cmd->pool, "BriefingMentions: '%s' is not 'first' or 'all'", arg);
    return NULL;
}

static const char *set_max_links(cmd_parms *cmd, void *dconf, const char *arg)
{
    briefing_dir_conf *c = dconf;
    char *end;
    apr_int64_t n = apr_strtoi64(arg, &end, 10);
    if (*end || !*arg || n < 0 || n > 1000000)
        return apr_psprintf(cmd->pool, "BriefingMaxLinks: '%s' is not a number from 0 "
                            "(no cap) to 1000000", arg);
    c->max_links = (int)n;
    return NULL;
}

static const char *add_type(cmd_parms *cmd, void *dconf, const char *arg)
{
    briefing_dir_conf *c = dconf;
    int t = entry_type_from_name(arg, strlen(arg));
    if (t < 0)
        return apr_psprintf(cmd->pool, "BriefingTypes: '%s' is not a type (person, "
                            "organization, agreement, place, term)", arg);
    /* The first type of a directive starts a new list. */
    if (c->types == UNSET || cmd->info != c)
        c->types = 0;
    cmd->info = c;
    c->types |= 1 << t;
    return NULL;
}

static apr_array_header_t *start_list(cmd_parms *cmd, apr_array_header_t **list, void *owner)
{
    if (!*list || cmd->info != owner) {
        *list = apr_array_make(cmd->pool, 8, sizeof(const char *));
        cmd->info = owner;
    }
    return *list;
}

static const char *add_skip(cmd_parms *cmd, void *dconf, const char *arg)
{
    briefing_dir_conf *c = dconf;
    for (const char *p = arg; *p; p++)
        if (apr_isspace(*p) || *p == '<' || *p == '>' || *p == '/')
            return apr_psprintf(cmd->pool, "BriefingSkip: '%s' is not an element name", arg);
    *(const char **)apr_array_push(start_list(cmd, &c->skip, &c->skip)) = apr_pstrdup(cmd->pool, arg);
    return NULL;
}

static const char *add_scope(cmd_parms *cmd, void *dconf, const char *arg)
{
    briefing_dir_conf *c = dconf;
    const char *const one[] = {arg, NULL};
    struct annotate_options o = {.scope = one};
    char err[256];
    struct annotate_config *check = annotate_config_new(&o, err, sizeof(err));
    if (!check)
        return apr_psprintf(cmd->pool, "BriefingScope: %s", err);
    annotate_config_free(check);
    *(const char **)apr_array_push(start_list(cmd, &c->scope, &c->scope)) = apr_pstrdup(cmd->pool, arg);
    return NULL;
}

static const char *set_reload_interval(cmd_parms *cmd, void *dconf, const char *arg)
{
    briefing_server_conf *c = ap_get_module_config(cmd->server->module_config, &briefing_module);
    char *end;
    apr_int64_t n = apr_strtoi64(arg, &end, 10);
    (void)dconf;
    if (*end || !*arg || n < 0 || n > 86400 * 365)
        return apr_psprintf(cmd->pool, "BriefingReloadInterval: '%s' is not a number of "
                            "seconds (0: never)", arg);
    c->reload_interval = apr_time_from_sec(n);
    return NULL;
}

static briefing_server_conf *server_conf(server_rec *s)
{
    return ap_get_module_config(s->module_config, &briefing_module);
}

static const char *set_backlinks(cmd_parms *cmd, void *dconf, int on)
{
    briefing_dir_conf *c = dconf;
    c->backlinks = on;
    /* Checked (mod_dbd, a DBDriver) once the whole configuration is read. */
    if (on)
        server_conf(cmd->server)->backlinks_used = 1;
    return NULL;
}

static const char *set_backlinks_max_age(cmd_parms *cmd, void *dconf, const char *arg)
{
    char *end;
    apr_int64_t n = apr_strtoi64(arg, &end, 10);
    (void)dconf;
    if (*end || !*arg || n < 0 || n > 86400 * 365)
        return apr_psprintf(cmd->pool, "BriefingBacklinksMaxAge: '%s' is not a number of "
                            "seconds (0: record every response)", arg);
    server_conf(cmd->server)->backlinks_max_age = apr_time_from_sec(n);
    return NULL;
}

static const char *set_backlinks_per_entry(cmd_parms *cmd, void *dconf, const char *arg)
{
    char *end;
    apr_int64_t n = apr_strtoi64(arg, &end, 10);
    (void)dconf;
    if (*end || !*arg || n < 1 || n > 1000000)
        return apr_psprintf(cmd->pool, "BriefingBacklinksPerEntry: '%s' is not a number "
                            "from 1 to 1000000", arg);
    server_conf(cmd->server)->backlinks_per_entry = (int)n;
    return NULL;
}

/* Dated aliases: where a page's date is read (docs/mod_briefing.md). */
static const char *set_page_date(cmd_parms *cmd, void *dconf, const char *args)
{
    briefing_dir_conf *c = dconf;
    unsigned char *sources = apr_pcalloc(cmd->pool, 4);
    char err[160];
    if (annotate_parse_date_sources(args, sources, err, sizeof(err)))
        return apr_psprintf(cmd->pool, "BriefingPageDate: %s", err);
    c->date_sources = sources;
    return NULL;
}

/* The Last-Modified header's day, 0 when there is none. */
static int32_t last_modified_day(request_rec *r)
{
    const char *v = apr_table_get(r->headers_out, "Last-Modified");
    apr_time_t t = v ? apr_date_parse_http(v) : APR_DATE_BAD;
    return t > 0 ? (int32_t)(apr_time_sec(t) / 86400) : 0;
}

static const command_rec briefing_cmds[] = {
    AP_INIT_TAKE1("BriefingGlossary", set_glossary, NULL, RSRC_CONF | ACCESS_CONF,
                  "the glossary file (XML)"),
    AP_INIT_FLAG("BriefingAnnotate", ap_set_flag_slot,
                 (void *)APR_OFFSETOF(briefing_dir_conf, annotate),
                 RSRC_CONF | ACCESS_CONF | OR_FILEINFO, "annotate HTML responses here"),
    AP_INIT_TAKE1("BriefingLinkBase", set_link_base, NULL, RSRC_CONF | ACCESS_CONF | OR_FILEINFO,
                  "URL path where the entry pages live (default /glossary/)"),
    AP_INIT_TAKE1("BriefingMentions", set_mentions, NULL, RSRC_CONF | ACCESS_CONF | OR_FILEINFO,
                  "'first' (default) or 'all' mentions of each entry are linked"),
    AP_INIT_TAKE1("BriefingMaxLinks", set_max_links, NULL, RSRC_CONF | ACCESS_CONF | OR_FILEINFO,
                  "most links per page; 0 for no cap"),
    AP_INIT_ITERATE("BriefingTypes", add_type, NULL, RSRC_CONF | ACCESS_CONF | OR_FILEINFO,
                    "only entries of these types"),
    AP_INIT_ITERATE("BriefingSkip", add_skip, NULL, RSRC_CONF | ACCESS_CONF | OR_FILEINFO,
                    "elements never annotated inside (replaces the default list)"),
    AP_INIT_ITERATE("BriefingScope", add_scope, NULL, RSRC_CONF | ACCESS_CONF | OR_FILEINFO,
                    "annotate only inside elements matching these selectors"),
    AP_INIT_FLAG("BriefingAssets", ap_set_flag_slot,
                 (void *)APR_OFFSETOF(briefing_dir_conf, assets),
                 RSRC_CONF | ACCESS_CONF | OR_FILEINFO, "add the stylesheet and script to annotated pages"),
    AP_INIT_TAKE1("BriefingReloadInterval", set_reload_interval, NULL, RSRC_CONF,
                  "seconds between checks of the glossary file; 0 never"),
    AP_INIT_FLAG("BriefingBacklinks", set_backlinks, NULL, RSRC_CONF | ACCESS_CONF,
                 "record which entries annotated pages mention, and list them on the entry "
                 "pages (needs mod_dbd)"),
    AP_INIT_FLAG("BriefingBacklinksQuery", ap_set_flag_slot,
                 (void *)APR_OFFSETOF(briefing_dir_conf, backlinks_query), RSRC_CONF | ACCESS_CONF,
                 "record pages with their query string (default Off: the path only)"),
    AP_INIT_TAKE1("BriefingBacklinksMaxAge", set_backlinks_max_age, NULL, RSRC_CONF,
                  "seconds after which an unchanged page is recorded again (default 3600)"),
    AP_INIT_TAKE1("BriefingBacklinksPerEntry", set_backlinks_per_entry, NULL, RSRC_CONF,
                  "articles kept per entry, the newest (default 1000)"),
    AP_INIT_RAW_ARGS("BriefingPageDate", set_page_date, NULL, RSRC_CONF | ACCESS_CONF | OR_FILEINFO,
                     "where a page's date is read for dated aliases, first found first: "
                     "meta, time, last-modified (default: all three), or none"),
    {NULL}
};

/* ---- per request ---- */

/* The glossary version a request uses from its fixups to its last byte. */
typedef struct {
    struct glossary_version *version;
    const char *etag_suffix;             /* "-b" and the version's hash */
    int filtering;                       /* a BRIEFING filter has started */
} briefing_request;

/* Glossaries are shared across virtual hosts, so they are looked at as
 * often as the most eager of them asks; 0 when none reloads. */
static apr_interval_time_t reload_interval(server_rec *main_server)
{
    apr_interval_time_t shortest = 0;
    for (server_rec *s = main_server; s; s = s->next) {
        const briefing_server_conf *sc = ap_get_module_config(s->module_config, &briefing_module);
        apr_interval_time_t each = sc->reload_interval == UNSET ? DEFAULT_RELOAD_INTERVAL
                                                                : sc->reload_interval;
        if (each > 0 && (shortest == 0 || each < shortest))
            shortest = each;
    }
    return shortest;
}

static briefing_request *request_state(request_rec *r, const briefing_dir_conf *c)
{
    briefing_request *req = ap_get_module_config(r->request_config, &briefing_module);
    if (req || !c->glossary)
        return req;
    req = apr_pcalloc(r->pool, sizeof(*req));
    req->version = glossary_store_acquire(c->glossary, r->pool);
    req->etag_suffix = apr_psprintf(r->pool, "-b%016" APR_UINT64_T_HEX_FMT,
                                    (apr_uint64_t)req->version->glossary->content_hash);
    ap_set_module_config(r->request_config, &briefing_module, req);
    return req;
}

static int is_html(const char *content_type);

/* Rewrites the entity tags a client sends back so that the handler's own
 * conditional logic answers for the annotated page: a tag with the current
 * glossary's suffix loses it (and may match the unchanged file), while on
 * an HTML page any other tag (unannotated, or from an older glossary) is
 * made unable to match. */
static void rewrite_if_none_match(request_rec *r, const char *suffix, int html)
{
    const char *inm = apr_table_get(r->headers_in, "If-None-Match");
    if (!inm || !strcmp(inm, "*"))
        return;
    apr_array_header_t *tags = apr_array_make(r->pool, 4, sizeof(const char *));
    size_t suffix_len = strlen(suffix);
    char *last, *tag;
    for (tag = apr_strtok(apr_pstrdup(r->pool, inm), ",", &last); tag;
         tag = apr_strtok(NULL, ",", &last)) {
        while (apr_isspace(*tag))
            tag++;
        size_t n = strlen(tag);
        while (n && apr_isspace(tag[n - 1]))
            tag[--n] = '\0';
        if (n > suffix_len + 1 && tag[n - 1] == '"' &&
            !strncmp(tag + n - 1 - suffix_len, suffix, suffix_len))
            tag = apr_psprintf(r->pool, "%.*s\"", (int)(n - 1 - suffix_len), tag);
        else if (html)
            tag = apr_pstrcat(r->pool, tag, "-stale", NULL);
        *(const char **)apr_array_push(tags) = tag;
    }
    apr_table_setn(r->headers_in, "If-None-Match", apr_array_pstrcat(r->pool, tags, ','));
}

static int is_html(const char *content_type)
{
    if (!content_type)
        return 0;
    size_t n = strcspn(content_type, "; \t");
    return (n == 9 && !strncasecmp(content_type, "text/html", 9)) ||
           (n == 21 && !strncasecmp(content_type, "application/xhtml+xml", 21));
}

static int annotating_here(const briefing_dir_conf *c)
{
    return c->annotate == 1 && c->glossary;
}

static int briefing_fixups(request_rec *r)
{
    const briefing_dir_conf *c = ap_get_module_config(r->per_dir_config, &briefing_module);
    if (!annotating_here(c) || r->main)
        return DECLINED;
    briefing_request *req = request_state(r, c);
    rewrite_if_none_match(r, req->etag_suffix, is_html(r->content_type));
    return DECLINED;
}

/* A gzip-encoded response (a CMS behind mod_proxy) is inflated for the
 * filter by mod_deflate's INFLATE, which runs before it and leaves other
 * responses alone; GZIP_SEEN, before both, notes that it was gzip, so that
 * the annotated page is compressed again for clients that accept it. */
#define GZIP_SEEN_FILTER "BRIEFING_GZIP_SEEN"
#define GZIP_NOTE "briefing-gzip"

static int is_gzip(const char *encoding)
{
    return encoding && (!strcasecmp(encoding, "gzip") || !strcasecmp(encoding, "x-gzip"));
}

/* CGI scripts' headers land in err_headers_out. */
static const char *content_encoding(request_rec *r)
{
    const char *encoding = apr_table_get(r->headers_out, "Content-Encoding");
    if (!encoding)
        encoding = apr_table_get(r->err_headers_out, "Content-Encoding");
    return encoding ? encoding : r->content_encoding;
}

static apr_status_t gzip_seen_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    if (is_gzip(content_encoding(f->r)))
        apr_table_setn(f->r->notes, GZIP_NOTE, "1");
    ap_remove_output_filter(f);
    return ap_pass_brigade(f->next, bb);
}

static void briefing_insert_filter(request_rec *r)
{
    const briefing_dir_conf *c = ap_get_module_config(r->per_dir_config, &briefing_module);
    if (!annotating_here(c))
        return;
    if (ap_get_output_filter_handle("INFLATE")) {
        ap_add_output_filter(GZIP_SEEN_FILTER, NULL, r, r->connection);
        ap_add_output_filter("INFLATE", NULL, r, r->connection);
    }
    ap_add_output_filter(FILTER_NAME, NULL, r, r->connection);
}

/* INFLATE took the gzip off: DEFLATE puts it back if the client wants it. */
static void deflate_again(request_rec *r)
{
    if (apr_table_get(r->notes, GZIP_NOTE) && !content_encoding(r))
        ap_add_output_filter("DEFLATE", NULL, r, r->connection);
}

/* The charset the browser will be told: AddDefaultCharset adds one to
 * the Content-Type only when the headers are sent, after this filter. */
static int header_charset(request_rec *r, char *label, size_t cap)
{
    return r->content_type &&
           charset_from_content_type(ap_make_content_type(r, r->content_type), label, cap);
}

/* Why a response is left alone (with *counted the reason as counted), or
 * NULL when it is annotated; *charset is then the header's charset label,
 * "" for none. */
static const char *reason_to_pass(request_rec *r, const briefing_dir_conf *c,
                                  enum pass_reason *counted, char charset[CHARSET_LABEL_MAX])
{
    *counted = PASS_OFF;
    if (!c->glossary)
        return "no BriefingGlossary applies here";
    if (c->annotate == 0)
        return "BriefingAnnotate Off";
    *counted = PASS_SUBREQUEST;
    if (r->main)
        return "a subrequest (its output is annotated with the main request's)";
    *counted = PASS_GLOSSARY_PAGE;
    if (apr_table_get(r->notes, PAGE_NOTE))
        return "a glossary page";
    *counted = PASS_HEAD;
    if (r->header_only)
        return "a HEAD request";
    *counted = PASS_STATUS;
    if (r->status != HTTP_OK)
        return apr_psprintf(r->pool, "status %d", r->status);
    *counted = PASS_CONTENT_TYPE;
    if (!is_html(r->content_type))
        return apr_psprintf(r->pool, "Content-Type %s", r->content_type ? r->content_type : "(none)");
    *counted = PASS_ENCODING;
    const char *encoding = content_encoding(r);
    if (encoding && strcasecmp(encoding, "identity"))
        return apr_psprintf(r->pool, "Content-Encoding %s", encoding);
    *counted = PASS_NO_TRANSFORM;
    const char *cache = apr_table_get(r->headers_out, "Cache-Control");
    if (cache && ap_strcasestr(cache, "no-transform"))
        return "Cache-Control: no-transform";
    *counted = PASS_CHARSET;
    if (!header_charset(r, charset, CHARSET_LABEL_MAX))
        *charset = '\0';
    else if (!charset_is_supported(charset))
        return apr_psprintf(r->pool, "charset %s", charset);
    return NULL;
}

static void tag_etag(request_rec *r, const briefing_request *req)
{
    const char *etag = apr_table_get(r->headers_out, "ETag");
    size_t n = etag ? strlen(etag) : 0;
    if (n < 2 || etag[n - 1] != '"' || strstr(etag, req->etag_suffix))
        return;
    apr_table_setn(r->headers_out, "ETag",
                   apr_psprintf(r->pool, "%.*s%s\"", (int)(n - 1), etag, req->etag_suffix));
}

/* The annotator's calls fail only when its sink does, and write_out does
 * not: an error from them is APR_EGENERAL. */
typedef struct {
    struct annotator *annotator;
    struct annotate_config *config;
    apr_bucket_brigade *out;
    ap_filter_t *f;
    char *chunk;                         /* output being gathered, CHUNK_BYTES */
    apr_size_t chunk_used;
    apr_size_t pending;                  /* bytes not yet handed on */
    apr_bucket *source;                  /* the bucket being annotated, if any */
    const char *source_data;             /* its bytes, as read */
    apr_size_t source_len;
    apr_bucket *source_tail;             /* the last bucket of out made from it */
} briefing_filter_ctx;

/* Output that is not a share of an input bucket (inserted markup, held-back
 * text, runs too short to be worth a bucket of their own) is gathered in a
 * buffer of CHUNK_BYTES; output is handed on at the end of each brigade
 * that came in, or once PASS_ON_BYTES have gathered: few buckets, few
 * writes. */
#define CHUNK_BYTES APR_BUCKET_BUFF_SIZE
#define PASS_ON_BYTES (64 * 1024)
#define SHARE_MIN 512

/* The gathered output as a bucket of out, before anything after it: the
 * buffer itself when well filled, else a copy of just what it holds. */
static void seal_chunk(briefing_filter_ctx *ctx)
{
    if (!ctx->chunk_used)
        return;
    apr_bucket_alloc_t *ba = ctx->f->c->bucket_alloc;
    char *data = ctx->chunk;
    if (ctx->chunk_used < CHUNK_BYTES / 2)
        data = memcpy(apr_bucket_alloc(ctx->chunk_used, ba), ctx->chunk, ctx->chunk_used);
    else
        ctx->chunk = NULL;
    APR_BRIGADE_INSERT_TAIL(ctx->out, apr_bucket_heap_create(data, ctx->chunk_used,
                                                             apr_bucket_free, ba));
    ctx->chunk_used = 0;
}

static void append_bucket(briefing_filter_ctx *ctx, apr_bucket *e)
{
    seal_chunk(ctx);
    APR_BRIGADE_INSERT_TAIL(ctx->out, e);
}

static void copy_out(briefing_filter_ctx *ctx, const char *p, apr_size_t n)
{
    /* Copied: nothing handed on may point into a glossary version or into
     * the annotator's buffers. */
    while (n) {
        if (!ctx->chunk)
            ctx->chunk = apr_bucket_alloc(CHUNK_BYTES, ctx->f->c->bucket_alloc);
        apr_size_t take = n < CHUNK_BYTES - ctx->chunk_used ? n : CHUNK_BYTES - ctx->chunk_used;
        memcpy(ctx->chunk + ctx->chunk_used, p, take);
        ctx->chunk_used += take;
        p += take;
        n -= take;
        if (ctx->chunk_used == CHUNK_BYTES)
            seal_chunk(ctx);
    }
}

/* Bytes of the bucket being annotated that pass unchanged go on as a share
 * of that bucket (no copy), one share per run between two links. */
static int share_source(briefing_filter_ctx *ctx, const char *p, apr_size_t n)
{
    apr_bucket *tail = ctx->source_tail;
    apr_size_t offset = (apr_size_t)(p - ctx->source_data);
    if (tail && !ctx->chunk_used && tail == APR_BRIGADE_LAST(ctx->out) &&
        tail->start + tail->length == ctx->source->start + offset) {
        tail->length += n;
        return 1;
    }
    apr_bucket *share;
    if (n < SHARE_MIN || apr_bucket_copy(ctx->source, &share) != APR_SUCCESS)
        return 0;
    share->start += offset;
    share->length = n;
    append_bucket(ctx, share);
    ctx->source_tail = share;
    return 1;
}

static int write_out(void *data, const char *p, size_t n)
{
    briefing_filter_ctx *ctx = data;
    uintptr_t offset = (uintptr_t)p - (uintptr_t)ctx->source_data;
    int from_source = ctx->source && offset <= ctx->source_len && n <= ctx->source_len - offset;
    if (!from_source || !share_source(ctx, p, n))
        copy_out(ctx, p, n);
    ctx->pending += n;
    return 0;
}

/* Annotates the data bucket e, whose bytes were read as data. */
static int annotate_bucket(briefing_filter_ctx *ctx, apr_bucket *e, const char *data,
                           apr_size_t len)
{
    ctx->source = e;
    ctx->source_data = data;
    ctx->source_len = len;
    int failed = annotator_write(ctx->annotator, data, len);
    ctx->source = ctx->source_tail = NULL;
    return failed;
}

static apr_status_t pass_out(briefing_filter_ctx *ctx)
{
    seal_chunk(ctx);
    apr_status_t rv = ap_pass_brigade(ctx->f->next, ctx->out);
    apr_brigade_cleanup(ctx->out);
    ctx->pending = 0;
    return rv;
}

static apr_status_t free_filter_ctx(void *data)
{
    briefing_filter_ctx *ctx = data;
    annotator_free(ctx->annotator);
    annotate_config_free(ctx->config);
    ctx->annotator = NULL;
    ctx->config = NULL;
    if (ctx->chunk)
        apr_bucket_free(ctx->chunk);
    ctx->chunk = NULL;
    return APR_SUCCESS;
}

static const char *const *list_of(const apr_array_header_t *a, apr_pool_t *p)
{
    if (!a)
        return NULL;
    const char **list = apr_pcalloc(p, (a->nelts + 1) * sizeof(*list));
    memcpy(list, a->elts, a->nelts * sizeof(*list));
    return list;
}

static const char *link_base(const briefing_dir_conf *c, apr_pool_t *p)
{
    const char *base = c->link_base ? c->link_base : "/glossary/";
    size_t n = strlen(base);
    return n && base[n - 1] == '/' ? base : apr_pstrcat(p, base, "/", NULL);
}

static briefing_filter_ctx *start_filter(ap_filter_t *f, const briefing_dir_conf *c,
                                         briefing_request *req, const char *charset)
{
    request_rec *r = f->r;
    struct annotate_options o = {
        .mentions = c->mentions == UNSET ? MENTIONS_FIRST : (enum mentions_mode)c->mentions,
        .max_links = c->max_links == UNSET ? 0 : (unsigned)c->max_links,
        .type_mask = c->types == UNSET ? 0 : (unsigned)c->types,
        .skip = list_of(c->skip, r->pool),
        .scope = list_of(c->scope, r->pool),
        .link_base = c->link_base,
        .before_first_link = c->assets != 1 ? NULL :
            apr_psprintf(r->pool, "<link rel=\"stylesheet\" href=\"%sbriefing.css\">"
                         "<script src=\"%sbriefing.js\" defer></script>",
                         ap_escape_html(r->pool, link_base(c, r->pool)),
                         ap_escape_html(r->pool, link_base(c, r->pool))),
        /* The header's charset wins; without one, the page's meta decides. */
        .sniff_charset = 1,
        .charset = *charset ? charset : NULL,
        .last_modified = last_modified_day(r),
    };
    if (c->date_sources)
        memcpy(o.date_sources, c->date_sources, sizeof(o.date_sources));
    char err[256];
    briefing_filter_ctx *ctx = apr_pcalloc(r->pool, sizeof(*ctx));
    ctx->f = f;
    ctx->out = apr_brigade_create(r->pool, f->c->bucket_alloc);
    ctx->config = annotate_config_new(&o, err, sizeof(err));
    if (ctx->config)
        ctx->annotator = annotator_new(req->version->glossary, ctx->config, write_out, ctx);
    apr_pool_cleanup_register(r->pool, ctx, free_filter_ctx, apr_pool_cleanup_null);
    if (!ctx->annotator) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, BRLOGNO(0202) "cannot annotate %s: %s",
                      r->uri, ctx->config ? "out of memory" : err);
        return NULL;
    }
    return ctx;
}

static apr_status_t pass_on(ap_filter_t *f, apr_bucket_brigade *bb)
{
    ap_remove_output_filter(f);
    return ap_pass_brigade(f->next, bb);
}


static apr_status_t flush_out(ap_filter_t *f, briefing_filter_ctx *ctx)
{
    if (ctx->annotator && annotator_flush(ctx->annotator))
        return APR_EGENERAL;
    append_bucket(ctx, apr_bucket_flush_create(f->c->bucket_alloc));
    return pass_out(ctx);
}

static apr_status_t briefing_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    request_rec *r = f->r;
    briefing_filter_ctx *ctx = f->ctx;
    if (!ctx) {
        const briefing_dir_conf *c = ap_get_module_config(r->per_dir_config, &briefing_module);
        briefing_request *req = request_state(r, c);
        enum pass_reason counted;
        char charset[CHARSET_LABEL_MAX];
        int again = req && req->filtering;
        const char *why = again ? "annotated already by an earlier BRIEFING filter"
                                : reason_to_pass(r, c, &counted, charset);
        if (req && r->status == HTTP_NOT_MODIFIED)
            tag_etag(r, req);
        if (why) {
            ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, BRLOGNO(0201) "not annotating %s: %s",
                          r->uri, why);
            if (!again)
                status_count_passed(r->server, counted);
            return pass_on(f, bb);
        }
        if (!(ctx = f->ctx = start_filter(f, c, req, charset))) {
            status_count_passed(r->server, PASS_ERROR);
            return pass_on(f, bb);
        }
        req->filtering = 1;
        deflate_again(r);
        apr_table_unset(r->headers_out, "Content-Length");
        tag_etag(r, req);
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, BRLOGNO(0203) "annotating %s with %s",
                      r->uri, glossary_store_path(c->glossary));
    }
    while (!APR_BRIGADE_EMPTY(bb)) {
        apr_bucket *e = APR_BRIGADE_FIRST(bb);
        if (APR_BUCKET_IS_METADATA(e)) {
            if (APR_BUCKET_IS_EOS(e) && ctx->annotator) {
                if (annotator_finish(ctx->annotator))
                    return APR_EGENERAL;
                const struct annotate_stats *st = annotator_stats(ctx->annotator);
                ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, BRLOGNO(0204)
                              "%s: %u links for %u mentions%s", r->uri, st->links, st->mentions,
                              st->passed_through ? " (a charset not annotated: passed through)" : "");
                if (st->passed_through) {
                    status_count_passed(r->server, PASS_CHARSET);
                } else {
                    status_count_annotated(r->server, st->links);
                    const briefing_dir_conf *c = ap_get_module_config(r->per_dir_config,
                                                                      &briefing_module);
                    const briefing_request *req = ap_get_module_config(r->request_config,
                                                                       &briefing_module);
                    if (c->backlinks == 1 && req)
                        backlinks_note(r, req->version->glossary, ctx->annotator,
                                       c->backlinks_query == 1);
                }
                seal_chunk(ctx);
                free_filter_ctx(ctx);
            } else if (APR_BUCKET_IS_FLUSH(e) && ctx->annotator &&
                       annotator_flush(ctx->annotator)) {
                return APR_EGENERAL;
            }
            APR_BUCKET_REMOVE(e);
            append_bucket(ctx, e);
            if (APR_BUCKET_IS_FLUSH(e) || APR_BUCKET_IS_EOS(e)) {
                apr_status_t rv = pass_out(ctx);
                if (rv != APR_SUCCESS)
                    return rv;
            }
            continue;
        }
        const char *data;
        apr_size_t len;
        apr_status_t rv = apr_bucket_read(e, &data, &len, APR_NONBLOCK_READ);
        if (APR_STATUS_IS_EAGAIN(rv)) {
            /* The source is slow (a CGI, a proxied backend): hand on all
             * that is settled before waiting for more. */
            if ((rv = flush_out(f, ctx)) != APR_SUCCESS)
                return rv;
            rv = apr_bucket_read(e, &data, &len, APR_BLOCK_READ);
        }
        if (rv != APR_SUCCESS)
            return rv;
        if (ctx->annotator && annotate_bucket(ctx, e, data, len))
            return APR_EGENERAL;
        apr_bucket_delete(e);
        if (ctx->pending >= PASS_ON_BYTES && (rv = pass_out(ctx)) != APR_SUCCESS)
            return rv;
    }
    return APR_BRIGADE_EMPTY(ctx->out) && !ctx->chunk_used ? APR_SUCCESS : pass_out(ctx);
}

/* ---- the glossary pages ---- */

/* The decoded value of the `q` query parameter, or NULL. */
static const char *query_param(request_rec *r)
{
    char *last;
    for (char *pair = r->args ? apr_strtok(apr_pstrdup(r->pool, r->args), "&", &last) : NULL;
         pair; pair = apr_strtok(NULL, "&", &last)) {
        if (strncmp(pair, "q=", 2) == 0) {
            char *value = pair + 2;
            return ap_unescape_urlencoded(value) == OK ? value : NULL;
        }
    }
    return NULL;
}

/* The `page` query parameter of an entry page: 1 unless a number from 1
 * to 100000. */
static unsigned page_param(request_rec *r)
{
    char *last;
    for (char *pair = r->args ? apr_strtok(apr_pstrdup(r->pool, r->args), "&", &last) : NULL;
         pair; pair = apr_strtok(NULL, "&", &last)) {
        if (strncmp(pair, "page=", 5) == 0) {
            char *end;
            apr_int64_t n = apr_strtoi64(pair + 5, &end, 10);
            return !*end && n >= 1 && n <= 100000 ? (unsigned)n : 1;
        }
    }
    return 1;
}

static apr_uint64_t hash_more(apr_uint64_t h, const char *s)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
    return h;
}

static apr_uint64_t hash_text(const char *s)
{
    return hash_more(0xcbf29ce484222325ull, s);
}

/* An entry page with its backlinks changes with them: its tag is the
 * glossary's and the list's, and it has no Last-Modified. */
static const char *backlinks_etag(request_rec *r, const struct glossary *g,
                                  const struct backlinks *bl)
{
    apr_uint64_t h = hash_text(apr_psprintf(r->pool, "%u %d %d %" APR_SIZE_T_FMT, bl->page, bl->more,
                                            bl->unavailable, bl->count));
    for (size_t i = 0; i < bl->count; i++) {
        h = hash_more(h, bl->items[i].url);
        h = hash_more(h, "\n");
        h = hash_more(h, bl->items[i].title);
        h = hash_more(h, apr_psprintf(r->pool, "\n%" APR_INT64_T_FMT "\n",
                                      (apr_int64_t)bl->items[i].date));
    }
    return apr_psprintf(r->pool, "\"g%016" APR_UINT64_T_HEX_FMT "-l%016" APR_UINT64_T_HEX_FMT "\"",
                        (apr_uint64_t)g->content_hash, h);
}

/* Sets the validators and answers a conditional request; OK to go on. */
static int validate(request_rec *r, const char *etag, apr_time_t mtime)
{
    apr_table_setn(r->headers_out, "ETag", etag);
    ap_update_mtime(r, mtime);
    ap_set_last_modified(r);
    return ap_meets_conditions(r);
}

static int send_asset(request_rec *r, const char *body, const char *type)
{
    ap_set_content_type(r, type);
    int rc = validate(r, apr_psprintf(r->pool, "\"a%016" APR_UINT64_T_HEX_FMT "\"", hash_text(body)),
                      ap_rationalize_mtime(r, assets_time));
    if (rc != OK)
        return rc;
    apr_table_setn(r->headers_out, "Cache-Control", "max-age=3600");
    if (!r->header_only)
        ap_rputs(body, r);
    return OK;
}

static struct glossary_slot *glossary_of_server(server_rec *s)
{
    const briefing_dir_conf *c = ap_get_module_config(s->lookup_defaults, &briefing_module);
    return c ? c->glossary : NULL;
}

static int briefing_status_handler(request_rec *r)
{
    ap_allow_standard_methods(r, REPLACE_ALLOW, M_GET, -1);
    if (r->method_number != M_GET)
        return HTTP_METHOD_NOT_ALLOWED;
    return status_page(r, r->args && !strcmp(r->args, "json"), glossary_of_server);
}

static int briefing_status_hook(request_rec *r, int flags)
{
    return status_section(r, flags, glossary_of_server);
}

static int briefing_handler(request_rec *r)
{
    if (r->handler && !strcmp(r->handler, STATUS_HANDLER_NAME))
        return briefing_status_handler(r);
    if (!r->handler || strcmp(r->handler, HANDLER_NAME))
        return DECLINED;
    const briefing_dir_conf *c = ap_get_module_config(r->per_dir_config, &briefing_module);
    r->allowed |= AP_METHOD_BIT << M_GET;
    /* The Allow header of a 405 is made from allowed_methods. */
    ap_allow_standard_methods(r, REPLACE_ALLOW, M_GET, -1);
    if (r->method_number != M_GET)
        return HTTP_METHOD_NOT_ALLOWED;
    apr_table_setn(r->notes, PAGE_NOTE, "1");
    const char *base = link_base(c, r->pool);
    const char *rest = strncmp(r->uri, base, strlen(base)) == 0 ? r->uri + strlen(base)
                                                              : strrchr(r->uri, '/') + 1;
    if (!strcmp(rest, "briefing.css"))
        return send_asset(r, briefing_css, "text/css; charset=utf-8");
    if (!strcmp(rest, "briefing.js"))
        return send_asset(r, briefing_js, "text/javascript; charset=utf-8");
    if (!c->glossary) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, BRLOGNO(0301)
                      "SetHandler " HANDLER_NAME " at %s but no BriefingGlossary applies", r->uri);
        return HTTP_NOT_FOUND;
    }
    const briefing_request *req = request_state(r, c);
    const struct glossary *g = req->version->glossary;
    size_t n = strlen(rest);
    int json = n > 5 && !strcmp(rest + n - 5, ".json");
    const char *id = apr_pstrndup(r->pool, rest, json ? n - 5 : n);
    const struct entry *e = *id && !strchr(id, '/') ? glossary_find(g, id, strlen(id)) : NULL;
    int index = !*rest || !strcmp(rest, "index.json");
    if (!index && !e)
        r->status = HTTP_NOT_FOUND;
    ap_set_content_type(r, json ? "application/json" : "text/html; charset=utf-8");
    struct backlinks links, *backlinks = NULL;
    if (e && c->backlinks == 1) {
        backlinks_read(r, e->id, page_param(r), &links);
        backlinks = &links;
    }
    if (r->status == HTTP_OK && backlinks) {
        apr_table_setn(r->headers_out, "ETag", backlinks_etag(r, g, backlinks));
        int rc = ap_meets_conditions(r);
        if (rc != OK)
            return rc;
    } else if (r->status == HTTP_OK) {
        int rc = validate(r, apr_psprintf(r->pool, "\"g%016" APR_UINT64_T_HEX_FMT "\"",
                                          (apr_uint64_t)g->content_hash),
                          ap_rationalize_mtime(r, req->version->mtime));
        if (rc != OK)
            return rc;
    }
    struct strbuf page;
    sb_init(&page);
    if (index && json)
        json_index(g, base, &page);
    else if (index)
        page_index(g, base, query_param(r), &page);
    else if (e && json)
        json_entry_backlinks(g, e, base, backlinks, &page);
    else if (e)
        page_entry_backlinks(g, e, base, backlinks, &page);
    else if (json)
        sb_puts(&page, "{\"error\":\"no such entry\"}\n");
    else
        page_not_found(g, id, base, &page);
    apr_status_t rv = APR_SUCCESS;
    if (page.failed)
        rv = APR_ENOMEM;
    else
        /* Set here: httpd works it out only for bodies written at once,
         * and ap_rwrite passes on pages past 8 KB in pieces. */
        ap_set_content_length(r, (apr_off_t)page.len);
    if (!page.failed && !r->header_only)
        rv = ap_rwrite(page.data, (int)page.len, r) < 0 ? APR_EGENERAL : APR_SUCCESS;
    sb_release(&page);
    return rv == APR_ENOMEM ? HTTP_INTERNAL_SERVER_ERROR : OK;
}

/* ---- hooks ---- */

static int briefing_pre_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp)
{
    (void)pconf;
    (void)plog;
    (void)ptemp;
    /* Once per process and never cleaned up: other modules share libxml2. */
    xmlInitParser();
    assets_time = apr_time_now();
    return OK;
}

static int briefing_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                                server_rec *s)
{
    (void)plog;
    (void)ptemp;
    apr_status_t rv = status_post_config(pconf, s);
    if (rv != APR_SUCCESS)
        return HTTP_INTERNAL_SERVER_ERROR;
    if (glossary_store_in_use() && !ap_get_output_filter_handle("INFLATE"))
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s, BRLOGNO(0005)
                     "mod_deflate is not loaded: gzip-encoded responses (from a backend "
                     "behind mod_proxy, say) pass through unannotated; load it "
                     "(a2enmod deflate) to have them annotated");
    return OK;
}

/* The parent reloads too: children it forks later start current. */
static int briefing_monitor(apr_pool_t *p, server_rec *s)
{
    (void)p;
    glossary_store_refresh(reload_interval(s), s);
    return DECLINED;
}

static void briefing_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_status_t rv = glossary_store_child_init(pchild, reload_interval(s), s);
    if (rv != APR_SUCCESS)
        ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s, BRLOGNO(0001)
                     "cannot start the glossary lock and watcher thread");
    int backlinks = 0;
    for (server_rec *each = s; each; each = each->next)
        backlinks |= server_conf(each)->backlinks_used;
    if (backlinks && (rv = backlinks_child_init(pchild, s)) != APR_SUCCESS)
        ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s, BRLOGNO(0507)
                     "cannot start the backlinks writer thread: backlinks are not recorded");
}

/* BriefingBacklinks On needs mod_dbd and a DBDriver: checked here, after
 * the whole configuration is read, so that `apachectl configtest` fails. */
static int briefing_check_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                                 server_rec *s)
{
    (void)pconf;
    (void)plog;
    for (server_rec *each = s; each; each = each->next) {
        const char *err = server_conf(each)->backlinks_used ? backlinks_check(ptemp, each) : NULL;
        if (err) {
            ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, 0, each, BRLOGNO(0501) "%s", err);
            return HTTP_INTERNAL_SERVER_ERROR;
        }
    }
    return OK;
}

static void briefing_optional_fn_retrieve(void)
{
    backlinks_retrieve();
}

/* After the response has gone out: what an annotated page mentioned is
 * handed to the backlinks writer (never waited for). */
static int briefing_log_transaction(request_rec *r)
{
    const briefing_server_conf *sc = server_conf(r->server);
    backlinks_log_transaction(r, sc->backlinks_max_age == UNSET ? DEFAULT_BACKLINKS_MAX_AGE
                                                                : sc->backlinks_max_age,
                              sc->backlinks_per_entry == UNSET ? DEFAULT_BACKLINKS_PER_ENTRY
                                                               : (unsigned)sc->backlinks_per_entry);
    return DECLINED;
}

static void briefing_register_hooks(apr_pool_t *p)
{
    (void)p;
    ap_hook_pre_config(briefing_pre_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(briefing_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    APR_OPTIONAL_HOOK(ap, status_hook, briefing_status_hook, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(briefing_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_check_config(briefing_check_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_optional_fn_retrieve(briefing_optional_fn_retrieve, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(briefing_log_transaction, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_monitor(briefing_monitor, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_fixups(briefing_fixups, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_insert_filter(briefing_insert_filter, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(briefing_handler, NULL, NULL, APR_HOOK_MIDDLE);
    ap_register_output_filter(FILTER_NAME, briefing_filter, NULL, AP_FTYPE_RESOURCE);
    ap_register_output_filter(GZIP_SEEN_FILTER, gzip_seen_filter, NULL, AP_FTYPE_RESOURCE - 2);
}

AP_DECLARE_MODULE(briefing) = {
    STANDARD20_MODULE_STUFF,
    create_dir_conf,
    merge_dir_conf,
    create_server_conf,
    merge_server_conf,
    briefing_cmds,
    briefing_register_hooks,
    AP_MODULE_FLAG_NONE
};

#include "backlinks.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apr_dbd.h"
#include "apr_hash.h"
#include "apr_lib.h"
#include "apr_optional.h"
#include "apr_strings.h"
#include "apr_thread_cond.h"
#include "apr_thread_mutex.h"
#include "apr_thread_proc.h"
#include "http_config.h"
#include "http_log.h"
#include "mod_dbd.h"

APLOG_USE_MODULE(briefing);

#define BRLOGNO(n) "BR" #n ": "

/* Longer URLs are not recorded. */
#define URL_MAX 1024
/* What a process remembers: MEMORY_SETS x MEMORY_WAYS URLs, the oldest of
 * a set making way for a new one. */
#define MEMORY_SETS 4096
#define MEMORY_WAYS 4
/* Writes waiting for the writer thread; more are dropped. */
#define QUEUE_MAX 256
/* After a failure the database is left alone this long, doubling. */
#define BACKOFF_FIRST apr_time_from_sec(5)
#define BACKOFF_MAX apr_time_from_sec(60)
#define REPORT_EVERY apr_time_from_sec(60)
/* A writer busy this long with one write: entry pages stop reading. */
#define WRITER_STUCK apr_time_from_sec(2)
#define NOTE_KEY "briefing-backlinks-note"

static APR_OPTIONAL_FN_TYPE(ap_dbd_open) *dbd_open;
static APR_OPTIONAL_FN_TYPE(ap_dbd_close) *dbd_close;
static APR_OPTIONAL_FN_TYPE(ap_dbd_acquire) *dbd_acquire;

void backlinks_retrieve(void)
{
    dbd_open = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_open);
    dbd_close = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_close);
    dbd_acquire = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_acquire);
}

/* ---- configuration ---- */

/* mod_dbd's per-server configuration begins with a pointer to its
 * dbd_cfg_t (mod_dbd.h), whose name stays "[DBDriver unset]" without a
 * DBDriver directive; the rest of that structure is mod_dbd's own. */
const char *backlinks_check(apr_pool_t *p, server_rec *s)
{
    const char *where = s->is_virtual
        ? apr_psprintf(p, "the virtual host %s (%s:%d)", s->server_hostname ? s->server_hostname : "",
                       s->defn_name ? s->defn_name : "?", s->defn_line_number)
        : "the main server";
    module *dbd = ap_find_linked_module("mod_dbd.c");
    if (!dbd)
        return apr_psprintf(p, "BriefingBacklinks On in %s needs mod_dbd: load it "
                            "(a2enmod dbd, or LoadModule dbd_module) and set DBDriver "
                            "sqlite3 or pgsql and DBDParams", where);
    void *const *svr = ap_get_module_config(s->module_config, dbd);
    const dbd_cfg_t *cfg = svr ? *svr : NULL;
    if (!cfg || !cfg->name || cfg->name[0] == '[')
        return apr_psprintf(p, "BriefingBacklinks On in %s needs a database: DBDriver sqlite3 "
                            "(or pgsql) and DBDParams, for this server or the main one", where);
    if (strcmp(cfg->name, "sqlite3") && strcmp(cfg->name, "pgsql"))
        return apr_psprintf(p, "BriefingBacklinks On in %s: DBDriver %s is not supported "
                            "(sqlite3 or pgsql)", where, cfg->name);
    if (!strcmp(cfg->name, "sqlite3") && (!cfg->params || !*cfg->params))
        return apr_psprintf(p, "BriefingBacklinks On in %s: DBDParams must name the SQLite "
                            "file (an absolute path in a directory the server's user may "
                            "write to)", where);
    return NULL;
}

/* ---- the state of a process ---- */

struct slot {
    apr_uint64_t key;            /* the site and URL; 0: free */
    apr_uint32_t print;          /* the entries and title recorded */
    apr_uint32_t at;             /* seconds since the epoch */
};

struct job {
    struct job *next;
    server_rec *server;
    apr_uint64_t key;
    apr_uint32_t print;
    apr_time_t at;
    unsigned per_entry;
    const char *site, *url, *title;
    size_t nentries;
    const char **entries;
};

static struct {
    apr_thread_mutex_t *lock;    /* everything below */
    struct slot *memory;         /* NULL: nothing is recorded here */
    struct job *head, *tail;
    size_t queued;               /* jobs in the queue or being made */
    apr_thread_t *thread;
    apr_thread_cond_t *wake;
    int stopping;
    apr_time_t busy_since;       /* the writer's current write, 0 idle */
    apr_time_t retry_at, backoff;
    apr_time_t reported;         /* when a failure was last logged */
    unsigned dropped;            /* writes dropped since */
    int schema_ready;
} bl;

static void lock(void)
{
    apr_thread_mutex_lock(bl.lock);
}

static void unlock(void)
{
    apr_thread_mutex_unlock(bl.lock);
}

static apr_uint64_t fnv(apr_uint64_t h, const char *s)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
    return (h ^ 0xff) * 0x100000001b3ull;     /* a separator */
}
#define FNV_START 0xcbf29ce484222325ull

/* Under the lock: the slot that remembers `key`, or NULL. */
static struct slot *remembered(apr_uint64_t key)
{
    struct slot *set = &bl.memory[(key % MEMORY_SETS) * MEMORY_WAYS];
    for (int i = 0; i < MEMORY_WAYS; i++)
        if (set[i].key == key)
            return &set[i];
    return NULL;
}

/* Under the lock: a slot for `key`, the oldest of its set if need be. */
static struct slot *remember(apr_uint64_t key)
{
    struct slot *s = remembered(key);
    if (s)
        return s;
    struct slot *set = &bl.memory[(key % MEMORY_SETS) * MEMORY_WAYS];
    s = &set[0];
    for (int i = 1; i < MEMORY_WAYS; i++)
        if (set[i].at < s->at)
            s = &set[i];
    s->key = key;
    return s;
}

/* Under the lock: forgets a record that did not make it. */
static void forget(apr_uint64_t key, apr_uint32_t print)
{
    struct slot *s = remembered(key);
    if (s && s->print == print)
        memset(s, 0, sizeof(*s));
}

/* Is the database worth asking now? */
static int database_usable(apr_time_t now)
{
    lock();
    int usable = now >= bl.retry_at && !(bl.busy_since && now - bl.busy_since > WRITER_STUCK);
    unlock();
    return usable;
}

/* A failure: the database is left alone for a while, and this is logged
 * unless a failure was logged less than a minute ago. */
static void failed(server_rec *s, const char *what, const char *why, unsigned drop)
{
    apr_time_t now = apr_time_now();
    lock();
    bl.backoff = bl.backoff ? bl.backoff * 2 : BACKOFF_FIRST;
    if (bl.backoff > BACKOFF_MAX)
        bl.backoff = BACKOFF_MAX;
    bl.retry_at = now + bl.backoff;
    bl.schema_ready = 0;
    bl.dropped += drop;
    int report = !bl.reported || now - bl.reported >= REPORT_EVERY;
    unsigned dropped = bl.dropped;
    apr_time_t pause = bl.backoff;
    if (report) {
        bl.reported = now;
        bl.dropped = 0;
    }
    unlock();
    if (report)
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, s, BRLOGNO(0502)
                     "backlinks: %s: %s; the database is left alone for %d s; %u write%s "
                     "dropped (this is logged at most once a minute)", what, why,
                     (int)apr_time_sec(pause), dropped, dropped == 1 ? "" : "s");
}

static void succeeded(void)
{
    lock();
    bl.backoff = 0;
    unlock();
}

/* ---- the database ---- */

enum statement { ST_UPSERT, ST_STALE, ST_TRIM, ST_READ, ST_COUNT };

/* apr_dbd's portable placeholders (%s text, %lld and %d numbers); the
 * same SQL runs on SQLite (3.24 and later) and PostgreSQL (9.5 and later).
 * Times are microseconds since the epoch: `first_seen` orders the list
 * (an article comes in when it first mentions the entry), `seen` is the
 * latest record, and rows of a URL that the latest record did not renew
 * are the entries the page no longer mentions. */
static const struct {
    const char *label, *sql;
} statements[ST_COUNT] = {
    [ST_UPSERT] = {"briefing_backlinks_upsert",
        "INSERT INTO briefing_backlinks (site, entry, url, title, first_seen, seen) "
        "VALUES (%s, %s, %s, %s, %lld, %lld) ON CONFLICT (site, entry, url) "
        "DO UPDATE SET title = excluded.title, seen = excluded.seen "
        "WHERE excluded.seen >= briefing_backlinks.seen"},
    [ST_STALE] = {"briefing_backlinks_stale",
        "DELETE FROM briefing_backlinks WHERE site = %s AND url = %s AND seen < %lld"},
    [ST_TRIM] = {"briefing_backlinks_trim",
        "DELETE FROM briefing_backlinks WHERE site = %s AND entry = %s AND url NOT IN "
        "(SELECT url FROM briefing_backlinks WHERE site = %s AND entry = %s "
        "ORDER BY first_seen DESC, url LIMIT %d)"},
    [ST_READ] = {"briefing_backlinks_read",
        "SELECT url, title, first_seen FROM briefing_backlinks WHERE site = %s AND entry = %s "
        "ORDER BY first_seen DESC, url LIMIT %d OFFSET %d"},
};

static const char *const schema[] = {
    "CREATE TABLE IF NOT EXISTS briefing_backlinks (site TEXT NOT NULL, entry TEXT NOT NULL, "
    "url TEXT NOT NULL, title TEXT NOT NULL, first_seen BIGINT NOT NULL, seen BIGINT NOT NULL, "
    "PRIMARY KEY (site, entry, url))",
    "CREATE INDEX IF NOT EXISTS briefing_backlinks_newest "
    "ON briefing_backlinks (site, entry, first_seen)",
    "CREATE INDEX IF NOT EXISTS briefing_backlinks_url ON briefing_backlinks (site, url)",
};

static int is_sqlite(const ap_dbd_t *db)
{
    return !strcmp(apr_dbd_name(db->driver), "sqlite3");
}

static const char *db_error(const ap_dbd_t *db, int rv, apr_pool_t *p)
{
    const char *e = apr_dbd_error(db->driver, db->handle, rv);
    size_t n = e ? strlen(e) : 0;
    while (n && apr_isspace(e[n - 1]))
        n--;
    return n ? apr_pstrmemdup(p, e, n) : "(no message)";
}

/* The table and its indexes, once per process (and again after a
 * failure: the database may have been replaced).  Returns an error. */
static const char *ensure_schema(ap_dbd_t *db, apr_pool_t *p)
{
    lock();
    int ready = bl.schema_ready;
    unlock();
    if (ready)
        return NULL;
    if (is_sqlite(db)) {
        /* Readers never wait for a writer, nor writers for readers. */
        apr_dbd_results_t *res = NULL;
        apr_dbd_row_t *row = NULL;
        if (!apr_dbd_select(db->driver, p, db->handle, &res, "PRAGMA journal_mode=WAL", 0))
            while (!apr_dbd_get_row(db->driver, p, res, &row, -1))
                ;
    }
    for (size_t i = 0; i < sizeof(schema) / sizeof(*schema); i++) {
        int nrows, rv = apr_dbd_query(db->driver, db->handle, &nrows, schema[i]);
        /* Processes that create the table at the same moment may collide
         * (PostgreSQL); the second try finds it there. */
        if (rv)
            rv = apr_dbd_query(db->driver, db->handle, &nrows, schema[i]);
        if (rv)
            return apr_psprintf(p, "cannot create the table briefing_backlinks: %s",
                                db_error(db, rv, p));
    }
    lock();
    bl.schema_ready = 1;
    unlock();
    return NULL;
}

/* A statement to run on this connection.  SQLite's are prepared once per
 * connection and kept with mod_dbd's own (they live as long as it).
 * PostgreSQL's are not prepared on the server (apr_dbd sends them with
 * their parameters each time): a connection that apr_dbd resets after
 * the server went away would have lost named ones. */
static apr_dbd_prepared_t *statement(ap_dbd_t *db, enum statement which, apr_pool_t *p,
                                     const char **err)
{
    int sqlite = is_sqlite(db);
    apr_dbd_prepared_t *stmt = NULL;
    if (sqlite && !db->prepared)
        db->prepared = apr_hash_make(db->pool);
    if (sqlite && (stmt = apr_hash_get(db->prepared, statements[which].label, APR_HASH_KEY_STRING)))
        return stmt;
    int rv = apr_dbd_prepare(db->driver, sqlite ? db->pool : p, db->handle, statements[which].sql,
                             sqlite ? statements[which].label : NULL, &stmt);
    if (rv || !stmt) {
        *err = apr_psprintf(p, "cannot prepare %s: %s", statements[which].label,
                            db_error(db, rv, p));
        return NULL;
    }
    if (sqlite)
        apr_hash_set(db->prepared, statements[which].label, APR_HASH_KEY_STRING, stmt);
    return stmt;
}

static const char *write_job(ap_dbd_t *db, const struct job *j, apr_pool_t *p)
{
    const char *err = ensure_schema(db, p);
    apr_dbd_prepared_t *st[ST_READ];
    for (int i = 0; i < ST_READ && !err; i++)
        st[i] = statement(db, (enum statement)i, p, &err);
    if (err)
        return err;
    const char *at = apr_psprintf(p, "%" APR_INT64_T_FMT, (apr_int64_t)j->at);
    const char *cap = apr_psprintf(p, "%u", j->per_entry);
    int nrows, rv;
    /* apr_dbd's own transactions dereference NULL when PostgreSQL refuses
     * BEGIN: plain statements instead. */
    if ((rv = apr_dbd_query(db->driver, db->handle, &nrows,
                            is_sqlite(db) ? "BEGIN IMMEDIATE" : "BEGIN")))
        return apr_psprintf(p, "BEGIN: %s", db_error(db, rv, p));
    for (size_t i = 0; i < j->nentries && !rv; i++)
        rv = apr_dbd_pvquery(db->driver, p, db->handle, &nrows, st[ST_UPSERT], j->site,
                             j->entries[i], j->url, j->title, at, at);
    if (!rv)
        rv = apr_dbd_pvquery(db->driver, p, db->handle, &nrows, st[ST_STALE], j->site, j->url, at);
    for (size_t i = 0; i < j->nentries && !rv; i++)
        rv = apr_dbd_pvquery(db->driver, p, db->handle, &nrows, st[ST_TRIM], j->site,
                             j->entries[i], j->site, j->entries[i], cap);
    if (rv) {
        err = db_error(db, rv, p);
        apr_dbd_query(db->driver, db->handle, &nrows, "ROLLBACK");
        return err;
    }
    if ((rv = apr_dbd_query(db->driver, db->handle, &nrows, "COMMIT"))) {
        err = apr_psprintf(p, "COMMIT: %s", db_error(db, rv, p));
        apr_dbd_query(db->driver, db->handle, &nrows, "ROLLBACK");
    }
    return err;
}

/* ---- the writer thread ---- */

static const char *record(const struct job *j, apr_pool_t *p)
{
    if (!dbd_open || !dbd_close)
        return "mod_dbd is not loaded";
    ap_dbd_t *db = dbd_open(p, j->server);
    if (!db)
        return "no connection to the database (mod_dbd logs why)";
    const char *err = write_job(db, j, p);
    dbd_close(j->server, db);
    return err;
}

static void *APR_THREAD_FUNC writer(apr_thread_t *thread, void *data)
{
    (void)data;
    /* Signals are for the threads that serve. */
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
    apr_pool_t *pool = NULL;
    apr_pool_create_unmanaged_ex(&pool, NULL, NULL);
    lock();
    while (pool) {
        while (!bl.stopping && !bl.head)
            apr_thread_cond_wait(bl.wake, bl.lock);
        if (bl.stopping)
            break;
        struct job *j = bl.head;
        if (!(bl.head = j->next))
            bl.tail = NULL;
        bl.busy_since = apr_time_now();
        unlock();
        const char *err = record(j, pool);
        if (err) {
            char why[512];
            apr_cpystrn(why, err, sizeof(why));
            apr_pool_clear(pool);
            lock();
            forget(j->key, j->print);
            unlock();
            failed(j->server, apr_psprintf(pool, "cannot record %s", j->url), why, 1);
        } else {
            succeeded();
            ap_log_error(APLOG_MARK, APLOG_DEBUG, 0, j->server, BRLOGNO(0503)
                         "backlinks: recorded %s: %" APR_SIZE_T_FMT " entr%s", j->url, j->nentries,
                         j->nentries == 1 ? "y" : "ies");
        }
        apr_pool_clear(pool);
        lock();
        bl.busy_since = 0;
        bl.queued--;
        free(j);
    }
    unlock();
    if (pool)
        apr_pool_destroy(pool);
    /* Returns rather than apr_thread_exit(): pthread_exit's unwinding
     * leaves AddressSanitizer's marks on the stack behind. */
    (void)thread;
    return NULL;
}

static apr_status_t stop_writer(void *data)
{
    apr_status_t rv;
    (void)data;
    lock();
    bl.stopping = 1;
    apr_thread_cond_signal(bl.wake);
    unlock();
    apr_thread_join(&rv, bl.thread);
    lock();
    while (bl.head) {
        struct job *j = bl.head;
        bl.head = j->next;
        free(j);
    }
    bl.tail = NULL;
    free(bl.memory);
    bl.memory = NULL;
    unlock();
    return APR_SUCCESS;
}

apr_status_t backlinks_child_init(apr_pool_t *pchild, server_rec *s)
{
    (void)s;
    apr_status_t rv;
    memset(&bl, 0, sizeof(bl));
    if ((rv = apr_thread_mutex_create(&bl.lock, APR_THREAD_MUTEX_DEFAULT, pchild)) ||
        (rv = apr_thread_cond_create(&bl.wake, pchild)))
        return rv;
    /* calloc: what no URL uses is not even touched. */
    struct slot *memory = calloc(MEMORY_SETS * MEMORY_WAYS, sizeof(*memory));
    if (!memory)
        return APR_ENOMEM;
    if ((rv = apr_thread_create(&bl.thread, NULL, writer, NULL, pchild))) {
        free(memory);
        return rv;
    }
    /* Before pchild's subpools go, mod_dbd's connections among them. */
    apr_pool_pre_cleanup_register(pchild, NULL, stop_writer);
    bl.memory = memory;
    return APR_SUCCESS;
}

/* ---- a page served ---- */

struct note {
    const char *site, *url, *title;
    size_t nentries;
    const char **entries;
};

void backlinks_note(request_rec *r, const struct glossary *g, const struct annotator *a,
                    int keep_query)
{
    if (!bl.memory)
        return;
    /* The URL the reader asked for, before any internal redirect. */
    request_rec *first = r;
    while (first->prev)
        first = first->prev;
    const char *url = ap_os_escape_path(r->pool, first->uri, 1);
    if (keep_query && first->args && *first->args)
        url = apr_pstrcat(r->pool, url, "?", first->args, NULL);
    if (strlen(url) > URL_MAX || *url != '/') {
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, BRLOGNO(0506)
                      "backlinks: not recording %.80s...: not a path of at most %d bytes",
                      url, URL_MAX);
        return;
    }
    struct note *n = apr_pcalloc(r->pool, sizeof(*n));
    size_t count = annotator_linked_entries(a, NULL, 0);
    uint32_t *index = apr_palloc(r->pool, (count ? count : 1) * sizeof(*index));
    n->nentries = annotator_linked_entries(a, index, count);
    n->entries = apr_palloc(r->pool, (count ? count : 1) * sizeof(*n->entries));
    for (size_t i = 0; i < count; i++)
        n->entries[i] = apr_pstrdup(r->pool, g->entries[index[i]].id);
    n->site = r->server->server_hostname ? r->server->server_hostname : "";
    n->url = url;
    n->title = apr_pstrdup(r->pool, annotator_title(a));
    /* The pool, not the request: internal redirects share it. */
    apr_pool_userdata_setn(n, NOTE_KEY, NULL, r->pool);
}

static struct job *make_job(const struct note *n, server_rec *s)
{
    size_t size = sizeof(struct job) + n->nentries * sizeof(char *) + strlen(n->site) +
                  strlen(n->url) + strlen(n->title) + 3;
    for (size_t i = 0; i < n->nentries; i++)
        size += strlen(n->entries[i]) + 1;
    struct job *j = calloc(1, size);
    if (!j)
        return NULL;
    j->server = s;
    j->entries = (const char **)(j + 1);
    char *at = (char *)(j->entries + n->nentries);
#define COPY(dst, src) (dst = strcpy(at, src), at += strlen(src) + 1)
    COPY(j->site, n->site);
    COPY(j->url, n->url);
    COPY(j->title, n->title);
    for (size_t i = 0; i < n->nentries; i++)
        COPY(j->entries[i], n->entries[i]);
#undef COPY
    j->nentries = n->nentries;
    return j;
}

void backlinks_log_transaction(request_rec *r, apr_interval_time_t max_age, unsigned per_entry)
{
    struct note *n = NULL;
    if (!bl.memory || apr_pool_userdata_get((void **)&n, NOTE_KEY, r->pool) || !n)
        return;
    apr_pool_userdata_setn(NULL, NOTE_KEY, NULL, r->pool);
    const request_rec *last = r;
    while (last->next)
        last = last->next;
    if (last->status != HTTP_OK)
        return;
    apr_uint64_t key = fnv(fnv(FNV_START, n->site), n->url) | 1;
    apr_uint64_t h = fnv(FNV_START, n->title);
    for (size_t i = 0; i < n->nentries; i++)
        h = fnv(h, n->entries[i]);
    apr_uint32_t print = (apr_uint32_t)(h ^ (h >> 32));
    apr_time_t now = apr_time_now();
    apr_uint32_t now_s = (apr_uint32_t)apr_time_sec(now);
    enum { SKIP, WRITE, DROP, FULL } action;

    lock();
    struct slot *s = remembered(key);
    if (s && s->print == print && max_age > 0 && (apr_time_t)(now_s - s->at) < apr_time_sec(max_age)) {
        action = SKIP;
    } else if (now < bl.retry_at) {
        action = DROP;
        bl.dropped++;
    } else if (bl.queued >= QUEUE_MAX) {
        action = FULL;
    } else {
        action = WRITE;
        s = remember(key);
        s->print = print;
        s->at = now_s;
        bl.queued++;
    }
    unlock();

    if (action == FULL) {
        failed(r->server, apr_psprintf(r->pool, "cannot record %s", n->url),
               apr_psprintf(r->pool, "the database is slow (%d writes wait)", QUEUE_MAX), 1);
    } else if (action == WRITE) {
        struct job *j = make_job(n, r->server);
        lock();
        if (j) {
            j->key = key;
            j->print = print;
            j->at = now;
            j->per_entry = per_entry;
            if (bl.tail)
                bl.tail->next = j;
            else
                bl.head = j;
            bl.tail = j;
            apr_thread_cond_signal(bl.wake);
        } else {
            bl.queued--;
            forget(key, print);
        }
        unlock();
    }
}

/* ---- an entry page ---- */

void backlinks_read(request_rec *r, const char *entry, unsigned page, struct backlinks *out)
{
    memset(out, 0, sizeof(*out));
    out->page = page;
    out->unavailable = 1;
    if (!bl.memory || !dbd_acquire || !database_usable(apr_time_now()))
        return;
    ap_dbd_t *db = dbd_acquire(r);
    if (!db) {
        failed(r->server, "cannot read", "no connection to the database (mod_dbd logs why)", 0);
        return;
    }
    const char *err = ensure_schema(db, r->pool);
    apr_dbd_prepared_t *st = err ? NULL : statement(db, ST_READ, r->pool, &err);
    apr_dbd_results_t *res = NULL;
    int rv = 0;
    if (st)
        rv = apr_dbd_pvselect(db->driver, r->pool, db->handle, &res, st, 1,
                              r->server->server_hostname ? r->server->server_hostname : "",
                              entry, apr_itoa(r->pool, BACKLINKS_PAGE_SIZE + 1),
                              apr_itoa(r->pool, (int)(page - 1) * BACKLINKS_PAGE_SIZE));
    if (rv)
        err = db_error(db, rv, r->pool);
    if (err) {
        failed(r->server, apr_psprintf(r->pool, "cannot read the articles of %s", entry), err, 0);
        return;
    }
    struct backlink *items = apr_pcalloc(r->pool, sizeof(*items) * (BACKLINKS_PAGE_SIZE + 1));
    size_t n = 0;
    apr_dbd_row_t *row = NULL;
    /* Every row is read, so that the driver lets go of the result. */
    while (!apr_dbd_get_row(db->driver, r->pool, res, &row, -1)) {
        if (n > BACKLINKS_PAGE_SIZE)
            continue;
        const char *url = apr_dbd_get_entry(db->driver, row, 0);
        const char *title = apr_dbd_get_entry(db->driver, row, 1);
        const char *first_seen = apr_dbd_get_entry(db->driver, row, 2);
        items[n].url = apr_pstrdup(r->pool, url ? url : "");
        items[n].title = apr_pstrdup(r->pool, title ? title : "");
        items[n].date = first_seen ? apr_atoi64(first_seen) / APR_USEC_PER_SEC : 0;
        n++;
    }
    out->more = n > BACKLINKS_PAGE_SIZE;
    out->count = out->more ? BACKLINKS_PAGE_SIZE : n;
    out->items = items;
    out->unavailable = 0;
}

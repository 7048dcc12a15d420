#include "glossary_store.h"

#include <stdlib.h>
#include <string.h>

#include "apr_file_info.h"
#include "apr_strings.h"
#include "apr_thread_cond.h"
#include "apr_thread_mutex.h"
#include "apr_thread_proc.h"
#include "http_log.h"

APLOG_USE_MODULE(briefing);

#define BRLOGNO(n) "BR" #n ": "

/* What identifies one state of the file: admins replace glossaries with
 * mv (new inode), cp -p (same mtime, new ctime) and rsync (new inode). */
struct file_state {
    apr_ino_t inode;
    apr_off_t size;
    apr_time_t mtime, ctime;
};

struct glossary_slot {
    char *path;
    struct glossary_version *current;
    struct file_state seen;          /* of the last file loaded or tried */
    apr_time_t checked;
    char last_error[GLOSSARY_ERROR_MAX];   /* of the last reload that failed */
    apr_time_t last_error_at;
    server_rec *server;              /* for the reload thread's log lines */
    struct glossary_slot *next;
};

static struct glossary_slot *slots;
static apr_thread_mutex_t *lock;     /* NULL until child_init: no threads yet */

static void store_lock(void)
{
    if (lock)
        apr_thread_mutex_lock(lock);
}

static void store_unlock(void)
{
    if (lock)
        apr_thread_mutex_unlock(lock);
}

static int file_state_of(const char *path, struct file_state *st)
{
    apr_finfo_t info;
    apr_pool_t *p;
    if (apr_pool_create(&p, NULL) != APR_SUCCESS)
        return -1;
    apr_status_t rv = apr_stat(&info, path, APR_FINFO_INODE | APR_FINFO_SIZE |
                               APR_FINFO_MTIME | APR_FINFO_CTIME, p);
    apr_pool_destroy(p);
    if (rv != APR_SUCCESS && rv != APR_INCOMPLETE)
        return -1;
    *st = (struct file_state){info.inode, info.size, info.mtime, info.ctime};
    return 0;
}

static int same_state(const struct file_state *a, const struct file_state *b)
{
    return a->inode == b->inode && a->size == b->size && a->mtime == b->mtime &&
           a->ctime == b->ctime;
}

static struct glossary_version *new_version(struct glossary *g, apr_time_t mtime)
{
    struct glossary_version *v = calloc(1, sizeof(*v));
    if (!v)
        return NULL;
    v->glossary = g;
    v->refs = 1;
    v->loaded = apr_time_now();
    v->mtime = mtime;
    return v;
}

/* Called with the lock held. */
static void unref(struct glossary_version *v)
{
    if (--v->refs == 0) {
        glossary_free(v->glossary);
        free(v);
    }
}

/* Installs a freshly loaded glossary as the slot's current version. */
static int install(struct glossary_slot *slot, struct glossary *g, apr_time_t mtime)
{
    struct glossary_version *v = new_version(g, mtime);
    if (!v)
        return -1;
    struct glossary_version *old = slot->current;
    slot->current = v;
    if (old)
        unref(old);
    return 0;
}

struct glossary_slot *glossary_store_open(const char *path, char *err, size_t errlen)
{
    struct glossary_slot *slot;
    struct file_state st = {0};
    for (slot = slots; slot; slot = slot->next)
        if (strcmp(slot->path, path) == 0)
            break;
    int have_state = file_state_of(path, &st) == 0;
    if (slot && slot->current && have_state && same_state(&st, &slot->seen))
        return slot;
    struct glossary *g = glossary_load_file(path, err, errlen);
    if (!g)
        return NULL;
    if (!slot) {
        slot = calloc(1, sizeof(*slot));
        if (!slot || !(slot->path = strdup(path))) {
            free(slot);
            glossary_free(g);
            snprintf(err, errlen, "%s: out of memory", path);
            return NULL;
        }
        slot->next = slots;
        slots = slot;
    }
    if (install(slot, g, st.mtime)) {
        glossary_free(g);
        snprintf(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    slot->seen = st;
    slot->checked = apr_time_now();
    return slot;
}

const char *glossary_store_path(const struct glossary_slot *slot)
{
    return slot->path;
}

int glossary_store_in_use(void)
{
    return slots != NULL;
}

apr_time_t glossary_store_last_error(struct glossary_slot *slot, char *buf, size_t cap)
{
    store_lock();
    apr_time_t at = slot->last_error_at;
    snprintf(buf, cap, "%s", slot->last_error);
    store_unlock();
    return at;
}

/* Loads the changed file and installs it, or logs why the previous
 * version stays.  Runs without the lock held, off any request. */
static void reload(struct glossary_slot *slot, const struct file_state *st)
{
    char err[GLOSSARY_ERROR_MAX];
    struct glossary *g = glossary_load_file(slot->path, err, sizeof(err));
    store_lock();
    int installed = g && install(slot, g, st->mtime) == 0;
    apr_size_t entries = installed ? g->nentries : 0;
    store_unlock();
    if (installed) {
        ap_log_error(APLOG_MARK, APLOG_NOTICE, 0, slot->server, BRLOGNO(0101)
                     "glossary %s reloaded: %" APR_SIZE_T_FMT " entries", slot->path, entries);
        return;
    }
    if (g)
        snprintf(err, sizeof(err), "%s: out of memory", slot->path);
    glossary_free(g);
    store_lock();
    memcpy(slot->last_error, err, sizeof(err));
    slot->last_error_at = apr_time_now();
    store_unlock();
    ap_log_error(APLOG_MARK, APLOG_ERR, 0, slot->server,
                 BRLOGNO(0102) "glossary reload failed, the previous version stays: %s", err);
}

/* Returns 1, with the new state, when the file changed since it was last
 * loaded or tried.  Only one thread of a process calls it. */
static int file_changed(struct glossary_slot *slot, server_rec *s, struct file_state *st)
{
    slot->server = s;
    if (file_state_of(slot->path, st) != 0) {
        /* Gone or unreadable: say so once; the loaded version serves on. */
        if (slot->seen.inode || slot->seen.mtime)
            ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s, BRLOGNO(0104)
                         "glossary %s cannot be read; the previous version stays", slot->path);
        memset(&slot->seen, 0, sizeof(slot->seen));
        return 0;
    }
    if (same_state(st, &slot->seen))
        return 0;
    slot->seen = *st;
    return 1;
}

void glossary_store_refresh(apr_interval_time_t interval, server_rec *s)
{
    apr_time_t now = apr_time_now();
    for (struct glossary_slot *slot = slots; slot && interval != 0; slot = slot->next) {
        struct file_state st;
        if (interval != GLOSSARY_CHECK_NOW && now - slot->checked < interval)
            continue;
        slot->checked = now;
        if (file_changed(slot, s, &st))
            reload(slot, &st);
    }
}

/* One watcher thread per child keeps every process current, idle ones
 * too, so that no request is the first to notice a change and serve the
 * old version while the new one loads. */
struct watcher {
    apr_thread_t *thread;
    apr_thread_mutex_t *mutex;
    apr_thread_cond_t *wake;
    apr_interval_time_t interval;
    server_rec *server;
    int stopping;
};

static void *APR_THREAD_FUNC watch(apr_thread_t *thread, void *data)
{
    struct watcher *w = data;
    apr_thread_mutex_lock(w->mutex);
    while (!w->stopping) {
        apr_thread_cond_timedwait(w->wake, w->mutex, w->interval);
        if (w->stopping)
            break;
        apr_thread_mutex_unlock(w->mutex);
        glossary_store_refresh(GLOSSARY_CHECK_NOW, w->server);
        apr_thread_mutex_lock(w->mutex);
    }
    apr_thread_mutex_unlock(w->mutex);
    /* A plain return, not apr_thread_exit(): the thread's pool goes with
     * pchild, and pthread_exit's unwinding upsets ASan. */
    (void)thread;
    return NULL;
}

static apr_status_t stop_watcher(void *data)
{
    struct watcher *w = data;
    apr_status_t rv;
    apr_thread_mutex_lock(w->mutex);
    w->stopping = 1;
    apr_thread_cond_signal(w->wake);
    apr_thread_mutex_unlock(w->mutex);
    apr_thread_join(&rv, w->thread);
    return APR_SUCCESS;
}

apr_status_t glossary_store_child_init(apr_pool_t *pchild, apr_interval_time_t interval,
                                       server_rec *s)
{
    apr_status_t rv = apr_thread_mutex_create(&lock, APR_THREAD_MUTEX_DEFAULT, pchild);
    if (rv != APR_SUCCESS || interval <= 0 || !slots)
        return rv;
    /* The parent may not have seen the latest change yet. */
    glossary_store_refresh(GLOSSARY_CHECK_NOW, s);
    struct watcher *w = apr_pcalloc(pchild, sizeof(*w));
    w->interval = interval;
    w->server = s;
    if ((rv = apr_thread_mutex_create(&w->mutex, APR_THREAD_MUTEX_DEFAULT, pchild)) ||
        (rv = apr_thread_cond_create(&w->wake, pchild)) ||
        (rv = apr_thread_create(&w->thread, NULL, watch, w, pchild)))
        return rv;
    /* Before pchild's subpools go, the thread's own among them. */
    apr_pool_pre_cleanup_register(pchild, w, stop_watcher);
    return APR_SUCCESS;
}

static apr_status_t release(void *data)
{
    store_lock();
    unref(data);
    store_unlock();
    return APR_SUCCESS;
}

struct glossary_version *glossary_store_acquire(struct glossary_slot *slot, apr_pool_t *pool)
{
    store_lock();
    struct glossary_version *v = slot->current;
    v->refs++;
    store_unlock();
    apr_pool_cleanup_register(pool, v, release, apr_pool_cleanup_null);
    return v;
}

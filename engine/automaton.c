#include "automaton.h"

#include <stdlib.h>
#include <string.h>

/* The trie while it is being built: children as sibling lists, created in
 * byte order because the patterns are inserted sorted. */
struct trie {
    uint32_t *first_child, *next_sibling;
    unsigned char *label;
    uint32_t *pattern;
    uint16_t *depth;
    size_t n, cap;
};

static int compare_patterns(const void *x, const void *y)
{
    const struct ac_pattern *a = x, *b = y;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->bytes, b->bytes, n);
    return c ? c : (a->len > b->len) - (a->len < b->len);
}

static int trie_grow(struct trie *t, size_t need)
{
    if (need <= t->cap)
        return 0;
    size_t cap = t->cap ? t->cap * 2 : 1024;
    while (cap < need)
        cap *= 2;
    void *p;
    if (!(p = realloc(t->first_child, cap * sizeof(*t->first_child))))
        return -1;
    t->first_child = p;
    if (!(p = realloc(t->next_sibling, cap * sizeof(*t->next_sibling))))
        return -1;
    t->next_sibling = p;
    if (!(p = realloc(t->label, cap * sizeof(*t->label))))
        return -1;
    t->label = p;
    if (!(p = realloc(t->pattern, cap * sizeof(*t->pattern))))
        return -1;
    t->pattern = p;
    if (!(p = realloc(t->depth, cap * sizeof(*t->depth))))
        return -1;
    t->depth = p;
    t->cap = cap;
    return 0;
}

static uint32_t trie_add_node(struct trie *t, uint32_t parent, unsigned char b,
                              uint32_t *last_child)
{
    uint32_t id = (uint32_t)t->n++;
    t->first_child[id] = t->next_sibling[id] = AC_ROOT;
    t->label[id] = b;
    t->pattern[id] = AC_NO_PATTERN;
    t->depth[id] = (uint16_t)(t->depth[parent] + ((b & 0xC0) != 0x80));
    if (last_child[parent] == AC_ROOT)
        t->first_child[parent] = id;
    else
        t->next_sibling[last_child[parent]] = id;
    last_child[parent] = id;
    return id;
}

static void trie_free(struct trie *t)
{
    free(t->first_child);
    free(t->next_sibling);
    free(t->label);
    free(t->pattern);
    free(t->depth);
}

/* Inserts the sorted patterns.  Returns -1 when out of memory. */
static int trie_insert_all(struct trie *t, const struct ac_pattern *p, size_t n)
{
    uint32_t *last_child = NULL;
    uint32_t *path = NULL;
    size_t path_cap = 1;
    for (size_t i = 0; i < n; i++)
        if (p[i].len + 1 > path_cap)
            path_cap = p[i].len + 1;
    if (trie_grow(t, 1) || !(path = malloc(path_cap * sizeof(*path))))
        goto oom;
    t->n = 1;
    t->first_child[0] = t->next_sibling[0] = AC_ROOT;
    t->pattern[0] = AC_NO_PATTERN;
    t->depth[0] = 0;
    path[0] = AC_ROOT;
    size_t last_cap = 0;
    for (size_t i = 0; i < n; i++) {
        size_t shared = 0;
        if (i > 0) {
            size_t m = p[i - 1].len < p[i].len ? p[i - 1].len : p[i].len;
            while (shared < m && p[i - 1].bytes[shared] == p[i].bytes[shared])
                shared++;
        }
        if (trie_grow(t, t->n + p[i].len - shared))
            goto oom;
        if (t->cap > last_cap) {
            uint32_t *lc = realloc(last_child, t->cap * sizeof(*lc));
            if (!lc)
                goto oom;
            memset(lc + last_cap, 0, (t->cap - last_cap) * sizeof(*lc));
            last_child = lc;
            last_cap = t->cap;
        }
        for (size_t k = shared; k < p[i].len; k++)
            path[k + 1] = trie_add_node(t, path[k], p[i].bytes[k], last_child);
        t->pattern[path[p[i].len]] = p[i].id;
    }
    free(path);
    free(last_child);
    return 0;
oom:
    free(path);
    free(last_child);
    return -1;
}

/* Numbers the trie's nodes breadth-first (order[new] = trie node), so
 * that each node's children, in label order, are consecutive. */
static void number_nodes(struct automaton *a, const struct trie *t, uint32_t *order)
{
    size_t head = 0, tail = 0;
    order[tail++] = AC_ROOT;
    while (head < tail) {
        uint32_t u = order[head];
        a->depth[head] = t->depth[u];
        a->nodes[head++].children = (uint32_t)tail;
        for (uint32_t v = t->first_child[u]; v != AC_ROOT; v = t->next_sibling[v]) {
            a->label[tail] = t->label[v];
            order[tail++] = v;
        }
    }
    a->nodes[tail].children = (uint32_t)tail;
    for (uint32_t c = a->nodes[AC_ROOT].children; c < a->nodes[AC_ROOT + 1].children; c++)
        a->root_next[a->label[c]] = c;
}

/* Links each node to its failure node; breadth-first, the failure node
 * (shallower) is linked first. */
static void link_failures(struct automaton *a)
{
    for (size_t u = 1; u < a->nnodes; u++) {
        for (uint32_t v = a->nodes[u].children; v < a->nodes[u + 1].children; v++) {
            uint32_t f = a->nodes[u].fail;
            for (;;) {
                uint32_t target = f == AC_ROOT ? a->root_next[a->label[v]]
                                               : automaton_child(a, f, a->label[v]);
                if (target != AC_ROOT || f == AC_ROOT) {
                    a->nodes[v].fail = target;
                    break;
                }
                f = a->nodes[f].fail;
            }
        }
    }
}

/* Gives a report to every node where a pattern ends or that has one down
 * its fail chain, the chain's reports linked by `next`.  pattern[] is by
 * trie node, order[] maps nodes to trie nodes. */
static int add_reports(struct automaton *a, const uint32_t *pattern, const uint32_t *order)
{
    size_t n = 0;
    for (size_t u = 0; u < a->nnodes; u++) {
        uint32_t fail_report = u == AC_ROOT ? AC_NO_REPORT : a->nodes[a->nodes[u].fail].report;
        int ends = pattern[order[u]] != AC_NO_PATTERN;
        a->nodes[u].report = ends || fail_report != AC_NO_REPORT ? (uint32_t)n++ : AC_NO_REPORT;
    }
    a->nreports = n;
    a->reports = malloc((n ? n : 1) * sizeof(*a->reports));
    if (!a->reports)
        return -1;
    for (size_t u = 1; u < a->nnodes; u++) {
        uint32_t r = a->nodes[u].report;
        if (r == AC_NO_REPORT)
            continue;
        uint32_t fail_report = a->nodes[a->nodes[u].fail].report;
        int passes_on = fail_report != AC_NO_REPORT &&
                        a->reports[fail_report].pattern == AC_NO_PATTERN;
        a->reports[r].pattern = pattern[order[u]];
        /* A failure node without a pattern of its own passes on its next. */
        a->reports[r].next = passes_on ? a->reports[fail_report].next : fail_report;
    }
    return 0;
}

struct automaton *automaton_build(struct ac_pattern *patterns, size_t n)
{
    struct trie t = {0};
    uint32_t *order = NULL;
    struct automaton *a = calloc(1, sizeof(*a));
    if (!a)
        return NULL;
    qsort(patterns, n, sizeof(*patterns), compare_patterns);
    if (trie_insert_all(&t, patterns, n))
        goto oom;
    a->nnodes = t.n;
    a->nodes = calloc(t.n + 1, sizeof(*a->nodes));
    a->label = calloc(t.n, 1);
    a->depth = malloc(t.n * sizeof(*a->depth));
    order = malloc(t.n * sizeof(*order));
    if (!a->nodes || !a->label || !a->depth || !order)
        goto oom;
    number_nodes(a, &t, order);
    link_failures(a);
    if (add_reports(a, t.pattern, order))
        goto oom;
    free(order);
    trie_free(&t);
    return a;
oom:
    free(order);
    trie_free(&t);
    automaton_free(a);
    return NULL;
}

void automaton_free(struct automaton *a)
{
    if (!a)
        return;
    free(a->nodes);
    free(a->label);
    free(a->depth);
    free(a->reports);
    free(a);
}

size_t automaton_memory(const struct automaton *a)
{
    return sizeof(*a) + (a->nnodes + 1) * sizeof(struct ac_node) +
           a->nnodes * (sizeof(*a->label) + sizeof(*a->depth)) +
           a->nreports * sizeof(struct ac_report);
}

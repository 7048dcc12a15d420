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

/* Lays the edges out per node in breadth-first order, then links each node
 * to its failure node and its output node (both are shallower, so the
 * breadth-first order has them ready). */
static int link_nodes(struct automaton *a, const struct trie *t)
{
    uint32_t *queue = malloc(t->n * sizeof(*queue));
    if (!queue)
        return -1;
    size_t head = 0, tail = 0, edge = 0;
    queue[tail++] = AC_ROOT;
    while (head < tail) {
        uint32_t u = queue[head++];
        struct ac_node *node = &a->nodes[u];
        node->pattern = t->pattern[u];
        node->depth = t->depth[u];
        node->edges = (uint32_t)edge;
        for (uint32_t v = t->first_child[u]; v != AC_ROOT; v = t->next_sibling[v]) {
            a->edge_label[edge] = t->label[v];
            a->edge_target[edge++] = v;
            queue[tail++] = v;
        }
        node->nedges = (uint16_t)(edge - node->edges);
    }
    for (uint32_t k = 0; k < a->nodes[AC_ROOT].nedges; k++)
        a->root_next[a->edge_label[k]] = a->edge_target[k];
    for (size_t i = 1; i < tail; i++) {
        uint32_t u = queue[i];
        for (uint32_t v = t->first_child[u]; v != AC_ROOT; v = t->next_sibling[v]) {
            uint32_t f = a->nodes[u].fail;
            for (;;) {
                uint32_t target = f == AC_ROOT ? a->root_next[t->label[v]]
                                               : automaton_child(a, f, t->label[v]);
                if (target != AC_ROOT || f == AC_ROOT) {
                    a->nodes[v].fail = target;
                    break;
                }
                f = a->nodes[f].fail;
            }
        }
    }
    for (size_t i = 1; i < tail; i++) {
        struct ac_node *node = &a->nodes[queue[i]];
        const struct ac_node *fail = &a->nodes[node->fail];
        node->output = fail->pattern != AC_NO_PATTERN ? node->fail : fail->output;
    }
    free(queue);
    return 0;
}

struct automaton *automaton_build(struct ac_pattern *patterns, size_t n)
{
    struct trie t = {0};
    struct automaton *a = calloc(1, sizeof(*a));
    if (!a)
        return NULL;
    qsort(patterns, n, sizeof(*patterns), compare_patterns);
    if (trie_insert_all(&t, patterns, n))
        goto oom;
    a->nnodes = t.n;
    a->nodes = calloc(t.n, sizeof(*a->nodes));
    a->edge_label = malloc(t.n);
    a->edge_target = malloc(t.n * sizeof(*a->edge_target));
    if (!a->nodes || !a->edge_label || !a->edge_target || link_nodes(a, &t))
        goto oom;
    trie_free(&t);
    return a;
oom:
    trie_free(&t);
    automaton_free(a);
    return NULL;
}

void automaton_free(struct automaton *a)
{
    if (!a)
        return;
    free(a->nodes);
    free(a->edge_label);
    free(a->edge_target);
    free(a);
}

size_t automaton_memory(const struct automaton *a)
{
    return sizeof(*a) + a->nnodes * (sizeof(struct ac_node) + 1 + sizeof(uint32_t));
}

/* An Aho-Corasick automaton over bytes: every pattern is found in one pass,
 * at a cost per byte that does not grow with the number of patterns. */
#ifndef BRIEFING_AUTOMATON_H
#define BRIEFING_AUTOMATON_H

#include <stddef.h>
#include <stdint.h>

#define AC_ROOT 0u
#define AC_NO_PATTERN UINT32_MAX

struct ac_pattern {
    const unsigned char *bytes;
    size_t len;
    uint32_t id;          /* reported when the pattern is found */
};

struct ac_node {
    uint32_t fail;        /* longest proper suffix that is a trie node */
    uint32_t edges;       /* first of this node's edges */
    uint32_t output;      /* nearest node down the fail chain with a pattern */
    uint32_t pattern;     /* pattern ending exactly here, or AC_NO_PATTERN */
    uint16_t nedges;
    uint16_t depth;       /* in UTF-8 code points, not bytes */
};

struct automaton {
    struct ac_node *nodes;
    unsigned char *edge_label;   /* sorted per node */
    uint32_t *edge_target;
    size_t nnodes;
    uint32_t root_next[256];
};

/* Builds the automaton; patterns must be distinct and non-empty.  Reorders
 * the array.  Returns NULL when out of memory. */
struct automaton *automaton_build(struct ac_pattern *patterns, size_t n);
void automaton_free(struct automaton *a);
size_t automaton_memory(const struct automaton *a);

static inline uint32_t automaton_child(const struct automaton *a, uint32_t s,
                                       unsigned char b)
{
    const struct ac_node *node = &a->nodes[s];
    const unsigned char *label = a->edge_label + node->edges;
    size_t lo = 0, hi = node->nedges;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (label[mid] == b)
            return a->edge_target[node->edges + mid];
        if (label[mid] < b)
            lo = mid + 1;
        else
            hi = mid;
    }
    return AC_ROOT;
}

static inline uint32_t automaton_next(const struct automaton *a, uint32_t s,
                                      unsigned char b)
{
    while (s != AC_ROOT) {
        uint32_t t = automaton_child(a, s, b);
        if (t != AC_ROOT)
            return t;
        s = a->nodes[s].fail;
    }
    return a->root_next[b];
}

#endif

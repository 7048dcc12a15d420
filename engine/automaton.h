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

#define AC_NO_REPORT UINT32_MAX

/* Nodes are numbered breadth-first, so that a node's children are
 * consecutive and end where the next node's begin: the children of node s
 * are the nodes from nodes[s].children to before nodes[s + 1].children,
 * sorted by label.  No edge needs a record of its own. */
struct ac_node {
    uint32_t fail;        /* longest proper suffix that is a trie node */
    uint32_t children;
    uint32_t report;      /* what is found on reaching it, or AC_NO_REPORT */
};

/* Only nodes where a pattern ends, or a shorter one down the fail chain
 * does, have a report: a few in a large automaton. */
struct ac_report {
    uint32_t pattern;     /* ending exactly at the node, or AC_NO_PATTERN */
    uint32_t next;        /* the report of the nearest node down the fail
                           * chain where a pattern ends, or AC_NO_REPORT */
};

struct automaton {
    struct ac_node *nodes;       /* nnodes, and one that only ends the children */
    unsigned char *label;        /* per node: the byte of the edge into it */
    uint16_t *depth;             /* per node, in UTF-8 code points, not bytes */
    struct ac_report *reports;
    size_t nnodes, nreports;
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
    uint32_t lo = a->nodes[s].children, hi = a->nodes[s + 1].children;
    const unsigned char *label = a->label;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (label[mid] == b)
            return mid;
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

/* The pattern that ends exactly at state s, or AC_NO_PATTERN. */
static inline uint32_t automaton_pattern(const struct automaton *a, uint32_t s)
{
    uint32_t r = a->nodes[s].report;
    return r == AC_NO_REPORT ? AC_NO_PATTERN : a->reports[r].pattern;
}

/* The first of the reports, linked by `next`, of every pattern that ends at
 * state s (longest first); AC_NO_REPORT when none does. */
static inline uint32_t automaton_found(const struct automaton *a, uint32_t s)
{
    uint32_t r = a->nodes[s].report;
    return r != AC_NO_REPORT && a->reports[r].pattern == AC_NO_PATTERN ? a->reports[r].next : r;
}

#endif

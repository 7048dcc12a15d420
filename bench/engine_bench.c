/* engine_bench: throughput and memory of the annotation engine.
 *
 *   engine_bench [--root DIR] [--out FILE] [--quick]
 *
 * DIR is the repository root (default ".."): the seed page is
 * DIR/htdocs/working-visit-to-kazakhstan.html and the demo glossary
 * DIR/data/glossary.xml.  The report goes to standard output and, with
 * --out, to FILE as well.  --quick takes fewer samples (for a smoke run).
 *
 * Pages: the seed page, and a 50 MB page that repeats the seed article's
 * body (everything after its <h1> up to </article>) inside one document.
 * Glossaries: the demo glossary, and generated ones with exactly 10, 1,000
 * and 100,000 patterns (written to temporary files, loaded with
 * glossary_load_file like the module does, then deleted), plus one with
 * 100,000 entries that is only loaded (the load target).  Each
 * generated glossary holds five entries taken from the seed (Aleksandr
 * Lukashenko, Nursultan Nazarbayev, Andrei Kobyakov, Belarus, Kazakhstan,
 * the last with a case-insensitive alias), so that it finds mentions in
 * the pages, and otherwise two-word names ("Olga Lomineroov"); every 4th
 * has its surname as an alias, every 8th case-insensitively.
 *
 *   engine_bench --write-glossary ENTRIES FILE
 *
 * only writes the generated glossary with that many entries (the httpd
 * benchmark serves pages with it).
 *
 * For every page x glossary it measures, over 64 KiB chunks into a sink
 * that counts bytes:
 *   - annotate: annotator_new, annotator_write per chunk, annotator_finish,
 *     annotator_free;
 *   - identity: per chunk a memcpy into a buffer and the same sink call;
 * each as the median of several timed samples (CLOCK_MONOTONIC), and then
 * a separate untimed run samples annotator_memory() after every write. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "annotator.h"
#include "glossary.h"

#define CHUNK (64 * 1024)
#define BIG_PAGE_BYTES (50u * 1000 * 1000)
/* Small pages are timed in batches of at least this many bytes. */
#define SMALL_BATCH_BYTES (16u * 1000 * 1000)

static FILE *out_copy;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    if (out_copy) {
        va_start(ap, fmt);
        vfprintf(out_copy, fmt, ap);
        va_end(ap);
    }
    fflush(stdout);
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "engine_bench: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(1);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof(*v), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Peak resident set size so far, in bytes. */
static size_t max_rss(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (size_t)ru.ru_maxrss * 1024;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die("%s: %s", path, strerror(errno));
    size_t cap = 1 << 16, n = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *more = realloc(buf, cap *= 2);
            if (!more)
                free(buf);
            buf = more;
        }
    }
    if (!buf || ferror(f))
        die("%s: cannot read", path);
    fclose(f);
    *len = n;
    return buf;
}

/* ---------------------------------------------------------------- sinks */

struct sink_state {
    uint64_t bytes;
    unsigned char check;    /* touches the data, so no copy is optimized away */
};

static int count_sink(void *ctx, const char *data, size_t len)
{
    struct sink_state *s = ctx;
    s->bytes += len;
    if (len)
        s->check ^= (unsigned char)(data[0] ^ data[len - 1]);
    return 0;
}

/* Called through a volatile pointer so that neither pass can inline it. */
static annotate_sink volatile the_sink = count_sink;

/* --------------------------------------------------------------- pages */

struct page {
    const char *label;
    char *data;
    size_t len;
};

static struct page big_page(const struct page *seed)
{
    const char *art = strstr(seed->data, "<article>");
    const char *end = art ? strstr(art, "</article>") : NULL;
    if (!art || !end)
        die("the seed page has no <article>...</article>");
    const char *body = art + strlen("<article>");
    const char *h1 = strstr(body, "</h1>");
    if (h1 && h1 < end)
        body = h1 + strlen("</h1>");
    size_t body_len = (size_t)(end - body);
    static const char head[] =
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <meta charset=\"utf-8\">\n"
        "  <title>Benchmark page</title>\n</head>\n<body>\n<main>\n<article>\n"
        "<h1>Working visit to Kazakhstan</h1>";
    static const char tail[] = "</article>\n</main>\n</body>\n</html>\n";
    size_t reps = (BIG_PAGE_BYTES - sizeof(head) - sizeof(tail)) / body_len + 1;
    struct page p = {"50 MB", NULL, sizeof(head) - 1 + reps * body_len + sizeof(tail) - 1};
    p.data = malloc(p.len + 1);
    if (!p.data)
        die("out of memory for the 50 MB page");
    char *o = p.data;
    memcpy(o, head, sizeof(head) - 1);
    o += sizeof(head) - 1;
    for (size_t i = 0; i < reps; i++, o += body_len)
        memcpy(o, body, body_len);
    memcpy(o, tail, sizeof(tail) - 1);
    o += sizeof(tail) - 1;
    *o = '\0';
    return p;
}

/* ----------------------------------------------------------- glossaries */

static const char *const first_names[32] = {
    "Aleksandr", "Nursultan", "Andrei", "Dmitri", "Sergei", "Olga", "Natalia", "Viktor",
    "Elena", "Mikhail", "Ivan", "Anna", "Pavel", "Irina", "Yuri", "Svetlana",
    "Nikolai", "Tatiana", "Vladimir", "Marina", "Oleg", "Galina", "Boris", "Larisa",
    "Igor", "Vera", "Kirill", "Alina", "Roman", "Daria", "Timur", "Aigerim"
};
/* Two letters each, so that every index spells a different surname. */
static const char *const syllables[16] = {
    "ka", "lo", "mi", "ne", "ro", "sa", "tu", "vi", "da", "ge", "bo", "ru", "zo", "ly", "pe", "an"
};
static const char *const suffixes[8] = {
    "ov", "enko", "ova", "ich", "bayev", "uk", "sky", "in"
};

/* Entries from the seed article, so that a generated glossary finds the
 * same kind of mentions as the demo one.  Like the demo glossary, it has a
 * case-insensitive alias, so that both automata (exact and case-folded)
 * run, as they do with the demo glossary. */
static const struct { const char *id, *type, *name, *summary, *ci_alias; } seed_entries[] = {
    {"lukashenko", "person", "Aleksandr Lukashenko", "President of Belarus since 1994.", NULL},
    {"nazarbayev", "person", "Nursultan Nazarbayev", "President of Kazakhstan since 1990.", NULL},
    {"kobyakov", "person", "Andrei Kobyakov", "Prime Minister of Belarus since 27 December 2014.",
     NULL},
    {"belarus", "place", "Belarus", "Country in Eastern Europe, with its capital in Minsk.",
     "Republic of Belarus"},
    {"kazakhstan", "place", "Kazakhstan", "Country in Central Asia, with its capital in Astana.",
     NULL},
};
#define NSEED (sizeof(seed_entries) / sizeof(seed_entries[0]))
/* Patterns of the seed block: the names and the one alias. */
#define NSEED_PATTERNS (NSEED + 1)

/* "Olga Lomineroov": a first name and a surname spelled from i (the
 * surname alone is unique). */
static void generated_name(size_t i, char *first, size_t firstlen, char *surname,
                           size_t surnamelen)
{
    size_t n = 0, v = i;
    for (int k = 0; k < 5; k++, v /= 16) {
        memcpy(surname + n, syllables[v % 16], 2);
        n += 2;
    }
    surname[0] = (char)(surname[0] - 'a' + 'A');
    snprintf(surname + n, surnamelen - n, "%s", suffixes[(i / 3) % 8]);
    snprintf(first, firstlen, "%s", first_names[(i * 7 + i / 32) % 32]);
}

/* Writes a glossary with exactly npatterns (>= NSEED_PATTERNS) patterns
 * or, when nentries is not 0, exactly nentries (>= NSEED) entries, to f,
 * and closes it.  After the seed block come generated people: "First
 * Surname" each, and every 4th also has its surname as an alias, every
 * 8th case-insensitively (as "Lukashenko" is an alias in the demo
 * glossary). */
static void write_glossary_to(FILE *f, const char *path, size_t npatterns, size_t nentries)
{
    static const char *const types[5] = {"person", "organization", "agreement", "place", "term"};
    if (nentries ? nentries < NSEED : npatterns < NSEED_PATTERNS)
        die("a generated glossary needs the seed block");
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<glossary xmlns=\"urn:briefing:glossary:1\" xml:lang=\"en\">\n");
    for (size_t i = 0; i < NSEED; i++) {
        fprintf(f, "  <entry id=\"%s\" type=\"%s\">\n    <name>%s</name>\n",
                seed_entries[i].id, seed_entries[i].type, seed_entries[i].name);
        if (seed_entries[i].ci_alias)
            fprintf(f, "    <alias case=\"insensitive\">%s</alias>\n", seed_entries[i].ci_alias);
        fprintf(f, "    <summary>%s</summary>\n  </entry>\n", seed_entries[i].summary);
    }
    char first[64], surname[64];
    /* With nentries, `left` counts entries and aliases are not budgeted. */
    size_t left = nentries ? nentries - NSEED : npatterns - NSEED_PATTERNS;
    for (size_t i = 0; left > 0; i++) {
        generated_name(i, first, sizeof(first), surname, sizeof(surname));
        fprintf(f, "  <entry id=\"g%06zu\" type=\"%s\">\n    <name>%s %s</name>\n",
                i, types[i % 5], first, surname);
        left--;
        if (i % 4 == 0 && (nentries || left > 0)) {
            fprintf(f, "    <alias%s>%s</alias>\n",
                    i % 8 == 0 ? " case=\"insensitive\"" : "", surname);
            if (!nentries)
                left--;
        }
        fprintf(f, "    <summary>Generated entry %zu of the benchmark glossary.</summary>\n"
                   "  </entry>\n", i);
    }
    fprintf(f, "</glossary>\n");
    if (fclose(f) != 0)
        die("%s: cannot write", path);
}

/* The same into a temporary file; returns its path (malloc'd). */
static char *write_glossary(size_t npatterns, size_t nentries)
{
    const char *tmp = getenv("TMPDIR");
    char *path;
    if (asprintf(&path, "%s/briefing-bench-%zu-XXXXXX.xml", tmp && *tmp ? tmp : "/tmp",
                 nentries ? nentries : npatterns) < 0)
        die("out of memory");
    int fd = mkstemps(path, 4);
    if (fd < 0)
        die("%s: %s", path, strerror(errno));
    FILE *f = fdopen(fd, "w");
    if (!f)
        die("%s: %s", path, strerror(errno));
    write_glossary_to(f, path, npatterns, nentries);
    return path;
}

struct gloss {
    const char *label;
    char *path;
    int temporary;
    int load_only;            /* measured for loading, not used to annotate */
    struct glossary *g;       /* NULL for load_only ones after measuring */
    size_t npatterns, nentries, memory, file_bytes;
    double load_ms;           /* median */
    size_t rss_growth;        /* max RSS growth of a fresh process loading it */
};

/* Loads the glossary once in a child process, so that the growth of the
 * max RSS is that of one load into a small process. */
static size_t load_rss_growth(const char *path)
{
    int fds[2];
    size_t growth = 0;
    if (pipe(fds) != 0)
        die("pipe: %s", strerror(errno));
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        die("fork: %s", strerror(errno));
    if (pid == 0) {
        close(fds[0]);
        char err[GLOSSARY_ERROR_MAX];
        size_t before = max_rss();
        struct glossary *g = glossary_load_file(path, err, sizeof(err));
        growth = g ? max_rss() - before : 0;
        ssize_t w = write(fds[1], &growth, sizeof(growth));
        _exit(w == (ssize_t)sizeof(growth) ? 0 : 1);
    }
    close(fds[1]);
    if (read(fds[0], &growth, sizeof(growth)) != (ssize_t)sizeof(growth))
        growth = 0;
    close(fds[0]);
    waitpid(pid, NULL, 0);
    return growth;
}

static void load_glossary(struct gloss *gl, int runs)
{
    double t[5];
    for (int r = 0; r < runs; r++) {
        char err[GLOSSARY_ERROR_MAX];
        double t0 = now();
        struct glossary *g = glossary_load_file(gl->path, err, sizeof(err));
        t[r] = (now() - t0) * 1e3;
        if (!g)
            die("%s", err);
        glossary_free(gl->g);
        gl->g = g;
    }
    gl->load_ms = median(t, (size_t)runs);
    gl->npatterns = gl->g->npatterns;
    gl->nentries = gl->g->nentries;
    gl->memory = glossary_memory(gl->g);
    FILE *f = fopen(gl->path, "rb");
    if (f) {
        fseek(f, 0, SEEK_END);
        gl->file_bytes = (size_t)ftell(f);
        fclose(f);
    }
    if (gl->temporary)
        unlink(gl->path);
    if (gl->load_only) {
        glossary_free(gl->g);
        gl->g = NULL;
    }
}

/* --------------------------------------------------------------- passes */

struct pass_result {
    unsigned links, mentions;
    size_t peak_memory;
    uint64_t out_bytes;
};

/* One page through one annotator; returns the sink's byte count. */
static void annotate_once(const struct glossary *g, const struct annotate_config *c,
                          const struct page *p, struct sink_state *s, struct pass_result *res)
{
    struct annotator *a = annotator_new(g, c, the_sink, s);
    if (!a)
        die("annotator_new failed");
    size_t peak = res ? annotator_memory(a) : 0;
    for (size_t off = 0; off < p->len; off += CHUNK) {
        size_t n = p->len - off < CHUNK ? p->len - off : CHUNK;
        if (annotator_write(a, p->data + off, n) != 0)
            die("annotator_write failed");
        if (res) {
            size_t m = annotator_memory(a);
            peak = m > peak ? m : peak;
        }
    }
    if (annotator_finish(a) != 0)
        die("annotator_finish failed");
    if (res) {
        res->links = annotator_stats(a)->links;
        res->mentions = annotator_stats(a)->mentions;
        res->peak_memory = peak;
        res->out_bytes = s->bytes;
    }
    annotator_free(a);
}

static void identity_once(const struct page *p, struct sink_state *s, char *buf)
{
    for (size_t off = 0; off < p->len; off += CHUNK) {
        size_t n = p->len - off < CHUNK ? p->len - off : CHUNK;
        memcpy(buf, p->data + off, n);
        if (the_sink(s, buf, n) != 0)
            die("sink failed");
    }
}

/* Median seconds per page, over `samples` samples of `batch` pages. */
static double time_annotate(const struct glossary *g, const struct annotate_config *c,
                            const struct page *p, size_t batch, int samples)
{
    double t[16];
    struct sink_state s = {0, 0};
    annotate_once(g, c, p, &s, NULL);          /* warm up */
    for (int k = 0; k < samples; k++) {
        double t0 = now();
        for (size_t i = 0; i < batch; i++)
            annotate_once(g, c, p, &s, NULL);
        t[k] = (now() - t0) / (double)batch;
    }
    return median(t, (size_t)samples);
}

static double time_identity(const struct page *p, size_t batch, int samples, char *buf)
{
    double t[16];
    struct sink_state s = {0, 0};
    identity_once(p, &s, buf);
    for (int k = 0; k < samples; k++) {
        double t0 = now();
        for (size_t i = 0; i < batch; i++)
            identity_once(p, &s, buf);
        t[k] = (now() - t0) / (double)batch;
    }
    return median(t, (size_t)samples);
}

static const char *human_bytes(size_t n, char *buf, size_t len)
{
    if (n >= 1000u * 1000)
        snprintf(buf, len, "%.1f MB", (double)n / 1e6);
    else if (n >= 1000)
        snprintf(buf, len, "%.1f KB", (double)n / 1e3);
    else
        snprintf(buf, len, "%zu B", n);
    return buf;
}

int main(int argc, char **argv)
{
    const char *root = "..", *out_path = NULL;
    int quick = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--root") == 0 && i + 1 < argc)
            root = argv[++i];
        else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
            out_path = argv[++i];
        else if (strcmp(argv[i], "--quick") == 0)
            quick = 1;
        else if (strcmp(argv[i], "--write-glossary") == 0 && i + 2 < argc) {
            /* For the httpd benchmark: the generator's glossary with this
             * many entries, into FILE; nothing is measured. */
            char *end;
            unsigned long n = strtoul(argv[i + 1], &end, 10);
            if (*end || n < NSEED)
                die("--write-glossary: '%s' is not a number of entries >= %zu", argv[i + 1],
                    NSEED);
            FILE *f = fopen(argv[i + 2], "w");
            if (!f)
                die("%s: %s", argv[i + 2], strerror(errno));
            write_glossary_to(f, argv[i + 2], 0, n);
            return 0;
        } else
            die("usage: engine_bench [--root DIR] [--out FILE] [--quick]\n"
                "       engine_bench --write-glossary ENTRIES FILE");
    }
    if (out_path && !(out_copy = fopen(out_path, "w")))
        die("%s: %s", out_path, strerror(errno));
    const int small_samples = quick ? 3 : 9, big_samples = quick ? 1 : 5;
    const int load_runs = quick ? 1 : 3;

    char *seed_path, *demo_path;
    if (asprintf(&seed_path, "%s/htdocs/working-visit-to-kazakhstan.html", root) < 0 ||
        asprintf(&demo_path, "%s/data/glossary.xml", root) < 0)
        die("out of memory");

    /* Glossaries first, so that they load into a small process. */
    struct gloss gls[5] = {
        {.label = "demo", .path = demo_path},
        {.label = "gen 10", .path = write_glossary(10, 0), .temporary = 1},
        {.label = "gen 1k", .path = write_glossary(1000, 0), .temporary = 1},
        {.label = "gen 100k", .path = write_glossary(100000, 0), .temporary = 1},
        /* The load target is for 100,000 entries. */
        {.label = "100k ent", .path = write_glossary(0, 100000), .temporary = 1,
         .load_only = 1},
    };
    const size_t ngls = sizeof(gls) / sizeof(gls[0]);
    size_t rss_before_loads = max_rss();
    /* Each in a fresh child first: a child starts with its parent's max RSS. */
    for (size_t i = 0; i < ngls; i++)
        gls[i].rss_growth = load_rss_growth(gls[i].path);
    for (size_t i = ngls; i-- > 0;)      /* the load-only one first, then freed */
        load_glossary(&gls[i], load_runs);
    size_t rss_after_loads = max_rss();

    struct page pages[2];
    pages[0].label = "seed";
    pages[0].data = read_file(seed_path, &pages[0].len);
    pages[1] = big_page(&pages[0]);
    const size_t npages = 2;

    /* Every mention is linked, so that matching runs to the page's end: with
     * the module's default (mentions=first) the annotator stops looking
     * once every entry of a small glossary has its link; that case gets a
     * row of its own below. */
    struct annotate_options o = {.mentions = MENTIONS_ALL, .sniff_charset = 1};
    char err[512];
    struct annotate_config *c = annotate_config_new(&o, err, sizeof(err));
    o.mentions = MENTIONS_FIRST;
    struct annotate_config *c_first = annotate_config_new(&o, err, sizeof(err));
    if (!c || !c_first)
        die("%s", err);
    char *copy_buf = malloc(CHUNK);
    if (!copy_buf)
        die("out of memory");

    say("engine_bench: annotate vs identity, %d KiB chunks into a byte-counting sink, "
        "1 thread, CLOCK_MONOTONIC\n", CHUNK / 1024);
    say("  mentions=all, no cap, all types, default skip list, no scope; "
        "median of %d (seed page, batches of >= %u MB) / %d (50 MB page) samples\n",
        small_samples, SMALL_BATCH_BYTES / 1000000, big_samples);
    say("  MB = 10^6 bytes; ns/B over id = (annotate - identity) time per input byte; "
        "x id = annotate time / identity time; x demo = annotate time / demo glossary's\n\n");
    say("%-6s %9s  %-8s %8s  %9s %10s %9s %7s %7s  %6s %9s  %11s\n", "page", "size",
        "glossary", "patterns", "ann MB/s", "ident MB/s", "ns/B>id", "x id", "x demo",
        "links", "mentions", "stream peak");

    double demo_big_mbs = 0, demo_big_ns = 0, ratio_100k_big = 0;
    double t_big_gen10 = 0, t_big_gen100k = 0;
    double worst_ns_big = 0;
    for (size_t pi = 0; pi < npages; pi++) {
        const struct page *p = &pages[pi];
        size_t batch = p->len >= SMALL_BATCH_BYTES ? 1 : SMALL_BATCH_BYTES / p->len + 1;
        int samples = p->len >= SMALL_BATCH_BYTES ? big_samples : small_samples;
        double t_id = time_identity(p, batch, samples, copy_buf);
        double t_demo = 0;
        for (size_t gi = 0; gi < ngls; gi++) {
            const struct gloss *gl = &gls[gi];
            if (gl->load_only)
                continue;
            double t_an = time_annotate(gl->g, c, p, batch, samples);
            if (gi == 0)
                t_demo = t_an;
            struct sink_state s = {0, 0};
            struct pass_result res;
            annotate_once(gl->g, c, p, &s, &res);
            double mbs = (double)p->len / t_an / 1e6;
            double ns = (t_an - t_id) / (double)p->len * 1e9;
            char size_buf[32], mem_buf[32];
            say("%-6s %9s  %-8s %8zu  %9.0f %10.0f %9.3f %7.1f %7.2f  %6u %9u  %11s\n",
                p->label, human_bytes(p->len, size_buf, sizeof(size_buf)), gl->label,
                gl->g->npatterns, mbs, (double)p->len / t_id / 1e6, ns, t_an / t_id,
                t_an / t_demo, res.links, res.mentions,
                human_bytes(res.peak_memory, mem_buf, sizeof(mem_buf)));
            if (pi == 1) {
                if (gi == 0) {
                    demo_big_mbs = mbs;
                    demo_big_ns = ns;
                }
                if (gl->g->npatterns == 100000) {
                    ratio_100k_big = t_an / t_demo;
                    t_big_gen100k = t_an;
                }
                if (gl->temporary && gl->g->npatterns == 10)
                    t_big_gen10 = t_an;
                if (ns > worst_ns_big)
                    worst_ns_big = ns;
            }
        }
    }

    {
        const struct page *p = &pages[1];
        double t_id = time_identity(p, 1, big_samples, copy_buf);
        double t_an = time_annotate(gls[0].g, c_first, p, 1, big_samples);
        struct sink_state s = {0, 0};
        struct pass_result res;
        annotate_once(gls[0].g, c_first, p, &s, &res);
        say("\nmentions=first (the default), demo glossary, 50 MB page: %.0f MB/s, %.3f ns/B over "
            "identity,\n  %u links; it stops looking once all %zu entries are linked "
            "(%u mentions seen until then)\n", (double)p->len / t_an / 1e6,
            (t_an - t_id) / (double)p->len * 1e9, res.links, gls[0].g->nentries, res.mentions);
    }

    say("\n%-8s %8s %8s %10s %9s %12s %13s\n", "glossary", "patterns", "entries", "file",
        "load ms", "glossary_mem", "load max RSS");
    const struct gloss *g100k = NULL;
    for (size_t gi = 0; gi < ngls; gi++) {
        const struct gloss *gl = &gls[gi];
        char f_buf[32], m_buf[32], r_buf[32];
        say("%-8s %8zu %8zu %10s %9.1f %12s %13s\n", gl->label, gl->npatterns, gl->nentries,
            human_bytes(gl->file_bytes, f_buf, sizeof(f_buf)), gl->load_ms,
            human_bytes(gl->memory, m_buf, sizeof(m_buf)),
            human_bytes(gl->rss_growth, r_buf, sizeof(r_buf)));
        if (gl->nentries == 100000)
            g100k = gl;
    }
    char a_buf[32], b_buf[32], c_buf[32];
    say("(load ms: median of %d loads, file to ready matcher, incl. XML parsing and RELAX NG "
        "validation;\n load max RSS: growth of the max RSS of a small child process over one "
        "load)\n", load_runs);
    say("\nprocess max RSS (getrusage): %s before loading the glossaries, %s after "
        "loading them\n  (the 100k-entry one was freed again), %s at the end\n",
        human_bytes(rss_before_loads, a_buf, sizeof(a_buf)),
        human_bytes(rss_after_loads, b_buf, sizeof(b_buf)),
        human_bytes(max_rss(), c_buf, sizeof(c_buf)));

    say("\ntargets (50 MB text page, mentions=all):\n");
    say("  demo glossary throughput      %7.0f MB/s   target >= 1000 MB/s/core  %s\n",
        demo_big_mbs, demo_big_mbs >= 1000 ? "met" : "NOT MET");
    say("  demo glossary over identity   %7.3f ns/B   target <= 1 ns/B          %s\n",
        demo_big_ns, demo_big_ns <= 1.0 ? "met" : "NOT MET");
    say("  worst glossary over identity  %7.3f ns/B   target <= 1 ns/B          %s\n",
        worst_ns_big, worst_ns_big <= 1.0 ? "met" : "NOT MET");
    say("  100,000 patterns vs demo      %7.2f x      target <= 1.3 x           %s\n",
        ratio_100k_big, ratio_100k_big <= 1.3 ? "met" : "NOT MET");
    if (t_big_gen10 > 0) {
        double r = t_big_gen100k / t_big_gen10;
        say("  100,000 vs 10 generated       %7.2f x      (same shape)  target <= 1.3 x  %s\n",
            r, r <= 1.3 ? "met" : "NOT MET");
    }
    if (g100k) {
        double mb = (double)g100k->memory / 1e6;
        say("  100k glossary load            %7.0f ms     target < 1000 ms          %s\n",
            g100k->load_ms, g100k->load_ms < 1000 ? "met" : "NOT MET");
        say("  100k glossary memory          %7.1f MB     target < 50 MB            %s\n", mb,
            mb < 50 ? "met" : "NOT MET");
    }

    for (size_t gi = 0; gi < ngls; gi++) {
        glossary_free(gls[gi].g);
        if (gls[gi].temporary)
            free(gls[gi].path);
    }
    annotate_config_free(c);
    annotate_config_free(c_first);
    for (size_t pi = 0; pi < npages; pi++)
        free(pages[pi].data);
    free(copy_buf);
    free(seed_path);
    free(demo_path);
    if (out_copy && fclose(out_copy) != 0)
        die("%s: cannot write", out_path);
    return 0;
}

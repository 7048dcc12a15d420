/* briefing: the command-line face of the annotation engine.
 *
 *   briefing annotate -g GLOSSARY [options] [FILE|-]
 *   briefing check [--forms] GLOSSARY
 *   briefing lint [--json] [--max-summary N] GLOSSARY [PAGE...]   (cli/lint.c)
 *
 * Exit status: 0 done, 1 invalid glossary or input, 2 usage. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "annotator.h"
#include "glossary.h"
#include "lint.h"

#define EXIT_INVALID 1
#define EXIT_USAGE 2

static const char usage_text[] =
    "usage: briefing annotate -g GLOSSARY [--mentions first|all] [--max-links N]\n"
    "                         [--types T,...] [--skip E,...] [--scope S,...]\n"
    "                         [--link-base URL] [--date DAY] [--page-date SOURCES]\n"
    "                         [--today DAY] [FILE|-]\n"
    "       briefing check [--forms] GLOSSARY\n"
    "       briefing lint [--json] [--max-summary N] GLOSSARY [PAGE...]\n"
    "\n"
    "annotate  writes FILE (or standard input) to standard output with each\n"
    "          mention of a glossary entry wrapped in a link to its page.\n"
    "  -g, --glossary FILE   the glossary (XML, urn:briefing:glossary:1)\n"
    "  --mentions first|all  link the first mention of each entry (default) or all\n"
    "  --max-links N         at most N links per page (0: no cap, the default)\n"
    "  --types T,...         only entries of these types (person, organization,\n"
    "                        agreement, place, term)\n"
    "  --skip E,...          never annotate inside these elements (replaces the\n"
    "                        default list: head a abbr button code h1-h6 kbd label\n"
    "                        math option pre samp select svg template textarea var)\n"
    "  --scope S,...         only inside elements matching these selectors\n"
    "                        (article, .story-body, #content, main.article)\n"
    "  --link-base URL       where entry pages live (default /glossary/)\n"
    "  --date DAY            the page's date (YYYY-MM-DD) when it gives none, as\n"
    "                        the module takes Last-Modified: dated aliases follow it\n"
    "  --page-date SOURCES   where the date is read, first found first: meta, time,\n"
    "                        last-modified (--date), or none (default: all three)\n"
    "  --today DAY           the date a page without one is read as (default: today)\n"
    "check     validates GLOSSARY and prints its entries per type and patterns.\n"
    "  --forms               and the case forms made for inflect=\"ru-person\",\n"
    "                        a line each: ID: NAME -> FORM, FORM, ...\n"
    "lint      warns about what an editor may want to fix in GLOSSARY: aliases of\n"
    "          one or two letters or that are common words, acronyms that are\n"
    "          lower-case words in the PAGEs, patterns that never matched in the\n"
    "          PAGEs or that lie inside another entry's pattern, missing or long\n"
    "          summaries, one-way see links.  Exit status 1 only for errors.\n"
    "  --json                the warnings and errors as JSON\n"
    "  --max-summary N       longer summaries get a warning (default 200 characters)\n"
    "\n"
    "Exit status: 0 done, 1 invalid glossary or input, 2 usage.\n";

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "briefing: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'briefing --help'.\n");
    return EXIT_USAGE;
}

/* Splits "a,b,c" into a NULL-terminated list that points into s. */
static const char **split_list(char *s)
{
    size_t n = 1;
    for (const char *p = s; *p; p++)
        n += *p == ',';
    const char **list = calloc(n + 1, sizeof(*list));
    if (!list)
        return NULL;
    size_t k = 0;
    for (char *tok = strtok(s, ","); tok; tok = strtok(NULL, ","))
        list[k++] = tok;
    return list;
}

static int parse_types(char *s, unsigned *mask)
{
    *mask = 0;
    for (char *tok = strtok(s, ","); tok; tok = strtok(NULL, ",")) {
        int t = entry_type_from_name(tok, strlen(tok));
        if (t < 0)
            return usage_error("unknown entry type '%s' (person, organization, agreement, place, term)", tok);
        *mask |= 1u << t;
    }
    return *mask ? 0 : usage_error("--types needs at least one type%s", "");
}

static struct glossary *load(const char *path)
{
    char err[GLOSSARY_ERROR_MAX];
    struct glossary *g = glossary_load_file(path, err, sizeof(err));
    if (!g)
        fprintf(stderr, "%s\n", err);
    return g;
}

static int write_stdout(void *ctx, const char *data, size_t len)
{
    (void)ctx;
    return fwrite(data, 1, len, stdout) == len ? 0 : -1;
}

static int annotate_stream(const struct glossary *g, const struct annotate_config *c,
                           FILE *in, const char *name)
{
    struct annotator *a = annotator_new(g, c, write_stdout, NULL);
    static char buf[64 * 1024];
    int status = 0;
    if (!a) {
        fprintf(stderr, "briefing: out of memory\n");
        return EXIT_INVALID;
    }
    size_t n;
    while (!status && (n = fread(buf, 1, sizeof(buf), in)) > 0)
        status = annotator_write(a, buf, n);
    if (!status && ferror(in)) {
        fprintf(stderr, "briefing: %s: %s\n", name, strerror(errno));
        annotator_free(a);
        return EXIT_INVALID;
    }
    if (!status)
        status = annotator_finish(a);
    annotator_free(a);
    if (status || fflush(stdout) != 0) {
        fprintf(stderr, "briefing: cannot write the output: %s\n", strerror(errno));
        return EXIT_INVALID;
    }
    return 0;
}

static int cmd_annotate(int argc, char **argv)
{
    enum { OPT_MENTIONS = 256, OPT_MAX_LINKS, OPT_TYPES, OPT_SKIP, OPT_SCOPE, OPT_LINK_BASE,
           OPT_DATE, OPT_PAGE_DATE, OPT_TODAY };
    static const struct option options[] = {
        {"glossary", required_argument, NULL, 'g'},
        {"mentions", required_argument, NULL, OPT_MENTIONS},
        {"max-links", required_argument, NULL, OPT_MAX_LINKS},
        {"types", required_argument, NULL, OPT_TYPES},
        {"skip", required_argument, NULL, OPT_SKIP},
        {"scope", required_argument, NULL, OPT_SCOPE},
        {"link-base", required_argument, NULL, OPT_LINK_BASE},
        {"date", required_argument, NULL, OPT_DATE},
        {"page-date", required_argument, NULL, OPT_PAGE_DATE},
        {"today", required_argument, NULL, OPT_TODAY},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}
    };
    struct annotate_options o = {.sniff_charset = 1};
    const char *glossary_path = NULL;
    const char **skip = NULL, **scope = NULL;
    int opt, status = 0;
    optind = 1;
    argv[0] = "briefing annotate";   /* how getopt names us in its messages */
    while (!status && (opt = getopt_long(argc, argv, "g:h", options, NULL)) != -1) {
        char *end;
        switch (opt) {
        case 'g':
            glossary_path = optarg;
            break;
        case OPT_MENTIONS:
            if (strcmp(optarg, "first") == 0)
                o.mentions = MENTIONS_FIRST;
            else if (strcmp(optarg, "all") == 0)
                o.mentions = MENTIONS_ALL;
            else
                status = usage_error("--mentions takes 'first' or 'all', not '%s'", optarg);
            break;
        case OPT_MAX_LINKS:
            errno = 0;
            unsigned long n = strtoul(optarg, &end, 10);
            if (errno || *end || !*optarg || optarg[0] == '-' || n > 1000000000ul)
                status = usage_error("--max-links takes a whole number, not '%s'", optarg);
            o.max_links = (unsigned)n;
            break;
        case OPT_TYPES:
            status = parse_types(optarg, &o.type_mask);
            break;
        case OPT_SKIP:
            free(skip);
            skip = split_list(optarg);
            break;
        case OPT_SCOPE:
            free(scope);
            scope = split_list(optarg);
            break;
        case OPT_LINK_BASE:
            o.link_base = optarg;
            break;
        case OPT_DATE:
        case OPT_TODAY: {
            int32_t day;
            if (strlen(optarg) != 10 || glossary_parse_date(optarg, 10, &day) || day == 0)
                status = usage_error(opt == OPT_DATE ? "--date takes a day as YYYY-MM-DD, not '%s'"
                                                     : "--today takes a day as YYYY-MM-DD, not '%s'", optarg);
            *(opt == OPT_DATE ? &o.last_modified : &o.today) = day;
            break;
        }
        case OPT_PAGE_DATE: {
            char why[128];
            if (annotate_parse_date_sources(optarg, o.date_sources, why, sizeof(why)))
                status = usage_error("--page-date: %s", why);
            break;
        }
        case 'h':
            fputs(usage_text, stdout);
            free(skip);
            free(scope);
            return 0;
        default:
            fprintf(stderr, "Try 'briefing --help'.\n");
            status = EXIT_USAGE;
        }
    }
    if (!status && !glossary_path)
        status = usage_error("annotate needs a glossary: -g GLOSSARY%s", "");
    if (!status && argc - optind > 1)
        status = usage_error("annotate reads one file, not '%s' too", argv[optind + 1]);
    o.skip = skip;
    o.scope = scope;
    char err[512];
    struct annotate_config *c = NULL;
    if (!status && !(c = annotate_config_new(&o, err, sizeof(err))))
        status = usage_error("%s", err);
    struct glossary *g = NULL;
    if (!status && !(g = load(glossary_path)))
        status = EXIT_INVALID;
    if (!status) {
        const char *name = optind < argc ? argv[optind] : "-";
        FILE *in = strcmp(name, "-") == 0 ? stdin : fopen(name, "rb");
        if (!in) {
            fprintf(stderr, "briefing: %s: %s\n", name, strerror(errno));
            status = EXIT_INVALID;
        } else {
            status = annotate_stream(g, c, in, name);
            if (in != stdin)
                fclose(in);
        }
    }
    glossary_free(g);
    annotate_config_free(c);
    free(skip);
    free(scope);
    return status;
}

/* check --forms: what inflect="ru-person" added, for review (README). */
static void print_forms(const struct glossary *g)
{
    size_t sources = 0, made = 0;
    for (size_t i = 0; i < g->nentries; i++)
        for (size_t k = 0; k < g->entries[i].ninflections; k++, sources++)
            made += g->entries[i].inflections[k].nforms;
    printf("inflected: %zu, forms: %zu\n", sources, made);
    for (size_t i = 0; i < g->nentries; i++)
        for (size_t k = 0; k < g->entries[i].ninflections; k++) {
            const struct entry_inflection *inf = &g->entries[i].inflections[k];
            printf("  %s: %s ->", g->entries[i].id, inf->text);
            for (size_t f = 0; f < inf->nforms; f++)
                printf("%s %s", f ? "," : "", inf->forms[f]);
            printf("%s\n", inf->nforms ? "" : " (left as written)");
        }
}

static int cmd_check(int argc, char **argv)
{
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(usage_text, stdout);
        return 0;
    }
    /* --forms before or after the file. */
    int forms = argc == 3 && (strcmp(argv[1], "--forms") == 0 || strcmp(argv[2], "--forms") == 0);
    if (argc != 2 + forms)
        return usage_error("check takes one glossary file%s", "");
    const char *path = argv[forms && strcmp(argv[1], "--forms") == 0 ? 2 : 1];
    struct glossary *g = load(path);
    if (!g)
        return EXIT_INVALID;
    printf("%s: valid\n", path);
    printf("entries: %zu\n", g->nentries);
    for (int t = 0; t < ENTRY_TYPE_COUNT; t++)
        printf("  %-13s %zu\n", entry_type_names[t], g->count_by_type[t]);
    printf("patterns: %zu\n", g->npatterns);
    if (forms)
        print_forms(g);
    glossary_free(g);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage_error("a command is needed: annotate, check or lint%s", "");
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (strcmp(argv[1], "annotate") == 0)
        return cmd_annotate(argc - 1, argv + 1);
    if (strcmp(argv[1], "check") == 0)
        return cmd_check(argc - 1, argv + 1);
    if (strcmp(argv[1], "lint") == 0)
        return lint_main(argc - 1, argv + 1, usage_text);
    return usage_error("unknown command '%s' (annotate, check or lint)", argv[1]);
}

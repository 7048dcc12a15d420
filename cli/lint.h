/* briefing lint: warnings about a glossary that an editor acts on
 * (docs/lint.md). */
#ifndef BRIEFING_LINT_H
#define BRIEFING_LINT_H

/* `briefing lint [--json] [--max-summary N] GLOSSARY [PAGE...]`; argv[0] is
 * "lint".  `usage` is printed for --help.  Returns the exit status: 0 done
 * (warnings or not), 1 an error (the glossary does not load, a page cannot
 * be read), 2 usage. */
int lint_main(int argc, char **argv, const char *usage);

#endif

/* HTML character references, read a byte at a time (SPEC §3: references in
 * text are decoded before matching; §3.1 rule 8: attribute values). */
#include "testing.h"

#include "charref.h"

/* What a reference (the bytes after '&') comes to. */
struct ref_result {
    enum charref_step last;   /* the step of the last byte pushed */
    size_t pushed;            /* bytes taken by the reference (raw_len) */
    size_t covered;           /* of them, decoded */
    int ncp;
    uint32_t cp[2];
};

/* Pushes the bytes of `after` until the reference ends; the byte that
 * stopped it (or -1 at the end of input, or after a ';') is `next`. */
static struct ref_result read_ref(const char *after, int in_attribute)
{
    struct ref_result r = {CHARREF_MORE, 0, 0, 0, {0, 0}};
    struct charref ref;
    charref_start(&ref);
    size_t n = strlen(after), i = 0;
    int next = -1;
    for (; i < n; i++) {
        r.last = charref_push(&ref, (unsigned char)after[i]);
        if (r.last == CHARREF_STOP) {
            next = (unsigned char)after[i];
            break;
        }
        if (r.last == CHARREF_DONE)
            break;
    }
    r.pushed = ref.raw_len;
    r.covered = charref_resolve(&ref, in_attribute, next, r.cp, &r.ncp);
    return r;
}

static void expect_text(const char *after, size_t covered, uint32_t cp)
{
    struct ref_result r = read_ref(after, 0);
    if (r.covered != covered || (covered && (r.ncp != 1 || r.cp[0] != cp)))
        fail_msg("&%s: covers %zu (expected %zu), %d code points, U+%04X (expected U+%04X)",
                 after, r.covered, covered, r.ncp, (unsigned)r.cp[0], (unsigned)cp);
    if (!covered)
        assert_int_equal(r.ncp, 0);
}

static void expect_literal(const char *after, int in_attribute)
{
    struct ref_result r = read_ref(after, in_attribute);
    if (r.covered != 0 || r.ncp != 0)
        fail_msg("&%s (%s): decoded, covering %zu bytes", after, in_attribute ? "attribute" : "text",
                 r.covered);
}

static void named(void **state)
{
    (void)state;
    expect_text("amp;", 4, '&');
    expect_text("lt;", 3, '<');
    expect_text("gt;", 3, '>');
    expect_text("quot;", 5, '"');
    expect_text("apos;", 5, '\'');
    expect_text("nbsp;", 5, 0xA0);
    expect_text("shy;", 4, 0xAD);
    expect_text("mdash;", 6, 0x2014);
    expect_text("AMP;", 4, '&');
    expect_text("CounterClockwiseContourIntegral;", 32, 0x2233);
    struct ref_result r = read_ref("amp;", 0);
    assert_int_equal(r.last, CHARREF_DONE);
    assert_int_equal(r.pushed, 4);
}

static void numeric(void **state)
{
    (void)state;
    expect_text("#1051;", 6, 0x041B);
    expect_text("#x41B;", 6, 0x041B);
    expect_text("#X41b;", 6, 0x041B);
    expect_text("#x41b;", 6, 0x041B);
    expect_text("#65;", 4, 'A');
    expect_text("#x0000041;", 10, 'A');
    expect_text("#000000000000000000065;", 23, 'A');
    expect_text("#x10FFFF;", 9, 0x10FFFF);
    expect_text("#x1F600;", 8, 0x1F600);
    expect_text("#160;", 5, 0xA0);
    /* Not a scalar value, or NUL: U+FFFD. */
    expect_text("#0;", 3, 0xFFFD);
    expect_text("#x0;", 4, 0xFFFD);
    expect_text("#x110000;", 9, 0xFFFD);
    expect_text("#1114112;", 9, 0xFFFD);
    expect_text("#99999999999999999999;", 22, 0xFFFD);
    expect_text("#xFFFFFFFFFFFFFFFFFFFF;", 23, 0xFFFD);
    expect_text("#xD800;", 7, 0xFFFD);
    expect_text("#xDFFF;", 7, 0xFFFD);
    expect_text("#55296;", 7, 0xFFFD);
    /* 0x80-0x9F are windows-1252. */
    expect_text("#128;", 5, 0x20AC);
    expect_text("#x80;", 5, 0x20AC);
    expect_text("#x9F;", 5, 0x0178);
    expect_text("#x96;", 5, 0x2013);
    expect_text("#x81;", 5, 0x81);
    expect_text("#x7F;", 5, 0x7F);
    expect_text("#xA0;", 5, 0xA0);
    /* Without ';' the digits still count; the stopping byte is text. */
    expect_text("#65 ", 3, 'A');
    expect_text("#x41g", 4, 'A');
    expect_text("#65x", 3, 'A');
    struct ref_result r = read_ref("#65 ", 0);
    assert_int_equal(r.last, CHARREF_STOP);
    assert_int_equal(r.pushed, 3);
    r = read_ref("#65", 0);   /* the input ends */
    assert_int_equal(r.last, CHARREF_MORE);
    assert_int_equal(r.covered, 3);
}

static void no_digits_is_literal(void **state)
{
    (void)state;
    expect_literal("#", 0);
    expect_literal("#;", 0);
    expect_literal("#x", 0);
    expect_literal("#x;", 0);
    expect_literal("#X;", 0);
    expect_literal("#xg;", 0);
    expect_literal("#a;", 0);
    expect_literal("# ", 0);
    expect_literal("#", 1);
    expect_literal("#x;", 1);
    struct ref_result r = read_ref("#x;", 0);
    assert_int_equal(r.last, CHARREF_STOP);
    assert_int_equal(r.pushed, 2);   /* "#x" read, then literal */
}

static void unknown_names_are_literal(void **state)
{
    (void)state;
    expect_literal("foo;", 0);
    expect_literal("foo;", 1);
    expect_literal("Amp;", 0);
    expect_literal("UN;", 0);
    expect_literal(";", 0);
    expect_literal(" ", 0);
    expect_literal("", 0);
    expect_literal("<", 0);
    struct ref_result r = read_ref(";", 0);
    assert_int_equal(r.last, CHARREF_STOP);
    assert_int_equal(r.pushed, 0);
    r = read_ref("foo;", 0);
    assert_int_equal(r.last, CHARREF_DONE);
    assert_int_equal(r.pushed, 4);
}

/* In text, a legacy name without ';' decodes as its longest known prefix. */
static void legacy_names_in_text(void **state)
{
    (void)state;
    expect_text("amp ", 3, '&');
    expect_text("amp", 3, '&');
    expect_text("amp=", 3, '&');
    expect_text("ampx", 3, '&');
    expect_text("ampUN;", 3, '&');
    expect_text("copy2016", 4, 0xA9);
    expect_text("nbspx", 4, 0xA0);
    /* &notit; is ¬ then the text "it;". */
    struct ref_result r = read_ref("notit;", 0);
    assert_int_equal(r.last, CHARREF_DONE);
    assert_int_equal(r.pushed, 6);
    assert_int_equal(r.covered, 3);
    assert_int_equal(r.ncp, 1);
    assert_int_equal(r.cp[0], 0xAC);
    /* A longer name with ';' wins over its legacy prefix. */
    expect_text("notin;", 6, 0x2209);
    /* Names that need ';' are not decoded without it. */
    expect_literal("mdash ", 0);
    expect_literal("hellip", 0);
}

static void legacy_names_in_attributes(void **state)
{
    (void)state;
    /* Followed by '=' or an alphanumeric: left alone. */
    expect_literal("amp=", 1);
    expect_literal("ampx", 1);
    expect_literal("amp1", 1);
    expect_literal("ampX;", 1);
    expect_literal("notit;", 1);
    expect_literal("copy2016", 1);
    /* Otherwise decoded, and always with ';'. */
    struct ref_result r = read_ref("amp;", 1);
    assert_int_equal(r.covered, 4);
    assert_int_equal(r.cp[0], '&');
    r = read_ref("amp ", 1);
    assert_int_equal(r.covered, 3);
    assert_int_equal(r.cp[0], '&');
    r = read_ref("amp", 1);
    assert_int_equal(r.covered, 3);
    r = read_ref("amp&", 1);
    assert_int_equal(r.covered, 3);
    r = read_ref("not;", 1);
    assert_int_equal(r.covered, 4);
    assert_int_equal(r.cp[0], 0xAC);
    r = read_ref("notin;", 1);
    assert_int_equal(r.covered, 6);
    assert_int_equal(r.cp[0], 0x2209);
    /* Numeric references are the same in attributes. */
    r = read_ref("#1051=", 1);
    assert_int_equal(r.covered, 5);
    assert_int_equal(r.cp[0], 0x041B);
}

static void long_names_stop(void **state)
{
    (void)state;
    char name[64];
    memset(name, 'q', sizeof(name) - 1);
    name[sizeof(name) - 1] = '\0';
    struct charref ref;
    charref_start(&ref);
    size_t i = 0;
    while (i < sizeof(name) - 1 && charref_push(&ref, (unsigned char)name[i]) == CHARREF_MORE)
        i++;
    assert_int_equal(i, CHARREF_NAME_MAX);
    assert_int_equal(ref.raw_len, CHARREF_NAME_MAX);
    uint32_t cp[2];
    int ncp;
    assert_int_equal(charref_resolve(&ref, 0, 'q', cp, &ncp), 0);
    assert_int_equal(ncp, 0);

    /* CHARREF_NAME_MAX letters and a ';' still fit. */
    char full[CHARREF_NAME_MAX + 2];
    memset(full, 'x', CHARREF_NAME_MAX);
    full[CHARREF_NAME_MAX] = ';';
    full[CHARREF_NAME_MAX + 1] = '\0';
    struct ref_result r = read_ref(full, 0);
    assert_int_equal(r.last, CHARREF_DONE);
    assert_int_equal(r.pushed, CHARREF_NAME_MAX + 1);
    assert_int_equal(r.covered, 0);

    /* A legacy name at the start of a long run still decodes in text. */
    char amp[CHARREF_NAME_MAX + 16];
    memcpy(amp, "amp", 3);
    memset(amp + 3, 'z', sizeof(amp) - 4);
    amp[sizeof(amp) - 1] = '\0';
    r = read_ref(amp, 0);
    assert_int_equal(r.last, CHARREF_STOP);
    assert_int_equal(r.pushed, CHARREF_NAME_MAX);
    assert_int_equal(r.covered, 3);
    assert_int_equal(r.cp[0], '&');
}

static void two_code_points(void **state)
{
    (void)state;
    struct ref_result r = read_ref("NotEqualTilde;", 0);
    assert_int_equal(r.covered, 14);
    assert_int_equal(r.ncp, 2);
    assert_int_equal(r.cp[0], 0x2242);
    assert_int_equal(r.cp[1], 0x0338);
    r = read_ref("NotEqualTilde ", 0);
    assert_int_equal(r.covered, 0);
}

/* ---- whole attribute values ---- */

static void expect_attribute(const char *in, const char *out)
{
    char buf[256];
    size_t n = charref_decode_attribute(in, strlen(in), buf, sizeof(buf));
    if (n == (size_t)-1)
        fail_msg("\"%s\": did not fit", in);
    if (n != strlen(out) || memcmp(buf, out, n) != 0)
        fail_msg("\"%s\" decodes to \"%.*s\", expected \"%s\"", in, (int)n, buf, out);
}

static void attribute_values(void **state)
{
    (void)state;
    expect_attribute("", "");
    expect_attribute("plain", "plain");
    expect_attribute("a&amp;b", "a&b");
    expect_attribute("?a=1&amp=2", "?a=1&amp=2");
    expect_attribute("?a=1&amp;b=2", "?a=1&b=2");
    expect_attribute("&ampx", "&ampx");
    expect_attribute("&amp;x", "&x");
    expect_attribute("&amp", "&");
    expect_attribute("&amp x", "& x");
    expect_attribute("&notit;", "&notit;");
    expect_attribute("&not;it", "\xC2\xACit");
    expect_attribute("&#1051;&#x41B;&#X41b;", "\xD0\x9B\xD0\x9B\xD0\x9B");
    expect_attribute("&nbsp;", "\xC2\xA0");
    expect_attribute("&#0;", "\xEF\xBF\xBD");
    expect_attribute("&#128;", "\xE2\x82\xAC");
    expect_attribute("&NotEqualTilde;", "\xE2\x89\x82\xCC\xB8");
    expect_attribute("&", "&");
    expect_attribute("&&", "&&");
    expect_attribute("&&amp;", "&&");
    expect_attribute("&#", "&#");
    expect_attribute("&#x", "&#x");
    expect_attribute("&#x;", "&#x;");
    expect_attribute("&foo;", "&foo;");
    expect_attribute("&;", "&;");
    expect_attribute("OFF", "OFF");
    expect_attribute("&#111;ff", "off");
    expect_attribute("x\xD0\x96y", "x\xD0\x96y");
    /* Embedded NUL bytes are just bytes. */
    char buf[8];
    assert_int_equal(charref_decode_attribute("a\0b", 3, buf, sizeof(buf)), 3);
    assert_memory_equal(buf, "a\0b", 3);
}

static void attribute_buffer_too_small(void **state)
{
    (void)state;
    char buf[16];
    assert_int_equal(charref_decode_attribute("abc", 3, buf, 3), 3);
    assert_int_equal(charref_decode_attribute("abc", 3, buf, 2), (size_t)-1);
    assert_int_equal(charref_decode_attribute("abc", 3, buf, 0), (size_t)-1);
    assert_int_equal(charref_decode_attribute("", 0, buf, 0), 0);
    /* A decoded character that does not fit whole. */
    assert_int_equal(charref_decode_attribute("&#1051;", 7, buf, 2), 2);
    assert_int_equal(charref_decode_attribute("&#1051;", 7, buf, 1), (size_t)-1);
    assert_int_equal(charref_decode_attribute("&#x1F600;", 9, buf, 3), (size_t)-1);
    assert_int_equal(charref_decode_attribute("&NotEqualTilde;", 15, buf, 4), (size_t)-1);
    assert_int_equal(charref_decode_attribute("&NotEqualTilde;", 15, buf, 5), 5);
    /* A literal '&' that does not fit. */
    assert_int_equal(charref_decode_attribute("a&", 2, buf, 1), (size_t)-1);
    assert_int_equal(charref_decode_attribute("a&", 2, buf, 2), 2);
    /* Never writes past cap. */
    memset(buf, '#', sizeof(buf));
    assert_int_equal(charref_decode_attribute("abcdefgh", 8, buf, 4), (size_t)-1);
    for (size_t i = 4; i < sizeof(buf); i++)
        assert_int_equal(buf[i], '#');
    memset(buf, '#', sizeof(buf));
    assert_int_equal(charref_decode_attribute("ab&#x1F600;", 11, buf, 5), (size_t)-1);
    for (size_t i = 5; i < sizeof(buf); i++)
        assert_int_equal(buf[i], '#');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(named),
        cmocka_unit_test(numeric),
        cmocka_unit_test(no_digits_is_literal),
        cmocka_unit_test(unknown_names_are_literal),
        cmocka_unit_test(legacy_names_in_text),
        cmocka_unit_test(legacy_names_in_attributes),
        cmocka_unit_test(long_names_stop),
        cmocka_unit_test(two_code_points),
        cmocka_unit_test(attribute_values),
        cmocka_unit_test(attribute_buffer_too_small),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

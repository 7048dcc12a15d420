"""Checks the plumbing of `make test-integration-asan` and
`make test-integration-valgrind` (run there, after the suite): the servers
really load BRIEFING_MODULE under BRIEFING_HTTPD_WRAPPER, and a report in
the error log or the report directory fails the test that made it."""
import glob
import os

import pytest

import httpd
from httpd import Httpd, child_pids

SITE = """
BriefingGlossary @REPO@/data/glossary.xml
<Directory "@ROOT@/htdocs">
  BriefingAnnotate On
</Directory>
"""
PAGE = b"<!DOCTYPE html>\n<p>Aleksandr Lukashenko in Astana.</p>\n"


def maps(pid):
    with open("/proc/%d/maps" % pid) as f:
        return f.read()


def test_the_server_runs_the_chosen_module_under_the_wrapper(make_httpd):
    h = make_httpd(SITE)
    h.write("htdocs/page.html", PAGE)
    h.start()
    r = h.get("/page.html")
    assert r.status == 200 and b'data-briefing-id="lukashenko"' in r.body
    workers = [p for p in child_pids(h.wait_pid()) if httpd.MODULE in maps(p)]
    assert workers, "no child maps %s" % httpd.MODULE
    wrapper = " ".join(httpd.WRAPPER)
    for p in workers:
        m = maps(p)
        if "asan" in wrapper:
            assert "libasan" in m and "libubsan" in m, "the ASan runtime is not loaded"
        if "valgrind" in wrapper:
            assert "vgpreload_memcheck" in m, "the worker does not run under valgrind"
    if httpd.WRAPPER:
        assert os.stat(h.path("sanitizer")).st_mode & 0o1777 == 0o1777
    h.stop()
    if "valgrind" in wrapper:
        # Every process wrote its log, and the children ended cleanly.
        logs = glob.glob(h.path("sanitizer", "valgrind.*"))
        assert len(logs) >= 3, logs
        summaries = 0
        for name in logs:
            with open(name) as f:
                summaries += "ERROR SUMMARY: 0 errors" in f.read()
        assert summaries >= 2, logs


@pytest.mark.parametrize("where,report", [
    ("sanitizer/asan.4242", "==4242==ERROR: AddressSanitizer: heap-use-after-free on address"),
    ("sanitizer/ubsan.4242", "engine/matcher.c:10:5: runtime error: signed integer overflow"),
    ("sanitizer/valgrind.4242", "==4242== Invalid read of size 8\n"),
    ("sanitizer/valgrind.4243", "==4243== ERROR SUMMARY: 2 errors from 2 contexts\n"),
    ("logs/error.log", "==4242==ERROR: AddressSanitizer: SEGV on unknown address"),
])
def test_a_report_fails_the_test(where, report):
    h = Httpd(SITE)
    h.write(where, report)
    with pytest.raises(AssertionError, match="sanitizer or valgrind errors"):
        h.cleanup()
    assert not os.path.exists(h.root)


def test_a_clean_report_passes():
    h = Httpd(SITE)
    h.write("sanitizer/valgrind.4242", "==4242== ERROR SUMMARY: 0 errors from 0 contexts\n")
    h.write("logs/error.log", "[core:notice] AH00489: resuming normal operations\n")
    h.cleanup()

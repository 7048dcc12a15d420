"""Shared helpers for the attack suite (tests/attack): the paths, a runner
that measures the peak memory of one bin/briefing process, and the httpd
fixture built on the integration harness (tests/integration/httpd.py)."""
import importlib.util
import os
import subprocess
import sys
import tempfile
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
BRIEFING = os.environ.get("BRIEFING_BIN") or os.path.join(REPO, "bin", "briefing")
GLOSSARIES = os.path.join(HERE, "glossaries")
PAGE_GLOSSARY = os.path.join(HERE, "page-glossary.xml")
TIME = "/usr/bin/time"     # GNU time, Debian package "time"

sys.path.insert(0, os.path.join(REPO, "tests", "integration"))
from httpd import Httpd  # noqa: E402


def pytest_sessionstart(session):
    """The tools the suite runs, checked once with a message that says
    what to install, rather than as many FileNotFoundErrors as tests."""
    import shutil
    missing = [what for what, ok in (
        ("bin/briefing (make)", os.access(BRIEFING, os.X_OK)),
        ("GNU time, /usr/bin/time (apt-get install time)", os.access(TIME, os.X_OK)),
        ("strace (apt-get install strace)", shutil.which("strace")),
        ("apache2 (tests/install-deps.sh)", os.access("/usr/sbin/apache2", os.X_OK)),
    ) if not ok]
    if missing:
        pytest.exit("tests/attack needs: " + ", ".join(missing), returncode=2)


class Run:
    def __init__(self, returncode, stdout, stderr, maxrss_kb, seconds):
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.maxrss_kb = maxrss_kb      # peak resident set of that one process
        self.seconds = seconds


def briefing(*args, cwd=None, stdin=None, timeout=120):
    """Runs bin/briefing once; returns its exit status, output, error output
    and peak RSS.  The peak comes from GNU time (/usr/bin/time -f %M), a
    small process that forks bin/briefing: the figure that wait4() would
    give this process counts the pytest process the child was forked from.
    Output goes through temp files, so a large one costs no pipe dance."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile(mode="r", suffix=".rss") as rss:
        fin = open(stdin, "rb") if isinstance(stdin, str) else subprocess.DEVNULL
        try:
            start = time.monotonic()
            try:
                p = subprocess.run([TIME, "-f", "%M", "-o", rss.name, BRIEFING]
                                   + [str(a) for a in args], cwd=cwd, stdin=fin,
                                   stdout=out, stderr=err, timeout=timeout)
            except subprocess.TimeoutExpired:
                raise AssertionError("bin/briefing %s: still running after %d s"
                                     % (" ".join(map(str, args)), timeout))
            seconds = time.monotonic() - start
        finally:
            if fin is not subprocess.DEVNULL:
                fin.close()
        lines = rss.read().split()
        returncode = p.returncode
        if returncode > 128 and "signal" in lines:
            returncode = -(returncode - 128)    # as subprocess reports a signal
        out.seek(0)
        err.seek(0)
        return Run(returncode, out.read(), err.read(), int(lines[-1]), seconds)


@pytest.fixture(scope="session")
def baseline_rss_kb():
    """Peak RSS of bin/briefing annotating a one-line page with the page
    glossary: what the program costs before any page makes it hold more."""
    with tempfile.NamedTemporaryFile(suffix=".html") as f:
        f.write(b"<p>UN</p>\n")
        f.flush()
        r = briefing("annotate", "-g", PAGE_GLOSSARY, f.name)
        assert r.returncode == 0, r.stderr
        return r.maxrss_kb


# The integration suite's fixture, under the same name: servers built by a
# test are stopped at its end, and a sanitizer report fails it.
_integration = importlib.util.spec_from_file_location(
    "integration_conftest", os.path.join(REPO, "tests", "integration", "conftest.py"))
_module = importlib.util.module_from_spec(_integration)
_integration.loader.exec_module(_module)
make_httpd = _module.make_httpd


@pytest.fixture
def scratch():
    """A temp dir removed at the end of the test (pytest's tmp_path keeps
    the last runs' files, and these include a 200 MB glossary)."""
    import pathlib
    import shutil
    d = tempfile.mkdtemp(prefix="briefing-attack-")
    try:
        yield pathlib.Path(d)
    finally:
        shutil.rmtree(d, ignore_errors=True)

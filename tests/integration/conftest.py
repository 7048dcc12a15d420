import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from httpd import Httpd  # noqa: E402

MPMS = os.environ.get("BRIEFING_MPMS", "event worker prefork").split()


@pytest.fixture
def make_httpd():
    """Builds servers for a test and stops every one of them at the end."""
    servers = []

    def make(conf, mpm="event", modules=()):
        h = Httpd(conf, mpm=mpm, modules=modules)
        servers.append(h)
        return h

    yield make
    # Every server is stopped even when one of them reports sanitizer errors.
    errors = []
    for h in servers:
        try:
            h.cleanup()
        except AssertionError as e:
            errors.append(str(e))
    if errors:
        pytest.fail("\n".join(errors), pytrace=False)

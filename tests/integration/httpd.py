"""A real Apache httpd for the integration tests: its own ServerRoot in a
temp dir, a free port on 127.0.0.1, the chosen MPM, stopped at the end.

Two environment variables run the same tests against another build:

  BRIEFING_MODULE=PATH          the module to load (default build/mod_briefing.so)
  BRIEFING_HTTPD_WRAPPER=CMD    a command that runs apache2 (the words of CMD,
                                then apache2 and its arguments), e.g.
                                tests/integration/asan-httpd.sh or
                                tests/integration/valgrind-httpd.sh.  It gets
                                BRIEFING_SANITIZER_DIR, a directory every
                                process may write its reports to.

Whatever the build, a server's cleanup() fails when its error log or that
directory holds a sanitizer or valgrind error report, or when the error log
says that a child died of a signal (a crash)."""
import glob
import http.client
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODULE = os.environ.get("BRIEFING_MODULE") or os.path.join(REPO, "build", "mod_briefing.so")
APACHE = "/usr/sbin/apache2"
WRAPPER = shlex.split(os.environ.get("BRIEFING_HTTPD_WRAPPER", ""))
# Start-up and shutdown take much longer under valgrind or ASan.
SLOW = 10 if WRAPPER else 1

# What a sanitizer or valgrind writes when it found an error, and what the
# parent logs (core:notice) when a child died of a signal such as SIGSEGV.
REPORT = re.compile(r"ERROR: (AddressSanitizer|LeakSanitizer|ThreadSanitizer)|runtime error:|"
                    r"ERROR SUMMARY: [1-9]|==\d+== (Invalid (read|write|free)|Conditional jump"
                    r"|Use of uninitialised|Syscall param|Mismatched free|Source and destination"
                    r"|Process terminating)|AH0005[12]: child pid \d+ exit signal")
MODULES_DIR = "/usr/lib/apache2/modules"

BASE_MODULES = ["authz_core", "mime", "dir", "alias", "headers", "deflate",
                "filter", "proxy", "proxy_http", "bucketeer", "env", "setenvif"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name):
        return self.headers.get(name.lower())


class Httpd:
    def __init__(self, conf, mpm="event", modules=()):
        self.root = tempfile.mkdtemp(prefix="briefing-httpd-")
        os.chmod(self.root, 0o755)
        self.port = free_port()
        self.mpm = mpm
        self.modules = list(BASE_MODULES) + list(modules)
        self.cgi = "cgi" if mpm == "prefork" else "cgid"
        self.modules.append(self.cgi)
        for d in ("logs", "htdocs", "cgi-bin", "run"):
            os.makedirs(os.path.join(self.root, d))
        self.conf_text = conf
        self.started = False

    def path(self, *parts):
        return os.path.join(self.root, *parts)

    def write(self, rel, data, mode=0o644):
        p = self.path(rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb" if isinstance(data, bytes) else "w") as f:
            f.write(data)
        os.chmod(p, mode)
        for d in (os.path.dirname(p),):
            os.chmod(d, 0o755)
        return p

    def config(self):
        lines = [
            f"ServerRoot {self.root}",
            "ServerName 127.0.0.1",
            f"Listen 127.0.0.1:{self.port}",
            f"PidFile {self.path('run', 'httpd.pid')}",
            f"ErrorLog {self.path('logs', 'error.log')}",
            "LogLevel warn core:notice briefing:debug",   # core:notice: crashed children
            f"LoadModule mpm_{self.mpm}_module {MODULES_DIR}/mod_mpm_{self.mpm}.so",
        ]
        for m in self.modules:
            lines.append(f"LoadModule {m}_module {MODULES_DIR}/mod_{m}.so")
        lines += [
            f"LoadModule briefing_module {MODULE}",
            "User www-data",
            "Group www-data",
            "TypesConfig /etc/mime.types",
            f"DocumentRoot {self.root}/htdocs",
            f"ScriptSock {self.path('run', 'cgid.sock')}" if self.cgi == "cgid" else "",
            "StartServers 1" if self.mpm != "prefork" else "StartServers 2",
            "Timeout 30",
            f'<Directory "{self.root}/htdocs">',
            "  Require all granted",
            "</Directory>",
            f'ScriptAlias /cgi-bin/ "{self.root}/cgi-bin/"',
            f'<Directory "{self.root}/cgi-bin">',
            "  Require all granted",
            "</Directory>",
        ]
        return "\n".join(lines) + "\n" + self.conf_text.replace("@ROOT@", self.root).replace(
            "@REPO@", REPO).replace("@PORT@", str(self.port)) + "\n"

    def write_config(self):
        return self.write("httpd.conf", self.config())

    def apache(self, *args, **kw):
        """Runs apache2 (under BRIEFING_HTTPD_WRAPPER when set)."""
        env = None
        if WRAPPER:
            reports = self.path("sanitizer")
            os.makedirs(reports, exist_ok=True)
            os.chmod(reports, 0o1777)        # the children run as www-data
            env = dict(os.environ, BRIEFING_SANITIZER_DIR=reports)
        return subprocess.run(WRAPPER + [APACHE] + list(args), env=env, **kw)

    def configtest(self):
        conf = self.write_config()
        return self.apache("-t", "-f", conf, capture_output=True, text=True)

    def start(self):
        conf = self.write_config()
        r = self.apache("-f", conf, "-k", "start", capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError("httpd did not start: " + r.stdout + r.stderr + self.error_log())
        self.started = True
        deadline = time.time() + 10 * SLOW
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("httpd is not listening: " + self.error_log())

    def pid(self):
        with open(self.path("run", "httpd.pid")) as f:
            return int(f.read().strip())

    def wait_pid(self, timeout=10):
        """The parent's pid, once it has written its PidFile (which may come
        a little after the port listens)."""
        deadline = time.time() + timeout
        while True:
            try:
                return self.pid()
            except (OSError, ValueError):
                if time.time() > deadline:
                    raise
                time.sleep(0.05)

    def children(self):
        """Pids of the parent's child processes (workers, and mod_cgid's
        daemon)."""
        return child_pids(self.wait_pid())

    def log_lines(self, needle=""):
        return [line for line in self.error_log().splitlines() if needle in line]

    def graceful(self):
        self.apache("-f", self.path("httpd.conf"), "-k", "graceful", check=True,
                    capture_output=True)

    def stop(self):
        if not self.started:
            return
        try:
            pid = self.wait_pid(timeout=5)
        except (OSError, ValueError):
            pid = None
        r = self.apache("-f", self.path("httpd.conf"), "-k", "stop", capture_output=True)
        if r.returncode != 0 and pid:
            # `-k stop` processes the configuration before it signals, and
            # refuses when it no longer does (say a glossary left broken on
            # disk): send the parent what `-k stop` would.
            try:
                os.kill(pid, signal.SIGTERM)
            except OSError:
                pass
        deadline = time.time() + 10 * SLOW
        while pid and time.time() < deadline:
            try:
                os.kill(pid, 0)
                time.sleep(0.05)
            except OSError:
                break
        else:
            if pid:
                # The parent has its own session (it detaches): kill its
                # whole process group, so that no child outlives it.
                try:
                    pgid = os.getpgid(pid)
                    if pgid == pid and pgid != os.getpgrp():
                        os.killpg(pgid, signal.SIGKILL)
                    else:
                        os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        self.started = False

    def cleanup(self):
        self.stop()
        reports = self.sanitizer_reports()
        shutil.rmtree(self.root, ignore_errors=True)
        if reports:
            raise AssertionError("sanitizer or valgrind errors in httpd (%s):\n%s" % (
                self.root, "\n".join("== %s ==\n%s" % (name, text[:20000])
                                     for name, text in reports)))

    def sanitizer_reports(self):
        """[(file, text)] of the error log and report files that hold an
        error report of ASan, UBSan or valgrind."""
        found = []
        for name in [self.path("logs", "error.log")] + sorted(glob.glob(self.path("sanitizer", "*"))):
            try:
                with open(name, errors="replace") as f:
                    text = f.read()
            except OSError:
                continue
            if REPORT.search(text):
                found.append((name, text))
        return found

    def error_log(self):
        try:
            with open(self.path("logs", "error.log"), errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def request(self, path, method="GET", headers=None, body=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            data = r.read()
            return Response(r.status, {k.lower(): v for k, v in r.getheaders()}, data)
        finally:
            conn.close()

    def get(self, path, **kw):
        return self.request(path, **kw)


def read(rel):
    with open(os.path.join(REPO, rel), "rb") as f:
        return f.read()


def child_pids(parent):
    pids = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name) as f:
                stat = f.read()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces, so split after ')'.
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
            pids.append(int(name))
    return sorted(pids)


def proc_status(pid):
    """The kB figures of /proc/PID/status (VmRSS, VmHWM, ...), or {} when the
    process is gone."""
    out = {}
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                key, _, value = line.partition(":")
                parts = value.split()
                if len(parts) == 2 and parts[1] == "kB":
                    out[key] = int(parts[0])
    except OSError:
        pass
    return out


def single_child(mpm):
    """Directives that keep one serving child process, so that per-process
    state (such as a loaded glossary) is deterministic.  Under prefork that
    child serves one connection at a time."""
    if mpm == "prefork":
        return ("StartServers 1\nMinSpareServers 1\nMaxSpareServers 1\n"
                "ServerLimit 1\nMaxRequestWorkers 1\n")
    return ("StartServers 1\nServerLimit 1\nThreadsPerChild 25\nMaxRequestWorkers 25\n"
            "MinSpareThreads 1\nMaxSpareThreads 25\n")

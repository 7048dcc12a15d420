"""A real Apache httpd for the integration tests: its own ServerRoot in a
temp dir, a free port on 127.0.0.1, the chosen MPM, stopped at the end."""
import http.client
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODULE = os.path.join(REPO, "build", "mod_briefing.so")
APACHE = "/usr/sbin/apache2"
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
            "LogLevel warn briefing:debug",
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

    def configtest(self):
        conf = self.write_config()
        return subprocess.run([APACHE, "-t", "-f", conf], capture_output=True, text=True)

    def start(self):
        conf = self.write_config()
        r = subprocess.run([APACHE, "-f", conf, "-k", "start"], capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError("httpd did not start: " + r.stdout + r.stderr + self.error_log())
        self.started = True
        deadline = time.time() + 10
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
        subprocess.run([APACHE, "-f", self.path("httpd.conf"), "-k", "graceful"], check=True,
                       capture_output=True)

    def stop(self):
        if not self.started:
            return
        try:
            pid = self.wait_pid(timeout=5)
        except (OSError, ValueError):
            pid = None
        r = subprocess.run([APACHE, "-f", self.path("httpd.conf"), "-k", "stop"],
                           capture_output=True)
        if r.returncode != 0 and pid:
            # `-k stop` processes the configuration before it signals, and
            # refuses when it no longer does (say a glossary left broken on
            # disk): send the parent what `-k stop` would.
            try:
                os.kill(pid, signal.SIGTERM)
            except OSError:
                pass
        deadline = time.time() + 10
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
        shutil.rmtree(self.root, ignore_errors=True)

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

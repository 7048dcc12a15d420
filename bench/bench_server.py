"""The httpd of the httpd benchmark: its own ServerRoot in a temp dir, the
event MPM with one child process, a free port on 127.0.0.1, pinned to one
CPU, and six URL prefixes over the same pages:

  /static/            the files as they are
  /identity/          BENCH_IDENTITY (bench/identity/mod_bench_identity.c)
  /briefing/          mod_briefing, demo glossary (data/glossary.xml)
  /briefing-100k/     mod_briefing, generated 100,000-entry glossary
  /substitute-10/     mod_substitute, the 10 seed names as regex rules
  /substitute-1000/   mod_substitute, those and 990 generated names

/server-status (mod_status, ExtendedStatus On) tells how many requests the
server finished and whether it is idle; every prefix pays that alike."""
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import xml.etree.ElementTree as ET

APACHE = "/usr/sbin/apache2"
MODULES_DIR = "/usr/lib/apache2/modules"
NS = "{urn:briefing:glossary:1}"
CONFIGS = ["static", "identity", "briefing", "briefing-100k", "substitute-10", "substitute-1000"]
CLK_TCK = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def glossary_names(path):
    """(id, text, case-insensitive) of every name and alias, in file order."""
    out = []
    for entry in ET.parse(path).getroot().iter(NS + "entry"):
        for el in entry:
            if el.tag in (NS + "name", NS + "alias"):
                out.append((entry.get("id"), entry.get("type"), " ".join(el.text.split()),
                            el.get("case") == "insensitive"))
    return out


def seed_rules(demo_glossary, seed_text):
    """The 10 seed names: the first ten people, organizations and places
    of the demo glossary that the seed article mentions, each with the
    first of its patterns that occurs there."""
    rules, seen = [], set()
    for eid, etype, text, ci in glossary_names(demo_glossary):
        if eid in seen or etype not in ("person", "organization", "place"):
            continue
        hit = re.search(r"\b%s\b" % re.escape(text), seed_text, re.I if ci else 0)
        if hit:
            rules.append((eid, text, ci))
            seen.add(eid)
    return rules[:10]


def substitute_line(eid, text, ci):
    # PCRE; '|' as the delimiter, $0 the whole match.
    pattern = re.sub(r"([.^$*+?()\[\]{}\\|])", r"\\\1", text)
    return ("Substitute 's|\\b%s\\b|<a class=\"briefing\" href=\"/glossary/%s\">$0</a>|%s'"
            % (pattern, eid, "i" if ci else ""))


def substitute_rules(demo_glossary, big_glossary, seed_text, n):
    rules = seed_rules(demo_glossary, seed_text)
    for eid, etype, text, ci in glossary_names(big_glossary):
        if len(rules) >= n:
            break
        if eid.startswith("g"):           # the generated entries' names
            rules.append((eid, text, ci))
    return [substitute_line(*r) for r in rules]


def proc_stat(pid):
    with open("/proc/%d/stat" % pid) as f:
        return f.read().rsplit(")", 1)[1].split()


def children(parent):
    pids = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                if int(proc_stat(int(name))[1]) == parent:
                    pids.append(int(name))
            except (OSError, ValueError, IndexError):
                pass
    return pids


class Server:
    def __init__(self, repo, module_so, identity_so, pages_dir, glossary_100k, cpu):
        self.repo, self.cpu = repo, cpu
        self.root = tempfile.mkdtemp(prefix="briefing-bench-httpd-")
        os.chmod(self.root, 0o755)
        self.port = free_port()
        self.parent = None
        for d in ("logs", "run", "pages"):
            os.makedirs(os.path.join(self.root, d))
        for name in os.listdir(pages_dir):
            self.copy(os.path.join(pages_dir, name), os.path.join("pages", name))
        demo = self.copy(os.path.join(repo, "data", "glossary.xml"), "glossary-demo.xml")
        big = self.copy(glossary_100k, "glossary-100k.xml")
        with open(os.path.join(self.root, "pages", "seed.html"), encoding="utf-8") as f:
            seed_text = f.read()
        self.rules = {n: substitute_rules(demo, big, seed_text, n) for n in (10, 1000)}
        self.conf = os.path.join(self.root, "httpd.conf")
        with open(self.conf, "w") as f:
            f.write(self.config(module_so, identity_so, demo, big))

    def copy(self, src, rel):
        dst = os.path.join(self.root, rel)
        shutil.copyfile(src, dst)
        os.chmod(dst, 0o644)
        return dst

    def config(self, module_so, identity_so, demo, big):
        modules = [("mpm_event", "mod_mpm_event"), ("authz_core", "mod_authz_core"),
                   ("mime", "mod_mime"), ("alias", "mod_alias"), ("status", "mod_status"),
                   ("substitute", "mod_substitute")]
        lines = ["ServerRoot " + self.root, "ServerName 127.0.0.1",
                 "Listen 127.0.0.1:%d" % self.port,
                 "PidFile %s/run/httpd.pid" % self.root,
                 "ErrorLog %s/logs/error.log" % self.root, "LogLevel warn"]
        lines += ["LoadModule %s_module %s/%s.so" % (m, MODULES_DIR, f) for m, f in modules]
        lines += ["LoadModule briefing_module " + module_so,
                  "LoadModule bench_identity_module " + identity_so,
                  "User www-data", "Group www-data", "TypesConfig /etc/mime.types",
                  "DocumentRoot %s/pages" % self.root,
                  # One child process with a fixed set of threads: one RSS to
                  # watch, no child started or stopped during a run.
                  "StartServers 1", "ServerLimit 1", "ThreadsPerChild 25",
                  "MaxRequestWorkers 25", "MinSpareThreads 1", "MaxSpareThreads 25",
                  "MaxConnectionsPerChild 0", "KeepAlive On", "MaxKeepAliveRequests 0",
                  "Timeout 300", "ExtendedStatus On",
                  # As in Debian's apache2.conf: no .htaccess lookups.
                  "<Directory />", "  AllowOverride None", "  Require all denied", "</Directory>",
                  '<Directory "%s/pages">' % self.root, "  Require all granted", "</Directory>",
                  "<Location /server-status>", "  SetHandler server-status", "</Location>"]
        for prefix in CONFIGS:
            lines.append('Alias "/%s/" "%s/pages/"' % (prefix, self.root))
        lines += ['<Location "/identity/">', "  SetOutputFilter BENCH_IDENTITY", "</Location>",
                  '<Location "/briefing/">', "  BriefingGlossary " + demo,
                  "  BriefingAnnotate On", "</Location>",
                  '<Location "/briefing-100k/">', "  BriefingGlossary " + big,
                  "  BriefingAnnotate On", "</Location>"]
        for n, rules in self.rules.items():
            lines += ['<Location "/substitute-%d/">' % n, "  SetOutputFilter SUBSTITUTE"]
            lines += ["  " + r for r in rules] + ["</Location>"]
        return "\n".join(lines) + "\n"

    def start(self):
        r = subprocess.run(["taskset", "-c", str(self.cpu), APACHE, "-f", self.conf, "-k",
                            "start"], capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError("httpd did not start: " + r.stdout + r.stderr + self.error_log())
        deadline = time.time() + 60            # the 100k glossary loads first
        while time.time() < deadline:
            try:
                with open(os.path.join(self.root, "run", "httpd.pid")) as f:
                    self.parent = int(f.read())
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except (OSError, ValueError):
                time.sleep(0.05)
        raise RuntimeError("httpd is not listening: " + self.error_log())

    def stop(self):
        if self.parent is None:
            return
        pid, self.parent = self.parent, None
        subprocess.run([APACHE, "-f", self.conf, "-k", "stop"], capture_output=True)
        deadline = time.time() + 15
        while time.time() < deadline:
            try:
                os.kill(pid, 0)
            except OSError:
                return
            time.sleep(0.05)
        try:                        # its own process group (it detached)
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def error_log(self):
        try:
            with open(os.path.join(self.root, "logs", "error.log"), errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def pids(self):
        return [self.parent] + children(self.parent)

    def cpu_seconds(self):
        """utime + stime of the parent and its children."""
        ticks = 0
        for pid in self.pids():
            try:
                st = proc_stat(pid)
                ticks += int(st[11]) + int(st[12])
            except (OSError, IndexError):
                pass
        return ticks / CLK_TCK

    def worker_memory_kb(self):
        """(RSS, private) of the worker process(es): RSS counts the pages
        shared with the parent too (the glossaries it loaded), private only
        the worker's own."""
        rss = private = 0
        for pid in children(self.parent):
            with open("/proc/%d/smaps_rollup" % pid) as f:
                for line in f:
                    key, _, value = line.partition(":")
                    if key == "Rss":
                        rss += int(value.split()[0])
                    elif key in ("Private_Clean", "Private_Dirty"):
                        private += int(value.split()[0])
        return rss, private

    def get(self, path):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        try:
            conn.request("GET", path)
            r = conn.getresponse()
            return r.status, r.read()
        finally:
            conn.close()

    def status(self):
        """(requests finished, busy workers), the status request itself
        not counted in the first and counted in the second."""
        code, body = self.get("/server-status?auto")
        fields = dict(l.split(": ", 1) for l in body.decode().splitlines() if ": " in l)
        return int(fields["Total Accesses"]), int(fields["BusyWorkers"])

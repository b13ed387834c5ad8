"""Several dashboard processes behind nginx: render the nginx configuration, or start readers, editor and nginx.

From the project folder, once `bash scripts/run.sh` (or `scripts/setup.sh`) has made `.venv/`, and with Debian's
nginx installed (`apt-get install -y nginx`; the system service need not run):

    bash deploy/run_cluster.sh run --readers 4 --data /srv/dashboard-data --listen 0.0.0.0:8080

starts, on this machine, 4 reader processes and one editor process on the data folder, then nginx in front of
them, and stays in the foreground until Ctrl-C (or SIGTERM), which stops them all. Viewers open
http://<this machine>:8080/; the editor (the article page can save there) is http://127.0.0.1:8080/edit/, open
only to this machine unless `--editor-allow` names more addresses. Each reader is stateless: it reads the data
folder, converts it once into the shared Parquet cache (`--cache`, default $DASHBOARD_CACHE or the app's own
default), and sees the editor's saves on a visitor's next page load, without a restart. A reader that dies is
reported and its visitors move to the others; the cluster stops when nginx or every reader is gone.
Options: `--readers N` (2), `--data FOLDER` ($DASHBOARD_DATA or geodata/), `--listen [ADDRESS:]PORT`
(127.0.0.1:8080), `--app-address` (127.0.0.1, where the app processes listen), `--base-port P` (readers on P,
P+1, ..., the editor on P+N; default: free ports), `--no-editor`, `--run-dir DIR` (logs, nginx's files and
cluster.json, which lists the processes and ports once all are up; default: a new temporary folder),
`--nginx PATH`.

Readers on several machines: on each machine run the readers alone, on an address nginx can reach, with the data
folder shared between the machines (a network folder, or object storage mounted as one):

    bash deploy/run_cluster.sh run --readers 4 --no-proxy --no-editor --app-address 10.0.0.11 --base-port 8501 \
        --data /mnt/dashboard-data

and on the machine with nginx, write the site file for Debian's nginx service and reload it:

    .venv/bin/python -m deploy.cluster config --reader 10.0.0.11:8501 --reader 10.0.0.11:8502 \
        --reader 10.0.0.12:8501 --editor 10.0.0.11:8600 --listen 80 > /etc/nginx/conf.d/dashboard.conf
    nginx -t && systemctl reload nginx

(disable Debian's default site, or give a `--listen` it does not hold). The configuration itself is
deploy/nginx/dashboard.conf.template; its header says what each part does.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = Path(__file__).resolve().parent / "nginx"
SITE_TEMPLATE = TEMPLATES / "dashboard.conf.template"
MAIN_TEMPLATE = TEMPLATES / "nginx.conf.template"
#: The affinity cookie nginx sets; its value picks the reader process.
COOKIE = "dashboard_affinity"
#: The editor's path prefix (Streamlit's server.baseUrlPath) and the environment variable that lets it save.
EDITOR_PATH = "edit"
WRITE_ENV = "DASHBOARD_ALLOW_WRITE"
#: MAX_FAILS refused or timed-out connections within FAIL_TIMEOUT_S mark a reader down for that long; then one
#: request tries it again. (A request that fails is passed to the next reader either way.)
MAX_FAILS = 3
FAIL_TIMEOUT_S = 10
STARTUP_TIMEOUT_S = 90
STOP_TIMEOUT_S = 10


@dataclass
class AppProcess:
    """One Streamlit process of the cluster."""

    role: str  # "reader" or "editor"
    name: str
    address: str
    port: int
    health_url: str
    log: str
    pid: int = 0

    @property
    def upstream(self) -> str:
        return f"{self.address}:{self.port}"


# --- the configuration -------------------------------------------------------------------------------------

def render_site(readers: list[str], editor: str | None, listen: str, access_log: str | Path,
                editor_allow: tuple[str, ...] = ("127.0.0.1", "::1")) -> str:
    """The site file (nginx's http context) for ``readers`` and ``editor`` (``HOST:PORT`` each; no editor: None)."""
    if not readers:
        raise ValueError("`readers` was empty but at least one reader HOST:PORT is needed")
    for address in [*readers, *([editor] if editor else [])]:
        host, _, port = address.rpartition(":")
        if not host or not port.isdigit():
            raise ValueError(f"an app address was {address!r} but is expected to be HOST:PORT")
    text = SITE_TEMPLATE.read_text(encoding="utf-8")
    if editor is None:
        text = _drop_marked(text, "# @editor-begin", "# @editor-end")
    servers = "\n".join(f"    server {address} max_fails={MAX_FAILS} fail_timeout={FAIL_TIMEOUT_S}s;"
                        for address in readers)
    access = " ".join(f"allow {address};" for address in editor_allow) + " deny all;"
    values = {"COOKIE": COOKIE, "READER_SERVERS": servers, "EDITOR": editor or "", "LISTEN": listen,
              "ACCESS_LOG": str(access_log), "EDITOR_ACCESS": access}
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    marks = ("# @editor-begin", "# @editor-end")
    return "\n".join(line for line in text.splitlines() if line.strip() not in marks) + "\n"


def render_main(site: Path, run_dir: Path) -> str:
    """A whole nginx.conf that runs in the foreground with everything under ``run_dir`` and includes ``site``."""
    user = "user root;  # started by root: the workers must reach the run folder" if os.geteuid() == 0 else ""
    text = MAIN_TEMPLATE.read_text(encoding="utf-8")
    return text.replace("@USER@", user).replace("@RUN_DIR@", str(run_dir)).replace("@SITE@", str(site))


def _drop_marked(text: str, begin: str, end: str) -> str:
    out, skipping = [], False
    for line in text.splitlines():
        if line.strip() == begin:
            skipping = True
        elif line.strip() == end:
            skipping = False
        elif not skipping:
            out.append(line)
    return "\n".join(out) + "\n"


# --- the processes -----------------------------------------------------------------------------------------

def free_port(address: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((address, 0))
        return sock.getsockname()[1]


def app_environment(data: Path | None, cache: Path | None, allow_write: bool) -> dict:
    """The environment of an app process: this one, with the data folder, the cache and the write switch set."""
    env = dict(os.environ)
    env.pop(WRITE_ENV, None)
    if allow_write:
        env[WRITE_ENV] = "1"
    if data is not None:
        env["DASHBOARD_DATA"] = str(data)
    if cache is not None:
        env["DASHBOARD_CACHE"] = str(cache)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
    env.setdefault("MALLOC_ARENA_MAX", "2")  # see README, "Your own server"
    # The processes are reached through the local nginx: its X-Forwarded-For names each visitor, so the data URLs
    # limit requests per visitor rather than per proxy (README, "Use the data elsewhere").
    env.setdefault("DASHBOARD_TRUSTED_PROXIES", "127.0.0.1")
    return env


def start_app(app: AppProcess, env: dict) -> subprocess.Popen:
    """`python -m dashboard serve` for ``app`` (the editor under /edit/), its output into ``app.log``."""
    command = [sys.executable, "-m", "dashboard", "serve", "--", "--server.headless", "true",
               "--server.address", app.address, "--server.port", str(app.port), "--server.fileWatcherType", "none"]
    if app.role == "editor":
        command += ["--server.baseUrlPath", EDITOR_PATH]
    with open(app.log, "wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    app.pid = process.pid
    return process


def wait_healthy(url: str, process: subprocess.Popen, what: str, log: str | Path,
                 timeout_s: float = STARTUP_TIMEOUT_S) -> None:
    """Poll ``url`` until it answers 200; RuntimeError (with the log's end) if ``process`` exits or time runs out."""
    deadline = time.monotonic() + timeout_s
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with code {process.returncode} before it was up:\n{_tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not answer {url} within {timeout_s:g} s:\n{_tail(log)}")
        time.sleep(0.2)  # poll interval


def _tail(path: str | Path, chars: int = 4000) -> str:
    try:
        return Path(path).read_text(errors="replace")[-chars:]
    except OSError:
        return "(no log)"


def stop(processes: list[subprocess.Popen]) -> None:
    """SIGTERM every process still running, then SIGKILL what is left after STOP_TIMEOUT_S."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + STOP_TIMEOUT_S
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _listen_url(listen: str) -> str:
    """The URL this machine reaches nginx at, from its ``listen`` ([ADDRESS:]PORT; any address: the loopback)."""
    host, _, port = listen.rpartition(":")
    host = host.strip("[]")
    if host in ("", "0.0.0.0", "*", "::"):
        host = "127.0.0.1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _nginx_binary(given: str | None) -> str:
    found = given or shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not found:
        raise RuntimeError("nginx is not installed (Debian: apt-get install -y nginx)")
    return found


def run(args) -> int:
    """Start the readers, the editor and nginx; supervise them until a signal; stop them all."""
    run_dir = Path(args.run_dir or tempfile.mkdtemp(prefix="dashboard-cluster-")).resolve()
    run_dir.mkdir(parents=True, exist_ok=True)
    data = Path(args.data).expanduser().resolve() if args.data else None
    cache = Path(args.cache).expanduser().resolve() if args.cache else None
    apps = _plan(args, run_dir)
    processes: list[subprocess.Popen] = []
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))  # unwinds to the `finally`
    try:
        nginx = None if args.no_proxy else _nginx_binary(args.nginx)
        _prepare(data, cache)
        for app in apps:
            processes.append(start_app(app, app_environment(data, cache, app.role == "editor")))
        for app, process in zip(apps, processes):
            wait_healthy(app.health_url, process, f"{app.name} (port {app.port})", app.log)
        state = {"run_dir": str(run_dir), "apps": [asdict(app) for app in apps], "url": None, "editor_url": None}
        if nginx:
            proxy = start_nginx(nginx, run_dir, apps, args.listen, tuple(["127.0.0.1", "::1", *args.editor_allow]))
            processes.append(proxy)
            url = _listen_url(args.listen)
            wait_healthy(url + "/_stcore/health", proxy, "nginx", run_dir / "error.log")
            editor = any(app.role == "editor" for app in apps)
            state.update(url=url, editor_url=f"{url}/{EDITOR_PATH}/" if editor else None, nginx_pid=proxy.pid,
                         access_log=str(run_dir / "access.log"))
        _write_json(run_dir / "cluster.json", state)
        _announce(state, apps)
        return _supervise(apps, processes, nginx is not None)
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop(processes)


def _prepare(data: Path | None, cache: Path | None) -> None:
    """Check and convert the data folder into the shared cache once, before the processes start."""
    command = [sys.executable, "-m", "dashboard", "prepare"] + (["--data", str(data)] if data else [])
    done = subprocess.run(command, cwd=ROOT, env=app_environment(data, cache, False), capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"the data folder cannot be served:\n{done.stdout}{done.stderr}")
    print(done.stdout.strip())


def start_nginx(nginx: str, run_dir: Path, apps: list[AppProcess], listen: str,
                editor_allow: tuple[str, ...]) -> subprocess.Popen:
    """Write the site file and nginx.conf into ``run_dir``, have nginx check them, and start it in the foreground."""
    site = run_dir / "dashboard.conf"
    editor = next((app.upstream for app in apps if app.role == "editor"), None)
    readers = [app.upstream for app in apps if app.role == "reader"]
    site.write_text(render_site(readers, editor, listen, run_dir / "access.log", editor_allow))
    conf = run_dir / "nginx.conf"
    conf.write_text(render_main(site, run_dir))
    (run_dir / "temp").mkdir(exist_ok=True)
    base = [nginx, "-p", str(run_dir), "-c", str(conf), "-e", str(run_dir / "error.log")]
    check = subprocess.run(base + ["-t"], capture_output=True, text=True)
    if check.returncode != 0:
        raise RuntimeError(f"nginx refused the configuration {conf}:\n{check.stderr}")
    return subprocess.Popen(base + ["-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)


def _plan(args, run_dir: Path) -> list[AppProcess]:
    count = args.readers + (0 if args.no_editor else 1)
    ports = ([args.base_port + i for i in range(count)] if args.base_port
             else [free_port(args.app_address) for _ in range(count)])
    apps = []
    for number, port in enumerate(ports, start=1):
        editor = number > args.readers
        name = "editor" if editor else f"reader-{number}"
        prefix = f"/{EDITOR_PATH}" if editor else ""
        health = f"http://{args.app_address}:{port}{prefix}/_stcore/health"
        apps.append(AppProcess("editor" if editor else "reader", name, args.app_address, port, health,
                               str(run_dir / f"{name}.log")))
    return apps


def _supervise(apps: list[AppProcess], processes: list[subprocess.Popen], with_proxy: bool) -> int:
    """Report processes that exit; return when nginx or every reader is gone."""
    reported: set[int] = set()
    while True:
        time.sleep(0.5)  # supervision interval
        for app, process in zip(apps, processes):
            if process.poll() is not None and process.pid not in reported:
                reported.add(process.pid)
                print(f"{app.name} (pid {process.pid}, port {app.port}) exited with code {process.returncode}; "
                      f"log: {app.log}", file=sys.stderr, flush=True)
        if with_proxy and processes[-1].poll() is not None:
            print(f"nginx exited with code {processes[-1].returncode}; stopping", file=sys.stderr)
            return 1
        if all(process.poll() is not None for app, process in zip(apps, processes) if app.role == "reader"):
            print("every reader has exited; stopping", file=sys.stderr)
            return 1


def _write_json(path: Path, value: dict) -> None:
    scratch = path.with_suffix(".tmp")
    scratch.write_text(json.dumps(value, indent=2) + "\n")
    os.replace(scratch, path)


def _announce(state: dict, apps: list[AppProcess]) -> None:
    for app in apps:
        path = f"/{EDITOR_PATH}/" if app.role == "editor" else "/"
        print(f"{app.name}: pid {app.pid}, http://{app.upstream}{path} (log {app.log})")
    if state["url"]:
        print(f"viewers: {state['url']}/")
        if state["editor_url"]:
            print(f"editor:  {state['editor_url']}")
        print(f"nginx access log: {state['access_log']}")
    print(f"ready ({state['run_dir']}/cluster.json); Ctrl-C stops everything", flush=True)


# --- the command line --------------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m deploy.cluster", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    start = commands.add_parser("run", help="start reader processes, the editor and nginx on this machine")
    start.add_argument("--readers", type=int, default=2, metavar="N", help="reader processes (default 2)")
    start.add_argument("--data", metavar="FOLDER", help="data folder (default: $DASHBOARD_DATA or geodata/)")
    start.add_argument("--cache", metavar="FOLDER", help="Parquet cache shared by the processes "
                                                         "(default: $DASHBOARD_CACHE or the app's default)")
    start.add_argument("--listen", default="127.0.0.1:8080", metavar="[ADDRESS:]PORT",
                       help="where nginx listens (default 127.0.0.1:8080)")
    start.add_argument("--app-address", default="127.0.0.1", metavar="ADDRESS",
                       help="where the app processes listen (default 127.0.0.1)")
    start.add_argument("--base-port", type=int, metavar="PORT", help="first app port (default: free ports)")
    start.add_argument("--editor-allow", action="append", default=[], metavar="ADDRESS",
                       help="an address or CIDR range, besides this machine, that may open /edit/ (repeatable)")
    start.add_argument("--no-editor", action="store_true", help="start no editor process (and no /edit/)")
    start.add_argument("--no-proxy", action="store_true", help="start no nginx (readers for another machine's)")
    start.add_argument("--run-dir", metavar="DIR",
                       help="logs, nginx's files, cluster.json (default: a new temporary folder)")
    start.add_argument("--nginx", metavar="PATH",
                       help="the nginx binary (default: nginx on PATH, or /usr/sbin/nginx)")
    start.set_defaults(handler=run)
    config = commands.add_parser("config", help="print the nginx site file for given reader and editor addresses")
    config.add_argument("--reader", action="append", required=True, metavar="HOST:PORT", help="a reader (repeatable)")
    config.add_argument("--editor", metavar="HOST:PORT", help="the editor process (started with --server.baseUrlPath "
                                                              f"{EDITOR_PATH} and {WRITE_ENV}=1)")
    config.add_argument("--editor-allow", action="append", default=[], metavar="ADDRESS",
                        help="an address or CIDR range, besides this machine, that may open /edit/ (repeatable)")
    config.add_argument("--listen", default="80", metavar="[ADDRESS:]PORT", help="nginx's listen (default 80)")
    config.add_argument("--access-log", default="/var/log/nginx/dashboard.access.log", metavar="PATH")
    config.set_defaults(handler=print_config)
    return parser


def print_config(args) -> int:
    try:
        print(render_site(args.reader, args.editor, args.listen, args.access_log,
                          tuple(["127.0.0.1", "::1", *args.editor_allow])), end="")
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "run" and args.readers < 1:
        print(f"--readers was {args.readers} but is expected to be at least 1", file=sys.stderr)
        return 2
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())

"""Live sync under load: Penholder against the Node reference servers, in the same run.

N clients (default 100) join one room on loopback and each appends a small marker to the
first paragraph's text at a steady rate (default 2 edits/s) for a bounded time (default
8 s a round, after a 2 s warm-up). The same load generator (benchmarks/node/load.mjs, one Node
process) runs against each server in turn:

    penholder            `penholder serve` on a fresh SQLite database with a draft from
                         A/RES/79/53; the text is that draft's first paragraph
    y-websocket-server   @y/websocket-server, the server y-websocket 3 moved out of its
                         package (benchmarks/node/ywss.mjs), in memory
    hocuspocus           @hocuspocus/server (benchmarks/node/hocuspocus.mjs), in memory

and prints, for each, the p50/p99 fan-out latency (a marker's send time to its arrival at
another client, both clocks being the generator's) and the updates delivered to clients per
second, then Penholder's ratios to each reference. Goal (issue: live sync): Penholder at
least as fast as the references.

The servers take turns over several rounds (default 5; the order rotates each round), and
each ratio is the median of the ratios of the rounds: on a shared virtual machine the
speed of the whole machine drifts by tens of percent within a minute, and a comparison of
two runs a minute apart measures that drift as much as the servers. The references are installed from npm into
benchmarks/node (`npm ci`, exact versions in its package-lock.json) on first use.

The generator shares the machine with the server it measures. Its own CPU (share of one
core) and the p99 of its event-loop delay ("gen lag": how late it was to run something that
was due, which delays the arrivals it records) are printed beside each server: a latency
near the generator's lag is the generator's, not the server's. Reference figures vary from
run to run (p99 by up to 2x on a 2-core machine); compare within one run.

Then, Penholder only: the longest event-loop stall under a concurrent writer, and the
clients of one room spread over two `penholder serve` processes on one PostgreSQL
database with Redis between them (twice --clients in all, each half on one process; a
marker sent through one process is timed to its arrival at clients of both), with their
p50/p99. That section needs PostgreSQL and Redis (--postgres-url, --redis-url); it
works in a schema of its own, dropped at the end.

    .venv/bin/python benchmarks/sync_bench.py [--clients 100 --seconds 10 --rate 2]
        [--rounds 5] [--servers penholder,y-websocket-server,hocuspocus] [--no-stall]
        [--no-two-processes] [--postgres-url URL] [--redis-url URL]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_DIR = ROOT / "benchmarks" / "node"
HOST = "127.0.0.1"
SERVERS = ("penholder", "y-websocket-server", "hocuspocus")
REFERENCES = SERVERS[1:]
PRIOR = "A/RES/79/53"


class NotMeasured(Exception):
    """A server that could not be set up or measured; the text says why, in one line."""


@dataclass
class Result:
    server: str
    load: dict | None = None
    reason: str | None = None            # why it was not measured
    server_cpu_s: float | None = None
    server_rss_mib: float | None = None
    notes: list[str] = field(default_factory=list)


# -- processes -----------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def tail(path: Path, n: int = 1) -> str:
    try:
        lines = [line for line in path.read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        return ""
    return " | ".join(lines[-n:])


class Server:
    """A server subprocess in its own process group, its output in log files."""

    def __init__(self, name: str, argv: list[str], cwd: Path, logdir: Path, port: int,
                 env: dict[str, str] | None = None) -> None:
        self.name, self.port = name, port
        self.log = logdir / f"{name}.log"
        self._log_file = self.log.open("wb")
        self.proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=self._log_file,
                                     stderr=subprocess.STDOUT, env=env, start_new_session=True)

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise NotMeasured(f"the server exited with status {self.proc.returncode} before "
                                  f"listening: {tail(self.log, 2) or 'no output'}")
            try:
                with socket.create_connection((HOST, self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        raise NotMeasured(f"the server did not listen on {HOST}:{self.port} within {timeout:.0f} s: "
                          f"{tail(self.log, 2) or 'no output'}")

    def cpu_seconds(self) -> float | None:
        """User + system CPU time of the server process (Linux /proc; None elsewhere)."""
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            return None

    def peak_rss_mib(self) -> float | None:
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        except (OSError, ValueError):
            pass
        return None

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)  # the group this script created
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
            except ProcessLookupError:
                pass
        self._log_file.close()


def run_load(args: argparse.Namespace, protocol: str, url: str, room: str,
             token: str | None, server: Server, initial_state: Path | None = None) -> dict:
    argv = ["node", str(NODE_DIR / "load.mjs"), "--protocol", protocol, "--url", url,
            "--room", room, "--clients", str(args.clients), "--rate", str(args.rate),
            "--seconds", str(args.seconds), "--warmup", str(args.warmup),
            "--drain-ms", str(args.drain_ms), "--connect-timeout-ms", str(args.connect_timeout_ms)]
    if token is not None:
        argv += ["--token", token]
    if initial_state is not None:
        argv += ["--initial-state", str(initial_state)]
    limit = args.connect_timeout_ms / 500 + args.warmup + args.seconds + args.drain_ms / 1000 + 30
    try:
        done = subprocess.run(argv, cwd=NODE_DIR, capture_output=True, text=True, timeout=limit)
    except subprocess.TimeoutExpired:
        raise NotMeasured(f"the load generator did not finish within {limit:.0f} s") from None
    try:
        out = json.loads(last_line(done.stdout))
    except ValueError:
        out = {}
    if done.returncode != 0 or "error" in out or "p50_ms" not in out:
        reason = out.get("error") or last_line(done.stderr) or f"exit status {done.returncode}"
        if server.proc.poll() is not None:
            reason += f"; the server exited with status {server.proc.returncode}: {tail(server.log, 2)}"
        raise NotMeasured(f"load generator: {reason}")
    return out


def measure(result: Result, server: Server, args: argparse.Namespace, protocol: str, url: str,
            room: str, token: str | None, initial_state: Path | None = None) -> None:
    try:
        server.wait_ready(args.start_timeout)
        cpu0 = server.cpu_seconds()
        result.load = run_load(args, protocol, url, room, token, server, initial_state)
        cpu1 = server.cpu_seconds()
        if cpu0 is not None and cpu1 is not None:
            result.server_cpu_s = cpu1 - cpu0
        result.server_rss_mib = server.peak_rss_mib()
    finally:
        server.stop()


# -- the servers ---------------------------------------------------------------------------

def node_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("YPERSISTENCE", "CALLBACK_URL")}
    env["NODE_ENV"] = "production"
    return env


def run_reference(name: str, args: argparse.Namespace, logdir: Path, initial_state: Path | None) -> Result:
    result = Result(name)
    port = free_port()
    script, protocol, url = {
        "y-websocket-server": ("ywss.mjs", "y-websocket", f"ws://{HOST}:{port}/ws/drafts"),
        "hocuspocus": ("hocuspocus.mjs", "hocuspocus", f"ws://{HOST}:{port}"),
    }[name]
    try:
        server = Server(name, ["node", script, str(port)], NODE_DIR, logdir, port, env=node_env())
        measure(result, server, args, protocol, url, "bench-room", None, initial_state)
    except NotMeasured as exc:
        result.reason = str(exc)
    return result


def penholder_command() -> list[str]:
    """The `penholder` of this checkout's venv, else the one on PATH."""
    beside = Path(sys.executable).parent / "penholder"
    if beside.exists():
        return [str(beside)]
    venv = ROOT / ".venv" / "bin" / "penholder"
    if venv.exists():
        return [str(venv)]
    found = shutil.which("penholder")
    if found:
        return [found]
    raise NotMeasured("no `penholder` command (run `make install`)")


def penholder_cli(argv: list[str], what: str, timeout: float = 120, one_word: bool = True) -> str:
    """Run a `penholder` verb; its last non-empty line of standard output (one word: the
    `what` it prints)."""
    try:
        done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise NotMeasured(f"`{' '.join(argv[1:3])}` did not finish within {timeout:.0f} s") from None
    except OSError as exc:
        raise NotMeasured(f"cannot run {argv[0]}: {exc}") from None
    if done.returncode != 0:
        raise NotMeasured(f"`penholder {' '.join(argv[1:3])}` failed (status {done.returncode}): "
                          f"{last_line(done.stderr) or last_line(done.stdout) or 'no output'}")
    line = last_line(done.stdout)
    if one_word and (not line or len(line.split()) != 1):
        raise NotMeasured(f"`penholder {' '.join(argv[1:3])}` printed no {what} on stdout "
                          f"(got {line[:60]!r})")
    return line


@dataclass
class PenholderSetup:
    command: list[str]
    db_url: str
    token: str
    initial_state: Path  # the Y document of a new draft from A/RES/79/53, as one update


def more_tokens(db_url: str, user_name: str, n: int) -> list[str]:
    """n more tokens of the user: each client signs in with its own, as the editors of a
    room do with their own accounts, so that the server looks up as many tokens as a
    real room (its periodic re-check of every open socket included)."""
    from penholder.auth.tokens import issue_token
    from penholder.store import accounts, make_engine

    engine = make_engine(db_url)
    try:
        user = accounts.by_name(engine, user_name)
        assert user is not None, f"no account {user_name!r}"
        return [issue_token(engine, user.id) for _ in range(n)]
    finally:
        engine.dispose()


def setup_penholder(tmp: Path, args: argparse.Namespace) -> PenholderSetup:
    """A fresh SQLite database and editors' tokens (one per client), shared by the rounds; and the
    document of a new draft, which the references' clients start from (load.mjs
    --initial-state), so that every server holds the same document."""
    penholder = penholder_command()
    db_url = f"sqlite:///{tmp / 'bench.db'}"
    draft_id = penholder_cli(penholder + ["draft", "new", "--from", PRIOR, "--database-url", db_url],
                             "draft id")
    # Secretariat staff edit every draft: a delegation holds the pen only on the drafts it
    # is a main sponsor of, and each round starts a draft of its own.
    token = penholder_cli(penholder + ["user", "add", "bench", "--kind", "secretariat", "--token",
                                       "--database-url", db_url], "token")
    try:
        from penholder.store import make_engine
        from penholder.sync.persistence import load_state
    except ImportError as exc:
        raise NotMeasured(f"cannot import penholder ({exc}): run this with the venv's python") from None
    engine = make_engine(db_url)
    try:
        state = load_state(engine, int(draft_id)).doc.get_update()
    finally:
        engine.dispose()
    token = ",".join([token, *more_tokens(db_url, "bench", args.clients - 1)])
    path = tmp / "initial-state.bin"
    path.write_bytes(state)
    return PenholderSetup(penholder, db_url, token, path)


def run_penholder(setup: PenholderSetup | NotMeasured, args: argparse.Namespace, tmp: Path) -> Result:
    result = Result("penholder")
    try:
        if isinstance(setup, NotMeasured):
            raise setup
        # Each round edits a new draft from A/RES/79/53, as the references start empty.
        draft_id = penholder_cli(setup.command + ["draft", "new", "--from", PRIOR, "--database-url",
                                                  setup.db_url], "draft id")
        port = free_port()
        server = Server("penholder", setup.command + ["serve", "--host", HOST, "--port", str(port),
                                                      "--database-url", setup.db_url], ROOT, tmp, port)
        measure(result, server, args, "y-websocket", f"ws://{HOST}:{port}/ws/drafts", draft_id,
                setup.token)
    except NotMeasured as exc:
        result.reason = str(exc)
    return result


# Another process taking SQLite's write lock again and again, as a backup, a bulk import
# or a CLI command would: 200 ms held, 50 ms free.
CONCURRENT_WRITER = """
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
end = time.monotonic() + float(sys.argv[2])
while time.monotonic() < end:
    c.execute("BEGIN IMMEDIATE")
    time.sleep(0.2)
    c.execute("COMMIT")
    time.sleep(0.05)
"""


def stall_under_writer(setup: PenholderSetup | NotMeasured, args: argparse.Namespace, tmp: Path) -> None:
    """The longest stall of Penholder's event loop while the clients type and another
    process keeps taking the database's write lock. Seen from outside: a probe asks the
    server for a page that touches no database (GET /api/openapi.json) every 10 ms; the
    probe's worst wait bounds the loop's longest stall (plus the probe's own delays).

    Reported apart: the waits while the clients connect (a hundred handshakes and first
    syncs at once, as after a restart), and those while they type, the goal's. The
    boundary is when the generator saw its last client synced (its own clock, from its
    start, which this script takes as the moment it launched it)."""
    import threading

    import httpx

    if isinstance(setup, NotMeasured):
        print(f"stall under a concurrent writer: not measured ({setup})")
        return
    draft_id = penholder_cli(setup.command + ["draft", "new", "--from", PRIOR, "--database-url", setup.db_url],
                             "draft id")
    port = free_port()
    server = Server("penholder-stall", setup.command + ["serve", "--host", HOST, "--port", str(port),
                                                        "--database-url", setup.db_url], ROOT, tmp, port)
    load: dict = {}
    failure: list[str] = []

    started: list[float] = []

    def generate() -> None:
        started.append(time.perf_counter())
        try:
            load.update(run_load(args, "y-websocket", f"ws://{HOST}:{port}/ws/drafts", draft_id, setup.token, server))
        except NotMeasured as exc:
            failure.append(str(exc))

    writer = None
    try:
        server.wait_ready(args.start_timeout)
        seconds = args.warmup + args.seconds + args.connect_timeout_ms / 1000
        writer = subprocess.Popen([sys.executable, "-c", CONCURRENT_WRITER, setup.db_url.removeprefix("sqlite:///"),
                                   str(seconds)])
        generator = threading.Thread(target=generate)
        generator.start()
        probes: list[tuple[float, float]] = []  # (when it was sent, its wait)
        with httpx.Client(base_url=f"http://{HOST}:{port}", timeout=30) as http:
            while generator.is_alive():
                start = time.perf_counter()
                http.get("/api/openapi.json")
                probes.append((start, time.perf_counter() - start))
                time.sleep(0.01)  # the probe's pace
        generator.join()
    except NotMeasured as exc:
        failure.append(str(exc))
    finally:
        if writer is not None:
            writer.kill()
            writer.wait()
        server.stop()
    if failure:
        print(f"stall under a concurrent writer: not measured ({failure[0]})")
        return
    typing_from = started[0] + load.get("synced_at_ms", 0) / 1000
    connecting = sorted(w for at, w in probes if at < typing_from)
    waits = sorted(w for at, w in probes if at >= typing_from)
    if not waits:
        print("stall under a concurrent writer: not measured (no probe after the clients connected)")
        return

    def ms(v: float | None) -> str:  # the generator gives no latency when no marker arrived
        return "not measured" if v is None else f"{v:.1f} ms"

    print(f"stall under a concurrent writer (200 ms write locks, {args.clients} clients typing): longest "
          f"probe wait {waits[-1] * 1000:.1f} ms (goal under 50), p99 {waits[int(len(waits) * 0.99)] * 1000:.1f} ms "
          f"over {len(waits)} probes; fan-out p50 {ms(load.get('p50_ms'))}, p99 {ms(load.get('p99_ms'))}")
    if connecting:
        print(f"  while the {args.clients} clients connected ({load.get('connect_ms', 0)} ms): longest probe wait "
              f"{connecting[-1] * 1000:.1f} ms over {len(connecting)} probes")


# -- two processes, one PostgreSQL database, Redis between them ------------------------------

def postgres_schema(url: str) -> tuple[str, str]:
    """A new, empty schema on the PostgreSQL database at `url`: its name and the URL with
    it as search path (penholder's tables go there, apart from anyone else's)."""
    import secrets

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"sync_bench_{secrets.token_hex(4)}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{name}"'))
    except Exception as exc:  # unreachable, refused: this section is not measured
        raise NotMeasured(f"PostgreSQL at {make_url(url).render_as_string()}: "
                          f"{str(getattr(exc, 'orig', None) or exc).strip().splitlines()[0]}") from None
    finally:
        admin.dispose()
    return name, make_url(url).update_query_dict({"options": f"-csearch_path={name}"}).render_as_string(
        hide_password=False)


def drop_schema(url: str, name: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
    finally:
        admin.dispose()


def two_processes(args: argparse.Namespace, tmp: Path) -> None:
    """2 x --clients in one room, half on each of two `penholder serve` processes sharing a
    PostgreSQL database, edits and presence crossing through Redis (docs/deploy.md)."""
    clients = 2 * args.clients
    title = f"{clients} clients over two processes (PostgreSQL, Redis)"
    try:
        import redis

        redis.Redis.from_url(args.redis_url, socket_connect_timeout=3).ping()
    except Exception as exc:
        print(f"{title}: not measured (Redis at {args.redis_url}: {exc})")
        return
    try:
        command = penholder_command()
        schema, db_url = postgres_schema(args.postgres_url)
    except NotMeasured as exc:
        print(f"{title}: not measured ({exc})")
        return
    servers: list[Server] = []
    try:
        draft_id = penholder_cli(command + ["draft", "new", "--from", PRIOR, "--database-url", db_url], "draft id")
        token = penholder_cli(command + ["user", "add", "bench", "--kind", "secretariat", "--token",
                                         "--database-url", db_url], "token")
        token = ",".join([token, *more_tokens(db_url, "bench", clients - 1)])
        for i in (1, 2):
            port = free_port()
            servers.append(Server(f"penholder-pg{i}", command + [
                "serve", "--host", HOST, "--port", str(port), "--database-url", db_url,
                "--redis-url", args.redis_url], ROOT, tmp, port))
        for server in servers:
            server.wait_ready(args.start_timeout)
        cpu0 = [server.cpu_seconds() for server in servers]
        urls = ",".join(f"ws://{HOST}:{server.port}/ws/drafts" for server in servers)
        load = run_load(argparse.Namespace(**{**vars(args), "clients": clients}), "y-websocket", urls,
                        draft_id, token, servers[0])
        cpu = [None if a is None or (b := server.cpu_seconds()) is None else b - a
               for a, server in zip(cpu0, servers)]
    except NotMeasured as exc:
        print(f"{title}: not measured ({exc})")
        return
    finally:
        for server in servers:
            server.stop()
        drop_schema(args.postgres_url, schema)
    print(f"{title}, {args.rate:g} edits/s each for {args.seconds:g} s: fan-out p50 {fmt(load['p50_ms'], '.1f')} ms, "
          f"p99 {fmt(load['p99_ms'], '.1f')} ms, max {fmt(load['max_ms'], '.1f')} ms; "
          f"{fmt(load['updates_per_s'], 'd')} updates/s, delivered {load['delivered']}/{load['expected']}; "
          f"server CPU s {' + '.join(fmt(c, '.1f') for c in cpu)}; "
          f"gen CPU {fmt(load.get('loadgen_cpu'), '.0%')}, gen lag p99 {fmt(load.get('loadgen_loop_delay_p99_ms'), '.1f')} ms")
    for p in problems_of(Result("penholder", load=load), argparse.Namespace(**{**vars(args), "clients": clients})):
        print(f"  {p}")


sys.path.insert(0, str(Path(__file__).resolve().parent))  # room_figures, beside this file


def penholder_only_figures(rooms: int, updates: int) -> None:
    """Memory of idle rooms and load time from a long log (benchmarks/room_figures.py):
    Penholder only, each against its own reference measured in the same run."""
    import room_figures

    if updates:
        room_figures.load_time(updates)
    if rooms:
        room_figures.idle_rooms(rooms)


# -- report --------------------------------------------------------------------------------

def ensure_node_modules() -> None:
    if not shutil.which("node") or not shutil.which("npm"):
        sys.exit("sync_bench: node and npm are needed for the load generator and the references")
    if (NODE_DIR / "node_modules" / ".package-lock.json").exists():
        return
    print("sync_bench: installing the reference servers (npm ci in benchmarks/node)...", file=sys.stderr)
    done = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=NODE_DIR,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"sync_bench: npm ci failed in {NODE_DIR}: {last_line(done.stderr)}")


def fmt(x: float | int | None, spec: str) -> str:
    return "-" if x is None else format(x, spec)


def print_table(rows: list[tuple[str, Result]]) -> None:
    head = (f"{'server':<24}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'updates/s':>11}"
            f"{'delivered':>17}{'server CPU s':>14}{'peak RSS MiB':>14}{'gen CPU':>9}{'gen lag p99':>13}")
    print(head)
    print("-" * len(head))
    for label, r in rows:
        if r.load is None:
            print(f"{label}: not measured ({r.reason})")
            continue
        d = r.load
        delivered = f"{d['delivered']}/{d['expected']}"
        print(f"{label:<24}{fmt(d['p50_ms'], '.1f'):>9}{fmt(d['p99_ms'], '.1f'):>9}"
              f"{fmt(d['max_ms'], '.1f'):>9}{fmt(d['updates_per_s'], 'd'):>11}{delivered:>17}"
              f"{fmt(r.server_cpu_s, '.1f'):>14}{fmt(r.server_rss_mib, '.0f'):>14}"
              f"{fmt(d.get('loadgen_cpu'), '.0%'):>9}{fmt(d.get('loadgen_loop_delay_p99_ms'), '.1f'):>13}")


def problems_of(r: Result, args: argparse.Namespace) -> list[str]:
    d = r.load
    assert d is not None
    problems = []
    if d["delivered"] < d["expected"]:
        problems.append(f"{d['expected'] - d['delivered']} deliveries missing after the drain")
    if not d.get("converged", True):
        problems.append("the clients' texts differ at the end")
    if d.get("markers_in_text") not in (None, d["sent"]):
        problems.append(f"{d['markers_in_text']} of {d['sent']} markers in the final text")
    if d["sent"] < 0.95 * args.clients * args.rate * args.seconds:
        problems.append(f"only {d['sent']} edits sent of {args.clients * args.rate * args.seconds:.0f}")
    if d.get("loadgen_cpu", 0) >= 0.9:
        problems.append(f"the load generator used {d['loadgen_cpu']:.0%} of a core: it may be "
                        "the bottleneck")
    return problems


def ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else a / b


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def report(rounds: list[dict[str, Result]], names: list[str], args: argparse.Namespace) -> None:
    print(f"\n{args.clients} clients in one room, {args.rate:g} edits/s each for {args.seconds:g} s "
          f"(after {args.warmup:g} s warm-up), loopback; latency = send to arrival at another client; "
          f"{len(rounds)} round{'s' if len(rounds) != 1 else ''}, servers taking turns")
    print_table([(f"{name} #{i + 1}" if len(rounds) > 1 else name, rnd[name])
                 for name in names for i, rnd in enumerate(rounds) if name in rnd])
    for i, rnd in enumerate(rounds):
        for name, r in rnd.items():
            if r.load is not None:
                for p in problems_of(r, args):
                    print(f"  {name} #{i + 1}: {p}")

    if "penholder" not in names:
        return
    refs = [n for n in names if n in REFERENCES]
    if not refs:
        return
    print("\nPenholder / reference, the median of the rounds' ratios (latency: >1 means Penholder "
          "slower; updates/s: <1 means Penholder delivers less)")
    print(f"{'reference':<20}{'p50':>8}{'p99':>8}{'updates/s':>11}  {'rounds (p50)':<24}goal: at least as fast")
    for ref in refs:
        pairs = [(rnd["penholder"].load, rnd[ref].load) for rnd in rounds
                 if rnd.get("penholder") and rnd["penholder"].load and rnd.get(ref) and rnd[ref].load]
        if not pairs:
            print(f"{ref:<20}{'-':>8}{'-':>8}{'-':>11}  not measured in the same round as Penholder")
            continue
        p50s = [x for a, b in pairs if (x := ratio(a["p50_ms"], b["p50_ms"])) is not None]
        p99s = [x for a, b in pairs if (x := ratio(a["p99_ms"], b["p99_ms"])) is not None]
        upss = [x for a, b in pairs if (x := ratio(a["updates_per_s"], b["updates_per_s"])) is not None]
        p50, p99, ups = median(p50s), median(p99s), median(upss)
        ok = p50 is not None and p99 is not None and ups is not None and p50 <= 1 and p99 <= 1 \
            and ups >= 0.99
        each = " ".join(f"{x:.2f}" for x in p50s)
        print(f"{ref:<20}{fmt(p50, '.2f'):>8}{fmt(p99, '.2f'):>8}{fmt(ups, '.2f'):>11}  {each:<24}"
              f"{'ok' if ok else 'MISSED'}")


def _captured(fn) -> str:  # type: ignore[no-untyped-def]
    """What fn prints, to show after the table."""
    import contextlib
    import io
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        fn()
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100, help="clients in the room (default 100)")
    parser.add_argument("--seconds", type=float, default=8, help="measured seconds of edits per round (default 8)")
    parser.add_argument("--rate", type=float, default=2, help="edits per second per client (default 2)")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of edits before measuring (default 2)")
    parser.add_argument("--drain-ms", type=int, default=5000,
                        help="longest wait for deliveries after the last edit (default 5000)")
    parser.add_argument("--connect-timeout-ms", type=int, default=30000,
                        help="longest wait for every client to connect and sync (default 30000)")
    parser.add_argument("--start-timeout", type=float, default=30,
                        help="seconds a server may take to listen (default 30)")
    parser.add_argument("--rounds", type=int, default=5,
                        help="turns each server takes, the order rotating (default 5); ratios are "
                        "the median of the rounds'")
    parser.add_argument("--servers", default=",".join(SERVERS),
                        help=f"comma-separated, in order (default {','.join(SERVERS)})")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--rooms", type=int, default=1000,
                        help="idle rooms for the memory figure (default 1000; 0 skips it)")
    parser.add_argument("--log-updates", type=int, default=50_000,
                        help="logged updates for the load-time figure (default 50000; 0 skips it)")
    parser.add_argument("--no-stall", action="store_true",
                        help="skip the longest event-loop stall under a concurrent writer")
    parser.add_argument("--no-two-processes", action="store_true",
                        help="skip the clients over two processes on PostgreSQL and Redis")
    parser.add_argument("--postgres-url", default=os.environ.get(
                            "PENHOLDER_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
                        help="PostgreSQL database for the two processes (a schema of its own is made "
                        "and dropped; default $PENHOLDER_BENCH_POSTGRES_URL or the test database)")
    parser.add_argument("--redis-url", default=os.environ.get("PENHOLDER_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"),
                        help="Redis for the two processes (default $PENHOLDER_BENCH_REDIS_URL or "
                        "redis://127.0.0.1:6379/0)")
    args = parser.parse_args()
    names = [s.strip() for s in args.servers.split(",") if s.strip()]
    unknown = [s for s in names if s not in SERVERS]
    if unknown:
        parser.error(f"unknown server {unknown[0]}; known: {', '.join(SERVERS)}")
    if not 1 <= args.rounds <= 20:
        parser.error("--rounds 1..20")
    if not 2 <= args.clients <= 1000 or args.seconds <= 0 or args.seconds > 600 or not 0 < args.rate <= 100:
        parser.error("--clients 2..1000, --seconds above 0 and at most 600, --rate above 0 and at most 100")

    ensure_node_modules()
    rounds: list[dict[str, Result]] = []
    with tempfile.TemporaryDirectory(prefix="penholder-bench-") as tmp_name:
        tmp = Path(tmp_name)
        try:
            setup: PenholderSetup | NotMeasured = setup_penholder(tmp, args)
        except NotMeasured as exc:
            setup = exc
            print(f"sync_bench: penholder: {exc}; the references start from an empty document",
                  file=sys.stderr, flush=True)
        initial_state = setup.initial_state if isinstance(setup, PenholderSetup) else None
        for i in range(args.rounds):
            rnd: dict[str, Result] = {}
            for name in names[i % len(names):] + names[:i % len(names)]:  # rotate the order
                print(f"sync_bench: round {i + 1}/{args.rounds}: {name}...", file=sys.stderr, flush=True)
                if name == "penholder":
                    r = run_penholder(setup, args, tmp)
                else:
                    r = run_reference(name, args, tmp, initial_state)
                if r.reason:
                    print(f"sync_bench: {name}: not measured ({r.reason})", file=sys.stderr, flush=True)
                rnd[name] = r
            rounds.append(rnd)
        stall = not args.no_stall and "penholder" in names
        if stall:
            print("sync_bench: the event loop under a concurrent writer...", file=sys.stderr, flush=True)
            stall_lines = _captured(lambda: stall_under_writer(setup, args, tmp))
        pair = not args.no_two_processes and "penholder" in names
        if pair:
            print("sync_bench: two processes on PostgreSQL and Redis...", file=sys.stderr, flush=True)
            pair_lines = _captured(lambda: two_processes(args, tmp))
    report(rounds, names, args)
    if stall:
        print()
        print(stall_lines, end="")
    if pair:
        print()
        print(pair_lines, end="")
    if args.json:
        args.json.write_text(json.dumps([{name: r.__dict__ for name, r in rnd.items()} for rnd in rounds],
                                        indent=2) + "\n")
    if "penholder" in names:
        print()
        penholder_only_figures(args.rooms, args.log_updates)
    return 0


if __name__ == "__main__":
    sys.exit(main())

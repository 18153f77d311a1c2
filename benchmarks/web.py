"""Benchmark: requests per second and latency of the web tier, as production runs it.

Set-up, all on loopback and in a throw-away data folder:

* ``XXGK_PRODUCTION=1`` behind an HTTPS proxy (``XXGK_BEHIND_HTTPS_PROXY=1``; the client
  sends ``X-Forwarded-Proto: https`` as nginx would), gunicorn sync workers serving
  ``xxgk.wsgi:application``;
* the database: SQLite in the data folder, or — if ``DATABASE_URL`` names a PostgreSQL
  server — a throw-away database created on that server and dropped afterwards;
* the demo data ``xxgk serve`` creates (a district, a street office, a department, a user
  per role);
* 50 concurrent clients (asyncio, one connection per request, as gunicorn's sync workers
  close after each response), for a fixed time per page after a warm-up, with a cap on the
  number of requests.

Pages measured:

* the portal home page ``/`` (anonymous);
* a staff list page ``/workspace/agencies/<street office>/staff/``, logged in as the street
  office's administrator (through the real login form);
* the ceiling: a Django view returning "hello", from ``benchmarks/_hello_wsgi.py`` under the
  same gunicorn settings — once with the project's settings and middleware, once bare (no
  middleware).

    uv run python benchmarks/web.py [--clients 50] [--seconds 10] [--workers 5]
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres uv run python benchmarks/web.py

The load generator shares the machine's cores with the server, so the figures are a floor
for a dedicated server; compare rows with each other rather than with other machines.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # loopback only

SETUP = """
import json
import django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
from xxgk.accounts.models import User
from xxgk.agencies.demo import create_demo
from xxgk.agencies.models import Agency
accounts = {a.username: a.password for a in create_demo()}
# The benchmark user skips the first-login password change; nothing else is altered.
User.objects.filter(username="guanli").update(must_change_password=False)
street = Agency.objects.get(memberships__user__username="guanli")
print(json.dumps({"username": "guanli", "password": accounts["guanli"], "agency": street.pk}))
"""


@dataclass
class Result:
    name: str
    path: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
        return ordered[index] * 1000

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def raw_request(
    port: int, path: str, *, method: str = "GET", headers: dict[str, str] | None = None, body=b""
) -> tuple[int, dict[str, list[str]], bytes]:
    """One blocking HTTP/1.1 request (for set-up: login, readiness)."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    data = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
    with socket.create_connection((HOST, port), timeout=30) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    head, _, content = b"".join(chunks).partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    parsed: dict[str, list[str]] = {}
    for line in header_lines:
        key, _, value = line.partition(":")
        parsed.setdefault(key.strip().lower(), []).append(value.strip())
    return int(status_line.split()[1]), parsed, content


def cookies_from(headers: dict[str, list[str]]) -> dict[str, str]:
    jar = {}
    for line in headers.get("set-cookie", []):
        name, _, rest = line.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def log_in(port: int, username: str, password: str) -> dict[str, str]:
    """Through the real login form (CSRF token, lockout and all); returns the cookies."""
    proxy = {"X-Forwarded-Proto": "https"}
    status, headers, body = raw_request(port, "/accounts/login/", headers=proxy)
    if status != 200:
        raise SystemExit(f"login page answered {status}")
    jar = cookies_from(headers)
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if not match:
        raise SystemExit("no CSRF token on the login page")
    from urllib.parse import urlencode

    form = urlencode(
        {"csrfmiddlewaretoken": match.group(1).decode(), "username": username, "password": password}
    ).encode()
    status, headers, _ = raw_request(
        port,
        "/accounts/login/",
        method="POST",
        headers={
            **proxy,
            "Cookie": cookie_header(jar),
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"https://{HOST}:{port}",
            "Referer": f"https://{HOST}:{port}/accounts/login/",
        },
        body=form,
    )
    jar.update(cookies_from(headers))
    if status != 302 or "sessionid" not in jar:
        raise SystemExit(f"login failed: status {status}")
    return jar


async def one_request(port: int, request: bytes) -> int:
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        writer.write(request)
        await writer.drain()
        data = await reader.read()
    finally:
        writer.close()
    return int(data[9:12]) if data[:5] == b"HTTP/" else 0


async def load(
    port: int, result: Result, request: bytes, clients: int, seconds: float, warmup: float, cap: int
) -> None:
    async def client(stop_at: float, record: bool) -> None:
        while time.perf_counter() < stop_at:
            if record and len(result.latencies) + result.errors >= cap:
                return
            started = time.perf_counter()
            try:
                status = await one_request(port, request)
            except OSError:
                status = 0
            if not record:
                continue
            if status == 200:
                result.latencies.append(time.perf_counter() - started)
            else:
                result.errors += 1

    stop = time.perf_counter() + warmup
    await asyncio.gather(*(client(stop, False) for _ in range(clients)))
    started = time.perf_counter()
    await asyncio.gather(*(client(started + seconds, True) for _ in range(clients)))
    result.seconds = time.perf_counter() - started


def build_request(port: int, path: str, jar: dict[str, str] | None) -> bytes:
    lines = [
        f"GET {path} HTTP/1.1",
        f"Host: {HOST}:{port}",
        "X-Forwarded-Proto: https",
        "Accept: text/html",
        "Connection: close",
    ]
    if jar:
        lines.append(f"Cookie: {cookie_header(jar)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


@contextmanager
def gunicorn(app: str, env: dict[str, str], workers: int) -> Iterator[int]:
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", app,
        "--bind", f"{HOST}:{port}",
        "--workers", str(workers),
        "--pythonpath", str(REPO / "benchmarks"),
        "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env, cwd=REPO)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _, _ = raw_request(port, "/", headers={"X-Forwarded-Proto": "https"})
                if status == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"gunicorn {app} did not come up")
            time.sleep(0.2)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def database(url: str) -> Iterator[tuple[str, str]]:
    """(DATABASE_URL to use, description): a throw-away PostgreSQL database, or SQLite."""
    if not url:
        yield "", "SQLite (data folder)"
        return
    import psycopg

    parsed = urlparse(url)
    server = f"{parsed.scheme}://{parsed.netloc}"
    name = f"xxgk_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield (
            f"{server}/{name}",
            f"PostgreSQL {parsed.hostname}:{parsed.port or 5432} (throw-away {name})",
        )
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10.0, help="measured time per page")
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--max-requests", type=int, default=200_000, help="cap per page")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    args = parser.parse_args(argv)
    if not (1 <= args.clients <= 500 and 0 < args.seconds <= 120 and args.workers >= 1):
        parser.error("--clients 1..500, --seconds 0..120, --workers >= 1")

    data_dir = Path(tempfile.mkdtemp(prefix="xxgk-bench-web-"))
    try:
        with database(os.environ.get("DATABASE_URL", "")) as (db_url, db_label):
            env = dict(os.environ)
            env.update(
                XXGK_DATA_DIR=str(data_dir),
                XXGK_PRODUCTION="1",
                XXGK_BEHIND_HTTPS_PROXY="1",
                DJANGO_SETTINGS_MODULE="xxgk.settings",
                DATABASE_URL=db_url,
            )
            setup = subprocess.run(
                [sys.executable, "-c", SETUP], env=env, cwd=REPO, capture_output=True,
                text=True, timeout=300,
            )  # fmt: skip
            if setup.returncode != 0:
                print(setup.stderr, file=sys.stderr)
                return 1
            demo = json.loads(setup.stdout.strip().splitlines()[-1])

            results: list[Result] = []
            with gunicorn("xxgk.wsgi:application", env, args.workers) as port:
                jar = log_in(port, demo["username"], demo["password"])
                staff = f"/workspace/agencies/{demo['agency']}/staff/"
                status, _, body = raw_request(
                    port,
                    staff,
                    headers={"X-Forwarded-Proto": "https", "Cookie": cookie_header(jar)},
                )
                if status != 200 or demo["username"].encode() not in body:
                    raise SystemExit(f"staff list not reachable when logged in ({status})")
                for name, path, cookies in [
                    ("portal home", "/", None),
                    ("staff list (logged in)", staff, jar),
                ]:
                    result = Result(name, path)
                    asyncio.run(
                        load(
                            port,
                            result,
                            build_request(port, path, cookies),
                            args.clients,
                            args.seconds,
                            args.warmup,
                            args.max_requests,
                        )
                    )
                    results.append(result)
            for name, bare in [("hello, project middleware", "0"), ("hello, bare Django", "1")]:
                hello_env = {**env, "XXGK_HELLO_BARE": bare}
                with gunicorn("_hello_wsgi:application", hello_env, args.workers) as port:
                    result = Result(name, "/")
                    asyncio.run(
                        load(
                            port,
                            result,
                            build_request(port, "/", None),
                            args.clients,
                            args.seconds,
                            args.warmup,
                            args.max_requests,
                        )
                    )
                    results.append(result)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)

    print(
        f"gunicorn {args.workers} sync workers, {db_label}, {args.clients} clients, "
        f"{args.seconds:g} s per page after {args.warmup:g} s warm-up, {os.cpu_count()} CPUs "
        "shared with the load generator"
    )
    print(
        f"{'page':28} {'requests':>9} {'errors':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
    )
    for r in results:
        print(
            f"{r.name:28} {len(r.latencies):9d} {r.errors:7d} {r.rps:8.0f} "
            f"{r.percentile(50):8.1f} {r.percentile(95):8.1f} {r.percentile(99):8.1f}"
        )
    return 0 if all(r.errors == 0 and r.latencies for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())

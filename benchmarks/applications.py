"""Benchmark: concurrent online applications against the production set-up, with a crash.

What it does, all on loopback in a throw-away data folder and a throw-away PostgreSQL
database (created on ``DATABASE_URL``'s server, default ``postgresql://postgres@127.0.0.1:5432``,
dropped afterwards):

1. ``XXGK_PRODUCTION=1`` behind an HTTPS proxy (the client sends ``X-Forwarded-Proto: https``
   and, with ``XXGK_TRUSTED_PROXY_COUNT=1``, an ``X-Forwarded-For`` address per client so the
   per-address rate limit sees 200 different citizens), gunicorn sync workers on
   ``xxgk.wsgi:application``; one street office accepting online applications.
2. 200 clients at once (threads): each loads the public form (CSRF cookie, one-time token),
   then POSTs a complete application with a small PDF attachment. A client whose request
   fails (connection refused or reset, 5xx) waits and sends **the same form again** (same
   token), as a citizen pressing the button again would.
3. When ``--kill-after`` submissions have been acknowledged, the whole gunicorn process
   group gets SIGKILL (master and workers, mid-request), stays down ``--down`` seconds, and
   is started again.
4. Then the database and the upload folder are checked: every acknowledged tracking number
   is stored exactly once with its token, no token or number is stored twice, every stored
   case has exactly its one attachment and the file's SHA-256 matches; rows that no client
   saw acknowledged and files no row refers to (written by a killed worker before its
   commit; the daily housekeeping removes them) are counted.

    uv run python benchmarks/applications.py [--clients 200] [--workers 5] [--kill-after 80]
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres uv run python benchmarks/applications.py

Exit status 0 when every acknowledged submission is stored exactly once, 1 otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
DEFAULT_DB = "postgresql://postgres@127.0.0.1:5432/postgres"

SETUP = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
from xxgk.agencies.models import Agency
district = Agency.objects.create(name="压测区人民政府", kind="government", slug="bench-qu")
Agency.objects.create(
    name="压测区东门街道办事处", kind="street_office", slug="bench-dongmen", parent=district,
    channels=["in_person", "post", "online"],
)
print("ok")
"""

# A small but real PDF (magic bytes checked by content), ~20 KB.
PDF = b"%PDF-1.4\n" + b"% scanned ID proof\n" * 1100 + b"%%EOF\n"
ID17 = "11010519491231002"


def id_number(i: int) -> str:
    """A valid 18-digit ID number per client (different birth days → different applicants)."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    first = f"110105{1950 + i % 50:04d}{1 + i % 12:02d}{1 + i % 28:02d}{i % 1000:03d}"
    return first + "10X98765432"[sum(int(c) * w for c, w in zip(first, weights, strict=True)) % 11]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@contextmanager
def database(url: str) -> Iterator[str]:
    import psycopg

    parsed = urlparse(url)
    server = f"{parsed.scheme}://{parsed.netloc}"
    name = f"xxgk_bench_apps_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Server:
    """gunicorn in its own process group, so SIGKILL reaches the master and every worker."""

    def __init__(self, env: dict[str, str], workers: int, port: int) -> None:
        self.env, self.workers, self.port = env, workers, port
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> float:
        started = time.perf_counter()
        command = [
            sys.executable, "-m", "gunicorn", "xxgk.wsgi:application",
            "--bind", f"{HOST}:{self.port}", "--workers", str(self.workers),
            "--backlog", "2048", "--timeout", "60", "--log-level", "warning",
        ]  # fmt: skip
        self.process = subprocess.Popen(command, env=self.env, cwd=REPO, start_new_session=True)
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
                conn.request("GET", "/", headers={"X-Forwarded-Proto": "https"})
                if conn.getresponse().status == 200:
                    return time.perf_counter() - started
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("gunicorn did not come up")
            time.sleep(0.1)

    def kill(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@dataclass
class Outcome:
    index: int
    token: str = ""
    number: str = ""
    code: str = ""
    status: int = 0
    attempts: int = 0
    failures: int = 0
    first_status: int = 0
    acked_at: float = 0.0


@dataclass
class Run:
    outcomes: list[Outcome] = field(default_factory=list)
    acked: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def multipart(
    fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]
) -> tuple[bytes, str]:
    boundary = "----xxgkbench" + uuid.uuid4().hex
    out = bytearray()
    for name, value in fields.items():
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        out += value.encode() + b"\r\n"
    for name, (filename, data, ctype) in files.items():
        out += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {ctype}\r\n\r\n'
        ).encode()
        out += data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"


def request(port: int, method: str, path: str, headers: dict[str, str], body: bytes = b""):
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        conn.request(method, path, body=body or None, headers=headers)
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


def client(
    port: int, slug: str, outcome: Outcome, run: Run, start: threading.Event, deadline: float
) -> None:
    i = outcome.index
    proxy = {
        "X-Forwarded-Proto": "https",
        "X-Forwarded-For": f"10.{i // 250}.{i % 250}.{1 + i % 200}",
        "Host": f"{HOST}:{port}",
    }
    path = f"/org/{slug}/apply/"
    start.wait()
    body = b""
    headers: dict[str, str] = {}
    while time.monotonic() < deadline:
        try:
            if not body:  # load the form once: the same token is re-sent on every retry
                status, raw_headers, page = request(port, "GET", path, proxy)
                if status != 200:
                    raise OSError(f"form {status}")
                cookie = next(
                    v.split(";", 1)[0]
                    for k, v in raw_headers
                    if k.lower() == "set-cookie" and v.startswith("csrftoken=")
                )
                csrf = (
                    re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
                    .group(1)
                    .decode()
                )
                outcome.token = re.search(rb'name="token" value="([^"]+)"', page).group(1).decode()
                body, ctype = multipart(
                    {
                        "csrfmiddlewaretoken": csrf,
                        "token": outcome.token,
                        "kind": "natural_person",
                        "name": f"申请人{i}",
                        "id_type": "resident_id",
                        "id_number": id_number(i),
                        "phone": f"138{i:08d}",
                        "email": f"a{i}@example.com",
                        "address": f"压测路{i}号",
                        "description": f"第{i}号：2024年度老旧小区改造项目的批复文件",
                        "medium": "electronic",
                        "delivery": "email",
                        "website": "",
                    },
                    {"attachments": (f"id{i}.pdf", PDF, "application/pdf")},
                )
                headers = {
                    **proxy,
                    "Cookie": cookie,
                    "Content-Type": ctype,
                    "Origin": f"https://{HOST}:{port}",
                    "Referer": f"https://{HOST}:{port}{path}",
                }
            outcome.attempts += 1
            status, _, page = request(port, "POST", path, headers, body)
            outcome.first_status = outcome.first_status or status
            if status in (200, 201):
                number = re.search(rb'id="tracking-number">([^<]+)<', page)
                code = re.search(rb'id="query-code">([^<]+)<', page)
                if number and code:
                    outcome.number, outcome.code = number.group(1).decode(), code.group(1).decode()
                    outcome.status = status
                    outcome.acked_at = time.perf_counter()
                    with run.lock:
                        run.acked += 1
                    return
            if 400 <= status < 500:
                outcome.status = status
                return  # a refusal is an answer, not a crash: not retried
            outcome.failures += 1
        except (OSError, http.client.HTTPException, StopIteration, AttributeError):
            outcome.failures += 1
        time.sleep(0.3)


def verify(db_url: str, media: Path, outcomes: list[Outcome]) -> dict[str, int]:
    import psycopg

    with psycopg.connect(db_url) as conn:
        rows = conn.execute(
            "SELECT id, number, submission_token FROM applications_application"
        ).fetchall()
        attachments = conn.execute(
            "SELECT application_id, file, sha256 FROM applications_attachment"
        ).fetchall()
    by_token: dict[str, list[tuple[int, str]]] = {}
    by_number: dict[str, int] = {}
    for pk, number, token in rows:
        by_token.setdefault(token, []).append((pk, number))
        by_number[number] = by_number.get(number, 0) + 1
    files_of: dict[int, list[tuple[str, str]]] = {}
    for app_id, rel, sha in attachments:
        files_of.setdefault(app_id, []).append((rel, sha))
    acked = [o for o in outcomes if o.number]
    stored_once = sum(
        1
        for o in acked
        if [n for _, n in by_token.get(o.token, [])] == [o.number] and by_number[o.number] == 1
    )
    bad_files = 0
    for pk, _number, _token in rows:
        files = files_of.get(pk, [])
        if len(files) != 1:
            bad_files += 1
            continue
        rel, sha = files[0]
        path = media / rel
        if not path.exists() or hashlib.sha256(path.read_bytes()).hexdigest() != sha:
            bad_files += 1
    known = {rel for _, rel, _ in attachments}
    on_disk = [p for p in (media / "applications").rglob("*") if p.is_file()]
    orphans = sum(1 for p in on_disk if p.relative_to(media).as_posix() not in known)
    acked_tokens = {o.token for o in acked}
    return {
        "rows": len(rows),
        "acknowledged": len(acked),
        "acknowledged_stored_exactly_once": stored_once,
        "acknowledged_missing": sum(1 for o in acked if o.token not in by_token),
        "duplicate_tokens": sum(1 for v in by_token.values() if len(v) > 1),
        "duplicate_numbers": sum(1 for v in by_number.values() if v > 1),
        "rows_never_acknowledged": sum(1 for t in by_token if t not in acked_tokens),
        "rows_with_wrong_attachment": bad_files,
        "orphan_files": orphans,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--kill-after", type=int, default=80, help="acknowledged before SIGKILL")
    parser.add_argument("--down", type=float, default=2.0, help="seconds the server stays dead")
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args(argv)
    if not (1 <= args.clients <= 1000 and 0 <= args.kill_after < args.clients):
        parser.error("--clients 1..1000 and 0 <= --kill-after < --clients")

    data_dir = Path(tempfile.mkdtemp(prefix="xxgk-bench-apps-"))
    url = os.environ.get("DATABASE_URL") or DEFAULT_DB
    with database(url) as db_url:
        env = dict(os.environ)
        env.update(
            XXGK_DATA_DIR=str(data_dir),
            XXGK_PRODUCTION="1",
            XXGK_BEHIND_HTTPS_PROXY="1",
            XXGK_TRUSTED_PROXY_COUNT="1",
            XXGK_SECRET_KEY="benchmark-" + uuid.uuid4().hex,
            DJANGO_SETTINGS_MODULE="xxgk.settings",
            DATABASE_URL=db_url,
        )
        setup = subprocess.run(
            [sys.executable, "-c", SETUP], env=env, cwd=REPO, capture_output=True, text=True,
            timeout=300,
        )  # fmt: skip
        if setup.returncode != 0:
            print(setup.stderr, file=sys.stderr)
            return 1
        server = Server(env, args.workers, free_port())
        first_start = server.start()
        restart = 0.0
        run = Run(outcomes=[Outcome(i) for i in range(args.clients)])
        start = threading.Event()
        deadline = time.monotonic() + args.timeout
        threads = [
            threading.Thread(
                target=client,
                args=(server.port, "bench-dongmen", o, run, start, deadline),
                daemon=True,
            )
            for o in run.outcomes
        ]
        for t in threads:
            t.start()
        began = time.perf_counter()
        start.set()
        killed_at = restarted_at = 0.0
        acked_before_kill = 0
        try:
            while run.acked < args.kill_after and any(t.is_alive() for t in threads):
                time.sleep(0.01)
            acked_before_kill = run.acked
            killed_at = time.perf_counter()
            server.kill()
            time.sleep(args.down)
            restart = server.start()
            restarted_at = time.perf_counter()
            for t in threads:
                t.join(max(0.0, deadline - time.monotonic()))
        finally:
            ended = time.perf_counter()
            server.stop()
        figures = verify(db_url, data_dir / "media", run.outcomes)

    outcomes = run.outcomes
    statuses: dict[str, int] = {}
    for o in outcomes:
        key = str(o.status or "no answer")
        statuses[key] = statuses.get(key, 0) + 1
    retried = [o for o in outcomes if o.attempts > 1]
    replayed = sum(1 for o in outcomes if o.status == 200)  # answered "already stored"
    wall = ended - began
    pre = killed_at - began
    # After the kill: requests queued or retried while gunicorn came back are answered before
    # its readiness probe returns; they count, and the window starts at the kill (down time
    # included), so the figure is not inflated by a window that begins late.
    acked_after_kill = [o.acked_at for o in outcomes if o.acked_at > killed_at]
    during_restart = sum(1 for t in acked_after_kill if t <= restarted_at)
    from_kill = (max(acked_after_kill) - killed_at) if acked_after_kill else 0.0
    serving = (max(acked_after_kill) - restarted_at) if acked_after_kill else 0.0
    report = {
        "database": "PostgreSQL (throw-away)",
        "clients": args.clients,
        "gunicorn_workers": args.workers,
        "final_status_counts": statuses,
        "clients_retried": len(retried),
        "requests_total": sum(o.attempts for o in outcomes),
        "failed_requests": sum(o.failures for o in outcomes),
        "acknowledged_before_kill": acked_before_kill,
        "acknowledged_as_replay_200": replayed,
        "seconds_total": round(wall, 2),
        "seconds_before_kill": round(pre, 2),
        "seconds_down_incl_restart": round(restarted_at - killed_at, 2),
        "seconds_gunicorn_start_first_and_restart": [round(first_start, 2), round(restart, 2)],
        "throughput_before_kill_per_s": round(acked_before_kill / pre, 1) if pre else None,
        "acknowledged_after_kill": len(acked_after_kill),
        "acknowledged_during_restart_before_ready": during_restart,
        "seconds_from_kill_to_last_ack": round(from_kill, 2),
        "seconds_from_ready_to_last_ack": round(serving, 2),
        "throughput_from_kill_per_s": (
            round(len(acked_after_kill) / from_kill, 1) if from_kill else None
        ),
        "throughput_overall_per_s": round(figures["acknowledged"] / wall, 1),
        **figures,
    }
    print(json.dumps(report, ensure_ascii=False, indent=2))
    ok = (
        figures["acknowledged"] == figures["acknowledged_stored_exactly_once"]
        and figures["duplicate_tokens"] == 0
        and figures["duplicate_numbers"] == 0
        and figures["rows_with_wrong_attachment"] == 0
    )
    print("OK: every acknowledged submission is stored exactly once" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Load and fault benchmark (`make loadtest`): the production layout, one instance killed.

Two gunicorn instances (2 sync workers each, production settings) share a throwaway
PostgreSQL cluster and a real redis-server; one `manage.py db_worker` sends the
emails, through Django's file backend into a folder, so that they can be counted.

1. Readers alone load the campaign page (the reference throughput).
2. N people walk the whole demo pledge for D seconds while the readers go on and an
   editor (a side process, through the ORM) publishes the campaign page every 10 s
   with a new marker in its body. Half-way, one instance is killed (`kill -9`, its
   workers and requests in flight with it) and restarted on the same port. Requests
   go to either instance at random; one refused (the dead instance) goes to the
   other, as a load balancer would; a GET cut in flight is retried, a POST is not.
3. The worker drains the queue; then `recover_tasks` and `send_queued_emails` run
   as the README's cron line does.

Printed, with a target each (exit 1 when one is missed): pledges acknowledged vs
stored (none lost, none twice), emails queued vs sent (equal, none twice in the
mail folder), the longest time a reader saw the campaign page older than a publish
finished before its request started (< 2 s), the campaign page's throughput during
the pledges vs without (>= 0.8x), server errors (none); p50/p95 of each.

    python tests/benchmarks/fault_bench.py                        # 50 people, 60 s
    python tests/benchmarks/fault_bench.py --people 8 --seconds 15 --readers 4
"""

import argparse
import email
import email.policy
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # tests.redis_server

import server_bench as bench  # noqa: E402 (same folder: the script's own path entry)

from tests.redis_server import REDIS_SERVER, RedisServer  # noqa: E402

ROOT = bench.ROOT
HOST = bench.HOST
MARKER_RE = re.compile(rb"bench-rev-(\d+)")
SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # between messages in a filebased backend's file

EDITOR_SCRIPT = """
import json, os, time
from content.models import CampaignPage

interval = float(os.environ["BENCH_EDITOR_INTERVAL"])
until = time.time() + float(os.environ["BENCH_EDITOR_SECONDS"])
revision = 0
while True:
    page = CampaignPage.objects.get(url_path__endswith="/mon-ordi-est-une-chance/")
    body = [
        block for block in page.body.raw_data
        if not (block["type"] == "rich_text" and "bench-rev-" in str(block["value"]))
    ]
    body.append({"type": "rich_text", "value": f"<p>bench-rev-{revision}</p>"})
    page.body = body
    page.save_revision().publish()
    print(json.dumps({"revision": revision, "at": time.time()}), flush=True)
    revision += 1
    if time.time() + interval > until:
        break
    time.sleep(interval)
"""

STATE_SCRIPT = """
import json
from forms.engine.models.outgoing_email import OutgoingEmail
from forms.engine.models.submission import Submission
emails = OutgoingEmail.objects.order_by("pk").values("pk", "subject", "sent_at")
print(json.dumps({
    "tokens": list(Submission.objects.values_list("walk_token", flat=True)),
    "emails": [
        {"pk": e["pk"], "subject": e["subject"], "sent": e["sent_at"] is not None}
        for e in emails
    ],
}))
"""


def state(env):
    return json.loads(
        bench.manage(env, ROOT, "shell", "-v0", "-c", STATE_SCRIPT).strip().splitlines()[-1]
    )


def percentile(values, fraction):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * fraction))] if values else float("nan")


def spread(values):
    return f"p50 {percentile(values, 0.5):.0f} ms, p95 {percentile(values, 0.95):.0f} ms"


class Balancer:
    """Sends each request to a random instance, like a round-robin load balancer:
    one refused goes to the other; a GET cut in flight is retried there."""

    def __init__(self, servers):
        self.servers = servers

    def send(self, method, path, data=None, jar=None):
        ports = [server.port for server in self.servers]
        random.shuffle(ports)
        for attempt, port in enumerate(ports):
            last = attempt == len(ports) - 1
            try:
                return bench.request(port, method, path, data=data, jar=jar, host=HOST)
            except ConnectionRefusedError:
                if last:
                    raise
            except OSError:
                if method != "GET" or last:
                    raise
        raise AssertionError("unreachable")


class Editor:
    """The side process publishing the campaign page; ``published`` lists
    ``(revision, wall time its publish committed)``."""

    def __init__(self, env, interval, seconds, logdir):
        self.published = []
        self.errors = open(Path(logdir) / "editor.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-v0", "-c", EDITOR_SCRIPT],
            cwd=ROOT,
            env={
                **env,
                "BENCH_EDITOR_INTERVAL": str(interval),
                "BENCH_EDITOR_SECONDS": str(seconds),
            },
            stdout=subprocess.PIPE,
            stderr=self.errors,
            text=True,
        )
        self.first = threading.Event()
        self.thread = threading.Thread(target=self.read, daemon=True)
        self.thread.start()

    def read(self):
        for line in self.process.stdout:
            if line.startswith("{"):
                entry = json.loads(line)
                self.published.append((entry["revision"], entry["at"]))
                self.first.set()

    def wait(self):
        self.process.wait(timeout=120)
        self.thread.join(timeout=10)
        self.errors.close()
        return self.process.returncode


def start_worker(env, logdir):
    log = open(Path(logdir) / "db_worker.log", "a")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.5", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return process, log


def mail_subjects(folder):
    """Subject of every message the filebased backend wrote, as many times as sent."""
    subjects = []
    for path in sorted(Path(folder).iterdir()):
        for raw in path.read_bytes().split(SEPARATOR):
            if raw.strip():
                message = email.message_from_bytes(raw, policy=email.policy.default)
                subjects.append(" ".join(str(message["subject"]).split()))
    return subjects


def longest_stale(reads, published):
    """The longest a reader was shown a revision older than one whose publish had
    committed before its request started: (seconds, how many such reads)."""
    published = sorted(published)
    worst, count = 0.0, 0
    for started, revision in reads:
        newer = [at for rev, at in published if rev > revision and at < started]
        if newer:
            count += 1
            worst = max(worst, started - min(newer))
    return worst, count


def run(args, folder):
    redis = RedisServer(Path(folder) / "redis")
    (Path(folder) / "redis").mkdir()
    mail_dir = Path(folder) / "mail"
    mail_dir.mkdir()
    url, stop_postgres = bench.postgres_cluster(folder)
    redis.start()
    servers, worker, editor = [], None, None
    try:
        base_env, form = bench.prepare_portal(folder, url)
        env = {
            **base_env,
            "REDIS_URL": redis.url,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mail_dir),
            "PAGE_CACHE": "1",
        }
        bench.manage(env, ROOT, "purge_page_cache")
        before = state(env)
        servers = [
            bench.Server(name, "portal.wsgi:application", ROOT, env, folder, threads=args.threads)
            for name in ("instance-a", "instance-b")
        ]
        balancer = Balancer(servers)
        worker, worker_log = start_worker(env, folder)
        for _ in range(5):
            balancer.send("GET", bench.CAMPAIGN_PATH)

        lock = threading.Lock()
        reads = {"alone": [], "pledges": []}  # (wall start, revision, ms)
        hits = Counter()  # (phase, X-Page-Cache header)
        reader_errors = []
        phase = {"name": "alone", "until": 0.0}

        def reader():
            while time.monotonic() < phase["until"]:
                name, started = phase["name"], time.time()
                try:
                    response = balancer.send("GET", bench.CAMPAIGN_PATH)
                except OSError as error:
                    with lock:
                        reader_errors.append(repr(error))
                    continue
                match = MARKER_RE.search(response.body)
                with lock:
                    if response.status != 200:
                        reader_errors.append(response.status)
                    elif match:
                        reads[name].append((started, int(match.group(1)), response.ms))
                        hits[name, response.headers.get("x-page-cache", "none")] += 1

        def run_readers(seconds):
            threads = [threading.Thread(target=reader) for _ in range(args.readers)]
            phase["until"] = time.monotonic() + seconds
            for thread in threads:
                thread.start()
            return threads

        # 1. Readers alone (the editor's first publish puts the marker in the page).
        editor = Editor(env, args.publish_every, args.alone_seconds + args.seconds, folder)
        if not editor.first.wait(timeout=120):
            raise SystemExit(f"the editor did not publish; see {editor.errors.name}")
        bench.log(f"readers alone: {args.readers} readers, {args.alone_seconds:g} s")
        for thread in run_readers(args.alone_seconds):
            thread.join()

        # 2. Pledges, readers, publishes; one instance killed half-way.
        bench.log(
            f"{args.people} people pledging and {args.readers} readers for {args.seconds:g} s, "
            f"a publish every {args.publish_every:g} s, instance-a killed at {args.seconds / 2:g} s"
        )
        phase["name"] = "pledges"
        readers = run_readers(args.seconds)
        deadline = phase["until"]
        acknowledged, failures, step_ms = [], [], []

        def person():
            while time.monotonic() < deadline:
                try:
                    timings, token = bench.pledge_walk(None, form, send=balancer.send)
                except (AssertionError, OSError) as error:
                    with lock:
                        failures.append(str(error)[:200] or repr(error))
                    continue
                with lock:
                    acknowledged.append(token)
                    for _slug, get_ms, post_ms in timings["steps"]:
                        step_ms.extend((get_ms, post_ms))

        people = [threading.Thread(target=person) for _ in range(args.people)]
        started = time.monotonic()
        for thread in people:
            thread.start()
        time.sleep(args.seconds / 2)
        bench.log("kill -9 instance-a")
        killed_at = time.monotonic()
        servers[0].kill()
        servers[0] = bench.Server(
            "instance-a",
            "portal.wsgi:application",
            ROOT,
            env,
            folder,
            port=servers[0].port,
            threads=args.threads,
        )
        restarted_in = time.monotonic() - killed_at
        bench.log(f"instance-a answering again after {restarted_in:.1f} s")
        for thread in people + readers:
            thread.join()
        elapsed = time.monotonic() - started
        editor_status = editor.wait()

        # 3. The worker drains the queue; then the README's cron line.
        bench.log("waiting for the worker to send the queued emails")
        drain_deadline = time.monotonic() + args.drain_seconds
        while time.monotonic() < drain_deadline:
            pending = [e for e in state(env)["emails"] if not e["sent"]]
            if not pending:
                break
            time.sleep(2)
        os.killpg(worker.pid, 15)
        worker.wait(timeout=30)
        worker_log.close()
        worker = None
        cron = [
            bench.manage(env, ROOT, "recover_tasks").strip(),
            bench.manage(env, ROOT, "send_queued_emails").strip(),
        ]
        after = state(env)
    finally:
        for server in servers:
            if server.process.poll() is None:
                server.stop()
        if worker is not None:
            os.killpg(worker.pid, 9)
        if editor is not None and editor.process.poll() is None:
            editor.process.kill()
        redis.stop()
        stop_postgres()
    server_errors = sum(
        (Path(folder) / f"{name}.log").read_text().count("Internal Server Error")
        for name in ("instance-a", "instance-b")
    )
    return {
        "before": before,
        "after": after,
        "acknowledged": acknowledged,
        "failures": failures,
        "step_ms": step_ms,
        "reads": reads,
        "hits": dict(hits),
        "reader_errors": reader_errors,
        "published": editor.published,
        "editor_status": editor_status,
        "mail": mail_subjects(mail_dir),
        "cron": cron,
        "elapsed": elapsed,
        "restarted_in": restarted_in,
        "server_errors": server_errors,
    }


def report(args, result):
    rows, missed = [], []

    def check(label, value, ok, target):
        rows.append((label, value, target, "ok" if ok else "MISSED"))
        if not ok:
            missed.append(label)

    before, after, acknowledged = result["before"], result["after"], result["acknowledged"]
    stored = [token for token in after["tokens"] if token not in set(before["tokens"])]
    stored_set = set(stored)
    lost = set(acknowledged) - stored_set
    twice = len(stored) - len(stored_set)
    in_flight = stored_set - set(acknowledged)
    check(
        "pledges acknowledged / stored",
        f"{len(acknowledged)} / {len(stored)} (lost {len(lost)}; {len(in_flight)} stored, "
        "answer cut by the kill)",
        not lost and len(acknowledged) == len(set(acknowledged)),
        "each acknowledged one stored",
    )
    check("pledges stored twice", str(twice), twice == 0, "0")

    known = {entry["pk"] for entry in before["emails"]}
    new_emails = [entry for entry in after["emails"] if entry["pk"] not in known]
    subjects = {entry["subject"] for entry in new_emails}
    marked = Counter(entry["subject"] for entry in new_emails if entry["sent"])
    written = Counter(subject for subject in result["mail"] if subject in subjects)
    sent_twice = sum(max(0, count - marked[subject]) for subject, count in written.items())
    check(
        "emails queued / marked sent / in the mail folder",
        f"{len(new_emails)} / {sum(marked.values())} / {sum(written.values())}",
        len(new_emails) == sum(marked.values()) == sum(written.values()),
        "equal",
    )
    check("emails sent twice", str(sent_twice), sent_twice == 0, "0")

    reads = result["reads"]
    stale, stale_reads = longest_stale(
        [(started, revision) for started, revision, _ms in reads["alone"] + reads["pledges"]],
        result["published"],
    )
    check(
        "longest a reader saw a page older than its last publish",
        f"{stale:.2f} s ({stale_reads} stale reads of "
        f"{len(reads['alone']) + len(reads['pledges'])}, {len(result['published'])} publishes)",
        stale < 2,
        "< 2 s",
    )
    alone_rate = len(reads["alone"]) / args.alone_seconds
    pledge_rate = len(reads["pledges"]) / args.seconds  # the readers' own window
    ratio = pledge_rate / alone_rate if alone_rate else 0.0
    check(
        "campaign page/s during pledges / without",
        f"{pledge_rate:.0f} / {alone_rate:.0f} = {ratio:.2f}×",
        ratio >= 0.8,
        "≥ 0.8×",
    )
    errors = result["server_errors"] + len(result["reader_errors"])
    check("server errors (500) and failed reads", str(errors), errors == 0, "0")
    check("editor process", f"exit {result['editor_status']}", result["editor_status"] == 0, "0")

    acked = len(acknowledged)
    print(
        f"\nTwo gunicorn instances (2 workers each, {args.threads} thread(s) per worker, "
        f"production settings), PostgreSQL, "
        f"redis-server, one db_worker; {args.people} people pledging for "
        f"{result['elapsed']:.0f} s with {args.readers} readers, a publish every "
        f"{args.publish_every:g} s, instance-a killed (kill -9) half-way and answering again "
        f"{result['restarted_in']:.1f} s later.\n"
    )
    header = ("measure", "value", "target", "")
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
    print(
        f"\nPledges: {acked} acknowledged ({acked / result['elapsed']:.1f}/s), walks cut "
        f"{len(result['failures'])}; pledge steps {spread(result['step_ms'])}.\n"
        f"Campaign page: readers alone {spread([ms for *_, ms in reads['alone']])}; "
        f"during pledges {spread([ms for *_, ms in reads['pledges']])}.\n"
        f"Page cache answers (phase, X-Page-Cache): {result['hits']}.\n"
        f"After: {' '.join(result['cron'])}"
    )
    if result["failures"]:
        print("Walks cut (first 3): " + "; ".join(result["failures"][:3]))
    if result["reader_errors"]:
        print(f"Failed reads (first 3): {result['reader_errors'][:3]}")
    if missed:
        print(f"\nTargets missed: {', '.join(missed)}")
        return 1
    print("\nEvery target met.")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60, help="the pledging phase")
    parser.add_argument("--readers", type=int, default=20)
    parser.add_argument("--alone-seconds", type=float, default=15, help="readers alone")
    parser.add_argument("--publish-every", type=float, default=10)
    parser.add_argument("--drain-seconds", type=float, default=120)
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per gunicorn worker (gthread when > 1)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the throwaway folder")
    args = parser.parse_args()
    if not os.path.exists(REDIS_SERVER):
        raise SystemExit(f"redis-server not found at {REDIS_SERVER} (apt-get install redis-server)")
    folder = tempfile.mkdtemp(prefix="portal-fault-")
    os.chmod(folder, 0o755)  # noqa: S103 (PostgreSQL's own user writes below it)
    bench.log(f"throwaway folder: {folder}")
    started = time.monotonic()
    try:
        status = report(args, run(args, folder))
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    bench.log(f"took {time.monotonic() - started:.0f} s")
    return status


if __name__ == "__main__":
    sys.exit(main())

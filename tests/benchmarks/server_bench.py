"""The portal against stock Wagtail, side by side under gunicorn (`make bench`).

Builds a stock Wagtail project in a throwaway folder (`wagtail start`, from the
installed Wagtail, plus a wagtail.contrib.forms page holding the same fields as
the demo pledge form), prepares the demo portal on its own SQLite file, serves
both with gunicorn (2 sync workers, production settings, loopback only) and
measures interleaved rounds: medians, ratios, throughputs and query counts.
Exits 1 when a target is missed.

    python tests/benchmarks/server_bench.py            # the comparison (a few minutes)
    python tests/benchmarks/server_bench.py --load     # 50 people sending pledges, 60 s,
                                                       # on SQLite then on PostgreSQL
Nothing it generates is kept (the folder is removed unless --keep).
"""

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
CAMPAIGN_PATH = "/campagnes/mon-ordi-est-une-chance/"
PLEDGE_PATH = CAMPAIGN_PATH + "promesse-de-don/"
GEOJSON_PATH = "/api/mediation-sites.geojson"
STOCK_FORM_PATH = "/formulaire/"
SECRET = "bench-only-secret-key-" + "x" * 50

# Targets: name -> (measured key, reference key, factor, "max"|"min").
TARGETS = []


def log(message):
    print(message, file=sys.stderr, flush=True)


# Processes -----------------------------------------------------------------------
def run(args, env, cwd, stdin=None):
    result = subprocess.run(
        args, env=env, cwd=cwd, input=stdin, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        log(result.stdout[-3000:])
        log(result.stderr[-3000:])
        raise SystemExit(f"failed: {' '.join(map(str, args))}")
    return result.stdout


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn, 2 sync workers (or ``threads`` each, gthread), on a loopback port."""

    def __init__(self, name, app, cwd, env, logdir, port=None, threads=1):
        self.name, self.port = name, port or free_port()
        self.log = open(Path(logdir) / f"{name}.log", "a")  # noqa: SIM115 (a restart appends)
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                app,
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                "2",
                "--worker-class",
                "gthread" if threads > 1 else "sync",
                "--threads",
                str(threads),
                "--timeout",
                "120",
                "--backlog",
                "256",
            ],
            cwd=cwd,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                request(self.port, "GET", "/")
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise SystemExit(f"{name} did not start; see {self.log.name}")

    def kill(self):
        """``kill -9`` the master and its workers at once, requests in flight included."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.log.close()

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


# HTTP ------------------------------------------------------------------------------
class Response:
    def __init__(self, status, headers, body, ms):
        self.status, self.headers, self.body, self.ms = status, headers, body, ms

    @property
    def location(self):
        location = self.headers.get("location", "")
        return urllib.parse.urlsplit(location).path if location else ""

    def text(self):
        return self.body.decode("utf-8", "replace")


def request(port, method, path, data=None, jar=None, timeout=120, host=None):
    """One HTTP request; ``host`` is the Host header (default: the address asked)."""
    host = host or f"{HOST}:{port}"
    headers = {"Host": host, "User-Agent": "portal-bench"}
    body = None
    if data is not None:
        body = urllib.parse.urlencode(data, doseq=True)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Referer"] = f"http://{host}{path}"
    if jar:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
    start = time.perf_counter()
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers)
        raw = connection.getresponse()
        content = raw.read()
        ms = (time.perf_counter() - start) * 1000
        response_headers = {}
        for name, value in raw.getheaders():
            if name.lower() == "set-cookie" and jar is not None:
                cookie = SimpleCookie(value)
                for key, morsel in cookie.items():
                    if morsel["max-age"] == "0" or not morsel.value:
                        jar.pop(key, None)
                    else:
                        jar[key] = morsel.value
            response_headers[name.lower()] = value
        return Response(raw.status, response_headers, content, ms)
    finally:
        connection.close()


CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STEP_RE = re.compile(r'name="(form_\d+_[0-9a-f]{32}-current_step)"')


def csrf_token(response):
    match = CSRF_RE.search(response.text())
    if not match:
        raise AssertionError(f"no CSRF token in the page ({response.status})")
    return match.group(1)


def stock_submission(port, form):
    """One person filling the stock form: GET then POST. Returns (get, post)."""
    jar = {}
    got = request(port, "GET", STOCK_FORM_PATH, jar=jar)
    data = {**form["stock_data"], "csrfmiddlewaretoken": csrf_token(got)}
    posted = request(port, "POST", STOCK_FORM_PATH, data=data, jar=jar)
    if got.status != 200 or posted.status != 200:
        raise AssertionError(f"stock form: GET {got.status}, POST {posted.status}")
    return got, posted


def pledge_walk(port, form, send=None):
    """One person walking the whole demo pledge. Returns its timings and walk token.
    ``send(method, path, data=None, jar=None)`` replaces ``request`` on ``port`` (a
    load balancer in fault_bench.py)."""
    send = send or (lambda *args, **kwargs: request(port, *args, **kwargs))
    jar = {}
    timings = {"steps": []}
    total = 0.0
    start = send("GET", PLEDGE_PATH, jar=jar)
    total += start.ms
    if start.status != 302:
        raise AssertionError(f"pledge start: {start.status}")
    walk_url = start.location.rsplit("/", 2)[0] + "/"
    token = walk_url.rstrip("/").rsplit("/", 1)[1]
    for slug, answers in form["steps"]:
        url = f"{walk_url}{slug}/"
        got = send("GET", url, jar=jar)
        if got.status != 200:
            raise AssertionError(f"{slug} GET: {got.status}")
        prefix = STEP_RE.search(got.text()).group(1)
        data = {f"{slug}-{name}": value for name, value in answers.items()}
        data.update({prefix: slug, "csrfmiddlewaretoken": csrf_token(got)})
        posted = send("POST", url, data=data, jar=jar)
        if posted.status != 302:
            raise AssertionError(f"{slug} POST: {posted.status} {posted.text()[:2000]}")
        timings["steps"].append((slug, got.ms, posted.ms))
        total += got.ms + posted.ms
    thanks = send("GET", posted.location, jar=jar)
    if thanks.status != 200 or not posted.location.endswith("/merci/"):
        raise AssertionError(f"thanks page: {thanks.status} {posted.location}")
    total += thanks.ms
    timings["total"] = total
    return timings, token


# Set-up ----------------------------------------------------------------------------
FORM_SCRIPT = """
import json
from django.test import Client
from forms.engine.models.form_page import FormPage
from forms.engine.wizard import FormWizard

SAMPLES = {
    "organisation_name": "Atlantique Logistique", "organisation_kind": "company",
    "siret": "732 829 320 00074", "sector": "Transport", "contact_name": "Sophie Martin",
    "contact_role": "Directrice", "contact_email": "sophie@example.com",
    "contact_phone": "05 46 12 34 56", "address": "12 rue du Port", "postcode": "17000",
    "city": "La Rochelle", "pickup_address_differs": "yes", "pickup_address": "ZI de Perigny",
    "pickup_postcode": "17180", "pickup_city": "Perigny", "laptops": "25", "desktops": "10",
    "screens": "5", "tablets": "0", "smartphones": "0", "other_devices": "0",
    "accessories": ["chargers", "mice"], "erasure_by": "programme",
    "pickup_availability": "Le mardi matin", "attend_ceremony": "no", "connu_par": "Presse",
    "terms_accepted": "on",
}
HONEYPOTS = {"site_web_entreprise"}

def sample(name, field):
    if name in SAMPLES:
        return SAMPLES[name]
    kind = type(field).__name__
    choices = [c[0] for c in getattr(field, "choices", []) if c[0] not in ("", None)]
    if kind == "MultipleChoiceField":
        return choices[:1]
    if choices:
        return choices[0]
    if kind == "BooleanField":
        return "on"
    if kind == "IntegerField":
        return "1"
    if kind == "EmailField":
        return "bench@example.org"
    return "Texte"

def stock_type(field):
    kind, widget = type(field).__name__, type(field.widget).__name__
    if kind == "EmailField":
        return "email"
    if kind == "IntegerField":
        return "number"
    if kind == "BooleanField":
        return "checkbox"
    if kind == "MultipleChoiceField":
        return "checkboxes"
    if getattr(field, "choices", None):
        return "radio" if widget == "RadioSelect" else "dropdown"
    if widget == "Textarea":
        return "multiline"
    return "singleline"

page = FormPage.objects.live().get(url_path__endswith="/mon-ordi-est-une-chance/promesse-de-don/")
form_list, conditions = FormWizard.build(page)
steps, fields = [], []
for slug, form_class in form_list:
    if slug == "verification":
        steps.append((slug, {}))
        continue
    form = form_class(earlier_answers={}, user=None, page=page, prefix=slug)
    answers = {}
    for name, field in form.fields.items():
        if name in HONEYPOTS or type(field.widget).__name__ == "HiddenInput":
            continue
        answers[name] = sample(name, field)
        choices = [str(c[0]) for c in getattr(field, "choices", []) if c[0] not in ("", None)]
        fields.append({
            "name": name, "label": str(field.label or name)[:250], "type": stock_type(field),
            "required": field.required, "choices": choices, "value": answers[name],
        })
    steps.append((slug, answers))
print(json.dumps({"steps": steps, "fields": fields}))
"""

STOCK_MODELS = """
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField


class FormField(AbstractFormField):
    page = ParentalKey("FormPage", related_name="form_fields", on_delete=models.CASCADE)


class FormPage(AbstractEmailForm):
    template = "stockform/form_page.html"
    landing_page_template = "stockform/form_page_landing.html"
"""

STOCK_FORM_TEMPLATE = """{% extends "base.html" %}{% load wagtailcore_tags %}
{% block content %}<h1>{{ page.title }}</h1>
<form action="{% pageurl page %}" method="post">{% csrf_token %}{{ form.as_p }}
<button type="submit">Envoyer</button></form>{% endblock %}
{% block extra_css %}{% endblock %}
"""
STOCK_LANDING_TEMPLATE = """{% extends "base.html" %}
{% block content %}<h1>{{ page.title }}</h1><p>Merci.</p>{% endblock %}
"""

STOCK_SETUP = """
import json, sys
from wagtail.models import Page
from stockform.models import FormField, FormPage
fields = json.loads(sys.stdin.read())
home = Page.objects.get(depth=2)
page = FormPage(title="Formulaire", slug="formulaire", to_address="", from_address="", subject="")
home.add_child(instance=page)
for order, field in enumerate(fields):
    FormField.objects.create(
        page=page, sort_order=order, label=field["label"] + f" ({order})",
        field_type=field["type"], required=field["required"], choices="\\n".join(field["choices"]),
    )
data = {}
for field in FormField.objects.filter(page=page).order_by("sort_order"):
    data[field.clean_name] = fields[field.sort_order]["value"]
print(json.dumps(data))
"""

QUERY_SCRIPT = """
import json, sys
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
urls = json.loads(sys.stdin.read())
client = Client(HTTP_HOST="127.0.0.1")
counts = {}
for name, url in urls.items():
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    counts[name] = len(captured)
print(json.dumps(counts))
"""


# One process purging the whole page cache on each line it reads, as
# `manage.py purge_page_cache` does (without a Python start each time).
PURGER_SCRIPT = """
import sys
from portal.page_cache import purge
for line in sys.stdin:
    purge()
    print("purged", flush=True)
"""


class Purger:
    def __init__(self, env):
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-v0", "-c", PURGER_SCRIPT],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def purge(self):
        self.process.stdin.write("purge\n")
        self.process.stdin.flush()
        if self.process.stdout.readline().strip() != "purged":
            raise SystemExit("the purging process failed")

    def stop(self):
        self.process.stdin.close()
        self.process.wait(timeout=30)


def stock_env(folder):
    env = {
        **clean_env(),
        "DJANGO_SETTINGS_MODULE": "stock.settings.production",
        "PYTHONPATH": str(folder),
    }
    return env


def clean_env():
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "TZ")
    return {name: os.environ[name] for name in keep if name in os.environ}


def portal_env(folder, database_url=None, page_cache=True):
    return {
        **clean_env(),
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": f"{HOST},localhost,testserver",
        "DATABASE_URL": database_url or f"sqlite:///{folder}/portal.sqlite3",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_ROOT": str(Path(folder) / "portal-static"),
        "MEDIA_ROOT": str(Path(folder) / "portal-media"),
        "PORTAL_VAR_DIR": str(folder),
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "FORM_RATE_LIMIT": "100000000",
        "PAGE_CACHE": "1" if page_cache else "0",
        "LOG_LEVEL": "WARNING",
    }


def manage(env, cwd, *args, stdin=None):
    return run([sys.executable, "manage.py", *args], env=env, cwd=cwd, stdin=stdin)


def prepare_portal(folder, database_url=None):
    env = portal_env(folder, database_url)
    log("portal: migrate, demo data, static files")
    manage(env, ROOT, "migrate", "--noinput")
    manage(env, ROOT, "load_demo")
    manage(env, ROOT, "collectstatic", "--noinput")
    form = json.loads(manage(env, ROOT, "shell", "-v0", "-c", FORM_SCRIPT).strip().splitlines()[-1])
    return env, form


def prepare_stock(folder, form):
    log("stock: wagtail start, migrate, form page")
    stock = Path(folder) / "stock"
    stock.mkdir()
    run([str(BIN / "wagtail"), "start", "stock", str(stock)], env=clean_env(), cwd=folder)
    app = stock / "stockform"
    (app / "templates" / "stockform").mkdir(parents=True)
    (app / "__init__.py").write_text("")
    (app / "models.py").write_text(STOCK_MODELS)
    (app / "templates" / "stockform" / "form_page.html").write_text(STOCK_FORM_TEMPLATE)
    (app / "templates" / "stockform" / "form_page_landing.html").write_text(STOCK_LANDING_TEMPLATE)
    settings = stock / "stock" / "settings"
    # production.py imports local.py last: the bench's secrets and the form app.
    (settings / "local.py").write_text(
        textwrap.dedent(
            f"""
            from .base import INSTALLED_APPS as BASE_APPS

            SECRET_KEY = "{SECRET}"
            ALLOWED_HOSTS = ["{HOST}", "localhost", "testserver"]
            INSTALLED_APPS = ["stockform", *BASE_APPS]
            EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
            """
        )
    )
    env = stock_env(stock)
    run([sys.executable, "manage.py", "makemigrations", "stockform"], env=env, cwd=stock)
    run([sys.executable, "manage.py", "migrate", "--noinput"], env=env, cwd=stock)
    run([sys.executable, "manage.py", "collectstatic", "--noinput"], env=env, cwd=stock)
    stock_data = json.loads(
        run(
            [sys.executable, "manage.py", "shell", "-v0", "-c", STOCK_SETUP],
            env=env,
            cwd=stock,
            stdin=json.dumps(form["fields"]),
        )
        .strip()
        .splitlines()[-1]
    )
    return stock, env, stock_data


# Measures --------------------------------------------------------------------------
def median(values):
    return statistics.median(values) if values else float("nan")


def throughput(port, path, seconds, clients=4):
    done, errors = [], []
    deadline = time.monotonic() + seconds

    def worker():
        count = 0
        while time.monotonic() < deadline:
            response = request(port, "GET", path)
            if response.status != 200:
                errors.append(response.status)
            count += 1
        done.append(count)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise AssertionError(f"{path}: {len(errors)} errors, e.g. {errors[:3]}")
    return sum(done) / (time.monotonic() - start)


def compare(args, folder):
    prepared = Path(folder) / "prepared.json"
    if prepared.exists():  # --folder: a folder a previous --keep run prepared
        env, form = portal_env(folder), json.loads(prepared.read_text())
        manage(env, ROOT, "migrate", "--noinput")
        manage(env, ROOT, "collectstatic", "--noinput")
        stock = Path(folder) / "stock"
        senv = stock_env(stock)
    else:
        env, form = prepare_portal(folder)
        stock, senv, form["stock_data"] = prepare_stock(folder, form)
        prepared.write_text(json.dumps(form))
    field_count = len(form["fields"])
    step_count = len(form["steps"])
    log(f"demo pledge: {field_count} fields over {step_count} steps (review included)")

    log("query counts (Django test client, same databases)")
    portal_urls = {
        "home": "/",
        "campaign": CAMPAIGN_PATH,
        "map": "/carte/",
        "geojson": GEOJSON_PATH,
        "api pages": "/api/v2/pages/?type=content.CampaignPage&fields=*",
    }
    counts_off = json.loads(
        manage(
            {**env, "PAGE_CACHE": "0"},
            ROOT,
            "shell",
            "-v0",
            "-c",
            QUERY_SCRIPT,
            stdin=json.dumps(portal_urls),
        )
        .strip()
        .splitlines()[-1]
    )
    counts_on = json.loads(
        manage(env, ROOT, "shell", "-v0", "-c", QUERY_SCRIPT, stdin=json.dumps(portal_urls))
        .strip()
        .splitlines()[-1]
    )
    stock_counts = json.loads(
        run(
            [sys.executable, "manage.py", "shell", "-v0", "-c", QUERY_SCRIPT],
            env=senv,
            cwd=stock,
            stdin=json.dumps({"home": "/", "form GET": STOCK_FORM_PATH}),
        )
        .strip()
        .splitlines()[-1]
    )

    servers, purger = [], None
    try:
        purger = Purger(env)
        servers.append(Server("stock", "stock.wsgi:application", stock, senv, folder))
        servers.append(Server("portal-cache", "portal.wsgi:application", ROOT, env, folder))
        servers.append(
            Server(
                "portal-nocache",
                "portal.wsgi:application",
                ROOT,
                {**env, "PAGE_CACHE": "0"},
                folder,
            )
        )
        stock_port, cached_port, uncached_port = (server.port for server in servers)
        log("warm-up")
        for _ in range(10):
            for port, path in (
                (stock_port, "/"),
                (cached_port, CAMPAIGN_PATH),
                (uncached_port, CAMPAIGN_PATH),
                (uncached_port, "/"),
                (cached_port, GEOJSON_PATH),
            ):
                request(port, "GET", path)
        for _ in range(3):
            stock_submission(stock_port, form)
            pledge_walk(cached_port, form)

        samples = {
            key: []
            for key in (
                "stock home",
                "stock form GET",
                "stock form POST",
                "campaign cached",
                "campaign uncached",
                "campaign after pledge",
                "home uncached",
                "home after purge",
                "geojson",
                "walk",
                "final submit",
            )
        }
        step_samples = {}
        log(f"{args.rounds} interleaved rounds")
        for _ in range(args.rounds):
            actions = [
                lambda: samples["stock home"].append(request(stock_port, "GET", "/").ms),
                lambda: samples["campaign cached"].append(
                    request(cached_port, "GET", CAMPAIGN_PATH).ms
                ),
                lambda: samples["campaign uncached"].append(
                    request(uncached_port, "GET", CAMPAIGN_PATH).ms
                ),
                lambda: samples["home uncached"].append(request(uncached_port, "GET", "/").ms),
                lambda: samples["geojson"].append(request(cached_port, "GET", GEOJSON_PATH).ms),
            ]
            random.shuffle(actions)
            for action in actions:
                action()
            got, posted = stock_submission(stock_port, form)
            samples["stock form GET"].append(got.ms)
            samples["stock form POST"].append(posted.ms)
            timings, _token = pledge_walk(cached_port, form)
            samples["walk"].append(timings["total"])
            for slug, get_ms, post_ms in timings["steps"]:
                step_samples.setdefault(slug, ([], []))
                step_samples[slug][0].append(get_ms)
                step_samples[slug][1].append(post_ms)
            samples["final submit"].append(timings["steps"][-1][2])
            # The pledge changed its campaign's figures: the next view renders anew.
            after_pledge = request(cached_port, "GET", CAMPAIGN_PATH)
            if after_pledge.headers.get("x-page-cache") != "miss":
                raise AssertionError("the campaign page was not rendered anew after a pledge")
            samples["campaign after pledge"].append(after_pledge.ms)
            purger.purge()
            after_purge = request(cached_port, "GET", "/")
            if after_purge.headers.get("x-page-cache") != "miss":
                raise AssertionError("the home page was not rendered anew after a purge")
            samples["home after purge"].append(after_purge.ms)
            request(cached_port, "GET", CAMPAIGN_PATH)  # the next round's cached view

        log(f"throughput: 4 clients, {args.seconds:g} s each, alternated")
        rates = {"stock home": [], "campaign cached": [], "campaign uncached": []}
        for _ in range(2):
            rates["stock home"].append(throughput(stock_port, "/", args.seconds / 2))
            rates["campaign cached"].append(
                throughput(cached_port, CAMPAIGN_PATH, args.seconds / 2)
            )
            rates["campaign uncached"].append(
                throughput(uncached_port, CAMPAIGN_PATH, args.seconds / 2)
            )
        rates = {key: sum(values) / len(values) for key, values in rates.items()}
    finally:
        for server in servers:
            server.stop()
        if purger is not None:
            purger.stop()

    medians = {key: median(values) for key, values in samples.items()}
    stock_home = medians["stock home"]
    stock_get, stock_post = medians["stock form GET"], medians["stock form POST"]
    rows, missed = [], []

    def check(label, value, reference, factor, unit="ms", higher_is_better=False):
        ratio = value / reference
        ok = ratio >= factor if higher_is_better else ratio <= factor
        sign = "≥" if higher_is_better else "≤"
        rows.append(
            (
                label,
                f"{reference:.1f} {unit}",
                f"{value:.1f} {unit}",
                f"{ratio:.2f}×",
                f"{sign} {factor:g}×",
                "ok" if ok else "MISSED",
            )
        )
        if not ok:
            missed.append(label)

    check("campaign page, cache on / stock home", medians["campaign cached"], stock_home, 1.0)
    check("campaign page, cache off / stock home", medians["campaign uncached"], stock_home, 1.5)
    check(
        "campaign page, first view after a pledge / stock home",
        medians["campaign after pledge"],
        stock_home,
        1.5,
    )
    check(
        "home page, first view after a purge / stock home",
        medians["home after purge"],
        stock_home,
        1.2,
    )
    check(
        "pages/s cache on / stock home",
        rates["campaign cached"],
        rates["stock home"],
        1.0,
        unit="/s",
        higher_is_better=True,
    )
    check(
        "pages/s cache off / stock home",
        rates["campaign uncached"],
        rates["stock home"],
        0.7,
        unit="/s",
        higher_is_better=True,
    )
    for slug, (gets, posts) in step_samples.items():
        check(f"step {slug} GET / stock form GET", median(gets), stock_get, 1.2)
        if slug != "verification":
            check(f"step {slug} POST / stock form POST", median(posts), stock_post, 1.2)
    check("final submit / stock form POST", medians["final submit"], stock_post, 1.3)
    pairs = len(step_samples)
    check(
        f"whole pledge / ({pairs} × stock GET+POST)",
        medians["walk"],
        pairs * (stock_get + stock_post),
        1.2,
    )
    check("warm map GeoJSON / stock home", medians["geojson"], stock_home, 2.0)

    print(
        f"\nPortal against stock Wagtail {wagtail_version()} under gunicorn (2 sync workers, "
        f"production settings, SQLite), median of {args.rounds} interleaved rounds; "
        f"demo pledge: {field_count} fields, {pairs} steps.\n"
    )
    header = ("measure", "stock", "portal", "ratio", "target", "")
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
    print(
        f"\nOther medians: portal home (cache off) {medians['home uncached']:.1f} ms; "
        f"throughput: stock home {rates['stock home']:.0f}/s, campaign cache on "
        f"{rates['campaign cached']:.0f}/s, cache off {rates['campaign uncached']:.0f}/s."
    )
    print(
        f"Queries per request: stock {stock_counts}; portal, cache off {counts_off}; "
        f"portal, cache on {counts_on}."
    )
    if missed:
        print(f"\nTargets missed: {', '.join(missed)}")
        return 1
    print("\nEvery target met.")
    return 0


def wagtail_version():
    return run(
        [sys.executable, "-c", "import wagtail; print(wagtail.__version__)"],
        env=clean_env(),
        cwd=ROOT,
    ).strip()


# Load --------------------------------------------------------------------------------
COUNT_SCRIPT = """
import json
from forms.engine.models.submission import Submission
print(json.dumps(list(Submission.objects.values_list("walk_token", flat=True))))
"""


def load(args, folder, database_url, label):
    env, form = prepare_portal(folder, database_url)
    before = set(
        json.loads(manage(env, ROOT, "shell", "-v0", "-c", COUNT_SCRIPT).strip().splitlines()[-1])
    )
    server = Server(f"portal-load-{label}", "portal.wsgi:application", ROOT, env, folder)
    latencies, tokens, errors, failures = [], [], [], []
    lock = threading.Lock()
    deadline = time.monotonic() + args.load_seconds

    def person():
        while time.monotonic() < deadline:
            try:
                timings, token = pledge_walk(server.port, form)
            except AssertionError as error:
                with lock:
                    failures.append(str(error)[:200])
                if str(error).split(":")[-1].strip()[:1] == "5":
                    errors.append(str(error))
                continue
            except OSError as error:
                with lock:
                    failures.append(repr(error))
                continue
            with lock:
                tokens.append(token)
                for _slug, get_ms, post_ms in timings["steps"]:
                    latencies.extend((get_ms, post_ms))

    log(f"load on {label}: {args.people} people for {args.load_seconds:g} s")
    try:
        threads = [threading.Thread(target=person) for _ in range(args.people)]
        start = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - start
    finally:
        server.stop()
    server_errors = Path(server.log.name).read_text().count("Internal Server Error")
    after = json.loads(
        manage(env, ROOT, "shell", "-v0", "-c", COUNT_SCRIPT).strip().splitlines()[-1]
    )
    new = [token for token in after if token not in before]
    lost = set(tokens) - set(new)
    duplicated = len(new) - len(set(new))
    unexpected = set(new) - set(tokens)
    latencies.sort()
    p50 = latencies[len(latencies) // 2] if latencies else float("nan")
    p95 = latencies[int(len(latencies) * 0.95)] if latencies else float("nan")
    print(
        f"\nLoad, {label}: {args.people} concurrent people, {elapsed:.0f} s: "
        f"{len(tokens)} pledges sent ({len(tokens) / elapsed:.1f}/s), {len(latencies)} requests, "
        f"p50 {p50:.0f} ms, p95 {p95:.0f} ms; failed walks {len(failures)}, "
        f"server errors {server_errors}, records lost {len(lost)}, duplicated {duplicated}, "
        f"unexpected {len(unexpected)}."
    )
    if failures:
        print("  first failures: " + "; ".join(failures[:3]))
    return 0 if not (failures or server_errors or lost or duplicated) else 1


def postgres_cluster(folder):
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not bins:
        raise SystemExit("PostgreSQL is not installed (apt-get install postgresql)")
    pgbin = bins[-1].parent
    data = Path(folder) / "pgdata"
    data.mkdir()
    port = free_port()
    as_pg = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
    if os.getuid() == 0:
        shutil.chown(folder, "postgres")
        shutil.chown(data, "postgres")
    env = clean_env()
    run(
        [
            *as_pg,
            str(pgbin / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ],
        env=env,
        cwd="/",
    )
    run(
        [
            *as_pg,
            str(pgbin / "pg_ctl"),
            "-D",
            str(data),
            "-w",
            "-l",
            str(data / "server.log"),
            "-o",
            f"-p {port} -k {data} -c listen_addresses={HOST} -c max_connections=200",
            "start",
        ],
        env=env,
        cwd="/",
    )

    def stop():
        subprocess.run(
            [*as_pg, str(pgbin / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
            capture_output=True,
            check=False,
            cwd="/",
        )

    run(
        [
            str(pgbin / "psql"),
            "-h",
            HOST,
            "-p",
            str(port),
            "-U",
            "postgres",
            "-q",
            "-c",
            "CREATE ROLE portal LOGIN SUPERUSER PASSWORD 'portal'",
            "-c",
            "CREATE DATABASE portal OWNER portal",
        ],
        env=env,
        cwd="/",
    )
    return f"postgres://portal:portal@{HOST}:{port}/portal", stop


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=10, help="throughput time per server")
    parser.add_argument("--load", action="store_true", help="the load test instead")
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--load-seconds", type=float, default=60)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway folder")
    parser.add_argument("--folder", help="prepare (or reuse) this folder and keep it")
    args = parser.parse_args()
    if args.folder:
        folder = args.folder
        Path(folder).mkdir(parents=True, exist_ok=True)
        args.keep = True
    else:
        folder = tempfile.mkdtemp(prefix="portal-bench-")
    os.chmod(folder, 0o755)  # noqa: S103 (PostgreSQL's own user writes below it)
    log(f"throwaway folder: {folder}")
    started = time.monotonic()
    try:
        if args.load:
            status = load(args, folder, None, "SQLite")
            if not args.skip_postgres:
                url, stop = postgres_cluster(folder)
                try:
                    status |= load(args, folder, url, "PostgreSQL")
                finally:
                    stop()
        else:
            status = compare(args, folder)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    log(f"took {time.monotonic() - started:.0f} s")
    return status


if __name__ == "__main__":
    sys.exit(main())

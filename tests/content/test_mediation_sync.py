"""`manage.py sync_mediation_sites URL` against a real local HTTP server serving files
shaped like the national cartography's per-territory exports (written by hand)."""

import contextlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from content import sync
from content.models import MediationSite
from tests.factories import MediationSiteFactory
from tests.factories.content import coordinated_campaign
from tests.support.html_forms import read_form

HEADER = (
    "id,pivot,nom,commune,code_postal,code_insee,adresse,complement_adresse,latitude,longitude,"
    "typologie,telephone,courriels,site_web,horaires,presentation_resume,presentation_detail,"
    "source,itinerance,structure_parente,date_maj,services,publics_specifiquement_adresses,"
    "prise_en_charge_specifique,frais_a_charge,dispositif_programmes_nationaux,formations_labels,"
    "autres_formations_labels,modalites_acces,modalites_accompagnement,fiche_acces_libre,prise_rdv"
)

# A regional export as the cartography writes it: `,`, quoted cells holding commas or
# quotes, accents, CRLF and a BOM.
LANDES_V1 = (
    "\ufeff" + HEADER + "\r\n"
    'mednum-40-001,21400192300014,"Médiathèque de Mont-de-Marsan, espace numérique",'
    "Mont-de-Marsan,40000,40192,1 place Saint-Roch,,43.8902,-0.4998,BIB|MUNI,+33558050000,"
    "mediatheque@montdemarsan.fr,https://www.montdemarsan.fr,"
    '"Mo-Fr 09:00-12:00,14:00-18:00","Ateliers « premiers pas » et aide aux démarches",,'
    "Hub Sud-Ouest,,,2026-03-02,Aide aux démarches administratives|Accès internet et "
    "matériel informatique,Seniors,,Gratuit,France Services,,,"
    "Se présenter|Envoyer un mail avec une fiche de prescription,En autonomie|Accompagnement individuel,,\r\n"
    "mednum-40-002,43493312300029,Espace de vie sociale L'Escale,Saint-Paul-lès-Dax,40990,40279,"
    '"3 rue de l\'Église, bâtiment B",Rez-de-chaussée,43.7263,-1.0517,ASSO,+33558000001,'
    'escale@example.org,,"Tu,Th 14:00-17:00","Le ""café numérique"" du jeudi",,Hub Sud-Ouest,,,'
    "2026-02-14,Acquisition de matériel informatique à prix solidaire,,,Payant,,,,"
    "Se présenter,,,\r\n"
    "mednum-40-003,43493312300029,Tiers-lieu La Grange,Dax,40100,40088,5 chemin de Bénesse,,"
    "43.7102,-1.0536,TIERS_LIEUX,,,,,,,Hub Sud-Ouest,,,2026-01-20,"
    "Aide aux démarches administratives,,,Gratuit,,,,Se présenter,,,\r\n"
)


def landes_v2():
    """The next export: 001's phone and hours changed, 002 unchanged, 003 gone, 004 new."""
    lines = LANDES_V1.split("\r\n")
    lines[1] = (
        lines[1]
        .replace("+33558050000", "+33558050099")
        .replace("Mo-Fr 09:00-12:00,14:00-18:00", "Mo-Sa 09:00-12:00")
    )
    del lines[3]
    lines.insert(
        3,
        "mednum-40-004,43493312300029,France Services de Tartas,Tartas,40400,40313,"
        '"9 avenue de la Gare",,43.8333,-0.8062,MUNI|PIMMS,,tartas@example.org,,,,,'
        "Hub Sud-Ouest,,,2026-04-01,Aide aux démarches administratives,,,Gratuit,,,,"
        "Se présenter,,,",
    )
    return "\r\n".join(lines)


# The same kind of export from another territory, saved by a spreadsheet in French: `;`.
GIRONDE = (
    HEADER.replace(",", ";") + "\n"
    "mednum-33-101;21330063500017;Bibliothèque Mériadeck;Bordeaux;33000;33063;"
    "85 cours du Maréchal Juin;;44.8378;-0.5792;BIB;+33556100000;bib@bordeaux.fr;;"
    '"Mo-Fr 10:00-19:00; Sa 10:00-18:00";"Postes en accès libre; aide sur rendez-vous";;'
    "Hub Nouvelle-Aquitaine;;;2026-03-10;Accès internet et matériel informatique;;;"
    "Gratuit;;;;Se présenter;;;\n"
    "mednum-33-102;43493312300029;Régie de quartier Bastide;Bordeaux;33100;33063;"
    "12 rue de la Benauge;;44.8411;-0.5580;ASSO;;;;;;;Hub Nouvelle-Aquitaine;;;2026-03-11;"
    "Acquisition de matériel informatique à prix solidaire;;;Payant;;;;"
    "Envoyer un mail avec une fiche de prescription;;;\n"
)


class Source(BaseHTTPRequestHandler):
    routes = {}  # path -> dict(status, body, headers, delay, length)

    def do_GET(self):
        route = self.routes.get(self.path)
        if route is None:
            self.send_error(404, "Not Found")
            return
        time.sleep(route.get("delay", 0))
        body = route.get("body", b"")
        self.send_response(route.get("status", 200))
        for name, value in route.get("headers", {"Content-Type": "text/csv"}).items():
            self.send_header(name, value)
        if route.get("length", True):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        pieces, pause = route.get("drip", (1, 0))
        step = -(-len(body) // pieces) or 1
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            for start in range(0, len(body), step):  # the client may stop reading
                self.wfile.write(body[start : start + step])
                self.wfile.flush()
                time.sleep(pause)

    def log_message(self, *args):
        pass


@pytest.fixture
def source():
    """A real HTTP server on 127.0.0.1; ``source.serve(path, body, ...)`` -> its URL."""
    routes = {}
    handler = type("Handler", (Source,), {"routes": routes, "protocol_version": "HTTP/1.0"})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"

    class Served:
        def serve(self, path, body=b"", **route):
            routes[path] = {"body": body.encode() if isinstance(body, str) else body, **route}
            return base + path

        url = staticmethod(lambda path: base + path)

    yield Served()
    server.shutdown()
    server.server_close()


def run(url, *args):
    out, err = StringIO(), StringIO()
    call_command("sync_mediation_sites", url, *args, stdout=out, stderr=err)
    return out.getvalue()


def snapshot():
    return list(MediationSite.objects.order_by("pk").values())


def test_first_sync_creates_then_updates_flags_and_unflags(db, source):
    url = source.serve("/landes.csv", LANDES_V1)
    out = run(url)
    assert "created: 3, updated: 0, unchanged: 0" in out
    site = MediationSite.objects.get(identifier="mednum-40-001")
    assert site.nom == "Médiathèque de Mont-de-Marsan, espace numérique"
    assert site.horaires == "Mo-Fr 09:00-12:00,14:00-18:00"
    assert site.sync_source == url and site.synced_at and site.left_source_at is None
    assert site.sync_values["telephone"] == "+33558050000"
    assert site.hands_over_computers and site.accepts_prescriptions
    escale = MediationSite.objects.get(identifier="mednum-40-002")
    assert escale.adresse == "3 rue de l'Église, bâtiment B"
    assert escale.presentation_resume == 'Le "café numérique" du jeudi'
    assert not site.is_published  # no --publish

    source.serve("/landes.csv", landes_v2())
    out = run(url)
    assert "created: 1, updated: 1, unchanged: 1" in out
    assert "left the source (flagged, not deleted): 1" in out
    assert "left the source: id mednum-40-003" in out
    site.refresh_from_db()
    assert site.telephone == "+33558050099" and site.horaires == "Mo-Sa 09:00-12:00"
    gone = MediationSite.objects.get(identifier="mednum-40-003")  # still there
    assert gone.left_source_at is not None
    flagged_at = gone.left_source_at

    run(url)  # still absent: flagged once, the date kept
    gone.refresh_from_db()
    assert gone.left_source_at == flagged_at

    source.serve("/landes.csv", LANDES_V1)  # 003 is back
    out = run(url)
    assert "back in the source: id mednum-40-003" in out
    gone.refresh_from_db()
    assert gone.left_source_at is None
    assert MediationSite.objects.count() == 4
    # 004 left in turn, flagged not deleted.
    assert MediationSite.objects.get(identifier="mednum-40-004").left_source_at is not None


def test_semicolon_export_and_publish(db, source):
    url = source.serve("/gironde.csv", GIRONDE, headers={"Content-Type": "text/csv; charset=utf-8"})
    out = run(url, "--publish")
    assert "created: 2" in out and "published: 2" in out
    site = MediationSite.objects.get(identifier="mednum-33-101")
    assert site.is_published and site.commune == "Bordeaux" and site.department == "33"
    assert site.horaires == "Mo-Fr 10:00-19:00; Sa 10:00-18:00"
    assert site.presentation_resume == "Postes en accès libre; aide sur rendez-vous"


def test_two_sources_flag_only_their_own_sites_and_never_hand_made_ones(db, source):
    hand_made = MediationSiteFactory(identifier="saisi-main-1", nom="Saisi à la main")
    before = MediationSite.objects.filter(pk=hand_made.pk).values().get()
    landes = source.serve("/landes.csv", LANDES_V1)
    gironde = source.serve("/gironde.csv", GIRONDE)
    run(landes)
    out = run(gironde)
    assert "left the source (flagged, not deleted): 0" in out  # Landes sites not in Gironde
    assert MediationSite.objects.filter(left_source_at__isnull=False).count() == 0
    assert MediationSite.objects.filter(pk=hand_made.pk).values().get() == before


def test_field_changed_in_the_admin_is_kept_and_reported(db, source, coordination_user, client):
    url = source.serve("/landes.csv", LANDES_V1)
    run(url)
    site = MediationSite.objects.get(identifier="mednum-40-001")

    # A coordinator of a campaign across France edits the site in the admin: the whole
    # form, as a browser posts it.
    coordinated_campaign(coordination_user)
    client.force_login(coordination_user)
    edit_url = reverse("content_mediationsite:edit", args=[site.pk])
    page = client.get(edit_url)
    assert page.status_code == 200
    assert "Dernière synchronisation le" in page.text
    data = read_form(page.text, action_contains="/edit/").data()
    data["telephone"] = "+33558059999"
    data["nom"] = "Médiathèque du Marsan"
    response = client.post(edit_url, data)
    assert response.status_code == 302, response.context["form"].errors
    site.refresh_from_db()
    assert site.telephone == "+33558059999"

    # The next export changes the phone and the hours; the name is as before.
    source.serve("/landes.csv", landes_v2())
    out = run(url)
    assert "sites with fields kept: 1" in out
    # The phone (the source changed it) and the name (the source still has the old one):
    # nothing else, though the form posted every field back.
    assert (
        "kept (changed in the admin since the last sync): id mednum-40-001: nom, telephone\n" in out
    )
    site.refresh_from_db()
    assert site.telephone == "+33558059999"  # the staff's value
    assert site.nom == "Médiathèque du Marsan"  # staff's too (the source did not change it)
    assert site.horaires == "Mo-Sa 09:00-12:00"  # the source's change applied
    assert site.sync_values["telephone"] == "+33558050099"  # what the source says now

    # Still kept at the following sync; the other sites were not touched by the form.
    out = run(url)
    assert "id mednum-40-001: nom, telephone\n" in out
    assert "updated: 0" in out
    site.refresh_from_db()
    assert site.telephone == "+33558059999"


def test_dry_run_changes_nothing(db, source):
    url = source.serve("/landes.csv", LANDES_V1)
    out = run(url, "--dry-run")
    assert "Dry run (nothing changed)" in out and "created: 3" in out
    assert not MediationSite.objects.exists()


def test_rejected_row_exits_1_and_applies_the_others(db, source):
    # No name: what identifies a site is missing, so its row is refused.
    broken = LANDES_V1.replace("43493312300029,Tiers-lieu La Grange,", "43493312300029,,")
    url = source.serve("/landes.csv", broken)
    with pytest.raises(CommandError, match="1 row"):
        run(url)
    assert MediationSite.objects.count() == 2


ERRORS = {
    "404": ({"status": 404, "body": "Not Found"}, "HTTP 404"),
    "500": ({"status": 500, "body": "Internal Server Error"}, "HTTP 500"),
    "html": (
        {
            "body": "<!DOCTYPE html><html><body><h1>Maintenance</h1></body></html>",
            "headers": {"Content-Type": "text/html"},
        },
        "pas un CSV au standard national",
    ),
    "empty": ({"body": ""}, "vide"),
    "header only": ({"body": HEADER + "\r\n"}, "aucun lieu"),
}


def test_a_windows_1252_source_is_read_as_written(db, source):
    """Some exports leave a spreadsheet in Windows-1252: the accents survive."""
    url = source.serve("/landes.csv", LANDES_V1.replace("\ufeff", "").encode("cp1252"))
    run(url)
    assert MediationSite.objects.get(identifier="mednum-40-003").adresse == "5 chemin de Bénesse"


@pytest.mark.parametrize("case", ERRORS)
def test_unusable_source_is_a_clear_error_and_changes_nothing(db, source, case):
    url = source.serve("/landes.csv", LANDES_V1)
    run(url)
    MediationSiteFactory(identifier="saisi-main-1")
    before = snapshot()
    route, message = ERRORS[case]
    source.serve("/landes.csv", **route)
    with pytest.raises(CommandError, match=message):
        run(url)
    assert snapshot() == before


def test_unknown_path_is_a_404(db, source):
    with pytest.raises(CommandError, match="HTTP 404"):
        run(source.url("/nowhere.csv"))


def test_timeout(db, source):
    url = source.serve("/slow.csv", LANDES_V1, delay=2)
    with pytest.raises(CommandError, match="en 0.3 secondes"):
        run(url, "--timeout", "0.3")
    assert not MediationSite.objects.exists()


def test_timeout_bounds_the_whole_download(db, source):
    # Each piece arrives well within the timeout, the whole file does not.
    url = source.serve("/drip.csv", LANDES_V1, drip=(12, 0.15))
    with pytest.raises(CommandError, match="en 0.6 secondes"):
        run(url, "--timeout", "0.6")
    assert not MediationSite.objects.exists()


@pytest.mark.parametrize("length", [True, False], ids=["announced", "streamed"])
def test_file_over_the_size_cap(db, source, length):
    body = LANDES_V1 + "".join(
        f"mednum-40-{n:03d},43493312300029,Lieu {n},Dax,40100,,1 rue,,,,,,,,,,,,,,2026-01-01,"
        ",,,,,,,,,,\r\n"
        for n in range(10, 200)
    )
    url = source.serve("/big.csv", body, length=length)
    with pytest.raises(CommandError, match="dépasse"):
        run(url, "--max-size", "0.01")  # about 10 KB
    assert not MediationSite.objects.exists()
    run(url, "--max-size", "1")
    assert MediationSite.objects.count() == 193


def test_redirects_are_followed_within_http(db, source):
    target = source.serve("/landes.csv", LANDES_V1)
    moved = source.serve("/moved", status=302, headers={"Location": target})
    run(moved)
    assert MediationSite.objects.count() == 3
    to_ftp = source.serve("/ftp", status=302, headers={"Location": "ftp://example.org/x.csv"})
    with pytest.raises(CommandError, match="n’est pas une adresse http"):
        run(to_ftp)
    to_file = source.serve("/file", status=302, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(CommandError, match="HTTP 302.*not allowed"):
        run(to_file)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x.csv", "landes.csv"])
def test_only_http_and_https(db, url):
    with pytest.raises(CommandError, match="n’est pas une adresse http"):
        run(url)


def test_task_runs_the_same_sync(db, source):
    from content.tasks import sync_mediation_sites  # noqa: PLC0415 - the task under test

    url = source.serve("/landes.csv", LANDES_V1)
    result = sync_mediation_sites.enqueue(url)
    assert result.return_value["created"] == 3
    source.serve("/landes.csv", status=500)
    failed = sync_mediation_sites.enqueue(url)
    assert failed.status == "FAILED"
    assert MediationSite.objects.count() == 3


def generated(rows, phone):
    return "\n".join(
        [HEADER]
        + [
            f"m-{n:05d},43493312300029,Lieu {n},Dax,40100,,1 rue,,,,,{phone},,,,,,,,,"
            "2026-01-01,,,,,,,,,,,"
            for n in range(rows)
        ]
    ).encode()


@pytest.mark.parametrize(("rows", "max_queries"), [(3, 25), (1200, 100)])
def test_second_sync_makes_no_query_per_row(db, rows, max_queries, django_assert_max_num_queries):
    """Lookups by 500 ids, bulk writes in batches (SQLite splits them further)."""
    # An intranet host name: the source is stored as given, whatever its form.
    url = "http://donnees-internes/lieux.csv"
    sync.sync_sites(generated(rows, "+33558000000"), url)
    with django_assert_max_num_queries(max_queries):
        report = sync.sync_sites(generated(rows, "+33558000001"), url)
    assert len(report.updated) == rows and not report.import_report.rejected
    assert MediationSite.objects.filter(telephone="+33558000001", sync_source=url).count() == rows


def test_admin_lists_the_sites_that_left_their_source(db, source, coordination_user, client):
    url = source.serve("/landes.csv", LANDES_V1)
    run(url)
    source.serve("/landes.csv", landes_v2())
    run(url)
    MediationSiteFactory(nom="Saisi à la main")
    coordinated_campaign(coordination_user)  # a campaign across France: sees every free site
    client.force_login(coordination_user)
    index = reverse("content_mediationsite:index")

    listing = client.get(index)
    assert "Synchronisation" in listing.text and "A quitté la source" in listing.text
    left = client.get(index, {"sync_status": "left_source"})
    assert "Tiers-lieu La Grange" in left.text
    assert "Escale" not in left.text and "Saisi à la main" not in left.text
    synced = client.get(index, {"sync_status": "synced"})
    assert "Escale" in synced.text and "Tiers-lieu La Grange" not in synced.text
    never = client.get(index, {"sync_status": "never_synced"})
    assert "Saisi à la main" in never.text and "Escale" not in never.text

    gone = MediationSite.objects.get(identifier="mednum-40-003")
    page = client.get(reverse("content_mediationsite:edit", args=[gone.pk]))
    assert 'role="status"' in page.text
    assert "n’était plus dans son fichier source" in page.text
    assert "Il n’a pas été supprimé" in page.text


def test_site_existing_before_its_first_sync_takes_the_source_values(db, source):
    typed = MediationSiteFactory(identifier="mednum-40-002", nom="L'Escale (saisie)")
    url = source.serve("/landes.csv", LANDES_V1)
    out = run(url, "--dry-run")
    assert (
        "first synchronised (existed before, values taken from the source): 1: mednum-40-002" in out
    )
    typed.refresh_from_db()
    assert typed.nom == "L'Escale (saisie)" and typed.sync_source == ""  # dry run
    run(url)
    typed.refresh_from_db()
    assert typed.nom == "Espace de vie sociale L'Escale" and typed.sync_source == url
    assert typed.is_published  # the registry's own fields are not the source's

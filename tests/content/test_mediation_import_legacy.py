"""Mediation-site files as programmes hold them: earlier versions of the national
standard, loose values, Windows-1252 exports. A row is refused only when what
identifies or places the site is wrong; anything else is a warning."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from content import importexport
from content.models import MediationSite
from content.opening_hours import parse

# A regional export written against v0.1.1 (as people typed it: `;` between
# values, the old column names, a placeholder date, loose hours, a bad URL).
LEGACY_CSV = """\
id,pivot,nom,commune,code_postal,code_insee,adresse,complement_adresse,latitude,longitude,cle_ban,typologie,telephone,courriel,site_web,horaires,presentation_resume,presentation_detail,source,structure_parente,date_maj,services,publics_accueillis,conditions_acces,labels_nationaux,labels_autres,modalites_accompagnement,accessibilite,prise_rdv
epn-001,21170300700015,EPN de Surgères,Surgères,17700,17434,2 rue Audry de Puyravault,,46.1078,-0.7517,17434_0050_00002,MUNI;BIB,05 46 07 00 00,epn@surgeres.fr,www.surgeres.fr,We 09:30-13:00-18:00,Atelier numérique,,Région,,1970-01-01,Prendre en main un ordinateur;S'équiper en matériel informatique,Seniors (+ 65 ans);Public langues étrangères;Adultes,Gratuit : Je peux accéder gratuitement au lieu et à ses services,CNFS;France Services,SudLabs,Dans un atelier : j'apprends collectivement à utiliser le numérique,https://acceslibre.beta.gouv.fr/app/17-surgeres/a/espace-public-numerique/erp/epn-surgeres/,htps//rdv.surgeres
epn-002,21170300700015,Médiathèque de Rochefort,Rochefort,17300,17299,10 rue Audry,,45.9367,-0.9633,,BIB,+33546990000,contact@rochefort.fr,https://www.rochefort.fr,Sa 17:00,,,Région,,2023-05-04,Accéder à une connexion internet|Accéder à du matériel,Familles/enfants|Uniquement femmes,,Aidants Connect|APTIC,,,,
epn-003,21170300700015,Espace France Services,Saintes,17100,17415,4 cours Reverseaux,,45.7464,-0.6330,,,0546000000,"accueil@saintes.fr;mauvais@",https://www.saintes.fr,"Mo 14-17;9-12,14-17",,,Région,,2024-01-15,Devenir autonome dans les démarches administratives,,,"CNFS,France Services",,,,
epn-004,21170300700015,,Saintes,17100,,,,,,,,,,,,,,,,2024-01-15,,,,,,,,
epn-005,21170300700015,Tiers-lieu du port,La Rochelle,17000,,1 quai,,45.5017,-73.5673,,,,,,,,,,,2024-01-15,,,,,,,,
"""


def load(text, encoding="utf-8"):
    return importexport.read_csv(text.encode(encoding))


def warnings_of(report, line):
    return {
        column: (value, message)
        for row in report.rows
        if row.line == line
        for column, value, message in row.warnings
    }


def test_legacy_regional_export_keeps_every_site_and_its_values(db):
    report = importexport.import_sites(load(LEGACY_CSV), dry_run=False)
    assert (report.created, report.updated, report.rejected) == (3, 0, 2)
    assert report.unknown_columns == ["cle_ban"]
    mappings = "\n".join(report.mappings)
    assert "colonne « courriel » lue comme « courriels » (standard v0.1.1)" in mappings
    assert "colonne « accessibilite » lue comme « fiche_acces_libre »" in mappings
    assert (
        "valeur « CNFS » de « labels_nationaux » lue comme « Conseillers numériques » "
        "dans « dispositif_programmes_nationaux »"
    ) in mappings

    first = MediationSite.objects.get(identifier="epn-001")
    assert first.courriels == "epn@surgeres.fr"
    assert first.fiche_acces_libre.startswith("https://acceslibre.beta.gouv.fr/app/17-surgeres/")
    assert first.values("dispositif_programmes_nationaux") == [
        "Conseillers numériques",
        "France Services",
    ]
    assert first.values("publics_specifiquement_adresses") == ["Seniors"]
    assert first.values("prise_en_charge_specifique") == ["Langues étrangères (autres)"]
    assert first.values("typologie") == ["MUNI", "BIB"]
    assert first.frais_a_charge == "Gratuit"
    assert first.modalites_accompagnement == "Dans un atelier collectif"
    assert first.autres_formations_labels == "SudLabs"
    assert first.hands_over_computers  # « S'équiper en matériel informatique »
    assert first.telephone == "+33546070000"
    assert first.site_web == "https://www.surgeres.fr"
    assert first.prise_rdv == ""
    assert first.horaires == 'We "09:30-13:00-18:00"'
    parse(first.horaires)
    assert first.date_maj.year > 1970
    assert not first.is_published

    line2 = warnings_of(report, 2)
    assert line2["date_maj"] == (
        "1970-01-01",
        "« 1970-01-01 » n’est pas une date de mise à jour plausible (une valeur par défaut ?) : "
        "ignorée, la date de l’import est utilisée.",
    )
    assert line2["horaires"][0] == "We 09:30-13:00-18:00"
    assert "conservé" in line2["horaires"][1] and "09:30-13:00-18:00" in line2["horaires"][1]
    assert line2["prise_rdv"][0] == "htps//rdv.surgeres"
    assert line2["publics_accueillis"][0] == "Adultes"

    second = MediationSite.objects.get(identifier="epn-002")
    assert second.values("publics_specifiquement_adresses") == [
        "Familles et/ou enfants",
        "Femmes",
    ]
    assert second.values("dispositif_programmes_nationaux") == ["Aidants Connect"]
    assert second.autres_formations_labels == "APTIC"
    assert second.horaires == 'Sa "17:00"'
    assert second.values("services") == ["Accès internet et matériel informatique"]

    third = MediationSite.objects.get(identifier="epn-003")
    assert third.courriels == "accueil@saintes.fr"
    assert third.horaires == 'Mo 14:00-17:00; "9-12,14-17"'
    assert third.values("dispositif_programmes_nationaux") == [
        "Conseillers numériques",
        "France Services",
    ]
    assert warnings_of(report, 4)["courriel"][0] == "mauvais@"

    refused = {row.line: {c for c, _v, _m in row.errors} for row in report.rejected_rows}
    assert refused == {5: {"nom", "adresse"}, 6: {"latitude"}}


def test_current_standard_with_loose_values_and_formulae(db):
    text = (
        "id,pivot,nom,commune,code_postal,adresse,latitude,longitude,telephone,courriels,"
        "site_web,horaires,date_maj,services,dispositif_programmes_nationaux,"
        "formations_labels,structure_parente\n"
        'lieu-1,434 933 123 00029,=HYPERLINK("http://x";"Lieu"),Dax,40100,1 rue A,43.71,-1.05,'
        '05 58 00 00 00 / 06 00 00 00 00,contact@dax.fr,"=HYPERLINK(""https://dax.fr"";""site"")",'
        '"Mo 14-17;9-12,14-17",2024-02-30,Aide aux démarches administratives|Cuisine,'
        "france-service|CNFS,Label maison,@SUM(A1)\n"
        "lieu-2,12,Lieu deux,Dax,40100,2 rue B,-1.05,43.71,,,,,,,,,\n"
    )
    report = importexport.import_sites(load(text), dry_run=False)
    assert (report.created, report.rejected) == (2, 0), report.rejected_rows
    site = MediationSite.objects.get(identifier="lieu-1")
    assert site.nom.startswith("=HYPERLINK")  # stored as text, escaped on export
    assert site.pivot == "43493312300029"
    assert site.telephone == "+33558000000"
    assert site.site_web == "https://dax.fr"
    assert site.services == "Aide aux démarches administratives"
    assert site.values("dispositif_programmes_nationaux") == [
        "France Services",
        "Conseillers numériques",
    ]
    assert site.autres_formations_labels == "Label maison"
    assert "'=HYPERLINK" in importexport.export_csv()  # neutralised in the export
    line2 = warnings_of(report, 2)
    assert {"nom", "site_web", "services", "date_maj", "telephone", "horaires"} <= set(line2)
    assert line2["services"][0] == "Cuisine"
    other = MediationSite.objects.get(identifier="lieu-2")
    assert other.pivot == "00000000000000" and other.latitude == pytest.approx(43.71)
    assert {"pivot", "latitude"} <= set(warnings_of(report, 3))


def test_windows_1252_file_is_read(db):
    text = "id;pivot;nom;commune;code_postal;adresse;date_maj\nl1;43493312300029;Café de l'Église;Saint-Étienne;42000;1 rue Élie;2024-01-01\n"
    report = importexport.import_sites(load(text, "cp1252"), dry_run=False)
    assert report.created == 1
    assert MediationSite.objects.get().nom == "Café de l'Église"


def test_a_file_without_siret_keeps_its_sites_and_says_so(db):
    text = "id;nom;commune;code_postal;adresse\nl1;Espace numérique;Dax;40100;1 rue Neuve\n"
    report = importexport.import_sites(load(text), dry_run=False)
    assert report.created == 1
    value, message = warnings_of(report, 2)["pivot"]
    assert value == "" and message.startswith("Pas de numéro SIRET")
    assert MediationSite.objects.get().pivot == "00000000000000"


@pytest.mark.parametrize(
    ("data", "fragment"),
    [(b"", "vide"), (b"PK\x03\x04\x14\x00\x00\x00", "CSV"), (b"\x89PNG\r\n\x1a\n\x00\x00", "CSV")],
)
def test_files_that_are_not_csv_change_nothing(db, tmp_path, data, fragment):
    path = tmp_path / "lieux.csv"
    path.write_bytes(data)
    with pytest.raises(Exception) as error:
        call_command("import_mediation_sites", str(path))
    assert fragment in str(error.value) or fragment.lower() in str(error.value).lower()
    assert MediationSite.objects.count() == 0


def test_command_exits_0_with_warnings_prints_them_and_publishes(db, tmp_path, capsys):
    path = tmp_path / "lieux.csv"
    path.write_text(LEGACY_CSV.split("epn-004")[0], encoding="utf-8")
    call_command("import_mediation_sites", str(path), "--dry-run")
    assert MediationSite.objects.count() == 0
    call_command("import_mediation_sites", str(path), "--publish")
    captured = capsys.readouterr()
    assert "created: 3, updated: 0, rejected: 0, with warnings: 3" in captured.out
    assert "Mapped: " in captured.out and "cle_ban" in captured.out
    assert "warning: line 2 (id epn-001) [date_maj] “1970-01-01”" in captured.out
    assert "published: 3" in captured.out
    assert "3/3 sites (100 %)" in captured.err
    assert MediationSite.objects.filter(is_published=True).count() == 3
    # A second run updates and keeps them published.
    call_command("import_mediation_sites", str(path), "--publish")
    assert "created: 0, updated: 3" in capsys.readouterr().out
    assert MediationSite.objects.filter(is_published=True).count() == 3


def test_import_without_publish_keeps_the_published_flag(db):
    importexport.import_sites(load(LEGACY_CSV), dry_run=False, publish=True)
    MediationSite.objects.filter(identifier="epn-002").update(is_published=False)
    importexport.import_sites(load(LEGACY_CSV), dry_run=False)
    published = set(
        MediationSite.objects.filter(is_published=True).values_list("identifier", flat=True)
    )
    assert published == {"epn-001", "epn-003"}


def test_progress_is_reported(db):
    calls = []
    importexport.import_sites(
        load(LEGACY_CSV), dry_run=True, progress=lambda d, t: calls.append((d, t))
    )
    assert calls[-1] == (5, 5)


def test_admin_upload_of_a_legacy_file(client, coordination_user):
    client.force_login(coordination_user)
    upload = io.BytesIO(LEGACY_CSV.encode("cp1252"))
    upload.name = "2022-03-01_lieux-de-mediation-numerique_Charente-Maritime.csv"
    # the upload redirects to the job's page, where the check has run
    preview = client.post(
        reverse("content_mediationsite:import"), {"import_file": upload}, follow=True
    )
    assert preview.status_code == 200
    report = preview.context["report"]
    assert (report.created, report.rejected) == (3, 2)
    assert report.warned_rows and report.mappings
    assert MediationSite.objects.count() == 0
    confirm = client.post(
        reverse("content_mediationsite:import_confirm", args=[preview.context["job"].pk]),
        follow=True,
    )
    assert confirm.status_code == 200
    site = MediationSite.objects.get(identifier="epn-001")
    assert site.courriels == "epn@surgeres.fr"
    assert "Conseillers numériques" in site.dispositif_programmes_nationaux
    assert site.fiche_acces_libre.startswith("https://acceslibre.beta.gouv.fr/")


# Bulk publish / unpublish in the sites listing ------------------------------------
def bulk_url(action, sites, next_url):
    ids = "&".join(f"id={site.pk}" for site in sites)
    path = reverse("wagtail_bulk_action", args=["content", "mediationsite", action])
    return f"{path}?{ids}&next={next_url}"


def test_coordinator_publishes_and_unpublishes_a_selection(client, coordination_user):
    from tests.factories import MediationSiteFactory, UserFactory, coordinated_campaign

    mine = [MediationSiteFactory(is_published=False) for _ in range(3)]
    my_campaign = coordinated_campaign(coordination_user)  # a coordinator sees their sites
    for site in mine:
        site.campaigns.add(my_campaign)
    other_campaign = coordinated_campaign(UserFactory(username="someone-else"))
    foreign = MediationSiteFactory(is_published=False, nom="Lieu d'un autre programme")
    foreign.campaigns.add(other_campaign)
    client.force_login(coordination_user)
    index_url = reverse("content_mediationsite:index")

    listing = client.get(index_url)
    assert listing.status_code == 200
    assert "data-bulk-action-checkbox" in listing.text
    assert "data-bulk-action-footer" in listing.text
    publish_path = reverse(
        "wagtail_bulk_action", args=["content", "mediationsite", "publish_sites"]
    )
    assert publish_path in listing.text

    url = bulk_url("publish_sites", [mine[0], mine[1], foreign], index_url)
    confirmation = client.get(url)
    assert confirmation.status_code == 200
    assert mine[0].nom in confirmation.text and foreign.nom not in confirmation.text
    done = client.post(url, follow=True)
    assert done.status_code == 200
    messages = [str(m) for m in done.context["messages"]]
    assert any("2" in m for m in messages), messages
    published = set(MediationSite.objects.filter(is_published=True).values_list("pk", flat=True))
    assert published == {mine[0].pk, mine[1].pk}  # never the other programme's site

    url = bulk_url("unpublish_sites", [mine[1], mine[2]], index_url)
    client.post(url)
    published = set(MediationSite.objects.filter(is_published=True).values_list("pk", flat=True))
    assert published == {mine[0].pk}


def test_bulk_publish_needs_the_change_permission(client, communication_user):
    from tests.factories import MediationSiteFactory

    site = MediationSiteFactory(is_published=False)
    client.force_login(communication_user)
    client.post(bulk_url("publish_sites", [site], "/admin/"))
    assert not MediationSite.objects.get(pk=site.pk).is_published

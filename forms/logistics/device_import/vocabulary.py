"""The names refurbishers' tools and spreadsheets give to columns and values.

Headers and values are compared folded (``fold``: case, accents, spaces and
punctuation ignored), so “N° de série”, “numeroSerie” and “NUMERO_SERIE” are one
name. Column aliases here are the inventory API shared by refurbishers
(``numeroSerie``, ``typeMateriel``, ``statut``, ``marque``, ``model``,
``idMaterielReconditionneur``, ``RAM``, ``tailleDisqueDur1``…) and the French and
English headings people type. ``idMaterielReconditionneur`` is read as the
device's ``refurbisher_reference`` (the refurbisher's own identifier), never as
the portal's inventory code: refurbishers number independently, so two of them
would collide on the code, which is unique. ``idLot`` (the refurbisher's lot)
and ``categorie`` stay unknown: they name nothing the portal records; a person
may map them (to ``notes`` for instance) and the mapping is remembered.
"""

import unicodedata

from django.utils.translation import gettext as _

from forms.enums import DeviceStatus, DeviceType
from forms.logistics.device_import.columns import COLUMN_LABELS, COLUMNS


def fold(text):
    """“N° de Série ” -> “ndeserie”: lower case, no accent, letters and digits only."""
    decomposed = unicodedata.normalize("NFKD", str(text or "").lower())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


HEADER_ALIASES = {
    "inventory_code": [
        "code inventaire",
        "code d'inventaire",
        "n° inventaire",
        "n° d'inventaire",
        "numéro d'inventaire",
        "numero inventaire",
        "inventaire",
        "asset tag",
        "code",
    ],
    "serial_number": [
        "numeroSerie",
        "numéro de série",
        "n° de série",
        "n° série",
        "no de série",
        "num série",
        "série",
        "serial",
        "serial no",
        "sn",
        "s/n",
    ],
    "refurbisher_reference": [
        "idMaterielReconditionneur",
        "id matériel reconditionneur",
        "référence reconditionneur",
        "réf. reconditionneur",
        "id reconditionneur",
        "référence atelier",
    ],
    "type": [
        "typeMateriel",
        "type de matériel",
        "type matériel",
        "type d'équipement",
        "device type",
    ],
    "status": ["statut", "statut matériel", "état du matériel", "device status"],
    "brand": ["marque", "fabricant", "constructeur", "manufacturer"],
    "model": ["modèle", "model name", "modèle exact"],
    "cpu": ["processeur", "proc", "processor", "cpu"],
    "ram_gb": ["RAM", "RAM (Go)", "mémoire", "mémoire vive", "mémoire (Go)", "memory"],
    "storage_gb": [
        "tailleDisqueDur1",
        "taille disque dur",
        "disque",
        "disque dur",
        "disque (Go)",
        "stockage",
        "stockage (Go)",
        "capacité disque",
        "storage",
        "hdd",
        "ssd",
    ],
    "os": [
        "système",
        "système d'exploitation",
        "système installé",
        "OS installé",
        "operating system",
        "systemeExploitation",
    ],
    "os_version": ["version du système", "version système", "version OS"],
    "grade": ["grade esthétique", "classe", "gradeEsthetique"],
    "hardware_test": ["test matériel", "tests matériels", "diagnostic", "testMateriel"],
    "oem_licence": ["licence OEM", "licence Windows", "licenceOEM", "COA"],
    "campaign": ["campagne", "opération"],
    "source_pledge": ["promesse de don", "promesse", "référence du don"],
    "batch": ["arrivage", "lot d'arrivage"],
    "refurbisher": ["reconditionneur", "atelier", "nomReconditionneur"],
    "site": ["lieu", "lieu de médiation", "lieu de médiation numérique", "site de médiation"],
    "lot": ["lot de cession"],
    "borrower": ["emprunteur", "prêté à", "prêt à", "lent to", "emprunteurNom"],
    "loan_return_date": ["date de retour", "retour prévu", "fin du prêt", "dateRetour"],
    "erasure_method": ["effacement", "méthode d'effacement", "methodeEffacement"],
    "erasure_tool": ["outil d'effacement", "logiciel d'effacement", "outilEffacement"],
    "erasure_passes": ["passes", "nombre de passes"],
    "erasure_verified": ["effacement vérifié", "vérification de l'effacement"],
    "erasure_date": ["date d'effacement", "dateEffacement"],
    "erasure_operator": ["opérateur", "opérateur d'effacement", "technicien"],
    "erasure_result": ["résultat de l'effacement", "resultatEffacement"],
    "notes": ["remarques", "commentaire", "commentaires", "observations"],
    "received_at": [
        "date de réception",
        "reçu le",
        "date d'entrée",
        "dateReception",
        "dateEntree",
    ],
    "refurbished_at": ["date de reconditionnement", "reconditionné le", "dateReconditionnement"],
    "handed_over_at": ["date de remise", "date de distribution", "remis le", "dateDistribution"],
    "lent_at": ["date du prêt", "prêté le", "datePret"],
    "eliminated_at": ["date d'élimination", "éliminé le"],
}
# folded header -> column (the columns' own names first: they always win)
HEADER_OF = {fold(column): column for column in COLUMNS}
for _column, _names in HEADER_ALIASES.items():
    for _name in _names:
        HEADER_OF.setdefault(fold(_name), _column)

STATUS_ALIASES = {
    DeviceStatus.RECEIVED: [
        "reçu",
        "réceptionné",
        "en stock",
        "entrée",
        "à reconditionner",
        "EN_STOCK",
        "RECU",
    ],
    DeviceStatus.IN_REFURBISHMENT: [
        "en reconditionnement",
        "en cours de reconditionnement",
        "en atelier",
        "EN_RECONDITIONNEMENT",
        "EN_COURS",
    ],
    DeviceStatus.ELIMINATED: [
        "NON_REEMPLOYABLE",
        "non réemployable",
        "éliminé",
        "hors service",
        "HS",
        "rebut",
        "réformé",
        "irréparable",
    ],
    DeviceStatus.READY: [
        "PRET_A_DISTRIBUER",
        "prêt à distribuer",
        "prêt",
        "reconditionné",
        "disponible",
        "à distribuer",
        "RECONDITIONNE",
        "DISPONIBLE",
    ],
    DeviceStatus.ALLOCATED: ["alloué", "affecté", "attribué", "réservé", "AFFECTE", "RESERVE"],
    DeviceStatus.HANDED_OVER: ["DISTRIBUE", "distribué", "remis", "donné", "remis au bénéficiaire"],
    DeviceStatus.LENT: ["prêté", "en prêt", "PRETE", "EN_PRET"],
    # SAV (“service après-vente”): back from a beneficiary for repair.
    DeviceStatus.RETURNED_BROKEN: ["SAV", "en SAV", "en panne", "retour panne", "cassé"],
    DeviceStatus.RETURNED: ["rendu", "retourné", "restitué", "retour de prêt", "RESTITUE"],
    DeviceStatus.RECYCLED: ["recyclé", "DEEE", "détruit", "RECYCLE"],
}
TYPE_ALIASES = {
    DeviceType.LAPTOP: [
        "portable",
        "PC portable",
        "ordinateur portable",
        "ordi portable",
        "notebook",
        "ultraportable",
        "netbook",
        "chromebook",
        "PC_PORTABLE",
        "ORDINATEUR_PORTABLE",
    ],
    DeviceType.DESKTOP: [
        "fixe",
        "PC fixe",
        "ordinateur fixe",
        "unité centrale",
        "UC",
        "tour",
        "poste fixe",
        "tout-en-un",
        "all in one",
        "mini PC",
        "PC_FIXE",
        "UNITE_CENTRALE",
    ],
    DeviceType.TABLET: ["tablette", "iPad", "TABLETTE"],
    DeviceType.SMARTPHONE: ["téléphone", "mobile", "téléphone portable", "TELEPHONE"],
    DeviceType.SCREEN: ["écran", "moniteur", "monitor", "ECRAN"],
    DeviceType.OTHER: ["autre", "accessoire", "AUTRE"],
}
VALUE_ALIASES = {"status": STATUS_ALIASES, "type": TYPE_ALIASES}


def folded_values(aliases):
    """{status: [names]} -> {folded name: status}."""
    return {fold(name): value for value, names in aliases.items() for name in names}


def column_label(column):
    return str(COLUMN_LABELS.get(column, column))


def header_sentence(header, column):
    """« numeroSerie » lu comme « numéro de série »."""
    return _("“%(header)s” read as “%(label)s”") % {
        "header": header,
        "label": column_label(column),
    }


def value_sentence(column, written, value, label):
    """« PRET_A_DISTRIBUER » (statut) lu comme « Prêt »."""
    return _("“%(written)s” (%(column)s) read as “%(label)s”") % {
        "written": written,
        "column": column_label(column),
        "label": label,
    }


def resolve_headers(headers, mapping=None):
    """Each header's column, or None: the person's mapping first (``{header: column or ""}``,
    "" to ignore), then the column names, then the aliases. Returns (columns, sentences
    for each alias or mapping applied, headers left unknown). A column already read
    from an earlier header leaves the later one unknown."""
    mapping = {fold(k): v for k, v in (mapping or {}).items()}
    columns, sentences, unknown, taken = [], [], [], set()
    known = set(COLUMNS)
    for header in headers:
        key = fold(header)
        column = None
        if key in mapping:
            column = mapping[key] if mapping[key] in known else None
            if column is None:
                columns.append(None)  # ignored by the person: not offered again
                continue
        elif key:
            column = HEADER_OF.get(key)
        if column is None or column in taken:
            columns.append(None)
            if header.strip():
                unknown.append(header)
            continue
        taken.add(column)
        columns.append(column)
        if header.strip().lower() != column:
            sentences.append(header_sentence(header.strip(), column))
    return columns, sentences, unknown

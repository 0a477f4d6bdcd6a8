"""Earlier versions of the national standard, read as the current one (v1.0.2).

Regional exports written before v1 keep the v0.1.1 columns (``courriel``,
``labels_nationaux``, ``publics_accueillis``, ``conditions_acces``,
``accessibilite``, ``labels_autres``) and their value lists; national exports and
data·inclusion use codes (``france-service``, ``CNFS``). This module is only
data: which old column becomes which current column(s), and which old value
becomes which current value (in which column). The mapping follows the
standard's own note on the changes from v0.1.1 to v1.0.1.

A value is looked up by its ``key`` (case, accents, spaces and punctuation
ignored), so ``france services``, ``France-Services`` and ``FRANCE SERVICES``
are the same value.
"""

import re
import unicodedata
from functools import lru_cache

LEGACY = "0.1.1"

# Old column -> current column, for columns that only changed name.
COLUMN_RENAMES = {
    "courriel": "courriels",
    "accessibilite": "fiche_acces_libre",
    "conditions_acces": "frais_a_charge",
    "labels_autres": "autres_formations_labels",
    "labels_nationaux": "dispositif_programmes_nationaux",
    "publics_accueillis": "publics_specifiquement_adresses",
}
# Old columns the current standard has no place for (read, then ignored).
DROPPED_COLUMNS = ("cle_ban",)

# Free-text column where values a list column does not know are kept as written.
KEPT_AS_TEXT_IN = {
    "dispositif_programmes_nationaux": "autres_formations_labels",
    "formations_labels": "autres_formations_labels",
}

# Old value -> (current column, current value); current value None: no equivalent
# (the value is dropped and the mapping says so). Keyed by the column the value
# is read in, after renaming.
DISPOSITIFS = "dispositif_programmes_nationaux"
LABELS = "formations_labels"
OTHER_LABELS = "autres_formations_labels"
PUBLICS = "publics_specifiquement_adresses"
SUPPORT = "prise_en_charge_specifique"
SERVICES = "services"

VALUE_ALIASES = {
    DISPOSITIFS: {
        # v0.1.1 labels_nationaux
        "France Services": (DISPOSITIFS, "France Services"),
        "CNFS": (DISPOSITIFS, "Conseillers numériques"),
        "Conseiller numérique": (DISPOSITIFS, "Conseillers numériques"),
        "Conseillers numériques France Services": (DISPOSITIFS, "Conseillers numériques"),
        "Aidants Connect": (DISPOSITIFS, "Aidants Connect"),
        "Grandes écoles du numérique": (DISPOSITIFS, "Grande école du numérique"),
        "Point numérique CAF": (DISPOSITIFS, "Point d'accès numérique CAF"),
        "Point relais CAF": (DISPOSITIFS, "Point d'accès numérique CAF"),
        "Fabriques de Territoire": (LABELS, "Fabriques de Territoire"),
        "APTIC": (OTHER_LABELS, "APTIC"),
        "Relais pôle emploi": (OTHER_LABELS, "Relais pôle emploi"),
        "French Tech": (OTHER_LABELS, "French Tech"),
        "Campus connecté": (OTHER_LABELS, "Campus connecté"),
        # data·inclusion / national cartography codes
        "france-service": (DISPOSITIFS, "France Services"),
        "france-services": (DISPOSITIFS, "France Services"),
        "conseillers-numeriques": (DISPOSITIFS, "Conseillers numériques"),
        "aidants-connect": (DISPOSITIFS, "Aidants Connect"),
        "grandes-ecoles-du-numerique": (DISPOSITIFS, "Grande école du numérique"),
        "croix-rouge": (DISPOSITIFS, "La Croix Rouge"),
        "emmaus": (DISPOSITIFS, "Emmaüs Connect"),
        "certification-pix": (DISPOSITIFS, "Certification PIX"),
        "bibliotheque-de-reference": (DISPOSITIFS, "Bibliothèques numérique de référence"),
        "promeneurs-du-net": (DISPOSITIFS, "Promeneurs du net"),
    },
    PUBLICS: {
        # v0.1.1 publics_accueillis, split between two current columns
        "Seniors (+ 65 ans)": (PUBLICS, "Seniors"),
        "Familles/enfants": (PUBLICS, "Familles et/ou enfants"),
        "Jeunes (16-26 ans)": (PUBLICS, "Jeunes"),
        "Uniquement femmes": (PUBLICS, "Femmes"),
        "Adultes": (PUBLICS, None),
        "Public langues étrangères": (SUPPORT, "Langues étrangères (autres)"),
        "Déficience visuelle": (SUPPORT, "Déficience visuelle"),
        "Surdité": (SUPPORT, "Surdité"),
        "Handicaps psychiques : troubles psychiatriques donnant lieu à des atteintes "
        "comportementales": (SUPPORT, "Handicaps mentaux"),
        "Handicaps mentaux : déficiences limitant les activités d'une personne": (
            SUPPORT,
            "Handicaps mentaux",
        ),
        "Personnes en situation d'illettrisme": (SUPPORT, "Illettrisme"),
    },
    "frais_a_charge": {
        "Gratuit : Je peux accéder gratuitement au lieu et à ses services": (
            "frais_a_charge",
            "Gratuit",
        ),
        "Gratuit sous condition : La gratuité est conditionnée à des critères "
        "(situation familiale, convention avec un organisme social...)": (
            "frais_a_charge",
            "Gratuit sous condition",
        ),
        "Payant : L'accès au lieu et/ou à ses services est payant": ("frais_a_charge", "Payant"),
        "Adhésion : L'accès au lieu et/ou à ses services nécessite d'y adhérer": (
            "frais_a_charge",
            "Payant",
        ),
        "Accepte le Pass numérique : Il est possible d'utiliser un Pass numérique pour "
        "accéder au lieu": ("frais_a_charge", None),
    },
    SERVICES: {
        # v0.1.1: 15 services condensed into 9
        "Devenir autonome dans les démarches administratives": (
            SERVICES,
            "Aide aux démarches administratives",
        ),
        "Réaliser des démarches administratives avec un accompagnement": (
            SERVICES,
            "Aide aux démarches administratives",
        ),
        "Accompagner les démarches de santé": (SERVICES, "Aide aux démarches administratives"),
        "Prendre en main un smartphone ou une tablette": (
            SERVICES,
            "Maîtrise des outils numériques du quotidien",
        ),
        "Prendre en main un ordinateur": (SERVICES, "Maîtrise des outils numériques du quotidien"),
        "Utiliser le numérique au quotidien": (
            SERVICES,
            "Maîtrise des outils numériques du quotidien",
        ),
        "Approfondir ma culture numérique": (SERVICES, "Compréhension du monde numérique"),
        "Promouvoir la citoyenneté numérique": (SERVICES, "Compréhension du monde numérique"),
        "Favoriser mon insertion professionnelle": (
            SERVICES,
            "Insertion professionnelle via le numérique",
        ),
        "Créer et développer mon entreprise": (
            SERVICES,
            "Insertion professionnelle via le numérique",
        ),
        "Accéder à une connexion internet": (SERVICES, "Accès internet et matériel informatique"),
        "Accéder à du matériel": (SERVICES, "Accès internet et matériel informatique"),
        "S'équiper en matériel informatique": (
            SERVICES,
            "Acquisition de matériel informatique à prix solidaire",
        ),
        "Créer avec le numérique": (SERVICES, "Loisirs et créations numériques"),
        "Soutenir la parentalité et l'éducation avec le numérique": (
            SERVICES,
            "Parentalité et éducation avec le numérique",
        ),
    },
    "modalites_accompagnement": {
        "Seul : j'ai accès à du matériel et une connexion": (
            "modalites_accompagnement",
            "En autonomie",
        ),
        "Avec de l'aide : je suis accompagné seul dans l'usage du numérique": (
            "modalites_accompagnement",
            "Accompagnement individuel",
        ),
        "Dans un atelier : j'apprends collectivement à utiliser le numérique": (
            "modalites_accompagnement",
            "Dans un atelier collectif",
        ),
        "A ma place : une personne habilitée fait les démarches à ma place": (
            "modalites_accompagnement",
            "Accompagnement individuel",
        ),
    },
}


@lru_cache(maxsize=8192)
def key(value):
    """What two spellings of one value share: no case, accents, spaces or punctuation."""
    text = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9+]", "", text.lower())


def _keyed(aliases):
    return {
        column: {key(old): new for old, new in values.items()} for column, values in aliases.items()
    }


ALIASES_BY_KEY = _keyed(VALUE_ALIASES)


def current_column(header):
    """The current column a header stands for, or the header itself."""
    return COLUMN_RENAMES.get(header, header)


def is_legacy_header(header):
    return header in COLUMN_RENAMES or header in DROPPED_COLUMNS


def alias(column, value):
    """(current column, current value) for an old value read in ``column``, else None."""
    return ALIASES_BY_KEY.get(column, {}).get(key(value))

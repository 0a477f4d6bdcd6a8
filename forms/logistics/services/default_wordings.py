"""The default French text of each document, used until a coordinator edits it
in the admin (Documents > Document wordings). This is document data, in French.

``{programme}`` in a text is replaced by the name of the record's programme
(forms.logistics.services.identity); an issuer left to one of the defaults below
means "the programme's identity" (or, on an erasure certificate, "the refurbisher
of the devices, from the refurbishing chain")."""

from forms.enums import DocumentKind

PROGRAMME_PLACEHOLDER = "{programme}"

PROGRAMME_ISSUER = (
    "Programme Ordinateurs solidaires\n"
    "Coordination départementale de l'inclusion numérique\n"
    "Adresse à compléter dans l'administration"
)
REFURBISHER_ISSUER = (
    "Atelier de reconditionnement du programme Ordinateurs solidaires\n"
    "SIRET et adresse du reconditionneur à compléter dans l'administration"
)

DEFAULT_WORDINGS = {
    DocumentKind.DONATION_AGREEMENT: {
        "title": "Convention de don de matériel informatique",
        "intro": (
            "Entre le donateur désigné ci-dessous et {programme}, il est convenu ce qui suit."
        ),
        "body": (
            "Le donateur cède gratuitement au programme le matériel informatique décrit "
            "ci-dessous, dont il est propriétaire. Le programme le fait reconditionner puis "
            "le remet à des personnes éloignées du numérique, accompagnées par un lieu de "
            "médiation numérique.\n\n"
            "Le matériel qui ne peut pas être reconditionné est confié à une filière de "
            "recyclage agréée (DEEE)."
        ),
        "commitments": (
            "Le matériel est remis gratuitement aux bénéficiaires, qui s'engagent à ne pas le revendre.\n"
            "Chaque équipement reçoit un code d'inventaire : le donateur peut suivre ce qu'il est devenu.\n"
            "Toutes les données sont effacées selon une méthode reconnue et une attestation d'effacement est remise au donateur.\n"
            "Le donateur est invité à la cérémonie de remise des ordinateurs aux bénéficiaires."
        ),
        "signature_text": "Fait en deux exemplaires. Lu et approuvé.",
        "issuer": PROGRAMME_ISSUER,
    },
    DocumentKind.ERASURE_CERTIFICATE: {
        "title": "Attestation d'effacement des données",
        "intro": (
            "Le reconditionneur soussigné atteste avoir effacé les données des supports de "
            "stockage des équipements listés ci-dessous, selon la méthode indiquée pour chacun."
        ),
        "body": (
            "L'authenticité de cette attestation peut être vérifiée en ligne avec son code "
            "de vérification. La page de vérification n'affiche aucune donnée personnelle."
        ),
        "commitments": "",
        "signature_text": "Pour le reconditionneur, nom, qualité et signature :",
        "issuer": REFURBISHER_ISSUER,
    },
    DocumentKind.TRANSFER_AGREEMENT: {
        "title": "Convention de cession d'un lot d'ordinateurs",
        "intro": (
            "Entre {programme} (le cédant) et le lieu de médiation "
            "numérique désigné ci-dessous (le cessionnaire)."
        ),
        "body": (
            "Le cédant cède au cessionnaire les ordinateurs reconditionnés listés ci-dessous, "
            "pour le prix symbolique indiqué.\n\n"
            "Le cessionnaire remet chaque ordinateur à une personne orientée par un "
            "prescripteur, après un parcours de formation, et renvoie pour chaque remise une "
            "fiche de remise par le portail."
        ),
        "commitments": (
            "Remettre les ordinateurs gratuitement, sans les revendre.\n"
            "Faire signer à chaque bénéficiaire l'engagement de non-revente.\n"
            "Saisir une fiche de remise pour chaque ordinateur remis.\n"
            "Signaler au programme tout ordinateur revenu en panne."
        ),
        "signature_text": "Fait en deux exemplaires. Lu et approuvé.",
        "issuer": PROGRAMME_ISSUER,
    },
    DocumentKind.LOAN_AGREEMENT: {
        "title": "Convention de prêt d'un ordinateur",
        "intro": (
            "Entre {programme} (le prêteur) et l'emprunteur désigné "
            "ci-dessous, il est convenu ce qui suit."
        ),
        "body": (
            "Le prêteur met gratuitement à la disposition de l'emprunteur l'ordinateur "
            "reconditionné décrit ci-dessous, pour la durée indiquée. L'ordinateur reste la "
            "propriété du programme.\n\n"
            "L'état de l'ordinateur est constaté à son départ et à son retour. Le prêt peut "
            "être prolongé sur demande avant la date de retour."
        ),
        "commitments": (
            "Utiliser l'ordinateur avec soin et ne pas le prêter, le céder ni le revendre.\n"
            "Rendre l'ordinateur et ses accessoires à la date prévue, ou demander une prolongation.\n"
            "Signaler sans attendre toute panne, perte ou vol.\n"
            "Pour les associations : présenter l'ordinateur aux opérations de maintenance prévues."
        ),
        "signature_text": "Fait en deux exemplaires. Lu et approuvé.",
        "issuer": PROGRAMME_ISSUER,
    },
    DocumentKind.PRESCRIPTION_SHEET: {
        "title": "Fiche de prescription",
        "intro": (
            "Cette fiche oriente la personne désignée ci-dessous vers un lieu de médiation "
            "numérique de {programme}. Présentez-la lors de votre "
            "premier rendez-vous."
        ),
        "body": (
            "Le lieu de médiation évalue vos compétences numériques, vous propose un "
            "parcours de formation, puis vous remet un ordinateur reconditionné."
        ),
        "commitments": "",
        "signature_text": "Cachet et signature du prescripteur :",
        "issuer": PROGRAMME_ISSUER,
    },
    DocumentKind.HANDOVER_SHEET: {
        "title": "Fiche de remise d'un ordinateur solidaire",
        "intro": (
            "Le lieu de médiation numérique désigné ci-dessous remet l'ordinateur "
            "reconditionné identifié par son code d'inventaire."
        ),
        "body": "",
        "commitments": (
            "Je m'engage à ne pas revendre cet ordinateur, ni à le céder contre rémunération.\n"
            "En cas de prêt, je m'engage à le rendre au lieu de médiation à la date convenue.\n"
            "En cas de panne, je le rapporte au lieu de médiation."
        ),
        "signature_text": "Lu et approuvé, engagement de non-revente :",
        "issuer": PROGRAMME_ISSUER,
    },
}

"""The generated half of the judged library: 16 projects x 14 topics, in French and English.

Real PMO prose, not pseudo-words, so that queries can be judged by reading the documents:
each document is one project's view of one topic (its risk register, its steering committee
minutes...), written in Markdown (headings, lists, tables) with facts of its own (the
supplier, the city, the sponsor, the system replaced). Most projects write in one language;
a few documents are in the other, as in a real bilingual PMO. A few are drafts, which staff
never see. Titles are unique: they are the documents' keys in ``judged_queries.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass

#: name, language, domain (fr, en), supplier, city, sponsor, system replaced
PROJECTS = [
    ("Atlas", "fr", ("facturation", "billing"), "Nexalis", "Lyon", "Claire Martin", "SAP R/3"),
    ("Borealis", "en", ("CRM", "CRM"), "Vortexa", "Leeds", "John Carter", "Siebel"),
    ("Cassiopée", "fr", ("paie", "payroll"), "Paygrid", "Nantes", "Hélène Robert", "Zadig"),
    ("Dione", "en", ("entrepôt", "warehouse"), "Logimax", "Bristol", "Emma Shaw", "WMS 2"),
    ("Éole", "fr", ("portail RH", "HR portal"), "Talentis", "Lille", "Marc Petit", "Intranet"),
    (
        "Fenix",
        "en",
        ("data platform", "data platform"),
        "Datagon",
        "Dublin",
        "Liam Byrne",
        "Teradata",
    ),
    ("Galilée", "fr", ("achats", "procurement"), "Procurix", "Toulouse", "Anne Roux", "Oracle"),
    ("Hermès", "fr", ("messagerie", "e-mail"), "Mailsphere", "Rennes", "Paul Morel", "Lotus Notes"),
    ("Iris", "en", ("mobile app", "mobile app"), "Appforge", "Cardiff", "Sarah Hill", "WAP site"),
    (
        "Janus",
        "fr",
        ("gestion documentaire", "document management"),
        "Docuvia",
        "Bordeaux",
        "Luc Girard",
        "GED V1",
    ),
    ("Kepler", "en", ("network", "network"), "Netcore", "York", "David Reed", "MPLS"),
    (
        "Lyra",
        "fr",
        ("service client", "customer service"),
        "Callwise",
        "Marseille",
        "Julie Blanc",
        "Genesys",
    ),
    (
        "Mistral",
        "en",
        ("finance reporting", "finance reporting"),
        "Fincube",
        "Glasgow",
        "Anna Kerr",
        "Hyperion",
    ),
    (
        "Nova",
        "fr",
        ("cybersécurité", "cybersecurity"),
        "Securis",
        "Strasbourg",
        "Thomas Lefèvre",
        "pare-feu",
    ),
    (
        "Orion",
        "en",
        ("e-commerce", "e-commerce"),
        "Shoplane",
        "Manchester",
        "Grace Wood",
        "Magento",
    ),
    (
        "Pégase",
        "fr",
        ("flotte automobile", "vehicle fleet"),
        "Fleetia",
        "Grenoble",
        "Nicolas Faure",
        "Excel",
    ),
]


@dataclass(frozen=True)
class Topic:
    key: str
    titles: tuple[str, str]  # fr, en; "{p}" is the project
    bodies: tuple[str, str]  # Markdown, with {p} {domain} {supplier} {city} {sponsor} {old}


TOPICS = [
    Topic(
        "risks",
        ("Registre des risques — {p}", "Risk register — {p}"),
        (
            "## Risques majeurs\n\nLe risque principal du projet {p} est la dépendance au"
            " fournisseur {supplier}. La reprise des données de {old} est le deuxième risque.\n\n"
            "| Risque | Probabilité | Réponse |\n|---|---|---|\n| Retard de {supplier} | forte |"
            " pénalités au contrat |\n| Reprise des données | moyenne | migration à blanc |\n\n"
            "Chaque risque a un propriétaire et un plan de réponse revu en comité.",
            "## Major risks\n\nThe main risk of project {p} is the dependency on the supplier"
            " {supplier}. Migrating the data out of {old} is the second risk.\n\n"
            "| Risk | Likelihood | Response |\n|---|---|---|\n| {supplier} late | high |"
            " contract penalties |\n| Data migration | medium | dry run |\n\n"
            "Every risk has an owner and a response plan reviewed by the committee.",
        ),
    ),
    Topic(
        "copil",
        ("Compte rendu du comité de pilotage — {p}", "Steering committee minutes — {p}"),
        (
            "## Décisions\n\nLe comité de pilotage du projet {p}, présidé par {sponsor}, a validé"
            " le passage du jalon de conception.\n\n- **Décision** : budget complémentaire"
            " accordé pour le lot {domain}\n- Prochain comité dans six semaines à {city}\n",
            "## Decisions\n\nThe steering committee of project {p}, chaired by {sponsor},"
            " approved the design gate.\n\n- **Decision**: extra budget granted for the"
            " {domain} work package\n- Next committee in six weeks in {city}\n",
        ),
    ),
    Topic(
        "budget",
        ("Suivi budgétaire — {p}", "Budget tracking — {p}"),
        (
            "## Coûts\n\nLe budget du projet {p} dérape de 12 % à cause des licences {supplier}."
            " Les coûts de maintenance de {old} restent à la charge du projet jusqu'à la bascule."
            "\n\n| Poste | Prévu | Réel |\n|---|---|---|\n| Licences | 120 k€ | 140 k€ |",
            "## Costs\n\nThe budget of project {p} is 12 % over because of the {supplier}"
            " licences. The maintenance costs of {old} stay with the project until cutover."
            "\n\n| Item | Planned | Actual |\n|---|---|---|\n| Licences | 120 k | 140 k |",
        ),
    ),
    Topic(
        "acceptance",
        ("Cahier de recette — {p}", "User acceptance testing report — {p}"),
        (
            "## Recette\n\nLa recette utilisateur du {domain} ({p}) a couvert 240 cas de test."
            " Trois anomalies bloquantes restent ouvertes chez {supplier}.\n\n"
            "La recette est prononcée sous réserve de leur correction.",
            "## Acceptance\n\nUser acceptance testing of the {domain} ({p}) covered 240 test"
            " cases. Three blocking defects are still open with {supplier}.\n\n"
            "Acceptance is signed off subject to their fix.",
        ),
    ),
    Topic(
        "deployment",
        ("Plan de déploiement — {p}", "Deployment plan — {p}"),
        (
            "## Déploiement\n\nLe déploiement du projet {p} se fait site par site, en commençant"
            " par {city}. Le plan de retour arrière prévoit de rallumer {old} en moins de deux"
            " heures.\n\n1. Site pilote : {city}\n2. Généralisation en trois vagues",
            "## Deployment\n\nProject {p} is rolled out site by site, starting with {city}."
            " The rollback plan restarts {old} in less than two hours.\n\n"
            "1. Pilot site: {city}\n2. Roll-out in three waves",
        ),
    ),
    Topic(
        "change",
        ("Conduite du changement — {p}", "Change management plan — {p}"),
        (
            "## Accompagnement\n\nLa conduite du changement du projet {p} cible les utilisateurs"
            " de {old}. Des ambassadeurs sont nommés dans chaque équipe et une communication"
            " mensuelle est envoyée par {sponsor}.",
            "## Adoption\n\nChange management on project {p} targets the users of {old}."
            " Champions are named in every team and {sponsor} sends a monthly update.",
        ),
    ),
    Topic(
        "kpi",
        ("Indicateurs clés de performance — {p}", "Key performance indicators — {p}"),
        (
            "## Tableau de bord\n\nLes KPIs du projet {p} : taux d'adoption du {domain}, délai"
            " moyen de traitement, satisfaction des utilisateurs. Les indicateurs sont publiés"
            " chaque mois au comité.",
            "## Dashboard\n\nThe KPIs of project {p}: adoption rate of the {domain}, average"
            " handling time, user satisfaction. The indicators are published monthly to the"
            " committee.",
        ),
    ),
    Topic(
        "charter",
        ("Note de cadrage — {p}", "Project charter — {p}"),
        (
            "## Objectifs\n\nLe projet {p} remplace {old} par un nouveau {domain}. Le sponsor est"
            " {sponsor}. Le périmètre exclut la reprise de l'historique de plus de cinq ans.",
            "## Objectives\n\nProject {p} replaces {old} with a new {domain}. The sponsor is"
            " {sponsor}. The scope excludes history older than five years.",
        ),
    ),
    Topic(
        "schedule",
        ("Planning directeur — {p}", "Master schedule — {p}"),
        (
            "## Jalons\n\nLe planning du projet {p} compte cinq jalons ; la mise en production"
            " est prévue au troisième trimestre. Le chemin critique passe par les livraisons de"
            " {supplier}.",
            "## Milestones\n\nThe schedule of project {p} has five milestones; go-live is"
            " planned for the third quarter. The critical path runs through the {supplier}"
            " deliveries.",
        ),
    ),
    Topic(
        "supplier",
        ("Contrat fournisseur — {p}", "Supplier contract — {p}"),
        (
            "## Contrat\n\nLe contrat avec {supplier} pour le projet {p} est au forfait, avec des"
            " pénalités de retard plafonnées à 10 %. La réversibilité est garantie en fin de"
            " contrat.",
            "## Contract\n\nThe contract with {supplier} for project {p} is fixed price, with"
            " late delivery penalties capped at 10 %. Reversibility is guaranteed at the end of"
            " the contract.",
        ),
    ),
    Topic(
        "lessons",
        ("Retour d'expérience — {p}", "Lessons learned — {p}"),
        (
            "## Ce que nous referions\n\nImpliquer l'exploitation dès la conception : sur le"
            " projet {p}, l'équipe d'exploitation découverte en recette a retardé la bascule de"
            " {old}.\n\n## Ce que nous éviterions\n\nSous-estimer la reprise des données.",
            "## What we would do again\n\nInvolve operations from design onwards: on project"
            " {p}, operations discovered during testing delayed the cutover from {old}.\n\n"
            "## What we would avoid\n\nUnderestimating the data migration.",
        ),
    ),
    Topic(
        "stakeholders",
        ("Cartographie des parties prenantes — {p}", "Stakeholder map — {p}"),
        (
            "## Parties prenantes\n\nLes parties prenantes du projet {p} : {sponsor} (sponsor),"
            " les utilisateurs de {old}, la DSI et {supplier}. Les syndicats sont informés à"
            " chaque jalon.",
            "## Stakeholders\n\nThe stakeholders of project {p}: {sponsor} (sponsor), the users"
            " of {old}, IT and {supplier}. The unions are briefed at every gate.",
        ),
    ),
    Topic(
        "security",
        ("Analyse de sécurité — {p}", "Security assessment — {p}"),
        (
            "## Sécurité\n\nL'analyse de sécurité du {domain} ({p}) relève deux vulnérabilités"
            " critiques dans l'authentification. Un test d'intrusion est planifié avant la mise en"
            " production.",
            "## Security\n\nThe security assessment of the {domain} ({p}) found two critical"
            " vulnerabilities in authentication. A penetration test is planned before go-live.",
        ),
    ),
    Topic(
        "training",
        ("Plan de formation des utilisateurs — {p}", "User training plan — {p}"),
        (
            "## Formation\n\nLes utilisateurs du {domain} ({p}) suivent deux demi-journées de"
            " formation à {city}, avant le déploiement. Un module en ligne complète le"
            " présentiel.",
            "## Training\n\nUsers of the {domain} ({p}) attend two half-day sessions in {city}"
            " before the roll-out. An e-learning module completes the classroom sessions.",
        ),
    ),
]
KINDS = {"lessons": "lesson", "acceptance": "template", "charter": "template"}


def language_of(project_index: int, topic_index: int, own: str) -> str:
    """The project's language, except one document in five, written in the other."""
    if (project_index + topic_index) % 5 == 0:
        return "en" if own == "fr" else "fr"
    return own


def generated_documents() -> list[dict]:
    """Every generated document as ``create_document`` values plus ``status``."""
    docs = []
    for p_index, (name, own, domain, supplier, city, sponsor, old) in enumerate(PROJECTS):
        for t_index, topic in enumerate(TOPICS):
            language = language_of(p_index, t_index, own)
            which = 0 if language == "fr" else 1
            values = {
                "p": name,
                "domain": domain[which],
                "supplier": supplier,
                "city": city,
                "sponsor": sponsor,
                "old": old,
            }
            body = topic.bodies[which].format(**values)
            draft = (p_index * 14 + t_index) % 13 == 0
            docs.append(
                {
                    "title": topic.titles[which].format(p=name),
                    "kind": KINDS.get(topic.key, "guideline"),
                    "language": language,
                    "body": body,
                    "summary": "",
                    "tags": [topic.key, name.lower()],
                    "status": "draft" if draft else "published",
                }
            )
    return docs

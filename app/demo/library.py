"""Demo library: standards per gate, the templates the workflows name, guidelines and lessons.

Written through the library services (versions, index tasks), in French and English, with
mixed statuses: mostly published, a few drafts, one in review, one obsolete, one overdue for
review. Idempotent: a document whose title already exists is left alone.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.auth.services import get_user_by_username
from app.extensions import db
from app.library.documents import create_document
from app.library.lifecycle import transition
from app.library.models import Document

PUBLISH = ("in_review", "published")

# (template_key, language, workflow, stage, title, purpose, sections)
TEMPLATES = [
    (
        "tpl-market-assessment",
        "en",
        "stage-gate",
        "scoping",
        "Preliminary market assessment",
        "Size the market and the customer need before Gate 2.",
        ["Target segments", "Market size and growth", "Competitors", "Evidence of customer need"],
    ),
    (
        "tpl-technical-assessment",
        "en",
        "stage-gate",
        "scoping",
        "Preliminary technical assessment",
        "Show that the product can plausibly be built.",
        ["Technical approach", "Key unknowns", "Intellectual property", "Resources needed"],
    ),
    (
        "tpl-financial-analysis",
        "en",
        "stage-gate",
        "scoping",
        "Quick financial analysis",
        "A first estimate of costs, revenues and payback.",
        ["Cost estimate", "Revenue estimate", "Payback period", "Assumptions"],
    ),
    (
        "tpl-business-case",
        "en",
        "stage-gate",
        "business-case",
        "Business case template",
        "The investment case reviewed at Gate 3: value, cost, risks and options.",
        [
            "Executive summary",
            "Options considered",
            "Costs and benefits (NPV, IRR)",
            "Risks",
            "Recommendation",
        ],
    ),
    (
        "tpl-product-definition",
        "en",
        "stage-gate",
        "business-case",
        "Product definition",
        "Agreed scope, target market, positioning and requirements.",
        ["Target market", "Value proposition", "Features and requirements", "Out of scope"],
    ),
    (
        "tpl-project-plan",
        "en",
        "stage-gate",
        "business-case",
        "Project plan template",
        "Milestones, resources and budget through launch.",
        ["Milestones", "Team and resources", "Budget", "Dependencies"],
    ),
    (
        "tpl-risk-register",
        "en",
        "stage-gate",
        "business-case",
        "Risk register",
        "Every risk with its owner, probability, impact and response.",
        ["Risk", "Owner", "Probability (1-5)", "Impact (1-5)", "Response", "Status"],
    ),
    (
        "tpl-test-plan",
        "en",
        "stage-gate",
        "development",
        "Test plan",
        "How the product is validated in the lab, in the field and with customers.",
        ["Scope of testing", "Test cases", "Field trials", "Acceptance criteria"],
    ),
    (
        "tpl-launch-plan",
        "en",
        "stage-gate",
        "testing",
        "Launch plan",
        "Marketing, sales and production readiness for the launch.",
        ["Launch date", "Channels", "Production ramp-up", "Go/no-go checklist"],
    ),
    (
        "tpl-operations-plan",
        "en",
        "stage-gate",
        "testing",
        "Operations plan",
        "How the product is produced, supported and maintained after launch.",
        ["Production", "Support", "Maintenance", "Service levels"],
    ),
    (
        "tpl-post-launch-review",
        "en",
        "stage-gate",
        "launch",
        "Post-launch review",
        "Results against the business case, and lessons learned.",
        ["Results vs. business case", "Customer feedback", "Lessons learned", "Next steps"],
    ),
    (
        "tpl-fiche-opportunite",
        "fr",
        "it-project",
        "opportunite",
        "Fiche d'opportunité",
        "Décrire le besoin et la valeur attendue avant le go cadrage.",
        ["Contexte et besoin", "Valeur attendue", "Sponsor", "Premières estimations"],
    ),
    (
        "tpl-note-de-cadrage",
        "fr",
        "it-project",
        "cadrage",
        "Note de cadrage (charte projet)",
        "Objectifs, périmètre, gouvernance et jalons du projet.",
        [
            "Objectifs",
            "Périmètre et hors périmètre",
            "Gouvernance (COPIL, COPROJ)",
            "Jalons",
            "Budget",
        ],
    ),
    (
        "tpl-plan-projet",
        "fr",
        "it-project",
        "cadrage",
        "Plan projet",
        "Planning, ressources, budget et plan de communication.",
        ["Planning", "Ressources", "Budget", "Communication"],
    ),
    (
        "tpl-specifications-fonctionnelles",
        "fr",
        "it-project",
        "conception",
        "Spécifications fonctionnelles",
        "Les besoins des utilisateurs, règle par règle.",
        ["Acteurs", "Cas d'utilisation", "Règles de gestion", "Exigences non fonctionnelles"],
    ),
    (
        "tpl-dossier-architecture",
        "fr",
        "it-project",
        "conception",
        "Dossier d'architecture",
        "Choix techniques, sécurité et intégration au SI.",
        ["Vue d'ensemble", "Composants", "Sécurité", "Interfaces", "Décisions d'architecture"],
    ),
    (
        "tpl-cahier-de-recette",
        "fr",
        "it-project",
        "realisation",
        "Cahier de recette (plan de test)",
        "Le plan de test : scénarios, jeux de données et critères d'acceptation.",
        ["Stratégie de test", "Scénarios", "Jeux de données", "Critères d'acceptation"],
    ),
    (
        "tpl-pv-recette",
        "fr",
        "it-project",
        "recette",
        "Procès-verbal de recette",
        "La décision de recette signée, avec les réserves.",
        ["Périmètre recetté", "Anomalies ouvertes", "Réserves", "Décision et signatures"],
    ),
    (
        "tpl-plan-de-deploiement",
        "fr",
        "it-project",
        "recette",
        "Plan de déploiement",
        "Étapes, responsables et calendrier de la mise en production.",
        ["Prérequis", "Étapes", "Responsables", "Communication aux utilisateurs"],
    ),
    (
        "tpl-plan-de-retour-arriere",
        "fr",
        "it-project",
        "recette",
        "Plan de retour arrière",
        "Comment revenir à l'état antérieur si la mise en production échoue.",
        ["Critères de déclenchement", "Étapes", "Durée estimée", "Responsable de la décision"],
    ),
    (
        "tpl-dossier-exploitation",
        "fr",
        "it-project",
        "recette",
        "Dossier d'exploitation",
        "Ce que l'exploitation doit savoir pour faire tourner le service.",
        ["Architecture d'exploitation", "Supervision", "Sauvegardes", "Procédures d'incident"],
    ),
    (
        "tpl-bilan-de-projet",
        "fr",
        "it-project",
        "cloture",
        "Bilan de projet",
        "Le bilan à la clôture : objectifs atteints, coûts, retour d'expérience.",
        ["Objectifs atteints", "Coûts et délais", "Retour d'expérience (REX)", "Suite à donner"],
    ),
]

GATES = [
    (
        "gate-1-idea-screen",
        "discovery",
        "Gate 1: idea screen",
        "Strategic alignment, plausible feasibility and no showstopper are must-meet criteria.",
    ),
    (
        "gate-2-second-screen",
        "scoping",
        "Gate 2: second screen",
        "Market, technical and financial assessments are required deliverables.",
    ),
    (
        "gate-3-go-to-development",
        "business-case",
        "Gate 3: go to development",
        "The business case, product definition, project plan and risk register are reviewed.",
    ),
    (
        "gate-4-go-to-testing",
        "development",
        "Gate 4: go to testing",
        "Development results are checked against the product definition.",
    ),
    (
        "gate-5-go-to-launch",
        "testing",
        "Gate 5: go to launch",
        "Validation results, launch plan and operations readiness decide the launch.",
    ),
]

# kind, language, title, tags, body, status
OTHERS = [
    (
        "guideline",
        "fr",
        "Gestion des risques projet",
        ["risque", "gouvernance"],
        "## La stratégie de gestion des risques\n\nLa stratégie de gestion des risques est "
        "définie dès le cadrage et revue à chaque jalon.\n\n| Étape | Qui |\n|---|---|\n"
        "| Identifier | Équipe projet |\n| Évaluer | Chef de projet |\n| Arbitrer | COPIL |\n",
        "published",
    ),
    (
        "guideline",
        "fr",
        "Animer un comité de pilotage",
        ["copil", "gouvernance"],
        "Le comité de pilotage (COPIL) arbitre les écarts de coût, de délai et de périmètre.\n\n"
        "- ordre du jour envoyé 48 h avant\n- relevé de décisions sous 24 h\n",
        "published",
    ),
    (
        "guideline",
        "en",
        "Writing good gate criteria",
        ["gate", "criteria"],
        "Must-meet criteria are yes/no knock-outs; should-meet criteria are scored 0-5 and "
        "weighted.\n\n```text\nscore = sum(weight * value) / sum(weight * 5)\n```\n",
        "published",
    ),
    (
        "guideline",
        "en",
        "Estimating with three points",
        ["estimation"],
        "Use optimistic, most likely and pessimistic estimates: (O + 4M + P) / 6.",
        "published",
    ),
    (
        "guideline",
        "fr",
        "Conduite du changement",
        ["changement"],
        "Identifier les parties prenantes, mesurer l'impact, former les utilisateurs.",
        "draft",
    ),
    (
        "standard",
        "fr",
        "Standard de documentation projet",
        ["documentation"],
        "Chaque livrable suit un modèle de la bibliothèque et porte un numéro de version.",
        "published",
    ),
    (
        "standard",
        "en",
        "Project status reporting (2019)",
        ["reporting"],
        "Monthly status reports by e-mail. Replaced by the portfolio dashboard.",
        "obsolete",
    ),
    (
        "standard",
        "en",
        "Benefits realisation",
        ["benefits"],
        "Benefits are owned by the sponsor and measured after launch.",
        "in_review",
    ),
    (
        "lesson",
        "fr",
        "REX : impliquer l'exploitation dès la conception",
        ["rex", "exploitation"],
        "Le retour d'expérience du projet Atlas montre que l'exploitation découverte en recette "
        "a retardé la mise en production de six semaines.",
        "published",
    ),
    (
        "lesson",
        "fr",
        "REX : la stratégie de gestion des risques oubliée après le cadrage",
        ["rex", "risque"],
        "La stratégie de gestion des risques n'a plus été revue après le jalon de cadrage ; "
        "deux risques majeurs se sont réalisés sans plan de réponse.",
        "published",
    ),
    (
        "lesson",
        "en",
        "Lessons learned: validate pricing with real customers",
        ["lessons learned", "market"],
        "Pricing assumed in the business case was 30 % too high; test it before Gate 3.",
        "published",
    ),
    (
        "lesson",
        "en",
        "Lessons learned: freeze scope before testing",
        ["lessons learned", "scope"],
        "Late scope changes during testing doubled the number of regression defects.",
        "draft",
    ),
]


def _sections_body(purpose: str, sections: list[str], language: str) -> str:
    intro = "Objet" if language == "fr" else "Purpose"
    fill = "À compléter." if language == "fr" else "To be completed."
    parts = [f"## {intro}\n\n{purpose}"] + [f"## {title}\n\n{fill}" for title in sections]
    return "\n\n".join(parts) + "\n"


def _walk(doc: Document, status: str, pmo: object) -> None:
    steps = {
        "draft": (),
        "in_review": PUBLISH[:1],
        "published": PUBLISH,
        "obsolete": (*PUBLISH, "obsolete"),
    }[status]
    for step in steps:
        transition(doc, pmo, step)


def seed_library() -> str:
    """Create the demo documents that do not exist yet (matched by title)."""
    pmo = get_user_by_username("pmo")
    manager = get_user_by_username("manager") or pmo
    if pmo is None:
        return "library: skipped (no demo PMO account)"
    existing = set(_titles())
    created = 0

    def add(status: str, author: object, **values: object) -> None:
        nonlocal created
        if values["title"] in existing:
            return
        doc = create_document(author, reason="Demo", **values)
        _walk(doc, status, pmo)
        created += 1

    for key, language, workflow, stage, title, purpose, sections in TEMPLATES:
        add(
            "published",
            pmo,
            kind="template",
            template_key=key,
            language=language,
            workflow=workflow,
            stage=stage,
            title=title,
            summary=purpose,
            body=_sections_body(purpose, sections, language),
            tags=["template"],
            methodology=workflow,
            review_date=date.today() + timedelta(days=365),
        )
    for key, stage, title, rule in GATES:
        add(
            "published",
            pmo,
            kind="standard",
            language="en",
            workflow="stage-gate",
            stage=stage,
            title=f"Standard — {title}",
            summary=rule,
            body=f"# {title}\n\n{rule}\n\nSee the gate definition `{key}` for the criteria.",
            tags=["gate", "stage-gate"],
            methodology="stage-gate",
        )
    for index, (kind, language, title, tags, body, status) in enumerate(OTHERS):
        overdue = date.today() - timedelta(days=10) if index == 1 else None
        add(
            status,
            manager if kind == "lesson" else pmo,
            kind=kind,
            language=language,
            title=title,
            tags=tags,
            body=body,
            summary=body.split("\n")[0].lstrip("# "),
            stage="cadrage" if kind == "lesson" and language == "fr" else None,
            methodology="it-project" if language == "fr" else "stage-gate",
            review_date=overdue,
        )
    return f"library: {created} documents created"


def _titles() -> list[str]:
    return list(db.session.scalars(select(Document.title)))

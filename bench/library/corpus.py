"""Generate a library of N documents (mixed French/English, ~300 words) into a fresh database.

Usage: DATABASE_URL=sqlite:////tmp/bench.db JALON_DATA_DIR=/tmp/bench-data \
       python bench/library/corpus.py 50000

Rows are bulk-inserted (no versions or index tasks): the benchmark measures the index, so
``jalon search reindex`` builds it afterwards.
"""

from __future__ import annotations

import itertools
import random
import sys
from datetime import UTC, datetime

from sqlalchemy import insert

from app import create_app
from app.auth.services import create_user
from app.extensions import db
from app.library.indexing import search_service
from app.library.models import Document, DocumentTag

SEED = 20261121
FR = [
    "projet",
    "jalon",
    "comité",
    "pilotage",
    "stratégie",
    "gestion",
    "risques",
    "analyse",
    "budget",
    "planning",
    "livrable",
    "recette",
    "déploiement",
    "exploitation",
    "sponsor",
    "périmètre",
    "exigence",
    "qualité",
    "gouvernance",
    "décision",
    "arbitrage",
    "retour",
    "expérience",
    "leçon",
    "équipe",
    "ressource",
    "charge",
    "délai",
    "coût",
    "bénéfice",
    "valeur",
    "client",
    "utilisateur",
    "fonctionnel",
    "technique",
    "architecture",
    "sécurité",
    "conformité",
    "audit",
    "indicateur",
    "tableau",
    "bord",
    "portefeuille",
    "programme",
    "phase",
    "cadrage",
    "conception",
    "réalisation",
    "clôture",
    "bilan",
    "changement",
    "formation",
    "communication",
    "prestataire",
    "contrat",
    "marché",
    "achat",
    "fournisseur",
    "incident",
    "anomalie",
    "test",
    "validation",
    "méthode",
    "processus",
    "modèle",
    "norme",
    "standard",
    "guide",
    "bonne",
    "pratique",
    "revue",
    "comité",
]
EN = [
    "project",
    "gate",
    "steering",
    "committee",
    "strategy",
    "risk",
    "management",
    "analysis",
    "budget",
    "schedule",
    "deliverable",
    "acceptance",
    "deployment",
    "operations",
    "sponsor",
    "scope",
    "requirement",
    "quality",
    "governance",
    "decision",
    "trade-off",
    "lessons",
    "learned",
    "team",
    "resource",
    "effort",
    "deadline",
    "cost",
    "benefit",
    "value",
    "customer",
    "user",
    "functional",
    "technical",
    "architecture",
    "security",
    "compliance",
    "audit",
    "indicator",
    "dashboard",
    "portfolio",
    "programme",
    "stage",
    "scoping",
    "design",
    "delivery",
    "closure",
    "review",
    "change",
    "training",
    "communication",
    "supplier",
    "contract",
    "procurement",
    "incident",
    "defect",
    "test",
    "validation",
    "method",
    "process",
    "template",
    "standard",
    "guideline",
    "practice",
    "milestone",
]
STOP_FR = [
    "le",
    "la",
    "les",
    "de",
    "des",
    "du",
    "un",
    "une",
    "et",
    "en",
    "pour",
    "par",
    "sur",
    "avec",
    "dans",
    "est",
    "sont",
    "au",
    "aux",
]
STOP_EN = [
    "the",
    "a",
    "an",
    "of",
    "to",
    "and",
    "in",
    "for",
    "on",
    "with",
    "by",
    "is",
    "are",
    "be",
    "this",
    "that",
    "at",
    "from",
]
KINDS = ["standard", "guideline", "template", "lesson"]
TAGS = ["risque", "budget", "qualité", "gouvernance", "agile", "achat", "sécurité", "rex"]
STAGES = ["cadrage", "conception", "realisation", "recette", "deploiement", "scoping", None]


SYLLABLES = "ba ce di fo lu ma ne pi ro su ta ve xi zo tra pre cli dro gna mon par sel".split()  # noqa: SIM905


def vocabulary(size: int = 8000) -> list[str]:
    """Pseudo-words standing for a real vocabulary: distinct, pronounceable, deterministic."""
    rng = random.Random(SEED)
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


VOCABULARY = vocabulary()
# Zipf-like frequencies: a few words are common, most are rare, as in real text.
ZIPF = list(itertools.accumulate(1 / rank for rank in range(1, len(VOCABULARY) + 1)))


def sentence(rng: random.Random, words: list[str], stop: list[str]) -> str:
    """About 12 words: PMO terms (15 %), stop words (25 %), the long tail for the rest."""
    parts = []
    for _ in range(rng.randint(8, 16)):
        roll = rng.random()
        if roll < 0.15:
            parts.append(rng.choice(words))
        elif roll < 0.40:
            parts.append(rng.choice(stop))
        else:
            parts.append(rng.choices(VOCABULARY, cum_weights=ZIPF)[0])
    return " ".join(parts).capitalize() + "."


def document(rng: random.Random, number: int, owners: list[int], now: datetime) -> dict:
    french = rng.random() < 0.6
    words, stop = (FR, STOP_FR) if french else (EN, STOP_EN)
    body: list[str] = []
    target = rng.randint(200, 400)
    while sum(len(p.split()) for p in body) < target:
        body.append(sentence(rng, words, stop))
    status = rng.choices(["published", "draft", "in_review", "obsolete"], [80, 10, 5, 5])[0]
    return {
        "id": number,
        "kind": rng.choice(KINDS),
        "title": " ".join(rng.choice(words) for _ in range(rng.randint(3, 7))).capitalize(),
        "summary": sentence(rng, words, stop),
        "body": " ".join(body),
        "methodology": rng.choice(["it-project", "stage-gate", None]),
        "language": "fr" if french else "en",
        "owner_id": rng.choice(owners),
        "stage": rng.choice(STAGES),
        "status": status,
        "current_version": 1,
        "created_at": now,
        "updated_at": now,
    }


def main(count: int) -> None:
    app = create_app()
    rng = random.Random(SEED)
    now = datetime.now(UTC)
    with app.app_context():
        db.drop_all()
        db.create_all()
        # An empty index, so the first start does not rebuild it: the timed reindex does.
        search_service().backend.rebuild([])
        owners = [
            create_user(f"author{i}", "bench-password-1", roles=["manager"]).id for i in range(20)
        ]
        create_user("reader", "bench-password-1", roles=["staff"])
        db.session.commit()
        for start in range(1, count + 1, 1000):
            rows = [
                document(rng, n, owners, now) for n in range(start, min(count, start + 999) + 1)
            ]
            db.session.execute(insert(Document), rows)
            tags = [
                {"document_id": row["id"], "tag": tag}
                for row in rows
                for tag in rng.sample(TAGS, rng.randint(0, 2))
            ]
            if tags:
                db.session.execute(insert(DocumentTag), tags)
            db.session.commit()
    print(f"generated {count} documents")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)

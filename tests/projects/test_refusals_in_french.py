"""A French reader never reads an English sentence in a refusal (issue 24).

The engine answers with codes and parameters; the app says them in the reader's language, with
the criteria's labels and the deliverables' names of the workflow definition.
"""

from __future__ import annotations

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.training.services import create_course
from tests.conftest import csrf_token, login
from tests.projects.conftest import TINY_PASS, WHY

#: Fragments of the English sentences a French reader used to get.
ENGLISH = (
    "answer true or false",
    "deliverable missing",
    "not met",
    "no such document",
    "is not a deliverable",
    "matches no deliverable",
    "http(s) URL",
    "should-meet score",
    "training missing",
    "is not a criterion",
    "expected",
    "on hold",
    "cannot be submitted",
    "Unknown field",
    "Missing data",
    "Length must",
    "Not a valid",
)
FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9"}


def _assert_no_english(*texts: str) -> None:
    for text in texts:
        found = [fragment for fragment in ENGLISH if fragment.lower() in text.lower()]
        assert not found, f"English in {text!r}: {found}"


def _messages(error: dict) -> list[str]:
    return [error["message"]] + [detail["message"] for detail in error["details"]]


def _call(client, people, method: str, path: str, who: str, headers: dict, **kwargs):
    """As the `api` fixture, with the reader's language headers too."""
    call = getattr(client, method)
    return call(f"/api/v1{path}", headers={**people[who], **headers}, **kwargs)


def _submit(client, people, project: int, body: dict, headers: dict = FRENCH):
    path = f"/projects/{project}/gate-reviews"
    return _call(client, people, "post", path, "manager", headers, json=body)


def _prefer_french(api, who: str) -> None:
    response = api("patch", "/me", who, json={"locale": "fr"})
    assert response.status_code == 200, response.json


def test_a_refused_submission_speaks_french_to_a_french_browser(
    app, client, people, new_project, snapshot
):
    with app.app_context():
        create_course("project-method", "Méthode de gestion de projet")
        db.session.commit()
    project = new_project(workflow="it-project")
    before = snapshot()
    body = {
        "criteria": {
            "sponsor-identifie": False,
            "besoin-exprime": 1,
            "valeur-metier": 0,
            "urgence": 0,
            "complexite": 0,
            "inconnu": 3,
        },
        "deliverables": [999_999, {"key": "nope", "url": "https://x.example"}, {"key": "f"}],
    }
    response = _submit(client, people, project, body)
    assert response.status_code == 422
    error = response.json["error"]
    assert error["message"] == "La revue de jalon ne peut pas être soumise."
    by_field = {(d["field"], d["code"]): d["message"] for d in error["details"]}
    assert by_field == {
        ("deliverables[0]", "deliverable_missing"): "Document introuvable : 999999",
        ("deliverables[1]", "deliverable_missing"): 'Ce livrable n\'existe pas à ce jalon : "nope"',
        ("deliverables[2]", "deliverable_missing"): 'Ce livrable n\'existe pas à ce jalon : "f"',
        ("criteria.inconnu", "unknown_criterion"): "Ce critère n'existe pas à ce jalon : inconnu",
        ("criteria.sponsor-identifie", "must_meet_unmet"): (
            "Critère obligatoire non rempli : Un sponsor métier est identifié et engagé"
        ),
        ("criteria.besoin-exprime", "bad_answer"): (
            "Le besoin métier est exprimé et daté : la réponse est oui ou non, et non 1."
        ),
        ("criteria.alignement-strategique", "criterion_missing"): (
            "Répondez par oui ou non : Alignement sur le schéma directeur SI"
        ),
        ("criteria", "score_below_pass"): (
            "Le score des critères souhaitables (0 %) est inférieur au score minimal (50 %)."
        ),
        ("deliverables.fiche-opportunite", "deliverable_missing"): (
            "Livrable manquant : Fiche d'opportunité"
        ),
        ("training.project-method", "training_missing"): (
            "Formation manquante : Méthode de gestion de projet"
        ),
    }
    _assert_no_english(*_messages(error))
    assert snapshot() == before


def test_a_french_users_preference_wins_for_the_submissions_details(
    api, client, people, new_project
):
    project = new_project(workflow="stage-gate")
    _prefer_french(api, "manager")
    body = {"criteria": {"strategic-alignment": False, "market-attractiveness": 9}}
    response = _submit(client, people, project, body, headers={"Accept-Language": "en"})
    assert response.status_code == 422
    messages = _messages(response.json["error"])
    assert messages[0] == "La revue de jalon ne peut pas être soumise."
    assert (
        "Critère obligatoire non rempli : L'idée s'inscrit dans la stratégie de l'entreprise"
        in messages
    )
    assert (
        "Attractivité du marché : la réponse est un nombre entier de 0 à 5, et non 9." in messages
    )
    assert "Répondez par oui ou non : La faisabilité technique est plausible" in messages
    assert "Donnez une note de 0 à 5 : Avantage produit distinctif pour les clients" in messages
    _assert_no_english(*messages)


def test_the_same_submission_reads_in_english_for_an_english_reader(client, people, new_project):
    project = new_project(workflow="it-project")
    body = {"criteria": {"sponsor-identifie": False}}
    response = _submit(client, people, project, body, headers={"Accept-Language": "en"})
    details = response.json["error"]["details"]
    assert {
        "code": "must_meet_unmet",
        "field": "criteria.sponsor-identifie",
        "message": "Must-meet criterion not met: A business sponsor is named and committed",
    } in details
    assert {
        "code": "deliverable_missing",
        "field": "deliverables.fiche-opportunite",
        "message": "Deliverable missing: Opportunity sheet",
    } in details


def test_validation_errors_of_the_schemas_are_in_french(client, people):
    body = {"name": "x" * 201, "colour": "red", "budget": "lots"}
    response = _call(client, people, "post", "/projects", "manager", FRENCH, json=body)
    assert response.status_code == 422
    error = response.json["error"]
    assert error["message"] == "Les données ne sont pas valides."
    assert error["details"] == {
        "json": {
            "name": ["La longueur doit être comprise entre 1 et 200."],
            "workflow": ["Ce champ est obligatoire."],
            "colour": ["Champ inconnu."],
            "budget": ["Nombre non valide."],
        }
    }
    _assert_no_english(str(error["details"]))


def test_validation_errors_follow_a_french_users_preference(api):
    _prefer_french(api, "manager")
    response = api("get", "/projects?page=0&per_page=x", "manager")
    assert response.status_code == 422
    assert response.json["error"]["details"] == {
        "query": {
            "page": ["Doit être compris entre 1 et 1000000."],
            "per_page": ["Nombre entier non valide."],
        }
    }


def test_a_transition_refusal_is_in_french(api, client, people, new_project, snapshot):
    project = new_project()
    assert api("post", f"/projects/{project}/hold", "pmo", json=WHY).status_code == 200
    before = snapshot()
    response = _submit(client, people, project, {"criteria": {}})
    assert response.status_code == 409
    assert response.json["error"]["code"] == "project_on_hold"
    assert response.json["error"]["message"] == (
        "Le projet est suspendu : seule sa reprise est acceptée."
    )
    assert snapshot() == before


def test_the_review_form_shows_the_refusals_in_french(app, people, new_project):
    people.ensure("manager")
    with app.app_context():
        db.session.scalar(select(User).where(User.username == "manager")).locale = "fr"
        db.session.commit()
    project = new_project(workflow="it-project")
    client = app.test_client()
    login(client, "manager")
    url = f"/projects/{project}/review"
    page = client.post(url, data={"csrf_token": csrf_token(client, url), "summary": "prêt"})
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert "La revue de jalon ne peut pas être soumise." in html
    assert "Livrable manquant : Fiche d&#39;opportunité" in html
    assert "Critère obligatoire non rempli : Un sponsor métier est identifié et engagé" in html
    _assert_no_english(html.split("<main", 1)[-1].split("</main>", 1)[0])


def test_a_french_manager_reads_why_a_killed_project_takes_no_review(
    api, client, people, new_project
):
    project = new_project()
    review = api("post", f"/projects/{project}/gate-reviews", "manager", json=TINY_PASS)
    for gatekeeper in ("gk1", "gk2"):
        vote = {"decision": "kill", "comment": "Plus de sponsor."}
        voted = api("post", f"/gate-reviews/{review.json['id']}/votes", gatekeeper, json=vote)
        assert voted.status_code == 201, voted.json
    response = _submit(client, people, project, {"criteria": {}})
    assert response.status_code == 409
    assert response.json["error"]["code"] == "project_killed"
    assert response.json["error"]["message"] == "Le projet a été arrêté : plus rien n'est accepté."

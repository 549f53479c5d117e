"""The Whoosh schema, and how an ``IndexedDocument`` becomes index fields.

Title and body are indexed twice over, once per language (``title_fr``/``title_en``...), but
each document only fills the pair of its own language, analysed with that language's chain;
queries search both pairs, each analysed its own way. ``spell`` holds the unstemmed words of
every document for suggestions and typo matching. Metadata used for filters and facets are
single-term fields with columns (``sortable``), which makes facet counting and sorting read
compact per-document values instead of walking postings.
"""

from datetime import datetime

from whoosh import fields

from docs_store.analysis import LANGUAGES, Language, language_analyzer, spelling_analyzer
from docs_store.search.types import STATUS_RANK, IndexedDocument

# Bump when the schema or an analyser changes: indexes built with another version are rebuilt.
SCHEMA_VERSION = 1
TITLE_BOOST = 3.0
# Text kept for highlighting; snippets come from the start of long bodies.
STORED_TEXT_CHARS = 32_768
KEYWORD_FIELDS = ("kind", "language", "methodology", "stage")
# Tag facets read each document's term vector, and Whoosh fails on a document without one, so
# untagged documents carry this placeholder; it is never reported as a facet value.
NO_TAG = "_"


def title_field(language: Language) -> str:
    """Name of the stemmed title field for ``language``."""
    return f"title_{language}"


def body_field(language: Language) -> str:
    """Name of the stemmed body field for ``language``."""
    return f"body_{language}"


def build_schema() -> fields.Schema:
    """A new schema; the analysers are pickled into the index with it."""
    schema = fields.Schema(
        id=fields.ID(unique=True, stored=True, sortable=True),
        updated=fields.ID(sortable=True),
        spell=fields.TEXT(analyzer=spelling_analyzer(), phrase=False),
        tag=fields.KEYWORD(commas=True, lowercase=True, vector=True),
        status=fields.ID(stored=True, sortable=True),
        status_rank=fields.ID(sortable=True),
        owner=fields.ID,
        title=fields.STORED,
        text=fields.STORED,
    )
    for name in KEYWORD_FIELDS:
        schema.add(name, fields.ID(stored=True, sortable=True))
    for language in LANGUAGES:
        analyzer = language_analyzer(language)
        schema.add(title_field(language), fields.TEXT(analyzer=analyzer, field_boost=TITLE_BOOST))
        schema.add(body_field(language), fields.TEXT(analyzer=analyzer))
    return schema


def normalize_keyword(value: str) -> str:
    """Metadata values are matched case-insensitively, so they are indexed lower-cased."""
    return value.strip().lower()


def to_fields(doc: IndexedDocument) -> dict[str, str]:
    """The field values of one document, for ``writer.update_document``."""
    text = f"{doc.summary}\n\n{doc.body}" if doc.summary else doc.body
    values = {
        "id": str(doc.id),
        "updated": doc.updated_at.isoformat(),
        "spell": f"{doc.title}\n{text}",
        "tag": ",".join(normalize_keyword(tag) for tag in doc.tags if tag.strip()) or NO_TAG,
        "status": str(doc.status),
        "status_rank": str(STATUS_RANK[doc.status]),
        "title": doc.title,
        "text": text[:STORED_TEXT_CHARS],
        "kind": normalize_keyword(doc.kind),
        "language": doc.language,
        title_field(doc.language): doc.title,
        body_field(doc.language): text,
    }
    optional = {"methodology": doc.methodology, "stage": doc.stage, "owner": doc.owner_id}
    values.update({k: normalize_keyword(str(v)) for k, v in optional.items() if v is not None})
    return values


def parse_stamp(value: str) -> datetime:
    """Read back the ``updated`` value written by ``to_fields``."""
    return datetime.fromisoformat(value)

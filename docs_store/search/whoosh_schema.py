"""The Whoosh schema, and how an ``IndexedDocument`` becomes index fields.

Title and body are indexed twice over, once per language (``title_fr``/``title_en``...), but
each document only fills the pair of its own language, analysed with that language's chain;
queries search both pairs, each analysed its own way. ``spell`` holds the unstemmed words of
every document for suggestions and typo matching, which read its vocabulary and which
documents hold a word (a suggestion must come from a document the reader may see); it records
that and nothing more (no frequencies, no lengths), which halves the postings a document
costs to index. Metadata used for filters and facets are single-term
fields: facet counts and filters read their postings as bit sets (``whoosh_docsets``). Only
``id`` and ``updated`` have columns, for ``doc_ids``.
"""

from datetime import datetime

from whoosh import fields, formats

from docs_store.analysis import LANGUAGES, Language, language_analyzer, spelling_analyzer
from docs_store.language import detect_language
from docs_store.plaintext import without_repeated_sentences
from docs_store.search.types import IndexedDocument

# Bump when the schema or an analyser changes: indexes built with another version are rebuilt.
# 2: spell field without frequencies, no tag vectors, no metadata columns, no status rank.
# 3: acronym plurals analysed as their singular; attachments indexed in their own language.
SCHEMA_VERSION = 3
TITLE_BOOST = 3.0
# Text kept for highlighting (each sentence once); snippets come from the start of long bodies.
STORED_TEXT_CHARS = 10_000
KEYWORD_FIELDS = ("kind", "language", "methodology", "stage")


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
        spell=fields.FieldType(formats.Existence(), spelling_analyzer()),
        tag=fields.KEYWORD(commas=True, lowercase=True),
        status=fields.ID(stored=True),
        owner=fields.ID,
        title=fields.STORED,
        text=fields.STORED,
    )
    for name in KEYWORD_FIELDS:
        schema.add(name, fields.ID(stored=True))
    for language in LANGUAGES:
        analyzer = language_analyzer(language)
        schema.add(title_field(language), fields.TEXT(analyzer=analyzer, field_boost=TITLE_BOOST))
        schema.add(body_field(language), fields.TEXT(analyzer=analyzer))
    return schema


def normalize_keyword(value: str) -> str:
    """Metadata values are matched case-insensitively, so they are indexed lower-cased."""
    return value.strip().lower()


def to_fields(doc: IndexedDocument) -> dict[str, str]:
    """The field values of one document, for ``writer.update_document``.

    Each attachment's text goes to the body field of the language it is written in.
    """
    own = f"{doc.summary}\n\n{doc.body}" if doc.summary else doc.body
    bodies: dict[Language, list[str]] = {doc.language: [own]}
    for attachment in doc.attachments:
        language = detect_language(attachment, hint=doc.language)
        bodies.setdefault(language, []).append(attachment)
    text = "\n\n".join([own, *doc.attachments])
    values = {
        "id": str(doc.id),
        "updated": doc.updated_at.isoformat(),
        "spell": f"{doc.title}\n{text}",
        "status": str(doc.status),
        "title": doc.title,
        "text": without_repeated_sentences(text[:STORED_TEXT_CHARS]),
        "kind": normalize_keyword(doc.kind),
        "language": doc.language,
        title_field(doc.language): doc.title,
        **{body_field(language): "\n\n".join(texts) for language, texts in bodies.items()},
    }
    optional = {"methodology": doc.methodology, "stage": doc.stage, "owner": doc.owner_id}
    values.update({k: normalize_keyword(str(v)) for k, v in optional.items() if v is not None})
    tags = ",".join(normalize_keyword(tag) for tag in doc.tags if tag.strip())
    if tags:
        values["tag"] = tags
    return values


def parse_stamp(value: str) -> datetime:
    """Read back the ``updated`` value written by ``to_fields``."""
    return datetime.fromisoformat(value)

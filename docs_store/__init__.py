"""The methodology library's engines, free of Flask and SQLAlchemy.

- ``storage``: content-addressed attachment files; ``filetypes``: types from content.
- ``extract``: capped, never-failing text extraction from PDF, DOCX, XLSX, PPTX and text.
- ``analysis``: French and English analyser chains; ``thesaurus``: PMO synonym groups.
- ``search``: the ``SearchBackend`` interface and its Whoosh implementation.
- ``locking``: the inter-process lock that makes one process the index writer.
- ``errors``: the typed errors the web layer maps to HTTP statuses.
"""

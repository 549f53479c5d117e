"""Load workflow definitions from YAML files, reporting problems by file, line and field.

The YAML is composed into nodes first, to learn the line of every field (and to catch duplicate
mapping keys, which PyYAML would otherwise silently overwrite), then constructed as plain data and
validated by `workflows.schema`.
"""

from __future__ import annotations

from pathlib import Path as FilePath

import yaml

from workflows.errors import DefinitionError
from workflows.model import WorkflowDefinition
from workflows.schema import Path, format_path, parse_fields

#: Where the definitions shipped with Jalon live.
DEFINITIONS_DIR = FilePath(__file__).parent / "definitions"

_MERGE_TAG = "tag:yaml.org,2002:merge"

# libyaml's parser (same nodes, same marks) is ten times faster than the pure-Python one; every
# application start parses the definitions, so it is used whenever PyYAML was built with it.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _line_map(node: yaml.Node, source: str) -> dict[Path, int]:
    """Map each field path to the 1-based line where it appears, refusing duplicate keys."""
    lines: dict[Path, int] = {(): node.start_mark.line + 1}
    pending: list[tuple[yaml.Node, Path]] = [(node, ())]
    seen: set[int] = set()
    while pending:
        current, path = pending.pop()
        if id(current) in seen:  # an alias of a node already walked
            continue
        seen.add(id(current))
        if isinstance(current, yaml.MappingNode):
            names: set[str] = set()
            for key_node, value_node in current.value:
                if key_node.tag == _MERGE_TAG:
                    continue
                name = key_node.value
                child = (*path, name)
                if name in names:
                    raise DefinitionError(
                        source,
                        key_node.start_mark.line + 1,
                        format_path(child),
                        "duplicate field",
                    )
                names.add(name)
                lines[child] = key_node.start_mark.line + 1
                pending.append((value_node, child))
        elif isinstance(current, yaml.SequenceNode):
            for index, item in enumerate(current.value):
                lines[(*path, index)] = item.start_mark.line + 1
                pending.append((item, (*path, index)))
    return lines


def load_definition_text(text: str, source: str) -> WorkflowDefinition:
    """Parse and validate one definition written in YAML; `source` names it in errors."""
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise DefinitionError(source, None, "", "the definition is empty")
        lines = _line_map(node, source)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else None
        raise DefinitionError(source, line, "", f"invalid YAML: {err.problem}") from err
    except yaml.YAMLError as err:
        raise DefinitionError(source, None, "", f"invalid YAML: {err}") from err
    finally:
        loader.dispose()
    return parse_fields(data, source, lines)


def load_definition_file(path: str | FilePath) -> WorkflowDefinition:
    """Load one YAML definition file."""
    path = FilePath(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise DefinitionError(str(path), None, "", f"cannot read the file: {err}") from err
    return load_definition_text(text, str(path))


def load_definitions_dir(path: str | FilePath = DEFINITIONS_DIR) -> dict[str, WorkflowDefinition]:
    """Load every `*.yaml`/`*.yml` file of a directory, keyed by definition key.

    Two files declaring the same key are refused: which one would win is not something a PMO
    should have to guess. Files are read in name order so errors are reproducible.
    """
    path = FilePath(path)
    files = sorted(p for p in path.iterdir() if p.suffix in {".yaml", ".yml"} and p.is_file())
    definitions: dict[str, WorkflowDefinition] = {}
    for file in files:
        definition = load_definition_file(file)
        other = definitions.get(definition.key)
        if other is not None:
            raise DefinitionError(
                str(file), None, "key", f"{definition.key!r} is already defined in {other.source}"
            )
        definitions[definition.key] = definition
    return definitions

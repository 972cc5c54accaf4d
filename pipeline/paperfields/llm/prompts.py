"""Versioned prompt files and their one loader.

A prompt lives in ``prompts/<name>/<version>.md`` at the top of the repository.
The file is split into parts by lines of the form ``# [role]``: ``[system]``
and ``[user]`` become the chat messages, other parts (such as ``[repair]``) are
follow-up texts rendered on demand. Text before the first part is a note for
maintainers and is never sent. Placeholders use :class:`string.Template`
syntax (``$name`` or ``${name}``; ``$$`` is a literal dollar sign). A missing
or unknown variable raises :class:`~paperfields.errors.PromptError` rather than
sending a half-rendered prompt. The sha256 of the file bytes goes into every
record's provenance, and the rendered messages go into the cache key, so a
changed prompt never reuses old answers.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Mapping, Set
from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from typing import Literal, TypedDict

from ..config import DEFAULT_PROMPT_VERSION
from ..errors import PromptError
from ..schemas import PromptInfo

__all__ = [
    "DEFAULT_PROMPTS_DIR",
    "ChatMessage",
    "Prompt",
    "load_prompt",
]


def _default_prompts_dir() -> Path:
    # A wheel carries the repository's prompts/ as paperfields/_prompts (see pyproject.toml);
    # a source checkout or an editable install reads the prompts/ folder of the repository
    # (the package lives in pipeline/paperfields/).
    package = Path(__file__).resolve().parent.parent
    bundled = package / "_prompts"
    return bundled if bundled.is_dir() else package.parent.parent / "prompts"


DEFAULT_PROMPTS_DIR = _default_prompts_dir()

_VERSION_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_PART_LINE = re.compile(r"^# \[([a-z_]+)\][ \t]*$", re.MULTILINE)
_MESSAGE_ROLES: tuple[Literal["system", "user"], ...] = ("system", "user")


class ChatMessage(TypedDict):
    """One chat message as sent to the Chat Completions API."""

    role: Literal["system", "user", "assistant"]
    content: str


@dataclass(frozen=True, slots=True)
class Prompt:
    """A loaded prompt file: identity, full text and its parts.

    ``sha256`` is the digest of the file bytes; ``parts`` maps each ``[role]``
    name to its template text.
    """

    name: str
    version: str
    text: str
    sha256: str
    path: Path
    parts: Mapping[str, str] = field(default_factory=dict)

    @property
    def info(self) -> PromptInfo:
        """The provenance entry for records made with this prompt."""
        return PromptInfo(name=self.name, version=self.version, sha256=self.sha256)

    def render(self, **variables: str) -> list[ChatMessage]:
        """Render the ``[system]`` and ``[user]`` parts into chat messages.

        Args:
            **variables: a value for every placeholder of those two parts.

        Returns:
            The system message followed by the user message.

        Raises:
            PromptError: a placeholder has no value, or a variable has no placeholder.
        """
        used: set[str] = set()
        for role in _MESSAGE_ROLES:
            used |= _placeholders(self.parts[role], self.path)
        _check_variables(used, variables, self.path)
        return [
            ChatMessage(role=role, content=_substitute(self.parts[role], variables, self.path))
            for role in _MESSAGE_ROLES
        ]

    def render_part(self, part: str, **variables: str) -> str:
        """Render one named part (e.g. ``repair``) as plain text.

        Raises:
            PromptError: the part does not exist, or a variable is missing or unknown.
        """
        if part not in self.parts:
            raise PromptError(f"{self.path}: prompt has no '# [{part}]' part")
        template = self.parts[part]
        _check_variables(_placeholders(template, self.path), variables, self.path)
        return _substitute(template, variables, self.path)


def resolve_prompt_path(name: str, version: str, prompts_dir: Path | None = None) -> Path:
    """Where a prompt version lives: a version name in the prompt folder, or a ``.md`` file.

    ``version`` is either a version name (letters, digits, ``.``, ``_``, ``-``; no
    slashes), read as ``<prompts_dir>/<name>/<version>.md``, or the path of a
    prompt file ending in ``.md``, read as given. Nothing else is accepted, so a
    version name can never reach outside the prompt folder.

    Raises:
        PromptError: ``version`` is neither a version name nor a ``.md`` path.
    """
    if version.endswith(".md"):
        return Path(version).expanduser()
    if not _VERSION_NAME.fullmatch(version):
        raise PromptError(
            f"--prompt-version {version!r} is neither a version name (such as v2) "
            "nor the path of a prompt file ending in .md"
        )
    return (prompts_dir or DEFAULT_PROMPTS_DIR) / name / f"{version}.md"


def load_prompt(
    name: str = "extract_fields",
    version: str = DEFAULT_PROMPT_VERSION,
    *,
    prompts_dir: Path | None = None,
) -> Prompt:
    """Load a prompt version: ``<prompts_dir>/<name>/<version>.md``, or a ``.md`` file.

    Args:
        name: the prompt family, a folder under ``prompts_dir``.
        version: a version name (the file name without ``.md``), or the path of a
            prompt file ending in ``.md`` (see :func:`resolve_prompt_path`).
        prompts_dir: where prompt folders live; defaults to the repository's ``prompts/``.

    Returns:
        The parsed prompt, its placeholders already checked for syntax.

    Raises:
        PromptError: the file is missing or unreadable, lacks a ``[system]`` or
            ``[user]`` part, or contains an invalid ``$`` placeholder.
    """
    path = resolve_prompt_path(name, version, prompts_dir)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise PromptError(f"prompt file not found or unreadable: {path} ({e.strerror})") from e
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise PromptError(f"{path}: prompt file is not UTF-8 ({e.reason})") from e
    parts = _split_parts(text, path)
    for template in parts.values():
        _placeholders(template, path)
    return Prompt(
        name=name,
        version=path.stem if version.endswith(".md") else version,
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        path=path,
        parts=parts,
    )


def _split_parts(text: str, path: Path) -> dict[str, str]:
    matches = list(_PART_LINE.finditer(text))
    parts: dict[str, str] = {}
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        role = match.group(1)
        if role in parts:
            raise PromptError(f"{path}: part '# [{role}]' appears twice")
        parts[role] = text[match.end() : end].strip()
    missing = [role for role in _MESSAGE_ROLES if not parts.get(role)]
    if missing:
        raise PromptError(f"{path}: prompt needs a non-empty '# [{missing[0]}]' part")
    return parts


@functools.lru_cache(maxsize=64)
def _placeholders(template: str, path: Path) -> frozenset[str]:
    """The placeholder names of a template (parsed once per template)."""
    names: set[str] = set()
    for match in Template.pattern.finditer(template):
        if match.group("invalid") is not None:
            line = template.count("\n", 0, match.start()) + 1
            raise PromptError(
                f"{path}: invalid '$' placeholder on line {line} of its part (write $$ for '$')"
            )
        found = match.group("named") or match.group("braced")
        if found:
            names.add(found)
    return frozenset(names)


@functools.lru_cache(maxsize=64)
def _static(template: str) -> str:
    """A template without placeholders, rendered (``$$`` becomes ``$``)."""
    return Template(template).substitute({})


def _check_variables(used: Set[str], given: Mapping[str, str], path: Path) -> None:
    missing = sorted(used - given.keys())
    if missing:
        raise PromptError(f"{path}: no value for template variable(s): {', '.join(missing)}")
    unknown = sorted(given.keys() - used)
    if unknown:
        raise PromptError(f"{path}: prompt has no placeholder for: {', '.join(unknown)}")


def _substitute(template: str, variables: Mapping[str, str], path: Path) -> str:
    if not _placeholders(template, path):
        return _static(template)  # the static system part: rendered once
    try:
        return Template(template).substitute(variables)
    except (KeyError, ValueError) as e:  # pragma: no cover - checked beforehand
        raise PromptError(f"{path}: cannot render prompt ({e})") from e

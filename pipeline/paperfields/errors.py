"""The one exception tree of paperfields.

Every error the library raises on purpose derives from :class:`PipelineError`,
so callers can catch one class. SDK and I/O errors are wrapped at the module
boundary where they happen (``raise ... from e``) and keep the original in
``original``::

    PipelineError
    ├── ConfigError              bad flags, environment or option values
    │   └── RunFolderConflict    the run folder holds records of another extraction setup
    ├── RunFolderBusy            another live paperfields process is writing the run folder
    ├── OutputError              an output path cannot be written (file system)
    ├── InputError               an input file that cannot be read at all
    │   └── UnknownFormatError   no reader recognises the file
    ├── PromptError              a prompt file missing, or a template variable missing
    ├── BackendError             the LLM server failed (status, body, attempts)
    │   ├── RetriesExhausted     transient failures outlived the retry budget
    │   └── ModeNotSupported     the server rejected the structured-output mode
    ├── ExtractionError          one paper could not be turned into valid fields
    │   ├── SchemaValidationError  the reply never validated, even after repair
    │   ├── TruncatedOutput      the reply hit the token limit
    │   └── Refusal              the model refused

Per-paper failures (``ExtractionError`` and ``BackendError``) never stop a
batch: the orchestrator writes them to ``errors.jsonl`` with the paper id,
the reason and the attempt count.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .schemas import Usage

__all__ = [
    "BackendError",
    "ConfigError",
    "ExtractionError",
    "FieldsSpecError",
    "InputError",
    "ModeNotSupported",
    "OutputError",
    "PipelineError",
    "PromptError",
    "RunFolderBusy",
    "RunFolderConflict",
    "Refusal",
    "RetriesExhausted",
    "SchemaValidationError",
    "TruncatedOutput",
    "UnknownFormatError",
]


class PipelineError(Exception):
    """Root of every error paperfields raises on purpose.

    A per-paper failure may carry the tokens it spent (``usage``) and their
    price (``cost_usd``), so failed papers still count in a run's cost.
    """

    usage: Usage | None = None
    cost_usd: float | None = None


class ConfigError(PipelineError):
    """A flag, environment variable or option value is invalid."""


class RunFolderConflict(ConfigError):
    """The run folder holds records made with another extractor, prompt or schema."""


class RunFolderBusy(PipelineError):
    """Another live paperfields process holds the run folder's lock."""


class OutputError(PipelineError):
    """An output path cannot be written (a file where a folder should be, permission, disk)."""


class InputError(PipelineError):
    """An input file cannot be read: missing, empty, unreadable or malformed as a whole.

    ``path`` names the file and ``line`` the 1-based line when one is known.
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        where = path if line is None else f"{path}:{line}"
        super().__init__(f"{where}: {message}" if where else message)
        self.path = path
        self.line = line


class UnknownFormatError(InputError):
    """No input reader recognises the file."""


class FieldsSpecError(InputError):
    """A user-defined fields spec is invalid; ``field`` names the offending field, if any."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(f"field {field!r}: {message}" if field else message, path=path, line=line)
        self.field = field


class PromptError(PipelineError):
    """A prompt file is missing, or a template variable has no value."""


class BackendError(PipelineError):
    """The LLM server answered with an error or could not be reached.

    Attributes carry what a caller needs to report it: the HTTP ``status``
    (None for connection errors and timeouts), the number of ``attempts`` made
    and the ``original`` SDK exception.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        attempts: int = 1,
        original: BaseException | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.attempts = attempts
        self.original = original


class RetriesExhausted(BackendError):
    """Transient failures (429, 5xx, timeouts) outlived the retry budget."""


class ModeNotSupported(BackendError):
    """The server rejected the requested structured-output mode (a 400 naming it)."""


class ExtractionError(PipelineError):
    """One paper could not be turned into valid fields.

    ``paper_id`` names the paper, ``attempts`` counts model calls made for it
    and ``raw_output`` keeps the last reply (truncated) for the error log.
    """

    def __init__(
        self,
        message: str,
        *,
        paper_id: str | None = None,
        attempts: int = 1,
        raw_output: str | None = None,
    ) -> None:
        super().__init__(message)
        self.paper_id = paper_id
        self.attempts = attempts
        self.raw_output = raw_output


class SchemaValidationError(ExtractionError):
    """The reply never parsed or validated, even after the bounded repair turns."""


class TruncatedOutput(ExtractionError):
    """The reply stopped at the token limit (``finish_reason == "length"``)."""


class Refusal(ExtractionError):
    """The model refused to answer; the message holds the refusal text."""

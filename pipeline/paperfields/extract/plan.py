"""What an LLM extraction asks for: the prompt, the reply schema and the user-fields section.

An :class:`ExtractionPlan` is the one spec-aware "schema + prompt" object the LLM
extractor (and ``--dry-run``) uses. Without a fields spec it is the released
``extract_fields`` prompt and the built-in schema, exactly as before. With one,
the reply schema is built from the spec, and the generated section
(:func:`~paperfields.fields.prompt_section`) is appended to the system message;
a spec that leaves the built-in fields out uses the ``extract_user_fields``
prompt instead, whose system part holds only the general rules. The plan's
:meth:`~ExtractionPlan.identity` is what every record it makes carries, so a
run folder never mixes specs.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..fields import FieldsSpec, ReplySchema, prompt_section, reply_schema
from ..llm.prompts import ChatMessage, Prompt, load_prompt
from ..schemas import ExtractorIdentity, FieldsSpecInfo, Paper

__all__ = ["USER_FIELDS_PROMPT", "ExtractionPlan"]

USER_FIELDS_PROMPT = ("extract_user_fields", "v1")
"""The prompt (name, version) for a spec that leaves the built-in fields out."""


@dataclass(frozen=True, slots=True)
class ExtractionPlan:
    """The prompt, the reply schema and (with a spec) the generated section.

    Build one with :meth:`build`; ``section`` is None without a spec.
    """

    prompt: Prompt
    reply: ReplySchema
    section: str | None = None

    @classmethod
    def build(
        cls,
        prompt_version: str,
        spec: FieldsSpec | None = None,
        *,
        prompt: Prompt | None = None,
    ) -> ExtractionPlan:
        """The plan for a prompt version and an optional fields spec.

        Args:
            prompt_version: a version of ``extract_fields`` or a ``.md`` prompt file.
                With a spec that leaves built-ins out, a version name is ignored and
                ``extract_user_fields/v1`` is used (a ``.md`` file is still honoured).
            spec: the user-defined fields, if any.
            prompt: use this prompt instead of loading one.

        Raises:
            PromptError: the prompt file is missing or invalid.
        """
        if prompt is None:
            if spec is not None and not spec.builtins and not prompt_version.endswith(".md"):
                prompt = load_prompt(*USER_FIELDS_PROMPT)
            else:
                prompt = load_prompt("extract_fields", prompt_version)
        section = prompt_section(spec) if spec is not None else None
        return cls(prompt=prompt, reply=reply_schema(spec), section=section)

    @property
    def fields_spec(self) -> FieldsSpecInfo | None:
        """The provenance entry of the spec, if any."""
        return self.reply.spec.info if self.reply.spec is not None else None

    def messages(self, paper: Paper) -> list[ChatMessage]:
        """The chat messages for one paper: the rendered prompt, plus the section if any."""
        messages = self.prompt.render(title=paper.title, abstract=paper.abstract)
        if self.section is None:
            return messages
        system = messages[0]
        return [
            ChatMessage(role=system["role"], content=f"{system['content']}\n\n{self.section}"),
            *messages[1:],
        ]

    def identity(self, extractor: str) -> ExtractorIdentity:
        """The identity of records made by ``extractor`` with this plan."""
        return ExtractorIdentity.of(
            extractor, self.prompt.info, self.reply.sha256, self.fields_spec
        )

"""The stand-in server's Files and Batches endpoints, shaped as the openai SDK types them.

:class:`BatchService` serves ``POST /v1/files`` (multipart upload),
``GET /v1/files/{id}``, ``GET /v1/files/{id}/content``, ``POST /v1/batches``,
``GET /v1/batches`` (newest first, ``after``/``limit`` cursor pages),
``GET /v1/batches/{id}`` and ``POST /v1/batches/{id}/cancel``. A batch moves
with the clock: ``validating`` -> ``in_progress`` -> ``finalizing`` ->
``completed``, one ``step_s`` each, its lines answered by the same generator
and fault draws as live chat completions (``StandinServer.answer_line``).
Validation is as strict as the real one (one JSON request per line, unique
``custom_id``, ``POST``, the batch's endpoint, one model, at most
``max_requests`` lines and ``max_bytes`` bytes): a bad file ends ``failed``
with ``errors``. Output lines come back in shuffled order; lines answered
with 429/5xx go to the error file with their response, and requests left
undone by an expired or cancelled batch go there with ``batch_expired`` /
``batch_cancelled``. :class:`BatchFaults` picks batches (by creation order)
that fail, expire or are cancelled from elsewhere. ``counts`` says how many
uploads, creates, cancels and lines the service saw.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

__all__ = ["BatchFaults", "BatchService"]

Answer = Callable[[dict[str, Any], bytes], tuple[int, dict[str, Any]]]
Reply = tuple[int, dict[str, str], Any]

ENDPOINT = "/v1/chat/completions"
DEFAULT_MAX_REQUESTS = 50_000
DEFAULT_MAX_BYTES = 200_000_000
_UNDONE = {
    "expired": (
        "batch_expired",
        "This request could not be executed before the completion window expired.",
    ),
    "cancelled": (
        "batch_cancelled",
        "This request was not executed because the batch was cancelled.",
    ),
}


@dataclass(frozen=True)
class BatchFaults:
    """Batches (1-based, in creation order) that fail, expire, or get cancelled from elsewhere.

    An expiring batch answers ``expire_fraction`` of its lines first; a batch
    cancelled from elsewhere is cancelled as it starts.
    """

    fail: frozenset[int] = frozenset()
    expire: frozenset[int] = frozenset()
    cancel: frozenset[int] = frozenset()
    expire_fraction: float = 0.5


@dataclass
class _Batch:
    data: dict[str, Any]
    ordinal: int
    lines: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    answered: int = 0


class BatchService:
    """Files and batches in memory; see the module docstring.

    Args:
        answer: answers one request body (dict and raw bytes) as ``(status, payload)``.
        step_s: seconds a batch spends in each of validating, in_progress and finalizing.
        faults: which batches fail, expire or are cancelled.
        max_requests, max_bytes: the input file limits validation enforces.
        seed: seeds the shuffled order of output lines.
    """

    def __init__(
        self,
        answer: Answer,
        *,
        step_s: float = 0.05,
        faults: BatchFaults | None = None,
        max_requests: int = DEFAULT_MAX_REQUESTS,
        max_bytes: int = DEFAULT_MAX_BYTES,
        seed: int = 0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.answer = answer
        self.step_s = step_s
        self.faults = faults or BatchFaults()
        self.max_requests = max_requests
        self.max_bytes = max_bytes
        self.seed = seed
        self.clock = clock
        self.counts: Counter[str] = Counter()
        self.files: dict[str, dict[str, Any]] = {}
        self.contents: dict[str, bytes] = {}
        self.batches: dict[str, _Batch] = {}

    # --- routing ---------------------------------------------------------------------

    def route(
        self, method: str, path: str, query: str, headers: dict[str, str], body: bytes
    ) -> Reply | None:
        """Serve one request under ``/v1/files`` or ``/v1/batches``; None for other paths."""
        parts = [p for p in path.split("/") if p]
        if len(parts) < 2 or parts[0] != "v1" or parts[1] not in ("files", "batches"):
            return None
        rest = parts[2:]
        if parts[1] == "files":
            if method == "POST" and not rest:
                return self._upload(headers, body)
            if method == "GET" and len(rest) == 1:
                return self._file(rest[0])
            if method == "GET" and len(rest) == 2 and rest[1] == "content":
                return self._content(rest[0])
        else:
            if method == "POST" and not rest:
                return self._create(body)
            if method == "GET" and not rest:
                return self._list(parse_qs(query))
            if method == "GET" and len(rest) == 1:
                return self._retrieve(rest[0])
            if method == "POST" and len(rest) == 2 and rest[1] == "cancel":
                return self._cancel(rest[0])
        return 404, {}, _error(f"no route for {method} {path}", "invalid_request_error")

    # --- files -----------------------------------------------------------------------

    def _upload(self, headers: dict[str, str], body: bytes) -> Reply:
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"content-type: "
            + headers.get("content-type", "").encode("latin-1")
            + b"\r\n\r\n"
            + body
        )
        fields: dict[str, tuple[str | None, bytes]] = {}
        for part in message.iter_parts() if message.is_multipart() else []:
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            if isinstance(name, str) and isinstance(payload, bytes):
                fields[name] = (part.get_filename(), payload)
        purpose = fields.get("purpose", (None, b""))[1].decode()
        if "file" not in fields or not purpose:
            return 400, {}, _error("'file' and 'purpose' are required", "invalid_request_error")
        if purpose != "batch":
            return (
                400,
                {},
                _error(f"purpose {purpose!r} is not served here", "invalid_request_error"),
            )
        filename, data = fields["file"]
        self.counts["uploads"] += 1
        return 200, {}, self._store(data, filename or "upload.jsonl", "batch")

    def _store(self, data: bytes, filename: str, purpose: str) -> dict[str, Any]:
        file_id = f"file-standin{len(self.files) + 1:06d}"
        now = int(self.clock())
        self.files[file_id] = {
            "id": file_id,
            "object": "file",
            "bytes": len(data),
            "created_at": now,
            "filename": filename,
            "purpose": purpose,
            "status": "processed",
            "expires_at": now + 30 * 86400,
            "status_details": None,
        }
        self.contents[file_id] = data
        return self.files[file_id]

    def _file(self, file_id: str) -> Reply:
        if file_id not in self.files:
            return 404, {}, _error(f"No such File object: {file_id}", "invalid_request_error")
        return 200, {}, self.files[file_id]

    def _content(self, file_id: str) -> Reply:
        if file_id not in self.files:
            return 404, {}, _error(f"No such File object: {file_id}", "invalid_request_error")
        self.counts["downloads"] += 1
        return 200, {"content-type": "application/octet-stream"}, self.contents[file_id]

    # --- batches ---------------------------------------------------------------------

    def _create(self, body: bytes) -> Reply:
        request = json.loads(body or b"{}")
        file_id = request.get("input_file_id")
        if file_id not in self.files or self.files[file_id]["purpose"] != "batch":
            return 400, {}, _error(f"invalid input_file_id {file_id!r}", "invalid_request_error")
        if request.get("endpoint") != ENDPOINT or request.get("completion_window") != "24h":
            return (
                400,
                {},
                _error("endpoint or completion_window not supported", "invalid_request_error"),
            )
        self.counts["creates"] += 1
        now = int(self.clock())
        batch_id = f"batch_standin{len(self.batches) + 1:06d}"
        data: dict[str, Any] = {
            "id": batch_id,
            "object": "batch",
            "endpoint": ENDPOINT,
            "errors": None,
            "input_file_id": file_id,
            "completion_window": "24h",
            "status": "validating",
            "output_file_id": None,
            "error_file_id": None,
            "created_at": now,
            "in_progress_at": None,
            "expires_at": now + 86400,
            "finalizing_at": None,
            "completed_at": None,
            "failed_at": None,
            "expired_at": None,
            "cancelling_at": None,
            "cancelled_at": None,
            "request_counts": {"total": 0, "completed": 0, "failed": 0},
            "metadata": request.get("metadata"),
            "model": None,
        }
        batch = _Batch(data=data, ordinal=len(self.batches) + 1)
        batch.data["_t0"] = self.clock()
        self.batches[batch_id] = batch
        return 200, {}, self._public(batch)

    def _retrieve(self, batch_id: str) -> Reply:
        batch = self.batches.get(batch_id)
        if batch is None:
            return 404, {}, _error(f"No such Batch object: {batch_id}", "invalid_request_error")
        self._advance(batch)
        return 200, {}, self._public(batch)

    def _list(self, query: dict[str, list[str]]) -> Reply:
        limit = max(1, min(100, int(query.get("limit", ["20"])[0])))
        ordered = list(reversed(self.batches.values()))
        after = query.get("after", [None])[0]
        if after is not None:
            ids = [b.data["id"] for b in ordered]
            ordered = ordered[ids.index(after) + 1 :] if after in ids else []
        page = ordered[:limit]
        for batch in page:
            self._advance(batch)
        data = [self._public(b) for b in page]
        return (
            200,
            {},
            {
                "object": "list",
                "data": data,
                "first_id": data[0]["id"] if data else None,
                "last_id": data[-1]["id"] if data else None,
                "has_more": len(ordered) > limit,
            },
        )

    def _cancel(self, batch_id: str) -> Reply:
        batch = self.batches.get(batch_id)
        if batch is None:
            return 404, {}, _error(f"No such Batch object: {batch_id}", "invalid_request_error")
        self._advance(batch)
        if batch.data["status"] not in ("validating", "in_progress", "finalizing"):
            message = f"Cannot cancel a batch with status '{batch.data['status']}'."
            return 409, {}, _error(message, "invalid_request_error")
        self.counts["cancels"] += 1
        self._start_cancel(batch, self.clock())
        return 200, {}, self._public(batch)

    # --- the clock -------------------------------------------------------------------

    def _advance(self, batch: _Batch) -> None:
        """Move ``batch`` along its life to now (lazily, on every look at it)."""
        data, now = batch.data, self.clock()
        t0 = data["_t0"]
        if data["status"] == "validating" and now >= t0 + self.step_s:
            self._validate(batch, t0 + self.step_s)
        if data["status"] == "in_progress":
            started = t0 + self.step_s
            if batch.ordinal in self.faults.cancel:
                self._start_cancel(batch, started)
            else:
                expiring = batch.ordinal in self.faults.expire
                share = self.faults.expire_fraction if expiring else 1.0
                progress = min(1.0, (now - started) / self.step_s) * share
                self._answer_upto(batch, int(len(batch.lines) * progress))
                if now >= started + self.step_s:
                    if expiring:
                        self._close(batch, "expired", started + self.step_s)
                    else:
                        data.update(status="finalizing", finalizing_at=int(started + self.step_s))
        if data["status"] == "finalizing" and now >= t0 + 3 * self.step_s:
            self._close(batch, "completed", t0 + 3 * self.step_s)
        if data["status"] == "cancelling" and now >= data["_cancel_t"] + self.step_s:
            self._close(batch, "cancelled", data["_cancel_t"] + self.step_s)

    def _validate(self, batch: _Batch, at: float) -> None:
        data = batch.data
        raw = self.contents[data["input_file_id"]]
        problems = self._problems(batch, raw)
        if batch.ordinal in self.faults.fail:
            problems.insert(
                0,
                {
                    "code": "invalid_request",
                    "message": "The batch failed (stand-in fault).",
                    "param": None,
                    "line": None,
                },
            )
        if problems:
            data.update(status="failed", failed_at=int(at))
            data["errors"] = {"object": "list", "data": problems}
            return
        data.update(status="in_progress", in_progress_at=int(at))
        data["request_counts"]["total"] = len(batch.lines)

    def _problems(self, batch: _Batch, raw: bytes) -> list[dict[str, Any]]:
        problems: list[dict[str, Any]] = []
        if len(raw) > self.max_bytes:
            problems.append(
                _problem("file_too_large", f"The input file is larger than {self.max_bytes} bytes.")
            )
            return problems
        seen: set[str] = set()
        models: set[str] = set()
        for number, line in enumerate(raw.decode("utf-8", "replace").splitlines(), start=1):
            try:
                item = json.loads(line)
                custom_id, body = item["custom_id"], item["body"]
                assert (
                    item["method"] == "POST" and item["url"] == ENDPOINT and isinstance(body, dict)
                )
            except (ValueError, KeyError, TypeError, AssertionError):
                problems.append(_problem("invalid_request", "Invalid request line.", number))
                continue
            if custom_id in seen:
                problems.append(
                    _problem("duplicate_custom_id", f"Duplicate custom_id {custom_id!r}.", number)
                )
            seen.add(custom_id)
            models.add(str(body.get("model")))
            batch.lines.append(item)
        if len(batch.lines) > self.max_requests:
            problems.append(
                _problem("too_many_requests", f"More than {self.max_requests} requests.")
            )
        if len(models) > 1:
            problems.append(_problem("mixed_models", "Every request must use the same model."))
        if problems:
            batch.lines.clear()
        else:
            batch.data["model"] = models.pop() if models else None
        return problems

    def _answer_upto(self, batch: _Batch, count: int) -> None:
        while batch.answered < min(count, len(batch.lines)):
            item = batch.lines[batch.answered]
            raw = json.dumps(item["body"], sort_keys=True).encode("utf-8")
            status, payload = self.answer(item["body"], raw)
            self.counts["lines"] += 1
            number = batch.answered + 1
            line = {
                "id": f"batch_req_{batch.data['id']}_{number}",
                "custom_id": item["custom_id"],
                "response": {"status_code": status, "request_id": f"req_{number}", "body": payload},
                "error": None,
            }
            (batch.errors if status >= 400 else batch.data.setdefault("_out", [])).append(line)
            batch.answered += 1

    def _start_cancel(self, batch: _Batch, at: float) -> None:
        batch.data.update(status="cancelling", cancelling_at=int(at))
        batch.data["_cancel_t"] = at

    def _close(self, batch: _Batch, status: str, at: float) -> None:
        """End ``batch`` as ``status``: undone requests become error lines; files are written."""
        data = batch.data
        if status in _UNDONE:
            code, message = _UNDONE[status]
            for number, item in enumerate(batch.lines[batch.answered :], start=batch.answered + 1):
                batch.errors.append(
                    {
                        "id": f"batch_req_{data['id']}_{number}",
                        "custom_id": item["custom_id"],
                        "response": None,
                        "error": {"code": code, "message": message},
                    }
                )
        else:
            self._answer_upto(batch, len(batch.lines))
        done: list[dict[str, Any]] = data.pop("_out", [])
        order = random.Random(f"{self.seed}:{data['id']}")
        order.shuffle(done)
        order.shuffle(batch.errors)
        if done:
            data["output_file_id"] = self._store(
                _jsonl(done), f"{data['id']}_output.jsonl", "batch_output"
            )["id"]
        if batch.errors:
            data["error_file_id"] = self._store(
                _jsonl(batch.errors), f"{data['id']}_error.jsonl", "batch_output"
            )["id"]
        answered_ok = len(done)
        data["request_counts"] = {
            "total": len(batch.lines),
            "completed": answered_ok,
            "failed": len(batch.lines) - answered_ok,
        }
        if status == "completed":
            data["completed_at"] = int(at)
        data.update(status=status, **{f"{status}_at": int(at)})

    def _public(self, batch: _Batch) -> dict[str, Any]:
        data = {k: v for k, v in batch.data.items() if not k.startswith("_")}
        if data["status"] in ("in_progress", "cancelling"):
            ok = len(batch.data.get("_out", []))
            data["request_counts"] = {
                "total": len(batch.lines),
                "completed": ok,
                "failed": len(batch.errors),
            }
        return data


def _jsonl(rows: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(row) + "\n" for row in rows).encode("utf-8")


def _problem(code: str, message: str, line: int | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "param": None, "line": line}


def _error(message: str, kind: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": None, "code": None}}

"""Every error communique reports to a user, in one place.

    CommuniqueError              base: a message fit for one line of a terminal or a JSON ``error`` field
    ├── InputError               the input cannot be read as a document (empty, binary, too large, bad encoding)
    ├── FetchError               a URL could not be fetched (refused address, timeout, HTTP status, too large)
    ├── KnowledgeBaseError       a knowledge-base or override file is malformed
    │   └── UnknownActorError    a name typed by a user names no state or person (the nearest names listed)
    ├── StoreError               the database cannot be opened or written
    ├── EngineError              the analysis engine cannot run (Ray cannot be started or reached)
    ├── DataFileError            a data file is malformed (a repeated key, a short row, bad YAML): file and line
    └── PipelineError            the stages asked for are unknown, or in an order in which one reads what no stage
                                 before it writes (communique.pipeline.check_stage_order)

Each error carries a short ``code`` (E1xx input, E2xx fetch, E3xx knowledge base, E4xx store, E5xx engine, E6xx data
file, E7xx pipeline) so scripts can branch on it without parsing the message.
"""

from __future__ import annotations


class CommuniqueError(Exception):
    code = "E000"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class InputError(CommuniqueError):
    code = "E100"


class FetchError(CommuniqueError):
    code = "E200"


class KnowledgeBaseError(CommuniqueError):
    code = "E300"


class UnknownActorError(KnowledgeBaseError):
    code = "E310"

    def __init__(self, message: str, nearest: list[str] | None = None) -> None:
        super().__init__(message)
        self.nearest = nearest or []


class StoreError(CommuniqueError):
    code = "E400"


class EngineError(CommuniqueError):
    code = "E500"


class DataFileError(CommuniqueError):
    code = "E600"


class PipelineError(CommuniqueError):
    code = "E700"

"""The project's small exception set: problems in config and rule files.

Status mapping to HTTP happens in one place, the handler; these classes only carry facts.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class ConfigProblem:
    """One problem in an admin-edited file, printed the yamllint way."""

    file: str
    line: int
    col: int
    path: str
    message: str
    level: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{self.file}:{self.line}:{self.col}: {where}{self.message} ({self.level})"

    @property
    def is_error(self) -> bool:
        return self.level == "error"


class ConfigError(Exception):
    """A config or rule file that cannot be used; carries every problem, not just the first."""

    def __init__(self, problems: list[ConfigProblem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

"""tests/floors.txt pins exactly pyproject.toml's declared minimums (tests/run.sh runs the
suite on them), so the floor CI proves is the floor we declare."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata

from tests.conftest import REPO

REQUIREMENT = re.compile(r"^([A-Za-z0-9_.-]+)\s*>=\s*([0-9][0-9A-Za-z.]*)\s*(,.*)?$")


def _name(text: str) -> str:
    return re.sub(r"[-_.]+", "-", text).lower()


def declared_floors() -> dict[str, str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    floors = {}
    for requirement in project["dependencies"]:
        match = REQUIREMENT.match(requirement)
        assert match, f"{requirement!r}: every dependency needs a `>=` floor"
        floors[_name(match[1])] = match[2]
    return floors


def pinned_floors() -> dict[str, str]:
    pins = {}
    for line in (REPO / "tests" / "floors.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            pins[_name(name)] = version.strip()
    return pins


def test_floors_file_pins_every_declared_minimum():
    pinned = {name: _key(version) for name, version in pinned_floors().items()}
    assert pinned == {name: _key(version) for name, version in declared_floors().items()}


def test_installed_versions_are_at_least_the_floors():
    """The environment running this suite satisfies the floors (in .venv-floors: equals them)."""
    for name, floor in declared_floors().items():
        installed = metadata.version(name)
        assert _key(installed) >= _key(floor), f"{name} {installed} is below its floor {floor}"


def _key(version: str) -> tuple[int, ...]:
    """'5.2' -> (5, 2, 0, 0): a release's numbers, padded so 5.2 and 5.2.0 compare equal."""
    numbers = [int(part) for part in re.findall(r"\d+", version)[:4]]
    return tuple(numbers + [0] * (4 - len(numbers)))

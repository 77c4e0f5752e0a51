"""Every module where the rules live is type-checked strictly (STYLE.md)."""

import tomllib
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"


def _strict_modules() -> list[str]:
    config = tomllib.loads((SRC.parent / "pyproject.toml").read_text(encoding="utf-8"))
    overrides = config["tool"]["mypy"]["overrides"]
    return next(o["module"] for o in overrides if o.get("disallow_untyped_defs"))


def test_every_services_and_selectors_module_is_in_the_strict_mypy_list():
    strict = set(_strict_modules())
    rule_modules = sorted(
        ".".join(path.relative_to(SRC).with_suffix("").parts)
        for pattern in ("warmhome/*/services_*.py", "warmhome/*/selectors_*.py")
        for path in SRC.glob(pattern)
    )

    assert rule_modules  # the glob does find them
    assert [module for module in rule_modules if module not in strict] == []

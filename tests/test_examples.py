"""Every program in examples/ and every python block of the README runs to completion on both
cores (they assert their own results)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "python"
EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.py"))


@pytest.mark.parametrize("pure", ["0", "1"], ids=["native", "pure"])
@pytest.mark.parametrize("script", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_runs(script: Path, pure: str) -> None:
    env = {**os.environ, "FERRULE_PURE_PYTHON": pure}
    result = subprocess.run(
        [sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr


README = Path(__file__).parent.parent / "README.md"
SNIPPETS = re.findall(r"^```python\n(.*?)^```", README.read_text(), flags=re.M | re.S)


def test_readme_has_snippets() -> None:
    assert len(SNIPPETS) >= 3  # models, SQL, database: the regex must not silently find none


@pytest.mark.parametrize("pure", ["0", "1"], ids=["native", "pure"])
@pytest.mark.parametrize("snippet", SNIPPETS, ids=[f"readme-{i}" for i in range(len(SNIPPETS))])
def test_readme_snippet_runs(snippet: str, pure: str, tmp_path: Path) -> None:
    """Each python block of the README runs as written, alone, in a fresh interpreter (the
    database one writes its SQLite file in a scratch directory)."""
    env = {**os.environ, "FERRULE_PURE_PYTHON": pure}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PACKAGE), env.get("PYTHONPATH")]))
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", snippet],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_the_pydantic_payload_runs_unchanged_on_pydantic() -> None:
    """The reference: examples/pydantic_payload.py with its import line given back to pydantic
    makes the same assertions pass (skipped where pydantic, a bench dependency, is absent)."""
    pytest.importorskip("pydantic")
    script = Path(__file__).parent.parent / "examples" / "pydantic_payload.py"
    text = script.read_text()
    assert (
        text.count("from ferrule import (") == 1
        and "ferrule" not in text.replace("from ferrule import (", "").split('"""', 2)[2]
    )
    source = text.replace("from ferrule import (", "from pydantic import (")
    result = subprocess.run(
        [sys.executable, "-c", source], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr

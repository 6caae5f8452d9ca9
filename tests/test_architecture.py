"""The import rules of pyproject.toml ([tool.importlinter]) hold, and they can fail: a
planted reverse import or cycle in a copy of the code breaks the contract that forbids it."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(where: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache"],
        cwd=where,
        env={"PYTHONPATH": str(where), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def copy(tmp_path) -> Path:
    """The code and its contracts, in a folder of their own to plant imports in."""
    for folder in ("triage", "config"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def plant(copy: Path, module: str, line: str) -> None:
    path = copy / (module.replace(".", "/") + ".py")
    path.write_text(path.read_text() + f"\n{line}  # planted\n")


def test_the_import_contracts_hold():
    result = lint_imports(ROOT)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
    for name in ("One direction of flow", "The policy is pure Python", "No import cycle"):
        assert f"{name}" in result.stdout


def test_a_reverse_import_breaks_the_flow(copy):
    plant(copy, "triage.rules", "import triage.views")

    result = lint_imports(copy)

    assert result.returncode != 0
    assert "One direction of flow: entry points" in result.stdout
    assert "triage.rules is not allowed to import triage.views" in result.stdout


def test_django_in_the_policy_breaks_the_purity_contract(copy):
    plant(copy, "triage.talent", "from django.db import models")

    result = lint_imports(copy)

    assert result.returncode != 0
    assert "The policy is pure Python: no Django, no models, no services BROKEN" in result.stdout


def test_a_cycle_between_services_breaks_the_no_cycle_contract(copy):
    # intake imports verdicts; verdicts importing intake back closes a circle.
    plant(copy, "triage.services.verdicts", "from triage.services import intake")

    result = lint_imports(copy)

    assert result.returncode != 0
    assert "No import cycle anywhere in triage BROKEN" in result.stdout
    assert "triage.services.intake" in result.stdout


def test_tasks_import_their_service_only_inside_the_task():
    """The convention the contracts rely on: at import time, triage.tasks imports no
    service, so any service can import it to enqueue; each task imports its own."""
    tree = ast.parse((ROOT / "triage/tasks.py").read_text())
    imported_at_top = [
        node.module
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("triage")
    ]
    assert imported_at_top == []
    tasks = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
    inside = {
        task.name: [
            node.module
            for node in ast.walk(task)
            if isinstance(node, ast.ImportFrom) and node.module == "triage.services"
        ]
        for task in tasks
    }
    assert all(inside.values()), inside

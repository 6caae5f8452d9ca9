"""The licence check of the runtime requirements (.ci/check_licences.py), on packages of
its own: installed metadata in a folder, as pip writes it."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOOL = ROOT / ".ci" / "check_licences.py"


def install(site: Path, name: str, *, expression="", classifier="", requires=()):
    """A package's metadata as pip leaves it in site-packages."""
    info = site / f"{name.replace('-', '_')}-1.0.dist-info"
    info.mkdir(parents=True)
    lines = ["Metadata-Version: 2.4", f"Name: {name}", "Version: 1.0"]
    if expression:
        lines.append(f"License-Expression: {expression}")
    if classifier:
        lines.append(f"Classifier: License :: OSI Approved :: {classifier}")
    lines += [f"Requires-Dist: {line}" for line in requires]
    (info / "METADATA").write_text("\n".join(lines) + "\n")


def check(tmp_path: Path, requirements: str, readme: str = "# App\n"):
    (tmp_path / "requirements.txt").write_text(requirements)
    (tmp_path / "README.md").write_text(readme)
    return subprocess.run(
        [sys.executable, str(TOOL), "--path", str(tmp_path / "site"),
         "--requirements", str(tmp_path / "requirements.txt"),
         "--readme", str(tmp_path / "README.md")],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip


@pytest.fixture
def site(tmp_path):
    site = tmp_path / "site"
    install(site, "web-app", expression="BSD-3-Clause", requires=["html-conv>=1", "pg-driver"])
    install(site, "html-conv", expression="GPL-3.0-or-later")
    install(site, "pg-driver", classifier="GNU Lesser General Public License v3 (LGPLv3)")
    install(site, "dual", expression="GPL-2.0-only OR MIT")
    install(site, "server-lib", classifier="GNU Affero General Public License v3")
    install(site, "test-only", expression="GPL-3.0-only", requires=[])
    return site


def test_a_gpl_package_pulled_in_by_a_requirement_fails_the_check(tmp_path, site):
    result = check(tmp_path, "web-app==1.0  # the app\n")

    assert result.returncode == 1
    rows = {line.split()[0]: line for line in result.stdout.splitlines() if line.strip()}
    assert "GPL-3.0-or-later (via web-app)  [REFUSED]" in rows["html-conv"]
    # LGPL passes: psycopg's case, a library the deployment can replace on its own.
    assert rows["pg-driver"].endswith("[ok]")
    assert rows["web-app"].endswith("[ok]")
    assert "test-only" not in rows  # not a runtime requirement
    assert "html-conv (GPL-3.0-or-later)" in result.stderr


def test_agpl_fails_and_a_dual_licence_with_a_permissive_choice_passes(tmp_path, site):
    result = check(tmp_path, "dual\nserver-lib\n")

    assert result.returncode == 1
    assert "[REFUSED]" in next(line for line in result.stdout.splitlines() if "server-lib" in line)
    assert next(line for line in result.stdout.splitlines() if "dual" in line).endswith("[ok]")


def test_the_readme_allow_list_lets_a_package_through_with_its_reason(tmp_path, site):
    readme = (
        "# App\n\n<!-- licence allow-list -->\n"
        "- `html-conv`: only run by the build, never shipped\n\nMore text\n"
    )

    result = check(tmp_path, "web-app\n", readme)

    assert result.returncode == 0, result.stderr
    assert "[allowed: only run by the build, never shipped]" in result.stdout
    assert "no GPL/AGPL" in result.stdout


def test_a_requirement_that_is_not_installed_is_reported(tmp_path, site):
    result = check(tmp_path, "pg-driver\nnot-there==2.0\n")

    assert result.returncode == 2
    assert "not-there: not installed" in result.stderr


def test_a_package_without_licence_information_needs_a_reason(tmp_path, site):
    install(site, "mystery")

    result = check(tmp_path, "mystery\n")

    assert result.returncode == 1
    assert "UNKNOWN  [REFUSED]" in result.stdout

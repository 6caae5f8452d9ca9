"""List the licence of every runtime requirement (requirements.txt and what they pull in, as
installed) and fail on GPL or AGPL: this app is meant to be deployed by others, and a strong
copyleft licence would bind every deployment's own changes. LGPL passes: the library stays
a separately replaceable part (psycopg, as an installed package), which is what LGPL asks.

A package may still pass if README.md allow-lists it, with the reason, under the line
`<!-- licence allow-list -->` as a bullet: dash, the name in backticks, a colon, the reason
(one per line, until a blank line). A package whose licence cannot be read fails too.

    .venv/bin/python .ci/check_licences.py [--requirements requirements.txt] [--readme README.md]

Exit status: 0 all clear, 1 a GPL/AGPL (or unreadable) licence not allow-listed, 2 a
requirement not installed.
Reads installed metadata only (importlib.metadata): no network."""

from __future__ import annotations

import argparse
import importlib.metadata as metadata
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
ALLOW_LIST_MARK = "<!-- licence allow-list -->"
UNKNOWN = "UNKNOWN"

# GPL or AGPL, any version, but not LGPL ("\b" does not match between the L and the G).
STRONG_COPYLEFT = re.compile(
    r"\bA?GPL|GNU (Affero )?General Public License|\bAffero\b", re.IGNORECASE
)


@dataclass(frozen=True)
class Finding:
    name: str
    version: str
    licence: str
    required_by: str  # "requirements.txt" or the package that pulls it in

    @property
    def needs_a_reason(self) -> bool:
        return self.licence == UNKNOWN or is_strong_copyleft(self.licence)


def is_strong_copyleft(licence: str) -> bool:
    """True when every alternative of the licence is GPL or AGPL ("GPL-3.0 OR MIT" is fine:
    a deployment may take the MIT one)."""
    alternatives = [part for part in re.split(r"\s+OR\s+|\s*;\s*", licence) if part.strip()]
    return bool(alternatives) and all(STRONG_COPYLEFT.search(part) for part in alternatives)


def licence_of(dist: metadata.Distribution) -> str:
    """The SPDX expression when the package states one (PEP 639), else its licence
    classifiers, else a short License field (long ones are the whole licence text)."""
    meta = dist.metadata
    expression = (meta.get("License-Expression") or "").strip()
    if expression:
        return expression
    classifiers = [
        c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License")
    ]
    if classifiers:
        return "; ".join(classifiers)
    field = (meta.get("License") or "").strip()
    if field and "\n" not in field and len(field) <= 100:
        return field
    return UNKNOWN


def read_requirements(path: Path) -> list[Requirement]:
    found = []
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        found.append(Requirement(line))
    return found


def walk(
    requirements: list[Requirement], *, path: list[str] | None = None
) -> tuple[list[Finding], list[str]]:
    """Each installed runtime requirement and its dependencies, once each (first reason kept),
    and the names of requirements that are not installed."""
    environment = default_environment()
    installed = {
        canonicalize_name(dist.metadata["Name"]): dist
        for dist in metadata.distributions(**({"path": path} if path is not None else {}))
    }
    queue = [(req, "requirements.txt", ()) for req in requirements]
    seen: dict[str, Finding] = {}
    missing = []
    while queue:
        req, required_by, extras = queue.pop(0)
        if req.marker and not any(
            req.marker.evaluate({**environment, "extra": extra}) for extra in (extras or ("",))
        ):
            continue
        name = canonicalize_name(req.name)
        if name in seen:
            continue
        dist = installed.get(name)
        if dist is None:
            if required_by == "requirements.txt":
                missing.append(req.name)
            continue
        seen[name] = Finding(dist.metadata["Name"], dist.version, licence_of(dist), required_by)
        for line in dist.requires or []:
            queue.append((Requirement(line), dist.metadata["Name"], tuple(req.extras)))
    return sorted(seen.values(), key=lambda f: f.name.lower()), missing


def read_allow_list(readme: Path) -> dict[str, str]:
    """`name: reason` from the bullet lines after the allow-list mark in the README."""
    if not readme.exists():
        return {}
    lines = readme.read_text().splitlines()
    try:
        start = lines.index(ALLOW_LIST_MARK) + 1
    except ValueError:
        return {}
    allowed = {}
    for line in lines[start:]:
        if not line.strip():
            break
        match = re.match(r"-\s+`([^`]+)`:\s*(\S.*)", line.strip())
        if match:
            allowed[canonicalize_name(match[1])] = match[2]
    return allowed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requirements", type=Path, default=ROOT / "requirements.txt")
    parser.add_argument("--readme", type=Path, default=ROOT / "README.md")
    parser.add_argument("--path", action="append", help="look for packages here (tests)")
    args = parser.parse_args(argv)

    findings, missing = walk(read_requirements(args.requirements), path=args.path)
    allowed = read_allow_list(args.readme)
    refused = []
    width = max((len(f.name) for f in findings), default=10)
    for finding in findings:
        verdict = "ok"
        if finding.needs_a_reason:
            reason = allowed.get(canonicalize_name(finding.name))
            verdict = f"allowed: {reason}" if reason else "REFUSED"
            if not reason:
                refused.append(finding)
        via = "" if finding.required_by == "requirements.txt" else f" (via {finding.required_by})"
        print(f"{finding.name:<{width}}  {finding.version:<16} {finding.licence}{via}  [{verdict}]")
    for name in missing:
        print(f"{name}: not installed, so its licence cannot be read (make setup)", file=sys.stderr)
    if refused:
        names = ", ".join(f"{f.name} ({f.licence})" for f in refused)
        print(
            f"\nGPL/AGPL or unknown licences in the runtime requirements: {names}. Replace "
            f"it, or allow-list it "
            f"with the reason in README.md under {ALLOW_LIST_MARK}.",
            file=sys.stderr,
        )
        return 1
    if missing:
        return 2
    print(f"\n{len(findings)} runtime packages, no GPL/AGPL.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Who may see and do what: the access file (TOML, named by GRANTSTATS_ACCESS), roles, permissions and the
regions a person's figures are limited to. Deny by default: a person not in the file gets no grant.

    [[user]]
    email = "aktau@example.kz"
    role = "region"
    regions = ["KZ-47"]

Roles: ``manager`` (every region; read and export), ``region`` (only the listed regions; read and export),
``staff`` (read, export, load — reports and contracts lists —, restore, and review findings; within ``regions``
when given), ``admin`` (everything, and the audit page). Reviewing findings is its own permission (REVIEW):
it changes what the error counts hold for everyone, so it stays with the staff who answer for the data. A file that cannot be read or is not valid raises :class:`AccessFileError` with one line: the
caller stops rather than open the dashboard to everyone.
"""

from __future__ import annotations

import getpass
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from grantstats import catalog

ACCESS_ENV = "GRANTSTATS_ACCESS"

READ, EXPORT, LOAD, RESTORE, REVIEW, AUDIT = "read", "export", "load", "restore", "review", "audit"

ROLES: dict[str, frozenset[str]] = {
    "manager": frozenset({READ, EXPORT}),
    "region": frozenset({READ, EXPORT}),
    "staff": frozenset({READ, EXPORT, LOAD, RESTORE, REVIEW}),
    "admin": frozenset({READ, EXPORT, LOAD, RESTORE, REVIEW, AUDIT}),
}
"""Each role's permissions."""

REGION_BOUND = {"region": True, "staff": False, "manager": None, "admin": None}
"""Whether a role must name regions (True), may (False), or may not (None: it sees every region)."""


class AccessFileError(Exception):
    """The access file cannot be read or is not valid: one line naming the file and what is wrong."""


@dataclass(frozen=True)
class Grant:
    """What one person may do: their e-mail (or OS user), role, permissions and scope.

    ``scope`` is a tuple of region codes the person's figures are limited to, or None for every region."""

    user: str
    role: str
    scope: tuple[str, ...] | None = None

    @property
    def permissions(self) -> frozenset[str]:
        return ROLES[self.role]

    def may(self, permission: str) -> bool:
        return permission in self.permissions


def local_grant() -> Grant:
    """The person at the machine in local mode (no sign-in configured): everything, under the OS user."""
    return Grant(f"{os_user()} (local)", "admin", None)


def os_user() -> str:
    """The operating-system user running this process (what CLI actions are recorded under)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid {os.getuid()}"


@dataclass(frozen=True)
class AccessList:
    """The access file, read and checked: e-mail (lowered) -> Grant."""

    grants: dict[str, Grant]
    path: Path

    def grant_for(self, email: str | None) -> Grant | None:
        """The grant of a signed-in e-mail, or None (deny by default)."""
        if not email:
            return None
        return self.grants.get(email.strip().lower())


def access_path() -> Path | None:
    """The access file GRANTSTATS_ACCESS names, or None when it is not set."""
    raw = os.environ.get(ACCESS_ENV, "").strip()
    return Path(raw) if raw else None


def load_access(path: str | os.PathLike) -> AccessList:
    """Read and check the access file; AccessFileError (one line) when it cannot be read or is not valid."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AccessFileError(f"access file {path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise AccessFileError(f"access file {path}: cannot be read ({type(exc).__name__})") from None
    except tomllib.TOMLDecodeError as exc:
        raise AccessFileError(f"access file {path}: not valid TOML ({exc})") from None
    unknown = sorted(set(data) - {"user"})
    if unknown:
        raise AccessFileError(f"access file {path}: unknown section {unknown[0]!r} (only [[user]] entries)")
    users = data.get("user", [])
    if not isinstance(users, list):
        raise AccessFileError(f"access file {path}: 'user' must be a list of [[user]] entries")
    known_regions = set(catalog.codes("region"))
    grants: dict[str, Grant] = {}
    for n, entry in enumerate(users, 1):
        where = f"access file {path}: user {n}"
        if not isinstance(entry, dict):
            raise AccessFileError(f"{where}: must be a [[user]] table")
        extra = sorted(set(entry) - {"email", "role", "regions"})
        if extra:
            raise AccessFileError(f"{where}: unknown key {extra[0]!r} (email, role, regions)")
        email = entry.get("email")
        if not isinstance(email, str) or "@" not in email:
            raise AccessFileError(f"{where}: 'email' must be an e-mail address")
        email = email.strip().lower()
        where = f"access file {path}: {email}"
        role = entry.get("role")
        if role not in ROLES:
            raise AccessFileError(f"{where}: role {role!r} is not one of {', '.join(ROLES)}")
        regions = entry.get("regions")
        bound = REGION_BOUND[role]
        if regions is not None:
            if bound is None:
                raise AccessFileError(f"{where}: a {role} sees every region; remove 'regions' or use role 'staff'")
            if not isinstance(regions, list) or not regions or not all(isinstance(r, str) for r in regions):
                raise AccessFileError(f"{where}: 'regions' must be a non-empty list of region codes")
            bad = [r for r in regions if r not in known_regions]
            if bad:
                raise AccessFileError(f"{where}: unknown region code {bad[0]!r} (codes like KZ-47; see catalog)")
        elif bound:
            raise AccessFileError(f"{where}: role 'region' needs 'regions' (codes like KZ-47)")
        if email in grants:
            raise AccessFileError(f"{where}: listed twice")
        grants[email] = Grant(email, role, tuple(dict.fromkeys(regions)) if regions else None)
    return AccessList(grants, path)

"""Who is at the dashboard: sign-in with Streamlit's own OpenID Connect (``st.login``/``st.user``/``st.logout``)
when ``[auth]`` is set in ``.streamlit/secrets.toml``, the person's grant from the access file
(grantstats.access), and local mode (full access for the person at the machine) when sign-in is not set up.

``require_grant()`` runs first in app.py: with sign-in set up and nobody signed in it draws the sign-in page and
stops; a signed-in person not in the access file gets "no access" and nothing else; an access file that cannot
be read stops the app with one line. The grant is kept in the session: ``scope()`` is what ui.data sets on every
figure's filter.
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from grantstats import access, audit, store
from grantstats.access import AccessFileError, Grant
from ui.labels import T

GRANT_KEY = "_gs_grant"
LOCAL_KEY = "_gs_local"
LOGGED_KEY = "_gs_signin_logged"
AUTH_KEYS = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")


class SecretsError(Exception):
    """secrets.toml exists but cannot be read: whether sign-in was meant cannot be told."""


def auth_configured() -> bool:
    """Whether sign-in is set up: an ``[auth]`` section in the secrets (no secrets file: local mode)."""
    try:
        section = st.secrets.get("auth")
    except FileNotFoundError:
        return False
    except Exception as exc:  # a malformed secrets.toml: never fall back to open local mode
        raise SecretsError(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None
    return bool(section)


@st.cache_resource(show_spinner=False, max_entries=4)
def _access_list(path: str, _mtime_ns: int) -> access.AccessList:
    return access.load_access(path)


def access_list() -> access.AccessList:
    """The access file GRANTSTATS_ACCESS names, read again when it changes; AccessFileError when it cannot be."""
    path = access.access_path()
    if path is None:
        raise AccessFileError(T("access_file_missing"))
    try:
        mtime = os.stat(path).st_mtime_ns
    except OSError:
        mtime = -1
    return _access_list(str(path), mtime)


def _db() -> str:
    return str(store.resolve_db_path())


def current_grant() -> Grant | None:
    return st.session_state.get(GRANT_KEY)


def scope() -> tuple[str, ...] | None:
    """The regions the person's figures are limited to (None: every region). Nobody signed in while sign-in
    is set up: no region at all."""
    grant = current_grant()
    if grant is not None:
        return grant.scope
    try:
        return () if auth_configured() else None
    except SecretsError:
        return ()


def user_name() -> str:
    grant = current_grant()
    return grant.user if grant else access.os_user()


def via() -> str:
    """How an action came: "local" (local mode) or "web" (a signed-in person)."""
    return "local" if st.session_state.get(LOCAL_KEY, True) else "web"


def _stop() -> None:
    """End the run with nothing but what was drawn: no navigation to the pages (nor pages/ found on disk). Every
    page's address is known, empty, so a bookmarked one shows the sign-in page without a "page not found"."""
    from ui.state import PAGES

    paths = [p.url_path for p in PAGES] + ["upload", "audit"]
    st.navigation([st.Page(_empty_page(path), title="grantstats", url_path=path, default=(i == 0))
                   for i, path in enumerate(paths)], position="hidden")
    st.stop()


def _empty_page(name: str):
    def page() -> None:
        pass

    page.__name__ = f"gate_{name}"  # (a page function's name tells pages apart)
    return page


def require_grant() -> Grant:
    """The person's grant; otherwise the sign-in page, the no-access page or the one-line stop, and _stop()."""
    try:
        configured = auth_configured()
    except SecretsError as exc:
        st.error(T("access_file_error", reason=f"secrets.toml: {exc}"), icon=":material/block:")
        _stop()
    st.session_state[LOCAL_KEY] = not configured
    if not configured:
        grant = access.local_grant()
        st.session_state[GRANT_KEY] = grant
        return grant
    if not st.user.is_logged_in:
        st.session_state.pop(GRANT_KEY, None)
        _sign_in_page()
        _stop()
    email = str(st.user.get("email") or "").strip()
    try:
        grants = access_list()
    except AccessFileError as exc:
        st.error(T("access_file_error", reason=str(exc)), icon=":material/block:")
        _stop()
    grant = grants.grant_for(email)
    if grant is None:
        st.session_state.pop(GRANT_KEY, None)
        if not st.session_state.get(LOGGED_KEY):
            st.session_state[LOGGED_KEY] = True
            audit.record(_db(), "denied", email or "(no e-mail)", via="web", detail="not in the access file")
        st.title(T("no_access_title"))
        st.warning(T("no_access_body", user=email or "?"), icon=":material/lock:")
        if st.button(T("signout_button"), icon=":material/logout:", key="gs_denied_signout"):
            st.logout()
        _stop()
    st.session_state[GRANT_KEY] = grant
    if not st.session_state.get(LOGGED_KEY):
        st.session_state[LOGGED_KEY] = True
        audit.record(_db(), "sign_in", grant.user, via="web", detail={"role": grant.role, "regions": grant.scope})
    return grant


def _sign_in_page() -> None:
    st.title(T("signin_title"))
    st.write(T("signin_body"))
    if st.button(T("signin_button"), type="primary", icon=":material/login:", key="gs_signin"):
        st.login()


def _sign_out() -> None:
    grant = current_grant()
    if grant is not None:
        audit.record(_db(), "sign_out", grant.user, via="web")
    st.session_state.pop(GRANT_KEY, None)
    st.session_state.pop(LOGGED_KEY, None)
    st.logout()


def account_box() -> None:
    """The sidebar's line on who is signed in (with the sign-out button), or that this is local mode."""
    from ui.labels import region_name

    grant = current_grant()
    box = st.sidebar.container()
    if grant is None or via() == "local":
        box.caption(T("local_mode"))
        return
    box.caption(T("signed_in_as", user=grant.user, role=T(f"role_{grant.role}")))
    if grant.scope is not None:
        box.caption(T("your_regions", regions=", ".join(region_name(c) for c in grant.scope)))
    if box.button(T("signout_button"), icon=":material/logout:", type="tertiary", key="gs_signout"):
        _sign_out()


def require(permission: str) -> Grant:
    """Stop a page the person's role does not open (a page reached by its address)."""
    grant = current_grant()
    if grant is None or not grant.may(permission):
        st.warning(T("not_allowed"), icon=":material/lock:")
        st.stop()
    return grant


def access_file_path() -> Path | None:
    return access.access_path()

"""A Streamlit client that speaks the browser's own websocket protocol, without a browser.

It connects to ``ws://host:port/_stcore/stream`` (subprotocol ``streamlit``), asks for a script run with a
``BackMsg.rerun_script`` (ClientState: page script hash and name, query string, widget states, the hashes of the
messages it holds) and reads ``ForwardMsg``s until ``script_finished``: that is one page view, timed from the
request to the last message. As the browser does, it keeps the large messages the server marks cacheable, names
them in every request and puts them back where the server sends only a reference (``ref_hash``); it follows the
page list of ``navigation``, the URL the app writes (``page_info_changed``) and the widgets each run draws, so
that a filter is changed the way a person changes it: a new value for the widget, keyed by the app's own key.

A view counts as served only when ``script_finished`` arrives, says the script ran, and no element of the run
is an exception (``Delta.new_element.exception``, deprecation warnings apart).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

STREAM_PATH = "/_stcore/stream"
VIEW_TIMEOUT_S = 60.0
_KEYED_ID_PREFIX = "$$ID-"  # streamlit.runtime.state.common.GENERATED_ELEMENT_ID_PREFIX; a key follows the hash
_DEFAULT_CACHE_AGE = 2  # runs a cached message is kept unreferenced (the server's global.maxCachedMessageAge)


@dataclass
class PageView:
    """One request for a script run and what came back."""

    page: str                  # the page's url path ("" = the app's default page)
    kind: str                  # open, page or filter
    started: float             # time.perf_counter() when the request was sent
    seconds: float             # request to script_finished (or to the failure)
    served: bool               # script_finished arrived, the run completed, and no exception was drawn
    error: str | None = None   # why not served: the exception's type and message, a timeout, a closed socket
    messages: int = 0
    bytes: int = 0
    warnings: int = 0          # exception elements marked as warnings (deprecations): not errors
    references: int = 0        # messages the server sent as a reference to one this client holds


class ProtocolError(RuntimeError):
    """The server said something this client cannot follow (an unknown cached-message reference, no pages)."""


@dataclass
class _Cached:
    msg: ForwardMsg
    last_run: int


@dataclass
class StreamlitSession:
    """One browser tab: one websocket, one server-side session."""

    url: str  # http://host:port or ws://host:port
    timeout_s: float = VIEW_TIMEOUT_S
    pages: dict[str, str] = field(default_factory=dict)            # url path -> page script hash
    widgets: dict[str, Any] = field(default_factory=dict)          # widget key -> its element proto (last drawn)
    query_string: str = ""                                         # the URL's query, as the app last wrote it
    session_id: str = ""
    page: str = ""                                                 # the page shown now
    _ws: Any = None
    _cache: dict[str, _Cached] = field(default_factory=dict)
    _cache_age: int = _DEFAULT_CACHE_AGE
    _runs: int = 0

    async def connect(self) -> None:
        base = self.url.rstrip("/").replace("http://", "ws://", 1).replace("https://", "wss://", 1)
        if not base.startswith(("ws://", "wss://")):
            base = "ws://" + base
        # max_size: a page's dataframe message may pass websockets' 1 MiB default; max_queue: messages that
        # arrive while the person reads wait in the buffer without pausing the reader (pings stay answered)
        self._ws = await websockets.connect(base + STREAM_PATH, subprotocols=["streamlit"], max_size=None,
                                            max_queue=None, open_timeout=self.timeout_s)

    @property
    def connected(self) -> bool:
        return self._ws is not None

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
            self._ws = None

    async def __aenter__(self) -> StreamlitSession:
        await self.connect()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # ------------------------------------------------------------------------------------------ views

    async def open(self, page: str = "", query_string: str = "") -> PageView:
        """The first view of a tab: a page by its url path (the default page for "") and the link's query."""
        self.query_string = query_string
        return await self._view(page, kind="open", page_hash="", page_name=page)

    async def view(self, page: str) -> PageView:
        """Switch to another page of the app (as a click in the navigation), keeping the URL's filter."""
        if page not in self.pages:
            return PageView(page, "page", time.perf_counter(), 0.0, False,
                            f"protocol: no page {page!r} in the app's navigation (it has {sorted(self.pages)})")
        return await self._view(page, kind="page", page_hash=self.pages[page], page_name=page)

    async def change(self, states: list[WidgetState]) -> PageView:
        """Give widgets new values on the page shown (as a person does in the sidebar): one rerun."""
        return await self._view(self.page, kind="filter", page_hash=self.pages.get(self.page, ""),
                                page_name=self.page, states=states)

    async def _view(self, page: str, *, kind: str, page_hash: str, page_name: str,
                    states: list[WidgetState] | None = None) -> PageView:
        request = BackMsg()
        state = request.rerun_script
        state.query_string = self.query_string
        state.page_script_hash = page_hash
        state.page_name = page_name
        state.widget_states.widgets.extend(states or ())
        state.cached_message_hashes.extend(self._cache)
        view = PageView(page=page, kind=kind, started=time.perf_counter(), seconds=0.0, served=False)
        try:
            await self._ws.send(request.SerializeToString())
            await asyncio.wait_for(self._read_run(view), self.timeout_s)
        except TimeoutError:
            view.error = f"timeout: no script_finished within {self.timeout_s:.0f} s"
        except (websockets.ConnectionClosed, OSError) as exc:
            view.error = f"connection lost: {type(exc).__name__}: {exc}"
        except ProtocolError as exc:
            view.error = f"protocol: {exc}"
        view.seconds = time.perf_counter() - view.started
        if view.served:
            self.page = page if page in self.pages else self._default_page()
        return view

    async def _read_run(self, view: PageView) -> None:
        """Read messages until this request's run has finished (runs interrupted for a rerun: the next one's)."""
        errors: list[str] = []
        while True:
            raw = await self._ws.recv()
            view.messages += 1
            view.bytes += len(raw)
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "ref_hash":
                msg, kind = self._from_cache(msg.ref_hash), "delta"
                view.references += 1
            elif msg.metadata.cacheable:
                self._cache[msg.hash] = _Cached(msg, self._runs)
            if kind == "delta":
                self._read_delta(msg, view, errors)
            elif kind == "new_session":
                self.session_id = msg.new_session.initialize.session_id or self.session_id
                self._cache_age = msg.new_session.config.max_cached_message_age or self._cache_age
            elif kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
            elif kind == "page_info_changed":
                self.query_string = msg.page_info_changed.query_string
            elif kind == "page_not_found":
                errors.append(f"page not found: {msg.page_not_found.page_name!r}")
            elif kind == "script_finished":
                status = msg.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # the app asked for a rerun: the view ends with that run
                self._end_run()
                if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    errors.append("the script did not compile")
                view.served = not errors
                view.error = "; ".join(errors) or None
                return

    def _read_delta(self, msg: ForwardMsg, view: PageView, errors: list[str]) -> None:
        delta = msg.delta
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception":
            exc = element.exception
            if exc.is_warning:
                view.warnings += 1
            else:
                errors.append(f"{exc.type}: {exc.message[:300]}")
            return
        widget_id = getattr(getattr(element, kind), "id", "") if kind else ""
        if isinstance(widget_id, str) and widget_id.startswith(_KEYED_ID_PREFIX):
            key = widget_id.rsplit("-", 1)[-1]
            if key != "None":
                self.widgets[key] = getattr(element, kind)

    def _from_cache(self, ref: str) -> ForwardMsg:
        cached = self._cache.get(ref)
        if cached is None:
            raise ProtocolError(f"a reference to a message this client never held ({ref})")
        cached.last_run = self._runs
        return cached.msg

    def _end_run(self) -> None:
        """As the browser's message cache does: forget messages not referenced for `max_cached_message_age` runs."""
        self._runs += 1
        for ref in [h for h, c in self._cache.items() if self._runs - c.last_run > self._cache_age]:
            del self._cache[ref]

    def _default_page(self) -> str:
        return "" if "" in self.pages else next(iter(self.pages), "")

    # -------------------------------------------------------------------------------- widget values

    def widget_id(self, key: str) -> str | None:
        """The id of the widget the app drew with `key` in the last run, if it did."""
        element = self.widgets.get(key)
        return element.id if element is not None else None


def multiselect_state(element: Any, chosen: list[str]) -> WidgetState:
    """A multiselect's new value: the chosen options as the widget shows them (its formatted labels)."""
    state = WidgetState(id=element.id)
    state.string_array_value.data.extend(chosen)
    return state


def range_slider_state(element: Any, low: float, high: float) -> WidgetState:
    """A range slider's new value: both ends."""
    state = WidgetState(id=element.id)
    state.double_array_value.data.extend([float(low), float(high)])
    return state

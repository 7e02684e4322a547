"""Simulated people using the dashboard at once: an asyncio harness over the websocket client.

A person opens the app (the default page, or a page a colleague's link names, often with a filter in its
query string: ``?region=KZ-47&year_from=2023``), reads for about `think_s` seconds, then switches to another
page or changes a filter in the sidebar (a region, a direction, the years), reads again, and so on until the
scenario's time is up; then the views under way finish. People start spread over the first think time, as
they arrive, and each is held by one dashboard process (person i by process i mod n, as a sticky balancer
would). `think_s` 0: people who never pause (the saturation rate). Every draw comes from one seeded
generator per person, so a scenario offers the same steps on every run.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field

import websockets

from bench.load.client import PageView, StreamlitSession, multiselect_state, range_slider_state

WRITER_PAGES = frozenset({"upload"})  # a reading person does not load files
LINK_SHARE = 0.3  # of the people: arrive by a colleague's link to a page, usually with a filter
LINK_QUERIES = ("region=KZ-47&year_from=2023", "region=KZ-11", "direction=1&year_from=2020",
                "year_from=2021&year_to=2023", "")
FILTER_SHARE = 0.3  # of the steps after the first: a filter change instead of a page switch
REGION_KEY, DIRECTION_KEY, YEARS_KEY = "f_regions", "f_directions", "f_years"  # the sidebar's widget keys
FILTER_KEYS = (REGION_KEY, DIRECTION_KEY, YEARS_KEY)


@dataclass
class Scenario:
    people: int
    servers: list[str]          # base URLs; person i uses servers[i % len(servers)]
    pages: list[str]            # the reading pages' url paths (discover_pages)
    seconds: float              # no view starts after this
    think_s: float = 5.0        # reading time, drawn from 0.6-1.4 x this; 0 = never pause
    seed: int = 19


@dataclass
class Outcome:
    views: list[PageView] = field(default_factory=list)
    seconds: float = 0.0        # from the first arrival to the last view's end
    filter_changes_by_widget: int = 0
    filter_changes_missing_widget: int = 0  # the sidebar widget was not found: a page switch was made instead
    reconnects: int = 0


async def run(scenario: Scenario) -> Outcome:
    outcome = Outcome()
    started = time.perf_counter()
    deadline = started + scenario.seconds
    await asyncio.gather(*(_person(i, scenario, deadline, outcome) for i in range(scenario.people)))
    outcome.seconds = time.perf_counter() - started
    return outcome


async def discover_pages(url: str) -> list[str]:
    """The url paths of the app's pages a reading person visits, as its navigation lists them ("" = default)."""
    async with StreamlitSession(url) as session:
        first = await session.open("")
        if not first.served:
            raise RuntimeError(f"the app at {url} did not serve its first page: {first.error}")
        return sorted(p for p in session.pages if p not in WRITER_PAGES)


def _tab_broken(view: PageView) -> bool:
    """The view failed so that the tab must be reloaded (a new session), not merely drew an error."""
    return not view.served and (view.error or "").startswith(("timeout", "connection", "protocol"))


async def _person(i: int, sc: Scenario, deadline: float, out: Outcome) -> None:
    rng = random.Random(sc.seed * 1_000_003 + i)
    url = sc.servers[i % len(sc.servers)]
    await asyncio.sleep(rng.uniform(0, sc.think_s) if sc.think_s else rng.uniform(0, 0.2 * len(sc.servers)))
    session = StreamlitSession(url)
    try:
        while time.perf_counter() < deadline:
            if not session.connected:
                try:
                    await session.connect()
                except (OSError, TimeoutError, websockets.InvalidHandshake) as exc:
                    out.views.append(PageView("", "open", time.perf_counter(), 0.0, False,
                                              f"connection refused: {type(exc).__name__}: {exc}"))
                    await asyncio.sleep(1.0)
                    continue
                if rng.random() < LINK_SHARE:
                    first = await session.open(rng.choice(sc.pages), rng.choice(LINK_QUERIES))
                else:
                    first = await session.open("")
                out.views.append(first)
                if _tab_broken(first):
                    await session.close()
                    out.reconnects += 1
                    continue
            await _read(rng, sc.think_s)
            if time.perf_counter() >= deadline:
                break
            view = await _step(rng, session, sc.pages, out)
            out.views.append(view)
            if _tab_broken(view):
                await session.close()
                out.reconnects += 1
    finally:
        await session.close()


async def _read(rng: random.Random, think_s: float) -> None:
    if think_s:
        await asyncio.sleep(rng.uniform(0.6, 1.4) * think_s)


async def _step(rng: random.Random, session: StreamlitSession, pages: list[str], out: Outcome) -> PageView:
    """Switch page, or change one sidebar filter on the page shown."""
    if rng.random() < FILTER_SHARE:
        states = _filter_change(rng, session)
        if states:
            out.filter_changes_by_widget += 1
            return await session.change(states)
        out.filter_changes_missing_widget += 1
    others = [p for p in pages if p != session.page] or pages
    return await session.view(rng.choice(others))


def _filter_change(rng: random.Random, session: StreamlitSession) -> list:
    """A new value for one of the sidebar's filters: a region or a direction (or none: all), or a year range."""
    choices = [k for k in FILTER_KEYS if k in session.widgets]
    if not choices:
        return []
    key = rng.choice(choices)
    element = session.widgets[key]
    if key == YEARS_KEY:
        low, high = int(element.min), int(element.max)
        start = rng.randint(low, high)
        return [range_slider_state(element, start, rng.randint(start, high))]
    options = list(element.options)
    chosen = [] if rng.random() < 0.25 or not options else rng.sample(options, 1 + (rng.random() < 0.2))
    return [multiselect_state(element, chosen)]

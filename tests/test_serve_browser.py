"""The dashboard in a real headless Chromium (Debian's chromium, driven by Playwright).

Loads the dashboard over a store of the demo and dev articles, applies a filter, opens an event
and checks that the figures' words are highlighted in the article text. Skips with a message
when Playwright or /usr/bin/chromium is missing (.ci/run installs chromium). With
MARSAD_SCREENSHOTS=DIR it also writes the map, timeline and detail screenshots of docs/serve.md.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (the test extra) is not installed")

from marsad.serve import create_app  # noqa: E402
from serve_fixtures import Server, shared_store  # noqa: E402

CHROMIUM = os.environ.get("MARSAD_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 20_000


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip(f"no chromium at {CHROMIUM}: apt-get install chromium (.ci/run does) to run the browser test")
    db = shared_store(tmp_path_factory)
    with Server(create_app(db)) as s:
        yield s


@pytest.fixture(scope="module")
def page(server):
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
                                    args=ARGS)
        pg = browser.new_page(viewport={"width": 1400, "height": 950})
        pg.set_default_timeout(TIMEOUT_MS)
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.errors = errors
        yield pg
        browser.close()


def test_filter_open_event_and_see_the_evidence(server, page):
    page.goto(server.url + "/")
    page.wait_for_selector("body[data-ready='1']")
    total = page.locator("#list tbody tr").count()
    assert total >= 9
    # the map drew the events with a point and the basemap's countries
    assert page.locator("#map path.pt").count() >= 5
    assert page.locator("#map path.leaflet-interactive, #map svg path").count() > 50

    # a filter: air strikes only; the address keeps it
    page.evaluate("document.body.dataset.ready = ''")
    page.select_option("#filters select[name=kind]", "air_strike")
    page.click("#filters button[type=submit]")
    page.wait_for_selector("body[data-ready='1']")
    assert "kind=air_strike" in page.url
    rows = page.locator("#list tbody tr")
    assert 1 <= rows.count() < total
    kinds = page.locator("#list tbody tr td:nth-child(2)").all_inner_texts()
    assert all("air strike" in k for k in kinds)

    # open the first event: the article in Arabic, right to left, its figures' words highlighted
    rows.first.click()
    page.wait_for_selector("#detail:not([hidden]) .article-text mark.f-killed")
    text = page.locator("#detail .article-text")
    assert text.get_attribute("dir") == "rtl"
    killed = page.locator("#detail mark.f-killed").first
    words = killed.inner_text()
    assert words.strip() and words in text.inner_text()
    start, end = int(killed.get_attribute("data-start")), int(killed.get_attribute("data-end"))
    assert 0 <= start < end
    assert page.locator("#detail mark.f-trigger, #detail mark.f-sources, #detail mark.f-place_evidence").count() >= 2
    # the event is in the address too: reloading it opens the same view
    assert "event=" in page.url
    page.reload()
    page.wait_for_selector("#detail:not([hidden]) mark.f-killed")
    assert not page.errors, page.errors

    out = os.environ.get("MARSAD_SCREENSHOTS")
    if out:
        Path(out).mkdir(parents=True, exist_ok=True)
        page.locator("#detail").screenshot(path=f"{out}/serve-detail.png")
        page.click("#close")
        page.goto(server.url + "/?lang=ar")
        page.wait_for_selector("body[data-ready='1']")
        page.locator("#map-box").screenshot(path=f"{out}/serve-map.png")
        page.goto(server.url + "/?period=month")
        page.wait_for_selector("body[data-ready='1']")
        page.select_option("#period", "month")
        page.wait_for_timeout(500)
        page.locator("#timeline-box").screenshot(path=f"{out}/serve-timeline.png")
        page.screenshot(path=f"{out}/serve-dashboard.png")


def test_province_outlines_are_drawn_and_a_click_filters_by_admin1(server, page):
    page.goto(server.url + "/")
    page.wait_for_selector("body[data-ready='1']")
    # Natural Earth's first-level divisions of the region, under the country borders
    assert page.locator("#map path.admin1").count() > 300
    # Idlib, clicked on the map: the events of Idlib Governorate, the province drawn stronger
    page.evaluate("document.body.dataset.ready = ''")
    page.evaluate("""state.admin1.eachLayer((l) => {
        if (l.feature.properties.admin1 === 'Idlib Governorate') l.fire('click'); })""")
    page.wait_for_selector("body[data-ready='1']")
    assert "admin1=Idlib+Governorate" in page.url and "country=SY" in page.url
    places = page.locator("#list tbody tr td:nth-child(3)").all_inner_texts()
    assert places and all("سراقب" in p or "إدلب" in p or "ادلب" in p for p in places), places
    assert page.locator("#map path.admin1[stroke='#b4462f']").count() >= 1
    # the admin1 facet still filters (here: clicking its value again clears it)
    page.evaluate("document.body.dataset.ready = ''")
    page.click("#facet-list button[data-facet=admin1][data-value='Idlib Governorate']")
    page.wait_for_selector("body[data-ready='1']")
    assert "admin1=" not in page.url
    assert not page.errors, page.errors


def test_incident_detail_shows_each_version_and_marks_the_contradiction(server, page):
    page.goto(server.url + "/?mode=incidents&contested=true")
    page.wait_for_selector("body[data-ready='1']")
    assert page.locator("#list tbody tr[data-incident]").count() >= 1
    assert page.locator("#list tbody .badge").count() >= 1
    row = page.locator("#list tbody tr[data-incident]", has_text="20")
    (row.first if row.count() else page.locator("#list tbody tr[data-incident]").first).click()
    page.wait_for_selector("#detail:not([hidden]) table.versions")
    assert "incident=" in page.url
    # two outlets side by side, their tolls marked as contradicting, each article's words highlighted
    assert page.locator("#detail table.versions td.differs").count() >= 2
    cards = page.locator("#detail .report")
    assert cards.count() >= 2
    assert page.locator("#detail .report .article-text[dir=rtl] mark.f-killed").count() >= 2
    assert not page.errors, page.errors
    out = os.environ.get("MARSAD_SCREENSHOTS")
    if out:
        page.locator("#detail").screenshot(path=f"{out}/serve-incident.png")

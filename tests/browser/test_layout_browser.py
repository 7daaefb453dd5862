"""Pages that fit: the weekly checklist at 1280 px with every column on screen, and printed to
PDF by Chromium on A4 landscape with every column and no navigation or forms; the signals and
fidelity pages at 390 px without sideways scrolling."""

from __future__ import annotations

import io

import pytest

from caseload.jobs.norm_jobs import daily_evaluation
from tests.conftest import TODAY

pytestmark = pytest.mark.browser


@pytest.fixture
def team_with_work(build):
    team = build.team("Team Zuid")
    coordinator = build.user(team, role="coordinator", name="Cora Coördinator")
    workers = [build.user(team, name=name) for name in
               ("Wilhelmina van der Werf-Achterberg", "Sara Jansen", "Youssef El Amrani")]
    employer = build.employer("Installatiebedrijf Van Oosterhout & Zonen")
    for n, worker in enumerate(workers):
        for k in range(3):
            person = build.client(worker, entry=TODAY - build.days(20 + 15 * k),
                                  code=f"ZUID-{n}{k}")
            if k == 2:
                build.placement(person, start=TODAY - build.days(6), employer=employer)
        build.contact(worker, on=TODAY - build.days(8), kind="employer", employer=employer)
    build.commit()
    daily_evaluation(TODAY)
    return coordinator


def logged_in_page(browser, live_server, user, width, height=900):
    from tests.builders import Builder
    context = browser.new_context(base_url=live_server, viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto("/login")
    page.fill("#email", user.email)
    page.fill("#password", Builder.PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_selector("header nav")
    return context, page


HEADERS_JS = "Array.from(document.querySelectorAll('#checklist thead th')).map(th => th.innerText.trim())"


def test_the_checklist_fits_a_1280_px_screen(browser, live_server, team_with_work):
    context, page = logged_in_page(browser, live_server, team_with_work, 1280)
    page.goto("/checklist/")
    table = page.eval_on_selector("#checklist", "t => [t.scrollWidth, t.parentElement.clientWidth]")
    assert table[0] <= table[1], f"the checklist is {table[0]} px in {table[1]} px"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    right = page.eval_on_selector("#checklist thead th:last-child",
                                  "th => th.getBoundingClientRect().right")
    assert right <= 1280  # the review column is on screen
    context.close()


def test_the_checklist_prints_every_column_on_a4_landscape(browser, live_server, team_with_work):
    from pypdf import PdfReader
    context, page = logged_in_page(browser, live_server, team_with_work, 1280)
    page.goto("/checklist/")
    headers = page.evaluate(HEADERS_JS)
    assert len(headers) == 10
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['header.topbar', 'footer', 'nav.weeks', '#checklist form']
        .map(s => Array.from(document.querySelectorAll(s)).every(e => getComputedStyle(e).display === 'none'))""")
    assert hidden == [True, True, True, True]
    pdf = page.pdf(prefer_css_page_size=True, print_background=False)
    context.close()

    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)                      # landscape
    assert abs(float(box.width) - 841.9) < 2 and abs(float(box.height) - 595.3) < 2  # A4
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    squeezed = text.replace("- ", "").replace(" ", "")
    for header in headers:  # every column, its header intact (words may wrap, not vanish)
        assert header.replace(" ", "").replace("\n", "") in squeezed, header
    for name in ("Wilhelmina", "Sara Jansen", "Youssef El Amrani"):
        assert name.replace(" ", "") in squeezed
    for absent in ("Uitloggen", "Log out", "Nederlands"):              # no navigation
        assert absent not in text


@pytest.mark.parametrize("url", ["/review/signals", "/fidelity/"])
def test_signals_and_fidelity_fit_a_390_px_phone(browser, live_server, team_with_work, url):
    context, page = logged_in_page(browser, live_server, team_with_work, 390, 844)
    response = page.goto(url)
    assert response.status == 200
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate("""() => Array.from(document.querySelectorAll('main *'))
        .filter(e => e.getBoundingClientRect().right > 391 && !e.closest('.table-wrap'))
        .slice(0, 5).map(e => e.tagName + '.' + e.className + '#' + e.id)""")
    context.close()
    assert width <= 390, (width, wide)

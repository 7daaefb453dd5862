"""Accessibility in a real browser: axe-core (from the npm registry, package.json; injected from
its file) finds no WCAG 2.1 A/AA violation on the main pages of every role, at 1280 px and at
390 px (a phone). Pages are filled with realistic data: errors hide in tables and forms."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from caseload.jobs.norm_jobs import daily_evaluation
from tests.conftest import TODAY

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (1280, 390)
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        message = f"no axe-core at {AXE} (npm ci)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text()


@pytest.fixture
def people(build):
    team = build.team("Team Noord")
    worker = build.user(team, name="Wim Werker")
    coordinator = build.user(team, role="coordinator", name="Cora Coördinator")
    admin = build.user(team, role="admin", name="Ada Admin")
    person = build.client(worker, entry=TODAY - build.days(60), code="AX-1")
    other = build.client(worker, entry=TODAY - build.days(10), code="AX-2")
    employer = build.employer("Bakkerij Toegankelijk")
    build.phase(person, "job_finding", on=TODAY - build.days(40))
    build.contact(worker, on=TODAY - build.days(3), client=person, note="Cv besproken")
    build.contact(worker, on=TODAY - build.days(2), kind="employer", client=person,
                  employer=employer)
    build.placement(person, start=TODAY - build.days(10), employer=employer)
    build.disclosure(person, on=TODAY - build.days(30))
    build.benefits_plan(other, on=TODAY - build.days(5))
    build.commit()
    daily_evaluation(TODAY)
    return {"worker": worker, "coordinator": coordinator, "admin": admin, "client": person,
            "employer": employer}


def pages_of(role: str, p) -> list[str]:
    client, employer = p["client"].id, p["employer"].id
    worker_pages = ["/caseload", "/log", f"/clients/{client}", "/employers",
                    f"/employers/{employer}", "/checklist/", "/settings", "/clients/new",
                    f"/records/contact/{_first_contact_id()}/edit"]
    if role == "worker":
        return worker_pages
    if role == "coordinator":
        return ["/caseload?worker=team", "/review/signals", "/team/", "/outcomes/",
                "/fidelity/", "/checklist/", f"/clients/{client}"]
    return ["/admin/users", "/admin/teams", "/admin/norms", "/admin/outbox", "/admin/access-log"]


def _first_contact_id() -> int:
    from sqlalchemy import select

    from caseload.extensions import db
    from caseload.models import Contact
    return db.session.scalar(select(Contact.id).order_by(Contact.id))


def violations(page, axe_source) -> list[dict]:
    page.evaluate(axe_source + "\n;0")
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))", TAGS)
    return result


@pytest.mark.parametrize("role", ["worker", "coordinator", "admin"])
def test_main_pages_have_no_wcag_a_or_aa_violations(browser, live_server, people, axe_source,
                                                    role):
    from tests.builders import Builder
    found = {}
    for width in WIDTHS:
        context = browser.new_context(base_url=live_server,
                                      viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto("/login")
        page.fill("#email", people[role].email)
        page.fill("#password", Builder.PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_selector("header nav")
        for url in pages_of(role, people):
            response = page.goto(url)
            assert response.status == 200, url
            problems = violations(page, axe_source)
            if problems:
                found[f"{url} @ {width}px"] = problems
        context.close()
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)


def test_the_login_page_and_its_errors_have_no_violations(browser, live_server, axe_source):
    context = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 900})
    page = context.new_page()
    page.goto("/login")
    assert violations(page, axe_source) == []
    page.fill("#email", "nobody@example.org")
    page.fill("#password", "wrong")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".has-error")
    assert page.title().startswith(("Fout", "Error"))
    assert page.get_attribute("#password", "aria-invalid") == "true"
    assert violations(page, axe_source) == []
    context.close()


CONTRAST_JS = """() => {
  const lum = c => { const [r, g, b] = c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number).map(v => {
      v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05); };
  const background = e => { for (let n = e.parentElement; n; n = n.parentElement) {
      const c = getComputedStyle(n).backgroundColor;
      if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c; } return 'rgb(255, 255, 255)'; };
  return Array.from(document.querySelectorAll('main input:not([type=hidden]):not([type=checkbox]), main select, main textarea'))
    .map(e => ratio(getComputedStyle(e).borderTopColor, background(e)));
}"""


def test_input_borders_have_a_contrast_of_at_least_3_to_1(page, log_in, build):
    """WCAG 1.4.11 (non-text contrast), which axe does not check: the border against what is
    around the field."""
    team = build.team()
    worker = build.user(team)
    build.client(worker)
    build.commit()
    log_in(worker)
    for url in ("/log", "/clients/new"):
        page.goto(url)
        ratios = page.evaluate(CONTRAST_JS)
        assert ratios and min(ratios) >= 3, (url, min(ratios))

"""A norm is one registered object: every page, mail and the settings form read the registry,
and the texts say the settings in force, never the defaults."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from caseload.jobs.norm_jobs import daily_evaluation
from caseload.norms import NORMS, SETTINGS, STATE_NORMS, WEEKLY_NORMS, NormSettings
from caseload.signal_texts import details, remedy, title
from tests.conftest import TODAY, login

README = Path(__file__).resolve().parents[2] / "README.md"

# Non-default values, chosen so that none equals another setting's default.
ODD = {"rapid_job_search_days": 41, "employer_contacts_per_week": 7,
       "contacts_per_job_seeker": 5, "job_seeker_threshold": 4, "follow_along_start_days": 9,
       "follow_along_first_month_weeks": 6, "follow_along_month_days": 37, "job_loss_days": 8,
       "clients_per_fte": 20, "treatment_team_days": 19}


def norm_section() -> str:
    text = README.read_text()
    start = text.index("## What it checks")
    return text[start:text.index("\n## ", start + 1)]


def test_the_readme_norm_table_lists_exactly_the_registered_norms():
    table = re.findall(r"^\| `([a-z_]+)` \|", norm_section(), re.MULTILINE)
    assert sorted(table) == sorted(NORMS)
    for name, norm in NORMS.items():
        row = next(line for line in norm_section().splitlines()
                   if line.startswith(f"| `{name}` |"))
        assert row.rstrip(" |").endswith(norm.source), name


def test_every_setting_belongs_to_one_norm_with_a_range_around_its_default():
    owned = [s.name for norm in NORMS.values() for s in norm.settings]
    assert sorted(owned) == sorted(SETTINGS) and len(owned) == len(set(owned))
    for setting in SETTINGS.values():
        assert setting.low <= setting.default <= setting.high
    assert set(ODD) == set(SETTINGS)
    assert STATE_NORMS == {"caseload_size"} and WEEKLY_NORMS == {"employer_contacts_weekly"}


def test_settings_refuse_unknown_names_and_changes():
    with pytest.raises(TypeError):
        NormSettings(rapid_job_search_dayz=3)
    settings = NormSettings(rapid_job_search_days=41)
    with pytest.raises(AttributeError):
        settings.rapid_job_search_days = 30
    assert settings.rapid_job_search_days == 41 and NormSettings().rapid_job_search_days == 30


def test_every_signal_text_says_the_settings_in_force(app):
    settings = NormSettings(**ODD)
    with app.test_request_context():
        texts = {name: " ".join((title(name, settings), remedy(name, settings)))
                 for name in NORMS}
    for name, norm in NORMS.items():
        for setting in norm.settings:
            default, odd = str(setting.default), str(ODD[setting.name])
            if name in ("caseload_size", "employer_contacts_weekly") and \
                    setting.name not in ("clients_per_fte", "employer_contacts_per_week"):
                continue  # the per-seeker parts of the weekly norm are in its facts
            assert odd in texts[name], (name, setting.name, texts[name])
            assert not re.search(rf"\b{default}\b", texts[name]), (name, texts[name])


def test_signal_details_render_every_norms_facts(app):
    facts = {"day": 42, "contacts": 3, "norm": 7, "week": "2026-W11", "started_on": "2026-03-01",
             "ended_on": "2026-03-02", "window_start": "2026-03-01", "window_end": "2026-03-07",
             "clients": 22, "capacity": 20, "days": 19, "first_employer_contact_on": "2026-03-03",
             "limit": 9}
    with app.test_request_context():
        for name in NORMS:
            assert details(name, facts, NormSettings(**ODD)), name


def test_pages_show_the_settings_in_force_not_the_defaults(app, build, client):
    """clients_per_fte 20 and 21 clients: the caseload says 20 × 1,0 (Dutch numbers), the signal is open, the
    checklist's capacity is 20; the rapid-job-search title says 41 days."""
    team = build.team()
    coordinator = build.user(team, role="coordinator")
    worker = build.user(team, fte="1.0")
    for n in range(21):
        build.client(worker, entry=TODAY - timedelta(days=60 if n == 0 else 5))
    for key, value in ODD.items():
        build.setting(key, value)
    build.commit()
    daily_evaluation(TODAY)
    login(client, worker)
    page = client.get("/caseload").text
    capacity = re.search(r'id="capacity">\s*(.*?)\s*</p>', page, re.DOTALL).group(1)
    assert capacity.startswith("21 ") and "20 (20 × 1,0 fte)" in capacity  # Dutch numbers (issue 10)
    assert 'class="capacity over"' in page
    assert "41" in page and "(25 ×" not in page        # the rapid-job-search title
    coordinator_view = app.test_client()
    login(coordinator_view, coordinator)
    monday = TODAY - timedelta(days=TODAY.weekday())
    iso = monday.isocalendar()
    checklist = coordinator_view.get(f"/checklist/?week={iso[0]}-W{iso[1]:02d}").text
    assert "21 / 20" in checklist and "/ 25" not in checklist
    assert Decimal(worker.fte) == Decimal("1.0")

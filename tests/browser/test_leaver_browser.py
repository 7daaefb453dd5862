"""A coordinator deactivates a leaver in a real browser and hands the caseload to two colleagues,
client by client; nothing is left without a worker."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from caseload.extensions import db
from caseload.models import Trajectory, User
from tests.conftest import TODAY

pytestmark = pytest.mark.browser


def test_coordinator_deactivates_a_leaver_and_hands_the_caseload_to_two_colleagues(
        page, log_in, build):
    team = build.team("Team Utrecht")
    coordinator = build.user(team, role="coordinator", name="Coco Coördinator")
    leaver = build.user(team, name="Lotte Vertrekt")
    sara = build.user(team, name="Sara")
    youssef = build.user(team, name="Youssef")
    clients = [build.client(leaver, entry=TODAY - timedelta(days=20), code=f"LOTTE-{n}")
               for n in range(3)]
    build.commit()
    ids = [c.open_trajectory.id for c in clients]
    leaver_id = leaver.id

    log_in(coordinator)
    page.goto("/team/")
    page.click(f"a[href='/team/workers/{leaver_id}/handover']")
    page.select_option(f"#to_{ids[0]}", str(sara.id))
    page.select_option(f"#to_{ids[1]}", str(sara.id))
    page.select_option(f"#to_{ids[2]}", str(youssef.id))
    page.fill("#note", "Lotte vertrekt per vandaag")
    page.check("input[name=then][value=deactivate]")
    page.click("#leaver-form button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith("/team/")

    db.session.expire_all()
    holders = [db.session.get(Trajectory, i).worker_id for i in ids]
    assert holders == [sara.id, sara.id, youssef.id]
    assert db.session.get(User, leaver_id).active is False
    assert db.session.scalar(select(Trajectory.id).where(
        Trajectory.worker_id == leaver_id, Trajectory.ended_on.is_(None))) is None
    page.goto(f"/clients/{clients[2].id}")
    history = page.locator("#worker-history").inner_text()
    assert "Lotte Vertrekt" in history and "Youssef" in history
    assert "Lotte vertrekt per vandaag" in history

"""A breach is identified by (norm, subject, anchor); its facts travel with it but do not make
it another breach. Evaluating leaves Python's garbage collector as it found it."""

from __future__ import annotations

import gc
import pickle
from datetime import date

import pytest

from caseload import norms
from caseload.extensions import db
from caseload.norms.breach import Breach, trajectory_breach

ON = date(2026, 3, 18)


def test_a_breach_is_the_same_breach_whatever_its_facts():
    first = trajectory_breach("follow_along_monthly", ON, 7, 3, 11, {"window_start": "2026-03-18"})
    again = trajectory_breach("follow_along_monthly", ON, 7, 3, 11, {"window_start": "2026-02-16"})
    assert first == again and hash(first) == hash(again) and len({first, again}) == 1
    assert first.facts == {"window_start": "2026-03-18"}
    assert first.key == ("follow_along_monthly", "t7p11", ON)
    assert (first.trajectory_id, first.worker_id, first.placement_id) == (7, 3, 11)


def test_breaches_differ_by_subject_anchor_or_the_ids_they_name():
    base = Breach("caseload_size", "w4", ON, worker_id=4)
    assert base != Breach("caseload_size", "w5", ON, worker_id=4)
    assert base != Breach("caseload_size", "w4", date(2026, 3, 19), worker_id=4)
    assert base != Breach("caseload_size", "w4", ON, worker_id=5)
    assert base != ("caseload_size", "w4", ON, None, 4, None, {})
    assert trajectory_breach("job_loss_contact", ON, 7, 3).subject_key == "t7"


def test_a_breach_cannot_be_changed_and_survives_pickling():
    breach = Breach("caseload_size", "w4", ON, worker_id=4, facts={"clients": 30})
    with pytest.raises(AttributeError):
        breach.anchor = date(2026, 1, 1)
    copy = pickle.loads(pickle.dumps(breach))
    assert copy == breach and copy.facts == {"clients": 30} and isinstance(copy, Breach)
    assert Breach("caseload_size", "w4", ON).facts == {}


@pytest.mark.parametrize("enabled", [True, False])
def test_evaluate_leaves_the_garbage_collector_as_it_was(app, enabled):
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        norms.evaluate(ON, session=db.session)
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()

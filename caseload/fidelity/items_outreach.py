"""Computed part of item 25 (assertive engagement and outreach). The scale counts six
strategies: score = 1 for two or fewer, then one point per strategy up to 5 for all six. Four
can be read from the data, two cannot (an integrated team doing the outreach, home visits):
the computed score counts those two as absent, and the coordinator raises it by hand with a
note where the team uses them. Anchors: Appendix 5 of seed 002."""

from __future__ import annotations

from datetime import timedelta

from caseload.fidelity.data import FidelityData
from caseload.fidelity.result import HALF, PRACTICE_SHARE, Fact, ItemResult, pct
from caseload.translating import lazy_gettext as _l

# An attempt and a treatment-team contact "coordinate" when they are at most this far apart;
# an attempt is "unanswered" when no client contact follows within it (the coordinator's list
# of clients not reached uses the same 14 days: caseload/week/agenda.py).
WINDOW_DAYS = 14


def item_25_outreach(d: FidelityData) -> ItemResult:
    """Elements from the data: (1) no trajectory ended in the period within 14 days after an
    unanswered attempt (service does not end for missed appointments); (2) attempts are
    documented: logged in the period at all; (5) of the clients with attempts, (nearly) all had
    treatment-team contact within 14 days of one; (6) of the clients not reached, at least half
    had contact with their family or network."""
    window = timedelta(days=WINDOW_DAYS)

    def client_days(client_id):
        return [day for day, _f2f in d.client_contacts.get(client_id, [])]

    def unanswered(client_id, day):
        return not any(day <= contact <= day + window for contact in client_days(client_id))

    ended = [t for t in d.trajectories if t.ended and d.start <= t.ended <= d.end]
    ended_after_attempt = sum(
        1 for t in ended
        if any(t.ended - window <= day <= t.ended and unanswered(t.client_id, day)
               for day in d.attempts.get(t.client_id, [])))
    with_attempts = [cid for cid, days in d.attempts.items() if days]
    n_attempts = sum(len(days) for days in d.attempts.values())
    coordinated = sum(
        1 for cid in with_attempts
        if any(abs((tt - day).days) <= WINDOW_DAYS
               for day in d.attempts[cid] for tt in d.support_contacts.get((cid, "treatment_team"), [])))
    not_reached = [cid for cid in with_attempts
                   if any(unanswered(cid, day) for day in d.attempts[cid])]
    family = sum(1 for cid in not_reached if d.support_contacts.get((cid, "family")))
    share_coordinated = pct(coordinated, len(with_attempts))
    share_family = pct(family, len(not_reached))
    facts = [
        Fact("attempts", _l("Outreach attempts logged in the period"), n_attempts),
        Fact("clients_with_attempts", _l("Clients with outreach attempts"), len(with_attempts)),
        Fact("ended_after_attempt", _l("Trajectories ended within 14 days of an unanswered "
                                       "attempt"), ended_after_attempt),
        Fact("coordinated_share", _l("Of the clients with attempts, with treatment-team contact "
                                     "within 14 days of one (%)"), share_coordinated),
        Fact("not_reached", _l("Clients not reached within 14 days of an attempt"),
             len(not_reached)),
        Fact("family_share", _l("Of those, with contact with family or network (%)"),
             share_family),
    ]
    if not d.trajectories:
        return ItemResult(25, None, facts, _l("No clients on the caseload in the period."))
    family_relevant_and_done = bool(with_attempts) and (
        not not_reached or share_family >= HALF)  # everyone reached: nobody to ask about
    elements = sum((ended_after_attempt == 0, n_attempts > 0,
                    bool(with_attempts) and share_coordinated >= PRACTICE_SHARE,
                    family_relevant_and_done))
    facts.append(Fact("elements", _l("Strategies shown by the data (of 4 computable)"),
                      elements))
    return ItemResult(25, max(1, elements - 1), facts, _l(
        "Counts the strategies the data show: no ending after unanswered attempts, attempts "
        "documented, coordination with the treatment team (for at least 90 percent of the clients with "
        "attempts), family contacted for at least half of the clients not reached. An "
        "integrated team doing the outreach and home visits are not logged: the computed "
        "score counts them as absent (at most 3); raise it by hand with a note where the team "
        "uses them."))

"""Demo data: a living IPS team so a newcomer sees the system at work at first start.

Deterministic (fixed seed) and relative to `today`, so the demo always looks current.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from caseload.models import (
    BenefitsPlan,
    Client,
    Contact,
    DisclosureDiscussion,
    Employer,
    PhaseChange,
    Placement,
    Team,
    Trajectory,
    User,
    VocationalProfile,
)

DEMO_PASSWORD = "demo-wachtwoord"

EMPLOYERS = [
    ("Albert Heijn Oudwijk", "retail"), ("Bakkerij De Korenschoof", "food"),
    ("Gemeente Utrecht, Stadsbeheer", "public"), ("Fietsenmaker Velo", "repair"),
    ("Hotel Karel V", "hospitality"), ("PostNL sorteercentrum", "logistics"),
    ("Kringloop Het Goed", "retail"), ("Diakonessenhuis, facilitair", "care"),
    ("Hoveniersbedrijf Groen", "gardening"), ("Coolblue magazijn", "logistics"),
    ("Restaurant De Rijn", "hospitality"), ("IT-bedrijf Bitbakker", "IT"),
    ("Schoonmaakbedrijf Glans", "cleaning"), ("Bibliotheek Utrecht", "public"),
    ("Autobedrijf Vermeulen", "automotive"), ("Kinderopvang De Vlinder", "childcare"),
    ("Bouwbedrijf Heijmans", "construction"), ("Drukkerij Zuidam", "printing"),
]
JOB_TITLES = ["vakkenvuller", "medewerker bediening", "magazijnmedewerker", "hovenier",
              "schoonmaker", "fietsenmaker", "baliemedewerker", "administratief medewerker",
              "kok", "chauffeur", "helpdeskmedewerker", "productiemedewerker"]
FIRST_NAMES = ["Anouk", "Bram", "Chantal", "Daan", "Esra", "Fleur", "Gijs", "Hamza", "Iris",
               "Jesse", "Kim", "Lars", "Mila", "Noah", "Olga", "Priya", "Quinten", "Roos", "Sem",
               "Tess", "Umut", "Vera", "Wout", "Yara", "Zeynep"]
LAST_INITIALS = "ABDEGHJKLMNPSTVW"
REFERRERS = ["FACT-team Noord", "FACT-team Oost", "Poli angst en stemming",
             "Vroege psychose team", "Beschermd wonen De Brug"]
CLIENT_NOTES = ["Werkwens besproken", "Cv samen bijgewerkt", "Sollicitatie voorbereid",
                "Voortgang op het werk besproken", "Afspraak gemist, huisbezoek gedaan",
                "Gesprek over werk en slaap", "Reistijd naar werk geoefend"]
EMPLOYER_NOTES = ["Kennismaking, vacatures besproken", "Werkplek bekeken",
                  "Vervolgafspraak over proefplaatsing", "Evaluatie met leidinggevende"]


def create_demo_data(session, *, today: date) -> str:
    rng = random.Random(42)
    team = Team(name="IPS-team Utrecht Noord")
    coordinator = User(email="coordinator@example.org", name="Carla de Coördinator",
                       role="coordinator", fte=Decimal("0.80"), teams=[team])
    workers = [
        User(email="wim@example.org", name="Wim Werkmaat", role="worker", fte=Decimal("1.00"),
             teams=[team]),
        User(email="sara@example.org", name="Sara Smit", role="worker", fte=Decimal("0.80"),
             teams=[team]),
        User(email="youssef@example.org", name="Youssef El Amrani", role="worker",
             fte=Decimal("0.60"), teams=[team]),
    ]
    admin = User(email="admin@example.org", name="Ad Beheer", role="admin", fte=Decimal("0"))
    for user in (coordinator, *workers, admin):
        user.set_password(DEMO_PASSWORD)
        session.add(user)
    employers = [Employer(name=n, sector=s, place="Utrecht", contact_person="") for n, s in EMPLOYERS]
    session.add_all(employers)

    clients_per_worker = {workers[0]: 17, workers[1]: 14, workers[2]: 10}
    number = 0
    for worker, count in clients_per_worker.items():
        for _i in range(count):
            number += 1
            _demo_client(session, rng, number, team, worker, employers, today)
    for worker in workers:
        _general_employer_contacts(session, rng, worker, employers, today)
    # A second team that shares Youssef: each coordinator sees only their own team's part of
    # his caseload (access follows the client's team).
    east = Team(name="IPS-team Utrecht Oost")
    east_coordinator = User(email="coordinator-oost@example.org", name="Olaf Oosterhout",
                            role="coordinator", fte=Decimal("0.50"), teams=[east])
    east_coordinator.set_password(DEMO_PASSWORD)
    workers[2].teams = [team, east]
    session.add_all([east, east_coordinator])
    for east_number in range(1, 5):
        _demo_client(session, rng, east_number, east, workers[2], employers, today,
                     prefix="UTO")
    session.flush()
    for worker in workers:
        _demo_week(session, rng, worker, today)
    session.commit()
    return (f"Demo data created: 2 teams, 2 coordinators, 3 workers (Youssef in both teams), "
            f"{number + 4} clients. Log in as wim@example.org, coordinator@example.org, "
            f"coordinator-oost@example.org or admin@example.org with password "
            f"'{DEMO_PASSWORD}'.")


def _demo_client(session, rng, number, team, worker, employers, today, prefix="UTN"):
    client = Client(client_code=f"{prefix}-{number:04d}",
                    name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_INITIALS)}.",
                    referral_source=rng.choice(REFERRERS), team=team)
    session.add(client)
    entry = today - timedelta(days=rng.randint(3, 320))
    trajectory = Trajectory(client=client, worker=worker, program_entry_date=entry,
                            trajectory_type=rng.choice(["ips_epa", "ips_epa", "ips_cmd"]),
                            funder=rng.choice(["uwv", "municipality"]),
                            # one in seven was in paid work when referred (not from rng: the
                            # rest of the demo data stays as it was)
                            in_work_at_referral=number % 7 == 0)
    session.add(trajectory)
    # Walk the phases at a pace that differs per client; older trajectories got further.
    path = ["intake", "engagement", "assessment", "job_finding", "coaching", "follow_along"]
    day = entry
    reached = []
    # days spent in each phase before the next: IPS moves to job finding fast (rapid search)
    pace = {"intake": (2, 8), "engagement": (4, 12), "assessment": (5, 14),
            "job_finding": (30, 260), "coaching": (40, 160), "follow_along": (0, 0)}
    for phase in path:
        reached.append((phase, day))
        day = day + timedelta(days=rng.randint(*pace[phase]))
        if day > today or phase == "follow_along":
            break
    for phase, on in reached:
        trajectory.phase_changes.append(PhaseChange(phase=phase, changed_on=on, changed_by=worker))
    phases = dict(reached)

    # Weekly-ish client contacts, mostly face-to-face in the community.
    on = entry
    while on <= today:
        mode = rng.choices(["face_to_face", "phone", "text"], [6, 3, 1])[0]
        session.add(Contact(contact_date=on, worker=worker, kind="client", mode=mode,
                            place=rng.choices(["community", "office"], [3, 1])[0],
                            minutes=rng.choice([30, 45, 60, 90]), client=client,
                            client_present=True, note=rng.choice(CLIENT_NOTES)))
        on += timedelta(days=rng.randint(4, 9))
    if "coaching" in phases:  # follow-along: contact on the first day, then weekly
        on = phases["coaching"]
        while on <= today and on <= phases["coaching"] + timedelta(days=35):
            session.add(Contact(contact_date=on, worker=worker, kind="client",
                                mode="face_to_face", place="community", minutes=45,
                                client=client, client_present=True,
                                note="Eerste werkdagen geëvalueerd"))
            on += timedelta(days=rng.randint(5, 7))
    # Treatment-team contact every two weeks or so; some slip.
    on = entry + timedelta(days=rng.randint(0, 7))
    while on <= today:
        session.add(Contact(contact_date=on, worker=worker, kind="treatment_team",
                            mode=rng.choice(["face_to_face", "phone"]), place="office", minutes=30,
                            client=client, note="Multidisciplinair overleg"))
        on += timedelta(days=rng.randint(8, 16))
    if "assessment" in phases:
        session.add(VocationalProfile(
            client=client, preferences="Buiten werken, vaste ritme", experience="Horeca, magazijn",
            skills="Nauwkeurig, handig", strengths="Doorzetter", adjustments="Starten met 16 uur",
            network="Broer werkt in de logistiek"))
        session.add(DisclosureDiscussion(
            client=client, worker=worker, discussed_on=phases["assessment"],
            decision=rng.choice(["not_yet", "no_disclosure", "partial", "full"]),
            note="Voor- en nadelen van openheid besproken"))
        session.add(BenefitsPlan(client=client, offered_by=worker, offered_on=phases["assessment"],
                                 by_benefits_specialist=rng.random() < 0.4,
                                 note="Effect van werk op de uitkering doorgerekend"))
    if "job_finding" in phases:
        # most first employer visits fall within the 30 days; some clients' do not
        on = max(phases["job_finding"], entry + timedelta(days=rng.choice([12, 18, 24, 28, 45])))
        first_visit = on
        while on <= today:
            session.add(Contact(contact_date=on, worker=worker, kind="employer",
                                mode="face_to_face" if on == first_visit else
                                rng.choices(["face_to_face", "phone", "email"], [5, 2, 1])[0],
                                place="community", minutes=rng.choice([30, 45, 60]), client=client,
                                employer=rng.choice(employers), note=rng.choice(EMPLOYER_NOTES)))
            on += timedelta(days=rng.randint(5, 15))
    if "coaching" in phases:
        start = phases["coaching"]
        ended = None
        if rng.random() < 0.25 and (today - start).days > 40:
            ended = start + timedelta(days=rng.randint(20, (today - start).days - 1))
        session.add(Placement(
            trajectory=trajectory, employer=rng.choice(employers),
            job_title=rng.choice(JOB_TITLES), job_type="", placement_type="paid_job",
            start_date=start, end_date=ended,
            end_reason=rng.choice(["contract_ended", "resigned"]) if ended else None,
            hours_per_week=Decimal(rng.choice([12, 16, 20, 24, 32])),
            hourly_wage=Decimal(rng.choice(["14.06", "14.50", "15.20", "16.75"])),
            contract=rng.choice(["temporary_lt6m", "temporary_ge6m", "permanent"]),
            competitive=True))


def _general_employer_contacts(session, rng, worker, employers, today):
    """Job development without a client: 3 to 7 face-to-face employer visits a week."""
    monday = today - timedelta(days=today.weekday()) - timedelta(weeks=16)
    while monday <= today:
        for _i in range(rng.randint(1, 4)):
            on = monday + timedelta(days=rng.randint(0, 4))
            if on > today:
                continue
            session.add(Contact(contact_date=on, worker=worker, kind="employer",
                                mode="face_to_face", place="community", minutes=45,
                                employer=rng.choice(employers),
                                note="Netwerkbezoek, werkgeverswensen verkend"))
        monday += timedelta(weeks=1)


DEMO_PLACES = ["Bibliotheek Centrum", "Koffiebar Stationsplein", "Wijkcentrum De Leeuw",
               "Op kantoor", "Bij de werkgever"]


def _demo_week(session, rng, worker, today):
    """A few appointments this week (one past no-show, which is an outreach attempt) and an
    unanswered call, so My week and the calendar feed have something to show."""
    from datetime import time

    from sqlalchemy import select

    from caseload.models import Appointment, OutreachAttempt
    from caseload.week.agenda import local_moment
    clients = sorted((t.client for t in session.scalars(select(Trajectory).where(
        Trajectory.worker_id == worker.id, Trajectory.ended_on.is_(None)))),
        key=lambda c: c.client_code)
    if len(clients) < 4:
        return
    for offset, client in zip((0, 1, 2, 4), clients):
        day = today + timedelta(days=offset)
        session.add(Appointment.plan(
            worker=worker, client=client, today=today, minutes=45,
            starts_at=local_moment(day, time(rng.choice((9, 10, 11, 14, 15)), 0)),
            location=rng.choice(DEMO_PLACES)))
    missed = Appointment(worker=worker, client=clients[-1], kind="client", mode="face_to_face",
                         place="community", location=DEMO_PLACES[0], minutes=45, status="planned",
                         starts_at=local_moment(today - timedelta(days=2), time(10, 0)))
    session.add(missed)
    session.add(missed.mark_no_show(by=worker, today=today))
    session.add(OutreachAttempt.log(client=clients[-1], worker=worker, today=today,
                                    attempted_on=today - timedelta(days=1),
                                    method="phone_unanswered"))

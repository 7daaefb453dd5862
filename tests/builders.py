"""Small builders for test data; they go through the models' own rules where there are any."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import count

from caseload.models import (
    Absence,
    BenefitsPlan,
    Client,
    Contact,
    DisclosureDiscussion,
    Employer,
    NormSetting,
    Placement,
    Team,
    Trajectory,
    User,
)


class Builder:
    PASSWORD = "correct horse battery"

    def __init__(self, session, today: date):
        self.session = session
        self.today = today
        self._n = count(1)

    def team(self, name: str | None = None) -> Team:
        team = Team(name=name or f"Team {next(self._n)}")
        self.session.add(team)
        self.session.flush()
        return team

    def user(self, team: Team | None = None, *, role: str = "worker", fte: str = "1.0",
             email: str | None = None, name: str | None = None) -> User:
        n = next(self._n)
        user = User(email=email or f"user{n}@example.org", name=name or f"User {n}", role=role,
                    fte=Decimal(fte), teams=[team] if team else [])
        user.set_password(self.PASSWORD)
        self.session.add(user)
        self.session.flush()
        return user

    def client(self, worker: User, *, entry: date | None = None, code: str | None = None,
               team: Team | None = None) -> Client:
        client = Client(client_code=code or f"C-{next(self._n):05d}", name="Test",
                        team=team or worker.teams[0])
        self.session.add(client)
        client.start_trajectory(worker=worker, program_entry_date=entry or self.today,
                                today=self.today)
        self.session.flush()
        return client

    def employer(self, name: str | None = None) -> Employer:
        employer = Employer(name=name or f"Employer {next(self._n)}")
        self.session.add(employer)
        self.session.flush()
        return employer

    def contact(self, worker: User, *, on: date, kind: str = "client", mode: str = "face_to_face",
                client: Client | None = None, employer: Employer | None = None,
                place: str = "community", minutes: int = 30, note: str = "") -> Contact:
        contact = Contact.log(contact_date=on, today=self.today, worker=worker, kind=kind,
                              mode=mode, place=place, minutes=minutes, client=client,
                              employer=employer, note=note)
        self.session.add(contact)
        self.session.flush()
        return contact

    def placement(self, client: Client, *, start: date, employer: Employer | None = None,
                  end: date | None = None) -> Placement:
        trajectory: Trajectory = client.open_trajectory
        placement = Placement.start(trajectory=trajectory, employer=employer or self.employer(),
                                    job_title="Medewerker", start_date=start,
                                    hours_per_week=Decimal("16"), today=self.today)
        placement.end_date = end
        if end:
            placement.end_reason = "contract_ended"
        self.session.add(placement)
        self.session.flush()
        return placement

    def phase(self, client: Client, phase: str, *, on: date) -> None:
        trajectory: Trajectory = client.open_trajectory
        trajectory.change_phase(phase, on=on, by=trajectory.worker, today=self.today)
        self.session.flush()

    def end_trajectory(self, client: Client, *, on: date, reason: str = "moved") -> Trajectory:
        trajectory: Trajectory = client.open_trajectory
        trajectory.end(on=on, reason=reason, today=self.today)
        self.session.flush()
        return trajectory

    def deactivate(self, user: User, *, on: date | None = None) -> None:
        """A leaver: their open trajectories go to their teams' "to be assigned" lists."""
        from caseload.handover import release
        release(self.session, user, team_ids=user.team_ids, on=on or self.today, today=self.today,
                by=None)
        user.active = False
        self.session.flush()

    def transfer(self, client: Client, to: User | None, *, on: date, by: User | None = None,
                 note: str = "") -> None:
        from caseload.handover import hand_over
        hand_over(self.session, [client.open_trajectory], to, on=on, today=self.today, by=by,
                  note=note)
        self.session.flush()

    def absence(self, user: User, *, start: date, end: date,
                cover: User | None = None) -> Absence:
        absence = Absence(user=user, from_date=start, to_date=end, cover=cover)
        self.session.add(absence)
        self.session.flush()
        return absence

    def disclosure(self, client: Client, *, on: date, worker: User | None = None,
                   decision: str = "not_yet") -> DisclosureDiscussion:
        discussion = DisclosureDiscussion(client=client, discussed_on=on, decision=decision,
                                          worker=worker or client.open_trajectory.worker)
        self.session.add(discussion)
        self.session.flush()
        return discussion

    def benefits_plan(self, client: Client, *, on: date,
                      worker: User | None = None) -> BenefitsPlan:
        plan = BenefitsPlan(client=client, offered_on=on,
                            offered_by=worker or client.open_trajectory.worker)
        self.session.add(plan)
        self.session.flush()
        return plan

    def setting(self, key: str, value: int) -> NormSetting:
        setting = NormSetting(key=key, value=value)
        self.session.add(setting)
        self.session.flush()
        return setting

    def commit(self):
        self.session.commit()

    @staticmethod
    def days(n: int) -> timedelta:
        return timedelta(days=n)

"""The client page: everything it shows, and the actions on it that show it again with their
errors. Used by the clients' views and by the other areas whose forms are on the page
(handovers, team moves, outreach attempts)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import BigInteger, Select, bindparam, func, select
from sqlalchemy.orm import joinedload

from caseload import clock
from caseload.access import move_targets, team_workers, visible_client_statement, visible_team_ids
from caseload.clients import forms
from caseload.clients.action_forms import (
    action_html,
    attempt_inner,
    empty_inner,
    inner_html,
    profile_inner,
    trajectory_actions,
)
from caseload.clients.timeline import contact_rows
from caseload.extensions import db
from caseload.forms_common import attach_error, options
from caseload.lazy_text import html
from caseload.models import (
    AccessLogEntry,
    BenefitsPlan,
    Client,
    Contact,
    DisclosureDiscussion,
    DomainError,
    Employer,
    Placement,
    RecordVersion,
    Signal,
    Team,
    Trajectory,
    TrajectoryAssignment,
    User,
    vocab,
)
from caseload.one_round_trip import OneRoundTrip, Read
from caseload.paging import requested_page
from caseload.signal_texts import keep_settings
from caseload.signals import open_signals_query
from caseload.translating import gettext as _
from caseload.unit_of_work import unit_of_work
from caseload.week.agenda import AppointmentLine, client_window, day_bounds


def client_page(client: Client, status: int = 200, **forms_given):
    """The client page, with the forms given (a submission with its errors, `status` 422)
    in place of the empty ones."""
    trajectory = client.open_trajectory
    today = clock.today()
    # The team's workers, where a form offers them (a new trajectory, a coordinator's
    # handover); read first, so that the records below find their people in the session.
    # Whoever else the page names load_missing reads in one statement.
    offers_workers = (trajectory is None or "trajectory_form" in forms_given
                      or current_user.is_coordinator or current_user.is_admin)
    workers = team_workers([client.team_id]) if offers_workers else []
    by_client = {"client_id": client.id}
    # assignments, placements, open signals, a page of contacts, disclosures, benefits plans,
    # the "who looked" list, the norm settings (the signals' texts), the outreach attempts and
    # the appointments: one statement (page_reads)
    kind, asked = contact_request(request.args)
    read = page_reads(bool(kind)).rows(session_connection(), {
        **by_client, **({"kind": kind} if kind else {}),
        "offset": (asked - 1) * CONTACTS_PER_PAGE, "team_ids": visible_team_ids(),
        "trajectory_ids": [t.id for t in client.trajectories],
        **dict(zip(("start", "end"), day_bounds(*client_window(today))))})
    keep_settings(read["settings"])
    assignments = read["assignments"]
    contact_page = contacts_page(client.id, request.args, first=read["contacts"])
    placements = read["placements"]
    disclosures = read["disclosures"]
    benefits = read["benefits"]
    phase_changes = trajectory.phase_changes if trajectory else []
    # held until the page is rendered: the session keeps only weak references
    loaded = load_missing(User, [trajectory.worker_id if trajectory else None]
                          + [c.changed_by_id for c in phase_changes])
    signals = read["signals"]
    viewers = read["viewers"]

    # The action forms that are empty on every view (action_forms.EMPTY_FORMS) are not built
    # here: their markup is written from the kept empty markup, unless a form is given.
    defaults = {}
    if trajectory is None or "trajectory_form" in forms_given:  # shown without a trajectory
        defaults["trajectory_form"] = forms.NewTrajectoryForm(
            program_entry_date=today, formdata=None, worker_id=current_user.id)
    if current_user.is_coordinator or current_user.is_admin:
        from caseload.transfers.forms import HandoverForm, TeamMoveForm
        defaults["handover_form"] = HandoverForm(on=today, formdata=None)
        defaults["handover_form"].set_workers(workers)
        targets = move_targets(client)
        if targets:
            defaults["team_move_form"] = TeamMoveForm(on=today, formdata=None)
            defaults["team_move_form"].set_targets(targets, lambda team: team_workers([team.id]))
    # an open placement's end form: the one sent back, or its kept empty markup
    given_end = forms_given.pop("end_placement_form", None)
    given_id = int(given_end._prefix.split("-")[2]) if given_end is not None else None
    if given_end is not None:
        forms_given["end_placement_form"] = given_end  # names the form that is open
    end_placement_fields = {
        p.id: Markup(inner_html("end_placement_form", given_end, p.id) if p.id == given_id
                     else empty_inner("end_placement_form", today, p.id))
        for p in placements if p.end_date is None}
    defaults.update(forms_given)
    if "trajectory_form" in defaults:
        defaults["trajectory_form"].worker_id.choices = options((w.id, w.name) for w in workers)
    from caseload.corrections import records
    history = (records.history_of_client(client.id) if contact_page.has_versions is not False
               else {})
    deleted = sorted((v[0] for v in history.values() if v[0].action == "delete"),
                     key=lambda v: v.changed_at, reverse=True)
    vocabulary = PageVocabulary()
    rows = contact_rows(contact_page.contacts, vocabulary, history, records.describe)
    profile_form = forms_given.get("profile_form")
    if profile_form is None and client.profile is not None:
        profile_form = forms.ProfileForm(obj=client.profile, formdata=None)
    profile_fields = Markup(profile_inner(profile_form) if profile_form is not None
                            else empty_inner("profile_form", today))
    attempt = forms_given.get("attempt_form")
    attempt_fields = Markup(attempt_inner(attempt) if attempt is not None
                            else empty_inner("attempt_form", today)) if trajectory else None
    open_form = next(iter(forms_given), None)
    open_placement = given_id if open_form == "end_placement_form" else None
    if trajectory is not None:
        actions = trajectory_actions(client.id, defaults, today=today, open_form=open_form)
    else:
        actions = Markup(action_html("trajectory_form", client.id, defaults["trajectory_form"],
                                     open_form=open_form))
    page = render_template(
        "clients/show.html", client=client, trajectory=trajectory, contact_page=contact_page,
        actions=actions,
        end_placement_fields=end_placement_fields, open_placement=open_placement,
        history=history, deleted=deleted,
        describe=records.describe, may_correct=records.may_correct,
        summary=client_summary(client, trajectory, placements, disclosures, benefits, signals),
        placements=placements, disclosures=disclosures, benefits=benefits, profile=client.profile,
        signals=signals, assignments=assignments, viewers=viewers, today=today,
        open_form=open_form, vocab=vocabulary, contact_rows=rows,
        attempt_fields=attempt_fields, profile_fields=profile_fields,
        attempts=read["attempts"],
        appointments=[AppointmentLine.of(row, client) for row in read["appointments"]],
        # the page's own address: a refused form is shown again at its (POST) address
        page_address=url_for("clients.show", client_id=client.id), **defaults)
    del loaded  # the people read for the page, held until it was written
    return page, status


def plain_rows(statement: Select, params: dict) -> list:
    """The rows of a statement of plain columns, read on the session's connection (its
    transaction) without the ORM's result machinery, which a statement of columns does not
    need: the same rows, ~0.035 ms less a statement."""
    return session_connection().execute(statement, params).all()


def session_connection():
    """The session's connection (its transaction), the session flushed first, as its execute
    would (autoflush; nothing is pending on a view)."""
    session = db.session()
    session.flush()
    return session.connection()


@cache
def page_reads(by_kind: bool) -> OneRoundTrip:
    """What the page shows as plain rows, read in one statement (one_round_trip.py; were ten
    statements): the page_statements' assignments, placements, open signals, disclosures,
    benefits plans and viewers, the page of contacts asked for (of one kind), the stored norm
    settings, and the outreach attempts and appointments (week/agenda.py, for the teams and
    the window given). Built once per process."""
    from caseload.models import NormSetting
    from caseload.norms.settings import stored_statement
    from caseload.week.agenda import client_appointments_statement, client_attempts_statement
    statements = page_statements()
    return OneRoundTrip([
        Read("assignments", statements.assignments, order=((2, True), (0, True))),
        Read("placements", statements.placement_rows, order=((6, True), (0, False))),
        Read("signals", statements.signal_rows, order=((5, True), (0, True))),
        Read("contacts", _contact_rows(by_kind), order=((1, True), (0, True))),
        Read("disclosures", statements.disclosures, order=((1, True), (0, False))),
        Read("benefits", statements.benefits, order=((1, True), (0, False))),
        Read("viewers", statements.viewers, order=((1, True), (0, False))),
        Read("settings", stored_statement(NormSetting)),
        Read("attempts", client_attempts_statement(), order=((1, True), (0, True))),
        Read("appointments", client_appointments_statement(), order=((7, False), (0, False))),
    ])


@cache
def page_client() -> Select:
    """The visible-client lookup with what the page shows of every client read in the same
    statement: its trajectories with their phase changes, and its profile (were three lazy
    loads after it, ~0.1-0.4 ms each). Built once per process, as access.py's."""
    return visible_client_statement().options(
        joinedload(Client.trajectories).joinedload(Trajectory.phase_changes),
        joinedload(Client.profile))


@dataclass(frozen=True)
class PageStatements:
    assignments: Select
    placements: Select  # Placement objects (with their employers)
    disclosures: Select
    benefits: Select
    signals: Select  # Signal objects
    viewers: Select
    placement_rows: Select  # what the page shows of placements and signals, as rows
    signal_rows: Select


def _name_of(user_id):
    """The name of the user a record names, read with the record (a scalar subquery)."""
    return select(User.name).where(User.id == user_id).scalar_subquery()


@cache
def page_statements() -> PageStatements:
    """The page's reads of a client's records, built once per process with the client as a
    parameter: SQLAlchemy takes ~0.3 ms to build a statement and its cache key, more than
    most of these take to run. What the page only shows (assignments, disclosures, benefits
    plans) comes as plain rows with the people's and team's names, not as ORM objects."""
    client_id = bindparam("client_id")
    assignment = TrajectoryAssignment
    placements = (
        select(Placement).join(Trajectory).where(Trajectory.client_id == client_id)
        .options(joinedload(Placement.employer, innerjoin=True))
        .order_by(Placement.start_date.desc(), Placement.id))
    signals = open_signals_query(trajectory_ids=bindparam("trajectory_ids", expanding=True))
    return PageStatements(
        assignments=select(
            assignment.id, assignment.worker_id, assignment.from_date, assignment.until,
            assignment.assigned_by_id, assignment.note,
            _name_of(assignment.worker_id).label("worker_name"),
            select(Team.name).where(Team.id == assignment.team_id)
            .scalar_subquery().label("team_name"),
            _name_of(assignment.assigned_by_id).label("assigned_by_name"))
        .join(Trajectory).where(Trajectory.client_id == client_id)
        .order_by(assignment.from_date.desc(), assignment.id.desc()),
        placements=placements,
        disclosures=select(
            DisclosureDiscussion.id, DisclosureDiscussion.discussed_on,
            DisclosureDiscussion.decision, DisclosureDiscussion.note,
            DisclosureDiscussion.worker_id,
            _name_of(DisclosureDiscussion.worker_id).label("worker_name"))
        .where(DisclosureDiscussion.client_id == client_id)
        .order_by(DisclosureDiscussion.discussed_on.desc(), DisclosureDiscussion.id),
        benefits=select(
            BenefitsPlan.id, BenefitsPlan.offered_on, BenefitsPlan.by_benefits_specialist,
            BenefitsPlan.note, BenefitsPlan.offered_by_id,
            _name_of(BenefitsPlan.offered_by_id).label("offered_by_name"))
        .where(BenefitsPlan.client_id == client_id)
        .order_by(BenefitsPlan.offered_on.desc(), BenefitsPlan.id),
        signals=signals,
        # count() rather than count(id) (the key, never null: the same number), so that
        # ix_access_log_client_viewer answers it alone on PostgreSQL too (migration 0038)
        # (named, so that its rows have the same names read alone or with the others)
        viewers=select(AccessLogEntry.user_email, func.max(AccessLogEntry.at).label("last_at"),
                       func.count().label("times"))
        .where(AccessLogEntry.client_id == client_id, AccessLogEntry.outcome == "allowed")
        .group_by(AccessLogEntry.user_email)
        .order_by(func.max(AccessLogEntry.at).desc(), AccessLogEntry.user_email),
        # recorded_by_id: who may correct it (corrections/records.recorder_id: the trajectory's
        # worker for placements from before the recorder was kept)
        placement_rows=placements.with_only_columns(
            Placement.id, Placement.job_title, Placement.placement_type, Placement.hours_per_week,
            Placement.hourly_wage, Placement.contract, Placement.start_date, Placement.end_date,
            Placement.end_reason,
            func.coalesce(Placement.recorded_by_id, Trajectory.worker_id).label("recorded_by_id"),
            select(Employer.name).where(Employer.id == Placement.employer_id)
            .scalar_subquery().label("employer_name")),
        signal_rows=signals.with_only_columns(
            Signal.id, Signal.norm, Signal.facts, Signal.worker_id, Signal.trajectory_id,
            Signal.anchor, Signal.resolved_at),
    )


class PageVocabulary:
    """caseload.models.vocab for one rendering of the page: each vocabulary's labels translated
    once, when the page first names one of them, instead of once per row (twenty contacts named
    their kind, mode and place: sixty translations). The labels are written as the lazy strings
    write themselves (as markup), so the page is the same."""

    def __getattr__(self, name):
        value = getattr(vocab, name)
        if isinstance(value, dict):
            value = {key: html(label) if hasattr(label, "__html__") else label
                     for key, label in value.items()}
        setattr(self, name, value)
        return value


def load_missing(model, ids) -> list:
    """Read the rows of `model` with these ids that the session does not hold yet, in one
    statement (none if it holds them all), so that the records' many-to-one relationships
    (`contact.worker`) are found in the session instead of a statement per relationship.
    The caller holds the list returned while it uses them (the session's references are weak)."""
    from sqlalchemy.orm.util import identity_key
    session = db.session()
    missing = {i for i in ids if i is not None
               and session.identity_map.get(identity_key(model, i)) is None}
    if not missing:
        return []
    return list(session.scalars(select(model).where(model.id.in_(sorted(missing)))))


CONTACTS_PER_PAGE = 20


@dataclass
class ContactPage:
    contacts: list
    kind: str
    page: int
    pages: int
    total: int
    # Whether any record of the client has kept versions (read with the rows; None: not
    # known, on a page without rows), so that a client without corrections costs no history read.
    has_versions: bool | None = None


@cache
def _contact_rows(by_kind: bool) -> Select:
    """A page of a client's contacts (of one kind), built once per process (page_statements)."""
    condition = [Contact.client_id == bindparam("client_id")] + (
        [Contact.kind == bindparam("kind")] if by_kind else [])
    return (
        select(Contact.id, Contact.contact_date, Contact.kind, Contact.mode, Contact.place,
               Contact.minutes, Contact.note, Contact.worker_id, Contact.employer_id,
               select(User.name).where(User.id == Contact.worker_id)
               .scalar_subquery().label("worker_name"),
               select(Employer.name).where(Employer.id == Contact.employer_id)
               .scalar_subquery().label("employer_name"),
               _contact_count(by_kind).scalar_subquery().label("total"),
               select(RecordVersion.id).where(RecordVersion.client_id == bindparam("client_id"))
               .exists().label("has_versions"))
        .where(*condition)
        .order_by(Contact.contact_date.desc(), Contact.id.desc())
        .limit(CONTACTS_PER_PAGE).offset(bindparam("offset", type_=BigInteger)))


@cache
def _contact_count(by_kind: bool) -> Select:
    condition = [Contact.client_id == bindparam("client_id")] + (
        [Contact.kind == bindparam("kind")] if by_kind else [])
    return select(func.count()).select_from(Contact).where(*condition)


def contact_request(args) -> tuple[str, int]:
    """The kind (a known one, or "" for all) and the page of contacts asked for."""
    kind = args.get("kind", "")
    if kind not in vocab.CONTACT_KINDS:
        kind = ""
    return kind, requested_page(args)


def contacts_page(client_id: int, args, first: list | None = None) -> ContactPage:
    """One page of the client's contacts, newest first, optionally of one kind (?kind=&page=),
    as plain rows of what the timeline shows (the worker's and the employer's name read with
    them, no ORM objects), each read from an index (ix_contact_client_date, migration 0027).
    The total comes with the rows of the page asked for (a subquery of the index alone); only
    a page past the end, which has no rows, needs the count first and then the last page.
    `first`: the rows of the page asked for, if already read (page_reads)."""
    kind, asked = contact_request(args)
    params = {"client_id": client_id, **({"kind": kind} if kind else {})}

    def rows(page: int) -> list:
        return plain_rows(_contact_rows(bool(kind)),
                          {**params, "offset": (page - 1) * CONTACTS_PER_PAGE})

    contacts = rows(asked) if first is None else first
    if contacts:  # rows at this offset: the page is within the pages there are
        total, page = contacts[0].total, asked
    else:
        total = (db.session.scalar(_contact_count(bool(kind)), params) or 0) if asked > 1 else 0
        page = min(asked, max(1, -(-total // CONTACTS_PER_PAGE)))
        contacts = rows(page) if page != asked else []
    pages = max(1, -(-total // CONTACTS_PER_PAGE))
    return ContactPage(contacts=contacts, kind=kind, page=page, pages=pages, total=total,
                       has_versions=bool(contacts[0].has_versions) if contacts else None)


def client_summary(client, trajectory, placements, disclosures, benefits, signals) -> dict:
    """What the top of the client page says at a glance."""
    today = clock.today()
    current = next((p for p in placements if p.start_date <= today
                    and (p.end_date is None or p.end_date >= today)), None)
    profile = client.profile
    filled = sum(1 for name in ("preferences", "experience", "skills", "strengths",
                                "adjustments", "network") if profile and getattr(profile, name))
    return {"phase": trajectory.current_phase if trajectory else None,
            "due": [s for s in signals if s.resolved_at is None],
            "placement": current, "profile_filled": filled, "profile_total": 6,
            "disclosure": disclosures[0] if disclosures else None,
            "benefits": benefits[0] if benefits else None}


def apply_form(client: Client, form_name: str, form, action) -> object:
    """Validate, run the model action, commit, redirect; or show the page again with errors."""
    if form.validate_on_submit():
        with unit_of_work(expected=DomainError) as work:
            action(form)
        if work.failed:
            attach_error(form, work.error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("clients.show", client_id=client.id))
    return client_page(client, 422, **{form_name: form})

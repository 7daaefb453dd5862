"""Login sessions held on the server (UserSession): the session cookie carries only a random
key, so logging out, the idle timeout (SESSION_IDLE_MINUTES) and the absolute lifetime
(SESSION_MAX_HOURS) end the session for every copy of the cookie."""

from __future__ import annotations

import functools
import secrets
from datetime import timedelta

from flask import current_app, g, request
from sqlalchemy import bindparam, delete, exists, select, update
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from caseload import clock
from caseload.models import User, UserSession
from caseload.models.logins import digest

# last_seen_at is written at most this often, not on every request.
SEEN_RESOLUTION = timedelta(seconds=60)


def start(db_session, user: User, via: str, nonce: str) -> UserSession:
    """A new login session for user; sets the key that Flask-Login stores (User.get_id).
    `nonce` names the pending login it completes; a second session from it fails (unique)."""
    key = secrets.token_urlsafe(32)
    now = clock.utcnow()
    # The user's sessions past their absolute lifetime are dead: remove them here, so the
    # table holds about one row per login of the last SESSION_MAX_HOURS, without a job.
    lifetime = timedelta(hours=current_app.config["SESSION_MAX_HOURS"])
    db_session.execute(delete(UserSession).where(UserSession.user_id == user.id,
                                                 UserSession.created_at < now - lifetime))
    row = UserSession(key_digest=digest(key), login_digest=digest(nonce), user=user,
                      user_token=user.session_token, via=via, created_at=now, last_seen_at=now,
                      ip=(request.remote_addr or "")[:64],
                      user_agent=(request.headers.get("User-Agent") or "")[:200])
    db_session.add(row)
    db_session.commit()
    user.__dict__["login_key"] = key
    g.user_session = row
    return row


def load(db_session, key: str) -> User | None:
    """The user of a live session, or None. An expired session is ended and its reason kept
    in g.session_ended ("idle" or "absolute") for the page that says so."""
    if not key:
        return None
    found = db_session.execute(_session_by_digest(), {"digest": digest(key)}).unique().first()
    if found is None:
        return None
    row, has_drafts = found
    if row.ended_at is not None:
        return None
    user = row.user
    if not user.active or row.user_token != user.session_token:
        return None
    now = clock.utcnow()
    config = current_app.config
    reason = None
    if now - row.created_at >= timedelta(hours=config["SESSION_MAX_HOURS"]):
        reason = "absolute"
    elif now - row.last_seen_at >= timedelta(minutes=config["SESSION_IDLE_MINUTES"]):
        reason = "idle"
    if reason:
        if a_background_request():
            # A lookup the page sends as the user types (the employer field), or the idle
            # warning's keep-alive, may be the first request after the timeout: refused as
            # any request of an expired session, but the ending is left to the page or form
            # that follows, so that a form sent after it is still kept (drafts). The session
            # cannot be used again either way.
            g.session_expired = reason  # the lookup's answer says a form sent now is kept
            return None
        end(db_session, row)
        g.session_ended = reason
        from caseload import drafts
        drafts.keep_submission(user)  # a form sent just too late is kept for after the login
        return None
    if now - row.last_seen_at >= SEEN_RESOLUTION:
        _touch(db_session, row, now)
    user.__dict__["login_key"] = key
    g.user_session = row
    # Whether the user has kept form drafts at all, read in this request (drafts.take asks
    # the database for one only then; a page that resumes forms is shown on every GET).
    g.user_has_drafts = bool(has_drafts)
    # Who the access log names after the response (audit.py): read now, as a commit in the
    # view expires the user and reading them again would cost a statement of its own.
    g.login_identity = (user, (user.id, user.email, user.role))
    return user


def a_background_request() -> bool:
    """A request a page's script sends, asking for JSON only and sending no form: a lookup as
    the user types, the idle warning's "stay logged in", a security key's steps. Not a page: it
    is answered, never sent on to the login page. A form sent by a script is no background
    request: after a timeout it ends the session and is kept (drafts), as a form sent by the
    browser is."""
    return (request.accept_mimetypes.best == "application/json"
            and request.mimetype not in ("application/x-www-form-urlencoded",
                                         "multipart/form-data"))


@functools.cache
def _session_by_digest():
    """One statement for the session, its user and the user's teams (every page asks for
    team_ids), instead of three lazy loads, and whether the user has form drafts kept (an
    index probe, instead of a statement of its own on every page with a resumable form);
    built once, as every request runs it."""
    from caseload.models import FormDraft
    has_drafts = exists().where(FormDraft.user_id == UserSession.user_id).label("has_drafts")
    return (select(UserSession, has_drafts).where(UserSession.key_digest == bindparam("digest"))
            .options(joinedload(UserSession.user, innerjoin=True).joinedload(User.teams)))


def _touch(db_session, row: UserSession, now) -> None:
    """Write last_seen_at in a short transaction of its own, not by committing the request's
    session: a commit there expires the user and their teams, which the page would then load
    again (three more statements on the first request of every minute)."""
    table = UserSession.__table__
    with db_session.get_bind().begin() as connection:
        connection.execute(update(table).where(table.c.id == row.id).values(last_seen_at=now))
    set_committed_value(row, "last_seen_at", now)


def current() -> UserSession | None:
    return g.get("user_session")


def end(db_session, row: UserSession | None) -> None:
    if row is not None and row.ended_at is None:
        row.ended_at = clock.utcnow()
        db_session.commit()


def keep_after_password_change(db_session, user: User) -> None:
    """The user changed their own password: this session continues, every other one ends
    (their stored token no longer matches the user's new one)."""
    row = current()
    now = clock.utcnow()
    db_session.execute(update(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None),
        UserSession.id != (row.id if row else -1)).values(ended_at=now))
    if row is not None:
        row.user_token = user.session_token
    db_session.commit()


# --- the user's own sessions (Settings > Your sessions) ---

def live_condition(user: User, now):
    """The user's sessions that would still be let in now (not ended, within the idle timeout
    and the absolute lifetime, started under the user's current session token)."""
    from sqlalchemy import and_
    config = current_app.config
    return and_(UserSession.user_id == user.id, UserSession.ended_at.is_(None),
                UserSession.user_token == user.session_token,
                UserSession.created_at > now - timedelta(hours=config["SESSION_MAX_HOURS"]),
                UserSession.last_seen_at > now - timedelta(
                    minutes=config["SESSION_IDLE_MINUTES"]))


def live_sessions(db_session, user: User) -> list[UserSession]:
    """The user's live sessions, the most recently used first."""
    return list(db_session.scalars(
        select(UserSession).where(live_condition(user, clock.utcnow()))
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())))


def end_own(db_session, user: User, session_id: int) -> UserSession | None:
    """End one of the user's other live sessions; None when it is not theirs, not live, or the
    one in use (that one ends by logging out). One conditional update: ending it twice is a
    no-op. Does not commit."""
    row = current()
    if row is not None and row.id == session_id:
        return None
    now = clock.utcnow()
    ended = db_session.execute(
        update(UserSession).where(UserSession.id == session_id, live_condition(user, now))
        .values(ended_at=now).execution_options(synchronize_session=False)).rowcount
    return db_session.get(UserSession, session_id) if ended else None


def end_others(db_session, user: User) -> int:
    """End every live session of the user but the one in use; returns how many. Does not
    commit."""
    row = current()
    now = clock.utcnow()
    return db_session.execute(
        update(UserSession).where(live_condition(user, now),
                                  UserSession.id != (row.id if row else -1))
        .values(ended_at=now).execution_options(synchronize_session=False)).rowcount

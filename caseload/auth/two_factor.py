"""The second factor: TOTP (RFC 6238; an authenticator app) and one-use recovery codes.

A code is accepted in its 30-second step and one step either side (clock drift), and only
once: the last accepted step is stored, and a conditional UPDATE accepts a step only if it is
later, so a code seen over someone's shoulder, or sent twice at once, is refused. Time is an
input (`at`, default clock.utcnow())."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from datetime import datetime

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from flask import current_app
from sqlalchemy import delete, or_, update

from caseload import clock
from caseload.models import RecoveryCode, User
from caseload.models.logins import digest

ISSUER = "Caseload"
DRIFT_STEPS = 1
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
_SEALED = "f1:"


def required_for(user: User) -> bool:
    return user.role in current_app.config.get("TWO_FACTOR_REQUIRED_ROLES", ())


def new_secret() -> str:
    return pyotp.random_base32()


def _fernet() -> Fernet:
    """The key that encrypts stored TOTP secrets, derived from SECRET_KEY: a copy of the
    database (a backup, a dump) without the key yields no codes. Changing SECRET_KEY makes the
    stored secrets unreadable: users then log in with a recovery code, or an administrator
    resets their second factor."""
    material = hashlib.sha256(b"caseload totp secret:" +
                              current_app.config["SECRET_KEY"].encode()).digest()
    return Fernet(base64.urlsafe_b64encode(material))


def _seal(secret: str) -> str:
    return _SEALED + _fernet().encrypt(secret.encode()).decode()


def _unseal(stored: str | None) -> str | None:
    if not stored:
        return None
    if not stored.startswith(_SEALED):
        return stored
    try:
        return _fernet().decrypt(stored[len(_SEALED):].encode()).decode()
    except InvalidToken:
        current_app.logger.warning("a TOTP secret cannot be read (SECRET_KEY changed?)")
        return None


def qr_data_uri(secret: str, email: str) -> str:
    """The enrolment QR code as an SVG data URL (the CSP allows img-src data:)."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)
    return segno.make(uri, error="m").svg_data_uri(scale=4)


def _step_matching(secret: str, code: str, at: datetime) -> int | None:
    code = re.sub(r"\s", "", code or "")
    if not re.fullmatch(r"\d{6}", code):
        return None
    totp = pyotp.TOTP(secret)
    now_step = totp.timecode(at)
    for step in range(now_step - DRIFT_STEPS, now_step + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def confirm_enrolment(db_session, user: User, secret: str, code: str,
                      at: datetime | None = None) -> list[str] | None:
    """Store secret as user's second factor if code comes from it; returns the new recovery
    codes (shown once), or None when the code is wrong."""
    step = _step_matching(secret, code, at or clock.utcnow())
    if step is None:
        return None
    user.totp_secret = _seal(secret)
    user.totp_last_step = step
    return new_recovery_codes(db_session, user)


def verify_code(db_session, user: User, code: str, at: datetime | None = None) -> bool:
    """A TOTP code of user's app not used before, or one of their unused recovery codes."""
    secret = _unseal(user.totp_secret)
    step = _step_matching(secret, code, at or clock.utcnow()) if secret else None
    if step is not None:
        accepted = db_session.execute(update(User).where(
            User.id == user.id,
            or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        ).values(totp_last_step=step).execution_options(synchronize_session=False)).rowcount
        db_session.commit()
        return accepted == 1
    return use_recovery_code(db_session, user, code, at)


def _normalise_recovery_code(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").upper()


def new_recovery_codes(db_session, user: User) -> list[str]:
    """Replace user's recovery codes by RECOVERY_CODES new ones; only their digests are kept."""
    codes = ["".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(12))
             for _ in range(RECOVERY_CODES)]
    db_session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    user.security_keys.clear()
    db_session.add_all(RecoveryCode(user_id=user.id, code_digest=digest(code)) for code in codes)
    return [f"{code[:4]}-{code[4:8]}-{code[8:]}" for code in codes]


def use_recovery_code(db_session, user: User, code: str, at: datetime | None = None) -> bool:
    code = _normalise_recovery_code(code)
    if len(code) != 12:
        return False
    used = db_session.execute(update(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_digest == digest(code),
        RecoveryCode.used_at.is_(None)).values(used_at=at or clock.utcnow())).rowcount
    db_session.commit()
    return used == 1


def reset(db_session, user: User) -> None:
    """An administrator removes user's second factor (lost phone; the app and any security
    keys): the next login enrols again where it is required, and every session of the user
    ends."""
    user.totp_secret = None
    user.totp_last_step = None
    user.session_token = secrets.token_hex(16)
    db_session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    user.security_keys.clear()

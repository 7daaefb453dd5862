"""Password checks that take the same time whether or not the account exists: an unknown
e-mail address, an inactive account or one without a password is checked against a dummy hash
made with the same method, so the answer's timing does not reveal which accounts exist."""

from __future__ import annotations

import secrets

from werkzeug.security import check_password_hash, generate_password_hash

from caseload.models import User
from caseload.models.people import password_hash_method

_dummy_hashes: dict[str, str] = {}


def dummy_hash() -> str:
    method = password_hash_method()
    if method not in _dummy_hashes:
        _dummy_hashes[method] = generate_password_hash(secrets.token_hex(16), method=method)
    return _dummy_hashes[method]


def verify(user: User | None, password: str) -> bool:
    """True when user exists, is active, has a password and password is it. One hash check
    runs in every case."""
    usable = user is not None and user.active and bool(user.password_hash)
    matches = check_password_hash(user.password_hash if usable else dummy_hash(), password)
    return usable and matches

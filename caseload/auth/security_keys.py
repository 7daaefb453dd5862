"""Security keys and passkeys (WebAuthn, through py_webauthn) as a second kind of second factor,
next to the authenticator app. The relying party is CASELOAD_BASE_URL: its host name is the
RP id and its origin the only one accepted. The challenge of a ceremony waits in the session."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import webauthn
from flask import current_app, session
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import InvalidAuthenticationResponse, InvalidRegistrationResponse
from webauthn.helpers.structs import PublicKeyCredentialDescriptor

from caseload import clock
from caseload.models import SecurityKey, User

_CHALLENGE = "webauthn_challenge"


def _relying_party() -> tuple[str, str]:
    parts = urlsplit(current_app.config["BASE_URL"])
    return parts.hostname or "localhost", f"{parts.scheme}://{parts.netloc}"


def registration_options(user: User) -> str:
    rp_id, _origin = _relying_party()
    options = webauthn.generate_registration_options(
        rp_id=rp_id, rp_name="Caseload", user_name=user.email, user_display_name=user.name,
        user_id=str(user.id).encode(),
        exclude_credentials=[PublicKeyCredentialDescriptor(id=base64url_to_bytes(k.credential_id))
                             for k in user.security_keys])
    session[_CHALLENGE] = bytes_to_base64url(options.challenge)
    return webauthn.options_to_json(options)


def register(db_session, user: User, credential: dict, name: str) -> SecurityKey | None:
    """Store the new key if the browser's answer verifies against the pending challenge."""
    rp_id, origin = _relying_party()
    challenge = session.pop(_CHALLENGE, None)
    if not challenge:
        return None
    try:
        verified = webauthn.verify_registration_response(
            credential=json.dumps(credential), expected_challenge=base64url_to_bytes(challenge),
            expected_rp_id=rp_id, expected_origin=origin)
    except (InvalidRegistrationResponse, ValueError, KeyError, TypeError) as error:
        current_app.logger.info("security key refused: %s", error)
        return None
    key = SecurityKey(user_id=user.id, credential_id=bytes_to_base64url(verified.credential_id),
                      public_key=verified.credential_public_key, sign_count=verified.sign_count,
                      name=(name or "").strip()[:60] or "Security key", created_at=clock.utcnow())
    db_session.add(key)
    return key


def authentication_options(user: User) -> str:
    rp_id, _origin = _relying_party()
    options = webauthn.generate_authentication_options(
        rp_id=rp_id,
        allow_credentials=[PublicKeyCredentialDescriptor(id=base64url_to_bytes(k.credential_id))
                           for k in user.security_keys])
    session[_CHALLENGE] = bytes_to_base64url(options.challenge)
    return webauthn.options_to_json(options)


def authenticate(db_session, user: User, credential: dict) -> bool:
    """True if one of user's keys signed the pending challenge. A signature counter that does
    not go up (where the key keeps one) means a cloned key: refused."""
    rp_id, origin = _relying_party()
    challenge = session.pop(_CHALLENGE, None)
    key = next((k for k in user.security_keys if k.credential_id == credential.get("id")), None)
    if not challenge or key is None:
        return False
    try:
        verified = webauthn.verify_authentication_response(
            credential=json.dumps(credential), expected_challenge=base64url_to_bytes(challenge),
            expected_rp_id=rp_id, expected_origin=origin, credential_public_key=key.public_key,
            credential_current_sign_count=key.sign_count)
    except (InvalidAuthenticationResponse, ValueError, KeyError, TypeError) as error:
        current_app.logger.info("security key login refused: %s", error)
        return False
    key.sign_count = verified.new_sign_count
    key.last_used_at = clock.utcnow()
    db_session.commit()
    return True

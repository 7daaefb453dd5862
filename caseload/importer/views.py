"""The import from the web: a coordinator (into their own teams) or an administrator uploads the
CSV files of a folder or one workbook, reads the dry run (exactly what would be added or changed,
per file) and confirms. The dry run changes nothing; the import is all or nothing and checks
everything again, as the files are read anew. Both are in the access log.

Between the dry run and the confirmation the uploaded files wait in the instance folder
(instance/imports/<token>/, private to the server process), for their uploader only; they are
deleted when the import is confirmed or cancelled, and after a day otherwise.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import time
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from caseload import audit
from caseload.forms_common import Form
from caseload.importer import MAX_FILE_BYTES, import_uploads
from caseload.importer.csv_files import columns_of
from caseload.translating import gettext as _

bp = Blueprint("importer", __name__, url_prefix="/import")

KEEP_SECONDS = 24 * 3600
MAX_UPLOAD_BYTES = MAX_FILE_BYTES
TOKEN_BYTES = 24
TOKEN_LENGTH = 32  # secrets.token_urlsafe(24)
TOKEN_CHARACTERS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


class ConfirmForm(Form):
    """CSRF only; the token of the waiting upload is in the URL."""


def _allowed_team_ids() -> set[int] | None:
    """None for an administrator (every team); a coordinator's own teams; others 403."""
    if current_user.is_admin:
        return None
    if current_user.is_coordinator and current_user.team_ids:
        return set(current_user.team_ids)
    abort(403)


def _store() -> Path:
    folder = Path(current_app.config["INSTANCE_DIR"]) / "imports"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _clear_old(store: Path) -> None:
    for waiting in store.iterdir():
        if waiting.is_dir() and time.time() - waiting.stat().st_mtime > KEEP_SECONDS:
            shutil.rmtree(waiting, ignore_errors=True)


def _write_private(path: Path, data: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)


def _waiting(token: str) -> tuple[Path, list[tuple[str, bytes]]]:
    """The uploaded files of `token`, if they are the caller's; 404 otherwise."""
    if len(token) != TOKEN_LENGTH or set(token) - TOKEN_CHARACTERS:
        abort(404)
    folder = _store() / token
    meta_file = folder / "meta.json"
    if not meta_file.is_file():
        abort(404)
    meta = json.loads(meta_file.read_text())
    if meta["user_id"] != current_user.id or time.time() - meta["at"] > KEEP_SECONDS:
        abort(404)
    return folder, [(name, (folder / f"{n}.bin").read_bytes())
                    for n, name in enumerate(meta["names"])]


def _changes_by_file(outcome, present):
    return [(outcome.files[name], outcome.tallies.get(name), outcome.changes.get(name, []))
            for name in present]


def _log(outcome, action: str) -> None:
    """In the access log: the clients the files add or change, and the run itself."""
    audit.record([None, *sorted(outcome.client_ids)], "import", action)


@bp.before_request
def _limits():
    if current_user.is_authenticated:
        _allowed_team_ids()
    request.max_content_length = MAX_UPLOAD_BYTES + 1024 * 1024


def _upload_page(form, status: int):
    return render_template("importer/upload.html", form=form,
                           names=list(columns_of(_today()))), status


@bp.route("/", methods=["GET", "POST"])
@login_required
def upload():
    team_ids = _allowed_team_ids()
    form = ConfirmForm()
    if request.method == "GET":
        return _upload_page(form, 200)
    if not form.validate_on_submit():
        abort(400)
    files = [(f.filename, f.read()) for f in request.files.getlist("files") if f.filename]
    if not files:
        form.form_errors.append(_("Choose the CSV files of a folder, or one Excel workbook."))
        return _upload_page(form, 422)
    outcome, present, ignored = import_uploads(files, dry_run=True, team_ids=team_ids)
    _log(outcome, "dry_run")
    token = None
    if not outcome.problems and present:
        store = _store()
        _clear_old(store)
        token = secrets.token_urlsafe(TOKEN_BYTES)
        folder = store / token
        folder.mkdir(mode=0o700)
        for n, (_name, data) in enumerate(files):
            _write_private(folder / f"{n}.bin", data)
        _write_private(folder / "meta.json", json.dumps({
            "user_id": current_user.id, "at": time.time(),
            "names": [name for name, _data in files]}).encode())
    return render_template("importer/dry_run.html", outcome=outcome, present=present,
                           ignored=ignored, token=token, form=ConfirmForm(formdata=None),
                           by_file=_changes_by_file(outcome, present),
                           names=list(columns_of(_today()))), 200 if token else 422


@bp.route("/<token>/confirm", methods=["POST"])
@login_required
def confirm(token: str):
    team_ids = _allowed_team_ids()
    folder, files = _waiting(token)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    # Claim the upload (an atomic rename), so a second click or tab cannot run it twice.
    claimed = folder.with_name(f"{token}.running")
    try:
        folder.rename(claimed)
    except OSError:
        abort(404)
    try:
        outcome, present, ignored = import_uploads(files, dry_run=False, team_ids=team_ids)
    finally:
        shutil.rmtree(claimed, ignore_errors=True)
    _log(outcome, "import")
    if outcome.problems:  # something changed in Caseload since the dry run
        return render_template("importer/dry_run.html", outcome=outcome, present=present,
                               ignored=ignored, token=None, form=form,
                               by_file=_changes_by_file(outcome, present),
                               names=list(columns_of(_today()))), 409
    return render_template("importer/done.html", outcome=outcome, present=present,
                           by_file=_changes_by_file(outcome, present))


@bp.route("/<token>/cancel", methods=["POST"])
@login_required
def cancel(token: str):
    _allowed_team_ids()
    folder, _files = _waiting(token)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    shutil.rmtree(folder, ignore_errors=True)
    flash(_("Import cancelled; the uploaded files were deleted."), "success")
    return redirect(url_for("importer.upload"))


def _today():
    from caseload import clock
    return clock.today()

"""A user's own settings: language and which mails they receive (the unsubscribe link's target)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from caseload.account.forms import MailSettingsForm
from caseload.extensions import db

bp = Blueprint("account", __name__)


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    form = MailSettingsForm(obj=current_user)
    if form.validate_on_submit():
        form.populate_obj(current_user)
        db.session.commit()
        session["language"] = current_user.language
        flash(_("Saved."), "success")
        return redirect(url_for("account.settings"))
    return render_template("account/settings.html", form=form)

"""The self-assessment form: a score 1–5 for each of the 25 items, with a note. Computed items come
filled in with the computed score; a different score, or a score for an item the data do not
support, needs a note saying why."""

from __future__ import annotations

from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from caseload.fidelity.result import ItemResult
from caseload.fidelity.scale import ITEMS
from caseload.forms_common import Form, options
from caseload.models.base import NOTE_LENGTH
from caseload.translating import lazy_gettext as _l

SCORE_CHOICES = options([("", "—")] + [(str(score), str(score)) for score in range(1, 6)])


def assessment_form_class(results: dict[int, ItemResult]):
    """A form class for this set of computed results (they decide which notes are required)."""

    class AssessmentForm(Form):
        def validate(self, extra_validators=None):
            valid = super().validate(extra_validators)
            for number in ITEMS:
                score, note = self.score(number), self.note(number)
                if not score.data or score.errors:
                    continue
                computed = results.get(number)
                computed_score = computed.score if computed else None
                if note.data and note.data.strip():
                    continue
                if computed_score is None:
                    note.errors.append(_l("Add a note on how you reached this score."))
                    valid = False
                elif int(score.data) != computed_score:
                    note.errors.append(_l("Add a note on why you differ from the computed "
                                          "score."))
                    valid = False
            return valid

        def score(self, number: int):
            return self[f"score_{number}"]

        def note(self, number: int):
            return self[f"note_{number}"]

    for number in ITEMS:
        setattr(AssessmentForm, f"score_{number}", SelectField(
            _l("Score"), choices=SCORE_CHOICES,
            validators=[DataRequired(message=_l("Give a score from 1 to 5."))]))
        setattr(AssessmentForm, f"note_{number}", TextAreaField(
            _l("Note"), validators=[Optional(), Length(max=NOTE_LENGTH)]))
    return AssessmentForm


def computed_defaults(results: dict[int, ItemResult]) -> dict[str, str]:
    return {f"score_{number}": str(result.score)
            for number, result in results.items() if result.score is not None}

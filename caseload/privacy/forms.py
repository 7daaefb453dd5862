from wtforms import SelectField, StringField
from wtforms.validators import DataRequired

from caseload.forms_common import Form, fits, typed_client_code
from caseload.models.clients import Client
from caseload.models.vocab import choices
from caseload.privacy.erase import ERASURE_REASONS, REQUESTABLE_REASONS
from caseload.translating import lazy_gettext as _l


class EraseForm(Form):
    confirm_code = StringField(
        _l("Type the client code to confirm"), filters=[typed_client_code],
        validators=[DataRequired(message=_l("Type the client code to confirm.")),
                    fits(Client.client_code)])
    reason = SelectField(
        _l("Reason"), validate_choice=True,
        choices=choices({token: ERASURE_REASONS[token] for token in REQUESTABLE_REASONS}))

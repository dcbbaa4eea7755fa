"""`Annotated` dependency aliases of the reporting service's routes."""

from typing import Annotated

from instapay_common.security.internal import internal_callers
from instapay_common.security.scopes import REPORTS_READ, ROLE_ADMIN
from instapay_common.security.tokens import Principal, require_role, require_scope
from instapay_common.web.deps import DbDep, ReadSessionDep, SessionDep

# Events arrive from the outbox relays only.
FromRelay = Annotated[str, internal_callers("relay")]
ReportReader = Annotated[Principal, require_scope(REPORTS_READ)]
Admin = Annotated[Principal, require_role(ROLE_ADMIN)]

__all__ = ["Admin", "DbDep", "FromRelay", "ReadSessionDep", "ReportReader", "SessionDep"]

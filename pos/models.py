"""Imports every model module so ``Base.metadata`` knows all tables (Alembic, tests)."""
from pos.approvals import models as approvals_models  # noqa: F401
from pos.auth import models as auth_models  # noqa: F401
from pos.days import models as days_models  # noqa: F401
from pos.db import Base
from pos.fertilizer import models as fertilizer_models  # noqa: F401
from pos.het import models as het_models  # noqa: F401
from pos.inventory import models as stock_models  # noqa: F401
from pos.inventory.catalog import models as catalog_models  # noqa: F401
from pos.inventory.counts import models as counts_models  # noqa: F401
from pos.inventory.receiving import models as receiving_models  # noqa: F401
from pos.ledger import models as ledger_models  # noqa: F401
from pos.limits import models as limits_models  # noqa: F401
from pos.lpg import models as lpg_models  # noqa: F401
from pos.members import models as members_models  # noqa: F401
from pos.members.accounts import models as accounts_models  # noqa: F401
from pos.prices import models as prices_models  # noqa: F401
from pos.reports import models as reports_models  # noqa: F401
from pos.returns import models as returns_models  # noqa: F401
from pos.sales import models as sales_models  # noqa: F401
from pos.settings import models as settings_models  # noqa: F401
from pos.shifts import models as shifts_models  # noqa: F401
from pos.tills import models as tills_models  # noqa: F401

metadata = Base.metadata

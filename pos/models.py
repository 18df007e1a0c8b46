"""Imports every model module so ``Base.metadata`` knows all tables (Alembic, tests)."""
from pos.auth import models as auth_models  # noqa: F401
from pos.inventory import models as inventory_models  # noqa: F401
from pos.inventory import models_counts  # noqa: F401
from pos.inventory import models_receiving  # noqa: F401
from pos.members import models as members_models  # noqa: F401
from pos.sales import models as sales_models  # noqa: F401
from pos.db import Base

metadata = Base.metadata

"""Creates the original Congress database schema in a fresh SQLite file.

The alembic migrations (`congress-db-manage upgrade head`) stop on SQLite at
aabe895bbd4d (ALTER of a constraint, which SQLite cannot do), so the schema is
created from the models at HEAD, as the original's own SQL unit tests do
(congress/tests/base.py SqlTestCase: model_base.BASE.metadata.create_all).
Usage: python create_schema.py --config-file congress.conf
"""
import sys

from congress.common import config

config.init(sys.argv[1:])

from congress.db import api as db_api  # noqa: E402
from congress.db import datasources  # noqa: E402,F401
from congress.db import db_ds_table_data  # noqa: E402,F401
from congress.db import db_library_policies  # noqa: E402,F401
from congress.db import db_policy_rules  # noqa: E402,F401
from congress.db import model_base  # noqa: E402

engine = db_api.get_engine()
model_base.BASE.metadata.create_all(engine)
print('tables: ' + ', '.join(sorted(model_base.BASE.metadata.tables)))

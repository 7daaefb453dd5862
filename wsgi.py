"""What a WSGI server serves: `gunicorn wsgi:app`.

With CASELOAD_EMBEDDED_SCHEDULER=1 (the embedded default of ./scripts/demo) the scheduled jobs
run inside this process; the scheduler lock (a file beside the SQLite database, an advisory lock
on PostgreSQL) makes sure only one of several web workers runs them. In production set it to 0
and run `flask scheduler` as its own process.
"""

import gc
import os

from caseload import create_app

app = create_app()

# What exists now (modules, the app, SQLAlchemy's and Jinja's set-up: ~145,000 objects) lives as
# long as the process: frozen, Python's full garbage collections no longer scan it. A worker's
# full collection then stalls its request for tens of ms instead of 100-350 ms (measured on the
# load run's requests; bench/README.md, "Shared page costs and the load run"); it also keeps
# these objects' memory pages shared where a server forks after loading this module.
gc.freeze()

if os.environ.get("CASELOAD_EMBEDDED_SCHEDULER", "0") == "1":
    from caseload.jobs.scheduler import start_embedded

    start_embedded(app)

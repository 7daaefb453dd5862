"""What a WSGI server serves: `gunicorn wsgi:app`.

With CASELOAD_EMBEDDED_SCHEDULER=1 (the embedded default of ./scripts/demo) the scheduled jobs
run inside this process; the scheduler lock (a file beside the SQLite database, an advisory lock
on PostgreSQL) makes sure only one of several web workers runs them. In production set it to 0
and run `flask scheduler` as its own process.
"""

import os

from caseload import create_app

app = create_app()

if os.environ.get("CASELOAD_EMBEDDED_SCHEDULER", "0") == "1":
    from caseload.jobs.scheduler import start_embedded

    start_embedded(app)

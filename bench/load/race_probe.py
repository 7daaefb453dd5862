"""Probe: several workers save a contact with the same *new* employer at the same moment.

The daily log creates an employer the first time its name is typed
(caseload.models.employers.find_or_create_employer: SELECT, then INSERT when absent). Two
requests that do this at once both see no row and both insert; the unique constraint
uq_employer_name then fails the later commit. This probe makes that happen on purpose:
--rounds times, the first --users workers of the manifest (one team) log in, each loads
/log, and all POST a contact naming "Race BV <run>-<round>" released by one barrier.

PASS: every POST is acknowledged (302), each employer exists once, and every contact is
stored once. Used by run.sh with LOAD_RACE_PROBE=1 against the same gunicorn (127.0.0.1 only).
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadgen import Browser, Inputs, Recorder  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--manifest", required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--users", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    manifest = json.loads(Path(args.manifest).read_text())
    team = manifest["workers"][0]["team_ids"]
    workers = [w for w in manifest["workers"] if w["team_ids"] == team and w["client_ids"]]
    workers = workers[:args.users]
    run = time.strftime("%H%M%S")
    recorder = Recorder(time.monotonic())
    browsers = []
    for worker in workers:
        browser = Browser(args.port, worker["email"], recorder, 30)
        _s, _l, html = browser.request("GET", "/login", "GET /login")
        status, location, _h = browser.request("POST", "/login", "POST /login", {
            "csrf_token": Inputs.of(html)["csrf_token"], "email": worker["email"],
            "password": manifest["password"]})
        if status != 302:
            print(f"login failed for {worker['email']}: {status}")
            return 2
        browsers.append((browser, worker))

    outcomes = Counter()
    sent = []
    for round_ in range(args.rounds):
        name = f"Race BV {run}-{round_}"
        forms = []
        for browser, worker in browsers:
            _s, _l, html = browser.request("GET", "/log", "GET /log")
            inputs = Inputs.of(html)
            form = {"csrf_token": inputs["csrf_token"], "contact_date": inputs["contact_date"],
                    "save": "1"}
            for n in range(5):
                blank = n > 0
                form.update({
                    f"rows-{n}-client": "" if blank else worker["client_codes"][0],
                    f"rows-{n}-kind": "client" if blank else "employer",
                    f"rows-{n}-employer": "" if blank else name,
                    f"rows-{n}-mode": "face_to_face" if blank else "phone",
                    f"rows-{n}-place": "community" if blank else "office",
                    f"rows-{n}-minutes": "" if blank else "30",
                    f"rows-{n}-note": "" if blank else f"race-{run}-{round_}-{worker['email']}"})
            forms.append(form)
        barrier = threading.Barrier(len(browsers))

        def post(browser, form, note):
            barrier.wait()
            status, location, _h = browser.request("POST", "/log", "POST /log", form)
            ok = status == 302 and urlsplit(location).path == "/log"
            outcomes["acknowledged" if ok else f"status {status}"] += 1
            if ok:
                sent.append(note)

        threads = [threading.Thread(target=post, args=(b, f, f["rows-0-note"]))
                   for (b, _w), f in zip(browsers, forms)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    import psycopg
    with psycopg.connect(args.database_url) as connection:
        employers = dict(connection.execute(
            "select name, count(*) from employer where name like %s group by name",
            (f"Race BV {run}-%",)).fetchall())
        stored = Counter(row[0] for row in connection.execute(
            "select note from contact where note like %s", (f"race-{run}-%",)).fetchall())
    duplicates_employer = [n for n, c in employers.items() if c != 1]
    contacts_ok = all(stored[n] == 1 for n in sent) and sum(stored.values()) == len(sent)
    total = args.rounds * len(browsers)
    passed = (outcomes["acknowledged"] == total and len(employers) == args.rounds
              and not duplicates_employer and contacts_ok)
    print(f"race probe: {args.rounds} rounds x {len(browsers)} simultaneous saves naming one new "
          f"employer: {dict(outcomes)}; employers created {len(employers)} "
          f"(duplicates {len(duplicates_employer)}); contacts stored {sum(stored.values())} "
          f"of {len(sent)} acknowledged, exactly once: {contacts_ok}")
    errors = [r for r in recorder.requests if r[5]]
    for row in errors[:3]:
        print(f"  e.g. {row[1]} {row[2]} -> {row[3]}: {row[5][:120]}")
    print(f"RACE PROBE    {'PASS' if passed else 'FAIL'}")
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())

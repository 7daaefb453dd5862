"""Run a function in several threads at the same moment, each in its own app context (its own
database session), as two web workers or two scheduler processes would."""

from __future__ import annotations

import threading


def run_at_once(app, function, times: int = 2, timeout: float = 60) -> list:
    """Call function() in `times` threads released together; return their results, and fail
    with the first error any of them raised."""
    barrier = threading.Barrier(times)
    results, errors = [], []

    def run():
        try:
            with app.app_context():
                barrier.wait(timeout=10)
                results.append(function())
        except BaseException as error:  # noqa: BLE001 - re-raised in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    if errors:
        raise errors[0]
    return results

"""Running the same work from several threads at once, each with its own session."""
from __future__ import annotations

import threading

from lms.errors import AlurError
from lms.extensions import db


def race(app, calls, timeout: float = 60) -> list[str]:
    """Start every call at the same moment in its own thread and app context; each commits.
    Returns "ok" or the AlurError code per call (other exceptions propagate as "crash: ...")."""
    # End the caller's transaction so its next read sees what the threads committed.
    db.session.commit()
    barrier = threading.Barrier(len(calls))
    answers: list[str] = []
    lock = threading.Lock()

    def run(call):
        with app.app_context():
            barrier.wait()
            try:
                call()
                db.session.commit()
                answer = "ok"
            except AlurError as error:
                db.session.rollback()
                answer = error.code
            except Exception as error:  # a crash is a finding, reported in the answers
                db.session.rollback()
                answer = f"crash: {error!r}"
            finally:
                db.session.remove()
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return answers

"""Point the project's Celery app at another broker for one test, and back."""

from contextlib import contextmanager


def _reset_connections(app):
    app._pool = None  # connection pool of the old broker
    app.amqp._producer_pool = None  # producers bound to that pool
    app._local.__dict__.pop("backend", None)  # result backend built from the old setting


@contextmanager
def celery_broker(url, *, result_backend=None):
    from config.celery import app

    saved = {k: app.conf[k] for k in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=url, result_backend=result_backend, task_always_eager=False)
    _reset_connections(app)
    try:
        yield app
    finally:
        app.conf.update(saved)
        _reset_connections(app)

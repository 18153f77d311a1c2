"""Background jobs: the database-backed queue, workers, daily jobs and our system checks.

Jobs are Django tasks (``django_tasks.task``) stored by ``django_tasks_db``; a worker claims
each one with ``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL (an exclusive transaction on
SQLite). Daily jobs are declared with :func:`xxgk.jobs.scheduler.daily`. See docs/jobs.md.
"""

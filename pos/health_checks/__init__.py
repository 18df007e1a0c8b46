"""What could stop the gerai selling, checked in one place: the database and its schema, the
disk, the clock, each till's printer and display, the scale, the ledger queue and the backups.

``run.run`` makes the list of ``check.Check``; ``/healthz`` (``pos.health``), ``pos doctor``
(``cli``) and the manager's home page (``pos.home``) only render it (``report``).
"""

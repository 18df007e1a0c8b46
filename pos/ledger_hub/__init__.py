"""The cooperative's ledger hub: receives the outlets' day and correction documents
(``protocol``), stores them with their journal lines in its own database, and reports on
them (``books``).  Its own tables, app and commands; nothing here imports the outlet's
domains."""

"""The outlet's side of the cooperative ledger: each closed day as a journal in an outbox,
pushed to the ledger hub exactly once."""

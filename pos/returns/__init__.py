"""Returns against a receipt (stock back to its batch or written off, the refund, allowances
given back) and voids before payment."""

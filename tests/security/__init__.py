"""The security suite: routes x roles, CSRF, cookies, headers, lockout, revocation, hostile data,
spreadsheet formulas, parser fuzzing and the ledger hub's refusals (issue 14)."""

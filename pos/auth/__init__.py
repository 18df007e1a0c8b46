"""Staff accounts, PIN login, lockout, idle expiry and role rights."""

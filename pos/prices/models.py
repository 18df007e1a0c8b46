"""Price rules kept in the database."""

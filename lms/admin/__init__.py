"""Programme admin: the pages for accounts and providers, and the hash-chained audit log."""

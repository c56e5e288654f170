"""Accounts: users, roles, providers, sign-up and sign-in, API tokens."""

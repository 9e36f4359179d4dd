"""Accounts and what each caller may see: users, roles, tokens, scope queries."""

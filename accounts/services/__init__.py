"""Services of the accounts app, one module per family: tokens, roles, people (lifecycle)."""

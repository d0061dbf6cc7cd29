"""Rows found and written by their human keys inside a unit's transaction: what several services share.

A service opens the unit's block and passes its Connection here; nothing in this package opens a
transaction, checks a role or imports a service. The stock ledger's own operations are core.ledger.
"""

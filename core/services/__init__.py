"""Use cases: each takes plain values and a session, checks roles and rules, and commits once."""

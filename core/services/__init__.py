"""Use cases: each takes plain values and a unit of work, checks roles and rules, and commits once."""

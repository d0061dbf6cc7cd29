"""The plumbing under the domain: engines, sessions, migrations and the demo seed."""

"""The plumbing under the domain: engines, units, migrations and the demo seed."""

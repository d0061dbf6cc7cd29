"""partsdesk's domain: models, rules, errors, the clock and the services."""

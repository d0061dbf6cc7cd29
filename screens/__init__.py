"""The Textual screens, one per workflow, and the widgets they share; they talk to core services only."""

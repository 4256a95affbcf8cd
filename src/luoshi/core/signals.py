"""Signal receivers of the core app (none yet: services record audit entries explicitly)."""

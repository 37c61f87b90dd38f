"""The commands' bodies, kept apart from click so that they stay small and testable."""

"""Demo data: the seed documents' real cases, demo investors of every type, one user per role."""

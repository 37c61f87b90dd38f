"""Output formats: one module per format, each a pure function from sorted diagnostics to text."""

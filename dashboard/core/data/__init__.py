"""Data files: their columns, reading, checking, loading, seeds, saving and exports."""

"""The organisation over time and among others: comparison, correspondence, portfolio."""

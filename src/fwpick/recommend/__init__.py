"""The quiz and the ranking: pure Python that never prints."""

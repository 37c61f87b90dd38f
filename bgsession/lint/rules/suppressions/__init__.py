"""Findings about bgsession's own suppression comments."""

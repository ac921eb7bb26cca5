"""Every write use case of training, one transaction each (STYLE #1)."""

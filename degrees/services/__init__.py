"""Every write of degrees (STYLE: services write, in one transaction, with history)."""

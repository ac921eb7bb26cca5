"""The registrar's console for degrees: run a class's graduation review, export it, adjust
lines with reasons, record the decision, issue and print diplomas (background job with
progress), replace, revoke, certified copies, the register as XLSX / PDF and the queue of
online requests. Legal rows are read-only here; every write goes through a service.

One module per concern; importing them here registers their ModelAdmins on autodiscovery."""

from degrees.admin import copies, print_jobs, register, review  # noqa: F401

"""Who may do what with degrees, named in one place (STYLE #13).

* The registrar (training office) keeps the register: reviews, decisions, diplomas, copies.
* A learner reads only their own diplomas (someone else's is "not found").
* Anyone may verify one diploma by its token or serial number + date of birth (selectors).
"""

from __future__ import annotations

from vetschool.accounts.roles import is_training_office

__all__ = ["is_training_office"]

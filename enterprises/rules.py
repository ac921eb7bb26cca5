"""Who may do what with partner enterprises, agreements and postings (STYLE #13).

* The registrar (training office, which keeps enterprise relations) and superusers keep
  enterprises, agreements and postings, and approve postings submitted by enterprises.
* QA officers read them (accreditation evidence, the 2222 dashboard).
* Anyone may submit a posting through the public form (rate-limited); it is published only
  when staff approve it.
"""

from vetschool.accounts import roles


def can_manage_enterprises(user) -> bool:
    return user.is_authenticated and (user.is_superuser or roles.is_training_office(user))


def can_read_enterprises(user) -> bool:
    return can_manage_enterprises(user) or (
        user.is_authenticated and roles.has_role(user, roles.QA_OFFICER))

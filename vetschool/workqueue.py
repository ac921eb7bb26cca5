"""Work queues: each staff member's home lists what waits for them, as counts with links.

The platform knows no domain app, so the apps register their parts here from their own
`queues.py` (discovered like `admin.py`, on first use):

* `register_items(queue, order=…)` — a function of the user returning lines of one of the
  role queues of `QUEUES` (the training office's, QA's, HR's): `Item`s, each a count, a
  label and a link to the matching filtered list. Counts come from the app's selectors;
  the function runs only for users the queue applies to.
* `register_page(title, url_name, applies=…)` — an office page (`/office/…`, indicator
  pages) linked from the admin's header and from the work-queue page.
* `register_section_dues(fn)` — `fn(user, sections)` answers, for the teacher's own
  sections, what is due in each (`{section_id: [Item, …]}`), in a constant number of
  queries whatever the number of sections.

The page itself is `vetschool.accounts.views.work_queue` at `/office/` (URL name
`office-home`), the home of the registrar, the QA officer and the HR officer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from vetschool.accounts import roles


@dataclass(frozen=True)
class Item:
    """One line of a queue: `count` things wait, `url` lists them (filtered)."""

    label: str
    count: int | None
    url: str
    text: str = ""  # shown instead of the count (e.g. the age of the oldest change)
    help: str = ""

    @property
    def waiting(self) -> bool:
        return bool(self.count)


@dataclass(frozen=True)
class Queue:
    """A role's queue; its items come from the apps (`register_items`)."""

    key: str
    title: str
    applies: Callable[[object], bool]
    order: int


def _is_qa(user) -> bool:
    return user.is_superuser or roles.has_role(user, roles.QA_OFFICER)


def _is_hr(user) -> bool:
    return user.is_superuser or roles.has_role(user, roles.HR_OFFICER)


OFFICE, QUALITY, STAFF = "office", "quality", "staff"
QUEUES = {
    OFFICE: Queue(OFFICE, _("Training office"), roles.is_training_office, 10),
    QUALITY: Queue(QUALITY, _("Quality assurance"), _is_qa, 20),
    STAFF: Queue(STAFF, _("Staff office"), _is_hr, 30),
}


@dataclass(frozen=True)
class Page:
    title: str
    url_name: str
    applies: Callable[[object], bool]
    order: int = 100
    query: str = ""

    @property
    def url(self) -> str:
        return reverse(self.url_name) + (f"?{self.query}" if self.query else "")


_items: list[tuple[str, int, Callable[[object], list[Item]]]] = []
_pages: list[Page] = []
_section_dues: list[Callable[[object, list], dict[int, list[Item]]]] = []
_discovered = False


def discover() -> None:
    global _discovered
    if not _discovered:
        _discovered = True
        autodiscover_modules("queues")


def register_items(queue: str, *, order: int = 100):
    """`fn(user) -> [Item]` adds lines to `queue` (one of QUEUES), at `order`."""
    if queue not in QUEUES:
        raise ValueError(f"unknown work queue {queue!r}")

    def decorator(fn: Callable[[object], list[Item]]):
        if not any(f is fn for _q, _o, f in _items):
            _items.append((queue, order, fn))
        return fn

    return decorator


def register_page(title, url_name: str, *, applies: Callable[[object], bool],
                  order: int = 100, query: str = "") -> None:
    if not any(p.url_name == url_name for p in _pages):
        _pages.append(Page(title, url_name, applies, order, query))


def register_section_dues(fn):
    if fn not in _section_dues:
        _section_dues.append(fn)
    return fn


def queues_for(user) -> list[tuple[Queue, list[Item]]]:
    """The queues that apply to `user`, each with its items, in their order."""
    discover()
    if not user.is_authenticated:
        return []
    answer = []
    for queue in sorted(QUEUES.values(), key=lambda q: q.order):
        if queue.applies(user):
            items = [item for key, _order, fn in sorted(_items, key=lambda i: i[1])
                     if key == queue.key for item in fn(user)]
            answer.append((queue, items))
    return answer


def has_queue(user) -> bool:
    return user.is_authenticated and any(q.applies(user) for q in QUEUES.values())


def pages_for(user) -> list[Page]:
    """The office pages `user` may open, in their order."""
    discover()
    if not user.is_authenticated:
        return []
    return [p for p in sorted(_pages, key=lambda p: (p.order, str(p.title))) if p.applies(user)]


def section_dues(user, sections: Iterable) -> dict[int, list[Item]]:
    """What is due in each of `sections` (the caller's own sections), by section id."""
    discover()
    sections = list(sections)
    due: dict[int, list[Item]] = {s.pk: [] for s in sections}
    if not sections:
        return due
    for fn in _section_dues:
        for section_id, items in fn(user, sections).items():
            if section_id in due:
                due[section_id].extend(items)
    return due


def age_text(age) -> str:
    """A duration as days and hours (or minutes under an hour), in the active language."""
    minutes = int(age.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)d min") % {"minutes": minutes}


# --- The national sync (a platform app: registered here, not in vetschool/sync) ---------------
@register_items(OFFICE, order=90)
def sync_items(user) -> list[Item]:
    if not user.has_perm("sync.view_dashboard"):
        return []
    from vetschool.sync.selectors import queue_state

    state = queue_state()
    url = reverse("admin:sync_dashboard_changelist")
    age = state["oldest_pending_age"]
    return [
        Item(str(_("Changes refused by the national database")), state["rejected"], url),
        Item(str(_("Oldest change not yet sent")), None, url,
             text=age_text(age) if age is not None else "—",
             help=str(_("Since the first change still waiting to be sent to the national "
                        "database."))),
    ]

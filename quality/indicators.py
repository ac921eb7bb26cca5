"""The Decision 2222 dashboard (REGULATIONS.md §9): every institution-level target the
records can measure, as of a date, each tile computed by the selectors of the page it links
to (staff a1/a2, training b1/b2, the sync ledger c2/d2, the frozen reports d5, online and
blended sections d6, the public services d1, graduate employment).

A tile holds plain values (numerator, denominator, per cent, targets, a trend over the
31 December of past years where the records allow it, and the URL of the records behind).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quality import indicator_selectors, selectors
from staff import indicators as staff_indicators
from staff import selectors as staff_selectors
from training import indicators as training_indicators
from training import selectors as training_selectors
from vetschool.indicators import Share
from vetschool.sync import selectors as sync_selectors

TREND_YEARS = 5


@dataclass(frozen=True)
class Point:
    year: int
    numerator: int
    denominator: int

    @property
    def percent(self) -> Decimal | None:
        return Share(self.denominator, self.numerator).percent


@dataclass(frozen=True)
class Tile:
    code: str
    label: str
    numerator: int
    denominator: int
    target_2025: Decimal | None  # per cent; None where the decision sets none
    target_2030: Decimal | None
    url: str
    note: str = ""
    trend: tuple[Point, ...] = field(default=())

    @property
    def percent(self) -> Decimal | None:
        return Share(self.denominator, self.numerator).percent

    def met(self, target: Decimal | None) -> bool | None:
        if target is None or not self.denominator:
            return None
        return self.numerator * 100 >= target * self.denominator


def _pct(share: Decimal) -> Decimal:
    return (share * 100).quantize(Decimal("1"))


def _with_query(name: str, **params) -> str:
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return reverse(name) + (f"?{urlencode(params)}" if params else "")


def trend_dates(as_of: date, years: int = TREND_YEARS) -> list[date]:
    """31 December of the `years - 1` years before `as_of`'s year, then `as_of` itself."""
    return [date(as_of.year - n, 12, 31) for n in range(years - 1, 0, -1)] + [as_of]


def staff_tiles(as_of: date) -> list[Tile]:
    """a1 and a2 from staff.selectors.indicator_facts + staff.indicators.compute (the staff
    indicators page): the facts are loaded once as of `as_of`; earlier dates are the same
    pure computation on them (facts dated later are not loaded, and not needed)."""
    facts = staff_selectors.indicator_facts(as_of=as_of)
    reports = [(day, staff_indicators.compute(facts, as_of=day)) for day in trend_dates(as_of)]
    labels = {
        staff_indicators.A1: _("Teachers and managers trained in digital skills"),
        staff_indicators.A2: _("Teachers trained to develop digital courseware"),
    }
    targets = {t.year: _pct(t.share) for t in staff_indicators.TARGETS}
    tiles = []
    for indicator in staff_indicators.INDICATORS:
        overall = reports[-1][1].result(indicator.code).overall
        trend = tuple(Point(day.year, r.result(indicator.code).overall.completed,
                            r.result(indicator.code).overall.counted) for day, r in reports)
        tiles.append(Tile(
            indicator.code, str(labels[indicator.code]), overall.completed, overall.counted,
            targets.get(2025), targets.get(2030),
            _with_query("staff:indicators", as_of=as_of.isoformat()), trend=trend))
    return tiles


def program_tiles(as_of: date) -> list[Tile]:
    """b1 and b2 from training.selectors.program_indicator_facts (the program indicators
    page). Program versions keep no history of their status: the figure is today's."""
    facts = training_selectors.program_indicator_facts()
    digital = training_indicators.digital_outcomes(facts)
    it = training_indicators.it_programs_updated(
        facts, reporting_year=as_of.year, years=settings.TRAINING_PROGRAM_UPDATE_YEARS,
        prefixes=settings.TRAINING_IT_OCCUPATION_PREFIXES)
    b1 = {t.year: _pct(t.share) for t in training_indicators.DIGITAL_OUTCOME_TARGETS}
    standing = _pct(training_indicators.IT_UPDATED_TARGETS[0].share)
    note = _("Figure of today: program versions keep no history of their status.")
    url = reverse("training:program-indicators")
    return [
        Tile("b1", str(_("Program versions in force with a digital learning outcome")),
             digital.share.completed, digital.share.counted, b1.get(2025), b1.get(2030),
             url, note=str(note)),
        Tile("b2", str(_("IT programs updated within the last %(years)s years")
                       % {"years": settings.TRAINING_PROGRAM_UPDATE_YEARS}),
             it.share.completed, it.share.counted, standing, standing, url, note=str(note)),
    ]


def sync_tiles(as_of: date) -> list[Tile]:
    """c2 (a nightly push succeeded in the last 7 days) and d2 (diplomas in force issued by
    `as_of` whose current record the national database acknowledged), from the sync ledger."""
    succeeded = sync_selectors.nightly_succeeded_since(days=7)
    diplomas = indicator_selectors.diplomas_issued(as_of=as_of)
    acknowledged = indicator_selectors.diplomas_acknowledged(as_of=as_of)
    return [
        Tile("c2", str(_("Connected to the national VET platform (a nightly sync succeeded "
                         "in the last 7 days)")), int(succeeded), 1,
             Decimal(50), Decimal(100), "",
             note=str(_("Yes or no for this college, as of now."))),
        Tile("d2", str(_("Diplomas issued and acknowledged by the national database")),
             acknowledged.count(), diplomas.count(), Decimal(100), Decimal(100),
             _with_query("quality:dashboard-records", indicator="d2",
                         as_of=as_of.isoformat()),
             note=str(_("Acknowledgement as the ledger holds it today."))),
    ]


def _records_url(indicator: str, as_of: date) -> str:
    return _with_query("quality:dashboard-records", indicator=indicator,
                       as_of=as_of.isoformat())


def _acknowledged_of(rows) -> tuple[int, int]:
    """(acknowledged, all) of an annotated queryset, in one aggregate query."""
    counts = rows.order_by().aggregate(total=Count("pk"),
                                       ok=Count("pk", filter=Q(acknowledged=True)))
    return counts["ok"], counts["total"]


def progress_tiles(as_of: date) -> list[Tile]:
    """d2's other two ratios: enrolments studying whose record the national database
    acknowledged (today's figure), and module results due by `as_of` (learners on the lists
    of sections whose semester has ended) recorded and acknowledged."""
    learners = _acknowledged_of(indicator_selectors.enrolment_rows())
    results = _acknowledged_of(indicator_selectors.result_rows(as_of=as_of))
    ledger = str(_("Acknowledgement as the ledger holds it today."))
    return [
        Tile("d2-learners", str(_("Learners studying whose enrolment and progress the "
                                  "national database acknowledged")),
             *learners, Decimal(100), Decimal(100), _records_url("d2-learners", as_of),
             note=str(_("Figure of today: status and acknowledgement as they are now."))),
        Tile("d2-results", str(_("Module results due that are recorded and acknowledged by "
                                 "the national database")),
             *results, Decimal(100), Decimal(100), _records_url("d2-results", as_of),
             note=ledger),
    ]


def reports_tile(as_of: date) -> Tile:
    """d5: periodic reports due in the 12 months up to `as_of` that were produced in the
    system as frozen statistical reports; the trend gives each past year's."""
    trend = tuple(Point(day.year, len(indicator_selectors.reports_produced(as_of=day)),
                        len(indicator_selectors.reports_due(as_of=day)))
                  for day in trend_dates(as_of))
    return Tile("d5", str(_("Periodic and statistical reports produced in the system")),
                trend[-1].numerator, trend[-1].denominator, Decimal(100), Decimal(100),
                _records_url("d5", as_of),
                note=str(_("Reports due in the 12 months up to the date.")), trend=trend)


def online_tile(as_of: date) -> Tile:
    """d6: yes or no — at least one section taught online or blended in the school year of
    `as_of`; counted only for a high-quality institution (QUALITY_HIGH_QUALITY_INSTITUTION)."""
    offered = indicator_selectors.sections_online(as_of=as_of).exists()
    label = str(_("Programs offered in digital or online form (a section taught online or "
                  "blended this school year)"))
    url = _records_url("d6", as_of)
    if not settings.QUALITY_HIGH_QUALITY_INSTITUTION:
        return Tile("d6", label, int(offered), 0, Decimal(50), Decimal(100), url,
                    note=str(_("Applies to high-quality institutions only; this college is "
                               "not one (setting).")))
    return Tile("d6", label, int(offered), 1, Decimal(50), Decimal(100), url,
                note=str(_("Yes or no for this college.")))


def public_services() -> list[tuple[str, str, bool]]:
    """The college's public services: (name, address, fully online). Kept here because
    they are pages of the system, not records."""
    return [(str(_("Online application for admission")), reverse("enrollment:admissions"),
             True),
            (str(_("Request for a diploma or transcript copy")),
             reverse("degrees-request-new"), True),
            (str(_("Diploma verification")), reverse("degrees-verify"), True)]


def services_tile() -> Tile:
    """d1 (informational): the college's public services that are fully online."""
    services = public_services()
    return Tile("d1", str(_("Public services of the college fully online")),
                sum(online for _name, _url, online in services), len(services),
                Decimal(100), Decimal(100), _records_url("d1", timezone.localdate()),
                note=str(_("Informational: the services are pages of this system.")))


def employment_tile(as_of: date) -> Tile:
    """Graduates employed 12 months after graduation, of those who answered, over graduation
    years up to `as_of`'s year minus one (quality.selectors.employment)."""
    figures = [f for f in selectors.employment() if f.checkpoint == 12]
    by_year: dict[int, list[int]] = {}
    for figure in figures:
        counts = by_year.setdefault(figure.graduation_year, [0, 0])
        counts[0] += figure.employed
        counts[1] += figure.answered
    last = as_of.year - 1
    trend = tuple(Point(year, *by_year.get(year, (0, 0)))
                  for year in range(last - TREND_YEARS + 1, last + 1))
    return Tile("employment", str(_("Graduates employed 12 months after graduation "
                                    "(graduates of %(year)s who answered)") % {"year": last}),
                trend[-1].numerator, trend[-1].denominator, None, None,
                reverse("quality:employment"),
                note=str(_("Not a Decision 2222 target; shown beside them.")), trend=trend)


def dashboard(as_of: date) -> list[Tile]:
    return [*staff_tiles(as_of), *program_tiles(as_of), *sync_tiles(as_of),
            *progress_tiles(as_of), reports_tile(as_of), online_tile(as_of), services_tile(),
            employment_tile(as_of)]

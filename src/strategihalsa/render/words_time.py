"""Swedish words for time in the human-facing formats: when a report was made and its data
fetched (Swedish local time), and when Kolada publishes next."""

from __future__ import annotations

from strategihalsa.model import RunInfo, UnitReport

SWEDISH_ZONE = "Europe/Stockholm"


def generated(timestamp: str, pattern: str = "%Y-%m-%d %H:%M %Z") -> str:
    """'2026-11-23T07:36:29+00:00' → '2026-11-23 08:36 CET': Swedish local time with its
    zone (as given when the time has no zone or Sweden's zone is not installed), written
    with the strftime `pattern`."""
    from datetime import datetime
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        moment = datetime.fromisoformat(timestamp)
        local = moment.astimezone(ZoneInfo(SWEDISH_ZONE)) if moment.tzinfo else moment
    except (ValueError, ZoneInfoNotFoundError):
        return timestamp
    return local.strftime(pattern).strip()


DATA_ORIGINS = {"store": "lokalt lager, sfh sync", "network": "Kolada"}


def data_fetched(run: RunInfo) -> str:
    """'2026-12-04 06:00 CET (lokalt lager, sfh sync)'; '' when unknown."""
    if not run.data_fetched_at:
        return ""
    origin = DATA_ORIGINS.get(run.data_source, run.data_source)
    return f"{generated(run.data_fetched_at)} ({origin})"


def data_as_of(run: RunInfo) -> str:
    """'Data hämtade 2026-12-04 06:00 CET (lokalt lager, sfh sync).'; '' when unknown."""
    return f"Data hämtade {data_fetched(run)}." if run.data_fetched_at else ""


def next_publication(date: str) -> str:
    """'nästa publicering 2026-09-25'; '' when Kolada gives no date."""
    return f"nästa publicering {date}" if date else ""


def publication_day(day: str, today: str) -> str:
    """Kolada's next publication date, '2026-09-25 (passerat)' once it is before `today`
    (both ISO dates): Kolada has published since, and not yet named the next date."""
    if not day:
        return "–"
    return f"{day} (passerat)" if day < today else day


def next_publications(report: UnitReport) -> str:
    """'Nästa publicering i Kolada: 2026-04-15 (N00011, N00012).': the first date after the
    data was fetched, and its key figures; '' when Kolada gives none."""
    fetched = report.run.data_fetched_at[:10]
    dates = {r.kpi.id: r.kpi.publication_date for r in report.results
             if r.kpi and r.kpi.publication_date > fetched}
    if not dates:
        return ""
    first = min(dates.values())
    due = ", ".join(kpi for kpi, day in dates.items() if day == first)
    return f"{next_publication(first).capitalize()} ({due})."

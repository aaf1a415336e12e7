"""`list`, `agencies` and `show`: what the registry says."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

import typer

from remitctl.cli.completion import complete_show
from remitctl.cli.options import JsonOpt, RegistryOpt
from remitctl.cli.session import open_registry, print_json, show, usage_error

if TYPE_CHECKING:
    from remitctl.registry.model import Registry


def list_issues(registry: RegistryOpt = None, json: JsonOpt = False) -> None:
    """Issue types with the aliases officers can type.

    Example: remitctl list
    """
    loaded = open_registry(registry)
    issues = list(loaded.registry.issues.values())
    if json:
        from remitctl.render import json_out

        print_json({"schema": "remitctl/list/v1",
                    "registry": json_out.registry_info(loaded.registry, str(loaded.source.path)),
                    "issues": [json_out.issue_full(i) for i in issues]})
        return
    from remitctl.render import text

    show(text.issue_list(issues))


def agencies(registry: RegistryOpt = None, json: JsonOpt = False) -> None:
    """Agencies and their service lines, with hours and contacts.

    Example: remitctl agencies
    """
    loaded = open_registry(registry)
    reg = loaded.registry
    if json:
        from remitctl.render import json_out

        print_json({"schema": "remitctl/agencies/v1",
                    "registry": json_out.registry_info(reg, str(loaded.source.path)),
                    "agencies": [{"id": a.id, "name": a.name, "kind": a.kind,
                                  "services": [json_out.service_full(reg.services[r])
                                               for r in a.services]}
                                 for a in reg.agencies.values()]})
        return
    from remitctl.render import text

    show(text.agency_list(reg))


def show_entry(
    name: Annotated[list[str], typer.Argument(
        help="An issue (id, title, alias or words), an agency (id or name), a service line "
        "(agency/service) or an area (id or name).", autocompletion=complete_show,
        show_default=False, metavar="NAME...")],
    registry: RegistryOpt = None,
    json: JsonOpt = False,
) -> None:
    """Everything the registry says about an issue type, agency, service line or area, with
    hours in plain words and a weekly timetable.

    Example: remitctl show kingsbridge-cc/noise-patrol

    Example: remitctl show Kingsbridge City Council
    """
    from zoneinfo import ZoneInfo

    from remitctl.render import json_out, text

    loaded = open_registry(registry)
    reg = loaded.registry
    info = json_out.registry_info(reg, str(loaded.source.path))
    wanted = " ".join(name).strip()
    tz = ZoneInfo(reg.timezone)
    today = dt.datetime.now(tz).date()
    monday = today - dt.timedelta(days=today.weekday())
    kind, found = _which(reg, wanted)
    if kind == "service":
        from remitctl.hours.schedule import week_timetable

        service = reg.services[found]
        week = week_timetable(service, tz, monday)
        used_by = [i for i in reg.issues.values()
                   if any(found in refs for refs in i.cover.values())]
        if json:
            print_json({"schema": "remitctl/show/v1", "registry": info, "kind": "service",
                        "service": json_out.service_full(service),
                        "typical_week": _week_json(week),
                        "issues": [i.id for i in used_by]})
            return
        show(text.service_detail(service, reg, week, used_by))
        return
    if kind == "agency":
        agency = reg.agencies[found]
        if json:
            print_json({"schema": "remitctl/show/v1", "registry": info, "kind": "agency",
                        "agency": {"id": agency.id, "name": agency.name, "kind": agency.kind,
                                   "services": [json_out.service_full(reg.services[r])
                                                for r in agency.services]}})
            return
        show(text.agency_detail(agency, reg))
        return
    if kind == "area":
        area = reg.areas[found]
        if json:
            print_json({"schema": "remitctl/show/v1", "registry": info, "kind": "area",
                        "area": {"id": area.id, "name": area.name,
                                 "description": area.description,
                                 "bank_holidays": reg.nation_for(area.id)},
                        "cover": {i.id: list(i.cover_for(area.id))
                                  for i in reg.issues.values()}})
            return
        show(text.area_detail(area, reg))
        return
    from remitctl.cover.lookup import week_of_cover
    from remitctl.cover.search import find_issue

    match = find_issue(reg, wanted)
    issue = match.issue
    if match.ask:
        a, b = match.choice
        usage_error(f"{wanted!r} could mean {a.id} or {b.id}", "ask again with the id you mean")
    if issue is None:
        near = ", ".join(i.id for i in match.suggestions)
        usage_error(f"no issue type, agency, service line or area called {wanted!r}",
                    (f"nearest: {near}; " if near else "") +
                    "see `remitctl list` and `remitctl agencies`")
    weeks = [(text.area_names(reg, group) if group else "every area",
              week_of_cover(reg, issue, area_id, monday))
             for area_id, group in reg.cover_groups(issue)]
    if json:
        print_json({"schema": "remitctl/show/v1", "registry": info, "kind": "issue",
                    "issue": json_out.issue_full(issue),
                    "typical_week": {where: _week_json(week) for where, week in weeks}})
        return
    show(text.issue_detail(issue, reg, weeks))


def _week_json(week: list[tuple[dt.date, list[tuple[str, str, str]]]]) -> list[dict[str, Any]]:
    return [{"day": f"{d:%A}", "spans": [{"from": a, "to": b, "state": s} for a, b, s in spans]}
            for d, spans in week]


def _which(reg: Registry, wanted: str) -> tuple[str, str]:
    """What NAME names: a service line, an agency or an area by id or name (any case, a
    unique prefix); otherwise it is searched for as an issue type."""
    from remitctl.cover.search import find_area, normalise

    if wanted in reg.services:
        return "service", wanted
    if wanted in reg.agencies:
        return "agency", wanted
    if wanted in reg.areas:
        return "area", wanted
    q = normalise(wanted)
    if not q:
        usage_error("show needs a name", "see `remitctl list` and `remitctl agencies`")
    by_name = [a.id for a in reg.agencies.values() if q in (normalise(a.id), normalise(a.name))]
    if len(by_name) == 1:
        return "agency", by_name[0]
    services = [s.ref for s in reg.services.values()
                if q in (normalise(s.ref), normalise(s.name), normalise(s.label))]
    if len(services) == 1:
        return "service", services[0]
    issue_names = {normalise(n) for i in reg.issues.values()
                   for n in (i.id, i.title, *i.aliases)}
    if q not in issue_names:
        area = find_area(reg, wanted)
        if area.area is not None and len(q) >= 3:
            return "area", area.area
        prefix = [a.id for a in reg.agencies.values()
                  if normalise(a.name).startswith(q) or normalise(a.id).startswith(q)]
        if len(prefix) == 1:
            return "agency", prefix[0]
    return "issue", wanted


def register(app: typer.Typer) -> None:
    app.command("list")(list_issues)
    app.command()(agencies)
    app.command("show")(show_entry)

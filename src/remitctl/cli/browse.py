"""`list`, `agencies` and `show`: what the registry says."""

from __future__ import annotations

import typer

from remitctl.cli.options import JsonOpt, RegistryOpt
from remitctl.cli.session import err, open_registry, print_json, show, usage_error


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
    name: str = typer.Argument(..., help="An issue (id, title or alias), an agency id, or a "
                               "service line as agency/service.", show_default=False),
    registry: RegistryOpt = None,
    json: JsonOpt = False,
) -> None:
    """Everything the registry says about an issue type, agency or service line, with hours
    in plain words and a weekly timetable.

    Example: remitctl show kingsbridge-cc/noise-patrol
    """
    import datetime as dt
    from zoneinfo import ZoneInfo

    from remitctl.render import json_out, text

    loaded = open_registry(registry)
    reg = loaded.registry
    info = json_out.registry_info(reg, str(loaded.source.path))
    if name in reg.services:
        from remitctl.hours.schedule import week_timetable

        service = reg.services[name]
        tz = ZoneInfo(reg.timezone)
        today = dt.datetime.now(tz).date()
        week = week_timetable(service, tz, today - dt.timedelta(days=today.weekday()))
        used_by = [i for i in reg.issues.values()
                   if any(name in refs for refs in i.cover.values())]
        if json:
            print_json({"schema": "remitctl/show/v1", "registry": info, "kind": "service",
                        "service": json_out.service_full(service),
                        "typical_week": [{"day": f"{d:%A}", "spans": [
                            {"from": a, "to": b, "state": s} for a, b, s in spans]}
                            for d, spans in week],
                        "issues": [i.id for i in used_by]})
            return
        show(text.service_detail(service, reg, week, used_by))
        return
    if name in reg.agencies:
        agency = reg.agencies[name]
        if json:
            print_json({"schema": "remitctl/show/v1", "registry": info, "kind": "agency",
                        "agency": {"id": agency.id, "name": agency.name, "kind": agency.kind,
                                   "services": [json_out.service_full(reg.services[r])
                                                for r in agency.services]}})
            return
        show(text.agency_detail(agency, reg))
        return
    from remitctl.cover.search import find_issue

    match = find_issue(reg, name)
    if match.issue is None:
        if match.candidates:
            err("remitctl: " + repr(name) + " could mean: " +
                ", ".join(i.id for i in match.candidates))
            raise typer.Exit(2)
        usage_error(f"no issue type, agency or service line called {name!r}",
                    "see `remitctl list` and `remitctl agencies`")
    if json:
        print_json({"schema": "remitctl/show/v1", "registry": info, "kind": "issue",
                    "issue": json_out.issue_full(match.issue)})
        return
    show(text.issue_detail(match.issue, reg))


def register(app: typer.Typer) -> None:
    app.command("list")(list_issues)
    app.command()(agencies)
    app.command("show")(show_entry)

"""`who` and `now`: the officer's questions."""

from __future__ import annotations

import typer

from remitctl.cli.options import AreaOpt, AtOpt, IssueArg, JsonOpt, RegistryOpt
from remitctl.cli.session import (
    check_area,
    find_issue,
    open_registry,
    print_json,
    read_when,
    show,
)

STATUS_ORDER = {"uncovered": 0, "uncertain": 1, "covered": 2}


def who(
    issue: IssueArg,
    at: AtOpt = None,
    area: AreaOpt = None,
    registry: RegistryOpt = None,
    json: JsonOpt = False,
) -> None:
    """Who handles ISSUE right now (or --at a moment): the service, its contact and until when;
    or that nobody does, since when, who is next and who picks it up meanwhile.

    Example: remitctl who "barking dog" --at "sat 23:30" --area north-moor
    """
    from remitctl.cover.lookup import answers_for

    loaded = open_registry(registry)
    reg = loaded.registry
    chosen = find_issue(issue, reg)
    area_id = check_area(area, reg)
    when = read_when(at, reg)
    answers = answers_for(reg, chosen, area_id, when.instant)
    if json:
        from remitctl.render import json_out

        print_json({
            **json_out.lookup_header("remitctl/who/v1", reg, str(loaded.source.path),
                                     when.instant, when.local, when.notes),
            "issue": json_out.issue_brief(chosen),
            "answers": [json_out.answer(a, reg) for a in answers],
        })
        return
    from remitctl.render import text

    show(text.who(answers, reg, when.notes))


def now(
    at: AtOpt = None,
    area: AreaOpt = None,
    registry: RegistryOpt = None,
    json: JsonOpt = False,
) -> None:
    """Every issue type at a glance: covered or not, by whom, until when. Uncovered first.

    Example: remitctl now --area brackenford
    """
    from remitctl.cover.lookup import LOOK_AHEAD, LOOK_BACK, answers_for
    from remitctl.hours.schedule import ScheduleBook

    loaded = open_registry(registry)
    reg = loaded.registry
    area_id = check_area(area, reg)
    when = read_when(at, reg)
    book = ScheduleBook.around(reg, when.instant - LOOK_BACK, when.instant + LOOK_AHEAD)
    answers = [a for issue in reg.issues.values()
               for a in answers_for(reg, issue, area_id, when.instant, book)]
    answers.sort(key=lambda a: STATUS_ORDER[a.status])
    if json:
        from remitctl.render import json_out

        print_json({
            **json_out.lookup_header("remitctl/now/v1", reg, str(loaded.source.path),
                                     when.instant, when.local, when.notes),
            "area": area_id,
            "cover": [{"issue": json_out.issue_brief(a.issue), **json_out.answer(a, reg)}
                      for a in answers],
        })
        return
    from remitctl.render import text

    show(text.now_table(answers, reg, when.instant, when.notes, area_id))


def register(app: typer.Typer) -> None:
    app.command()(who)
    app.command()(now)

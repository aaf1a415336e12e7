"""`who` and `now`: the officer's questions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from remitctl.cli.options import AreaOpt, AtOpt, IssueWords, JsonOpt, RegistryOpt, ShortOpt
from remitctl.cli.places import PlacesOpt, PostcodeOpt, place_json, place_view, read_place
from remitctl.cli.session import (
    EXIT_USAGE,
    err,
    find_match,
    open_registry,
    page,
    print_json,
    read_areas,
    read_when,
    show,
)

if TYPE_CHECKING:
    import datetime as dt

    from remitctl.cover.lookup import CoverAnswer
    from remitctl.cover.search import Match
    from remitctl.hours.schedule import ScheduleBook
    from remitctl.registry.model import Issue, Registry

STATUS_ORDER = {"uncovered": 0, "uncertain": 1, "covered": 2}


def _answers(reg: Registry, issue: Issue, areas: list[str] | None, at: dt.datetime,
             book: ScheduleBook | None = None) -> list[CoverAnswer]:
    from remitctl.cover.lookup import answers_for

    if areas is None:
        return answers_for(reg, issue, None, at, book)
    return [a for area in areas for a in answers_for(reg, issue, area, at, book)]


def who(
    words: IssueWords,
    at: AtOpt = None,
    area: AreaOpt = None,
    short: ShortOpt = False,
    registry: RegistryOpt = None,
    json: JsonOpt = False,
    postcode: PostcodeOpt = None,
    places: PlacesOpt = None,
) -> None:
    """Who handles this right now (or --at a moment): whom to ring and until when; whether
    the issue stays covered and by whom next; or that nobody does, since when, who is next
    and who picks it up meanwhile. Plain words work: remitctl who loud music

    Example: remitctl who barking dog -t "sat 11pm" -a north moor
    """
    loaded = open_registry(registry)
    reg = loaded.registry
    match = find_match(" ".join(words), reg, may_ask=True)
    if match.ask:
        _ask(match, reg, json, at=at, area=area, short=short, registry=registry,
             postcode=postcode)
    chosen = match.issue
    assert chosen is not None
    place = read_place(postcode, area, reg, places)
    if place is not None:
        reg = place.with_nation(reg)
    areas = place.areas_for(chosen) if place else read_areas(area, reg)
    when = read_when(at, reg)
    answers = _answers(reg, chosen, areas, when.instant)
    if json:
        from remitctl.render import json_out

        print_json({
            **json_out.lookup_header("remitctl/who/v1", reg, str(loaded.source.path),
                                     when.instant, when.local, when.notes, when.other),
            "is_now": when.is_now,
            "issue": json_out.issue_brief(chosen),
            "also": [json_out.issue_brief(i) for i in match.runners_up],
            "unmatched_words": list(match.unmatched),
            "threat_to_life": match.danger,
            "answers": [json_out.answer(a, reg) for a in answers],
            **({"place": place_json(place)} if place else {}),
        })
        return
    from remitctl.render import text

    if short:
        show(place_view(place, reg, text.short(answers, reg, when)))
        return
    show(place_view(place, reg, text.who(answers, reg, when, match.runners_up, match.because,
                                         match.unmatched, match.danger)))


def _ask(match: Match, reg: Registry, json: bool, **given: object) -> NoReturn:
    """Two issue types about equally close: ask which (exit 2), with the commands to run."""
    from remitctl.render import choice_text

    flags = {"at": "--at", "area": "--area", "registry": "--registry", "postcode": "--postcode"}
    options: list[str] = []
    for name, flag in flags.items():
        value = given.get(name)
        values = value if isinstance(value, list) else [value] if value else []
        options += [part for v in values for part in (flag, str(v))]
    if given.get("short"):
        options.append("--short")
    if json:
        print_json({"schema": "remitctl/who-choice/v1", "query": match.query,
                    "choice": [{"id": i.id, "title": i.title,
                                "score": match.scores.get(i.id, 0.0),
                                "because": match.because.get(i.id),
                                "command": choice_text.command(i, options)}
                               for i in match.choice]})
    else:
        show(choice_text.choice(match, options))
    a, b = match.choice
    err(f"remitctl: error: {match.query!r} could mean {a.id} or {b.id}: ask again with one "
        "of the commands")
    raise typer.Exit(EXIT_USAGE)


def now(
    at: AtOpt = None,
    area: AreaOpt = None,
    short: ShortOpt = False,
    full: Annotated[bool, typer.Option(
        "--full", help="List the covered issues too, an entry each (default: one summary "
        "line, so that the first screen holds what needs acting on).")] = False,
    detail: Annotated[bool, typer.Option(
        "--detail", help="Every issue in full, as `who` answers it.")] = False,
    no_pager: Annotated[bool, typer.Option(
        "--no-pager", help="Never page long output on a terminal (also PAGER=cat).")] = False,
    registry: RegistryOpt = None,
    json: JsonOpt = False,
    postcode: PostcodeOpt = None,
    places: PlacesOpt = None,
) -> None:
    """Every issue type at a glance: what needs acting on first (nobody covering, or
    uncertain) an entry each, then one line for the covered ones (--full lists them), so
    the first 80x24 screen holds what needs acting on. Long output on a terminal goes
    through $PAGER (less), as git does.

    Example: remitctl now -a brackenford
    """
    from remitctl.cover.lookup import LOOK_AHEAD, LOOK_BACK
    from remitctl.hours.schedule import ScheduleBook

    loaded = open_registry(registry)
    reg = loaded.registry
    place = read_place(postcode, area, reg, places)
    if place is not None:
        reg = place.with_nation(reg)
    areas = place.all_areas() if place else read_areas(area, reg)
    when = read_when(at, reg)
    book = ScheduleBook.around(reg, when.instant - LOOK_BACK, when.instant + LOOK_AHEAD)
    answers = [a for issue in reg.issues.values()
               for a in _answers(reg, issue, place.areas_for(issue) if place else areas,
                                 when.instant, book)]
    answers.sort(key=lambda a: STATUS_ORDER[a.status])
    if json:
        from remitctl.render import json_out

        print_json({
            **json_out.lookup_header("remitctl/now/v1", reg, str(loaded.source.path),
                                     when.instant, when.local, when.notes, when.other),
            "is_now": when.is_now,
            "area": areas[0] if areas and len(areas) == 1 else None,
            "areas": areas,
            "cover": [{"issue": json_out.issue_brief(a.issue), **json_out.answer(a, reg)}
                      for a in answers],
            **({"place": place_json(place)} if place else {}),
        })
        return
    from remitctl.render import text

    if short:
        page(place_view(place, reg, text.short(answers, reg, when, titles=True)), no_pager)
        return
    one = areas[0] if areas and len(areas) == 1 else None
    page(place_view(place, reg, text.now_table(answers, reg, when, one, full=full,
                                               detail=detail)), no_pager)


def register(app: typer.Typer) -> None:
    app.command()(who)
    app.command()(now)

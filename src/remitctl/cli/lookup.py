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

    from rich.console import RenderableType

    from remitctl.cover.area_words import AreaWords
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


def _with_area_line(found: AreaWords | None, reg: Registry,
                    body: RenderableType) -> RenderableType:
    """The answer, headed by the line saying what the question's area words did."""
    if found is None:
        return body
    from rich.console import Group
    from rich.text import Text

    from remitctl.render.area_words import line

    return Group(Text(line(found, reg)), body)


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
    from remitctl.cli.question import area_words

    loaded = open_registry(registry)
    reg = loaded.registry
    place = read_place(postcode, area, reg, places)
    given = None if place else read_areas(area, reg)
    question = " ".join(words)
    in_words = area_words(question, reg, area, place, given)
    match = find_match(in_words.rest if in_words else question, reg, may_ask=True)
    if match.ask:
        named = [in_words.area] if in_words and in_words.area else area
        _ask(match, reg, json, at=at, area=named, short=short, registry=registry,
             postcode=postcode)
    chosen = match.issue
    assert chosen is not None
    if place is not None:
        reg = place.with_nation(reg)
    areas = place.areas_for(chosen) if place else given
    if in_words and in_words.area:
        areas = [in_words.area]
    when = read_when(at, reg)
    answers = _answers(reg, chosen, areas, when.instant)
    if json:
        from remitctl.render import json_out
        from remitctl.render.area_words import as_json as area_json

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
            "area_words": area_json(in_words),
        })
        return
    from remitctl.render import text

    if short:
        body = text.short(answers, reg, when)
    else:
        body = text.who(answers, reg, when, match.runners_up, match.because, match.unmatched,
                        match.danger)
    show(place_view(place, reg, _with_area_line(in_words, reg, body)))


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

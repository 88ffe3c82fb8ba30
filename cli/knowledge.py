"""`negatives knowledge`: browse the exercises, lifts, pairings and methods the system knows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from negatives.cli.errors import guarded
from negatives.cli.options import rule_options
from negatives.engine.infer.workspace import knowledge_dir
from negatives.engine.model.browse import LISTINGS, Item, matches
from negatives.engine.model.kbread import load_knowledge


def _source(source: dict[str, Any]) -> str:
    if source.get("quote"):
        return f"{source['id']}: “{source['quote']}”"
    return f"{source['id']}: {source['note']}" if source.get("note") else str(source["id"])


def _details(kind: str, item: Item) -> list[str]:
    if kind == "exercises":
        traits = [item["pattern"], item["laterality"],
                  "compound" if item["compound"] else "single-joint",
                  "can be spotted" if item["spottable"] else "cannot be spotted"]
        return [f"muscles: {', '.join(item['muscles'])}",
                f"equipment: {', '.join(item['equipment']) or 'none'}", ", ".join(traits)]
    if kind == "lifts":
        return [f"muscles: {', '.join(item['muscles'])}", item["pattern"]]
    if kind == "pairings":
        return [f"{item['concentric']} up, {item['eccentric']} down ({item['method']}, "
                f"{item['target']})"]
    params = [f"  {name}: {p['value']}" + (f" ({p['unit']})" if p["unit"] else "")
              for name, p in item["parameters"].items()]
    return [item["summary"], f"partner needed: {'yes' if item['needs_partner'] else 'no'}",
            "parameters:" if params else "parameters: none", *params]


def to_text(kind: str, items: list[Item], total: int) -> str:
    lines = []
    for item in items:
        aliases = f" (also: {', '.join(item['aliases'])})" if item.get("aliases") else ""
        lines.append(f"{item['name']}{aliases}")
        lines += [f"  {d}" for d in _details(kind, item)]
        lines.append(f"  source: {_source(item['source'])}")
    lines.append(f"{len(items)} of {total} {kind}")
    return "\n".join(lines) + "\n"


@click.command("knowledge")
@click.argument("kind", type=click.Choice(list(LISTINGS)))
@click.argument("words", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@rule_options
@guarded
def knowledge_command(kind: str, words: tuple[str, ...], fmt: str, rules: Path | None,
                      knowledge: Path | None) -> None:
    """List the exercises, lifts, pairings or methods: names, aliases, muscles, sources.

    WORDS keep the entries whose names, aliases, muscles or equipment hold every word, e.g.
    `negatives knowledge exercises dumbbell press`.
    """
    every = LISTINGS[kind](load_knowledge(knowledge_dir(knowledge)))
    items = [i for i in every if matches(i, " ".join(words))]
    if fmt == "json":
        click.echo(json.dumps({kind: items}, indent=2, ensure_ascii=False))
    else:
        click.echo(to_text(kind, items, len(every)), nl=False)

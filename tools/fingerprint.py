"""Build knowledge/fingerprints.yaml: word n-gram hashes of each article, never the articles."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import LiteralScalarString

from negatives.engine.authoring.quotes import fingerprint
from negatives.engine.load.yamlio import load, to_plain

HEADER = """\
# Fingerprints of the source articles, built by tools/fingerprint.py from their text (which is not
# shipped): per source, the sorted hashes (blake2b, 4 bytes) of every run of `n` words of the
# normalized text. `negatives rules check` checks each quote against them. Do not edit by hand;
# rerun `python tools/fingerprint.py SOURCES_DIR` when a source text changes.
"""


MODELINE = "# yaml-language-server: $schema=../engine/schemas/knowledge.schema.json\n"


def _wrap(hashes: str, width: int = 90) -> str:
    parts, line = [], ""
    for h in hashes.split():
        if line and len(line) + 9 > width:
            parts.append(line)
            line = ""
        line = f"{line} {h}" if line else h
    return "\n".join([*parts, line])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sources_dir", type=Path, help="folder holding the articles' text files")
    parser.add_argument("--knowledge", type=Path, default=Path("knowledge"))
    args = parser.parse_args(argv)
    sources = to_plain(load(args.knowledge / "sources.yaml").data)["sources"]
    entries = []
    for source in sources:
        path = args.sources_dir / source.get("file", "")
        if "file" not in source or not path.is_file():
            continue
        fp = fingerprint(source["id"], path.read_text(encoding="utf-8"))
        fp["grams"] = LiteralScalarString(_wrap(str(fp["grams"])))
        entries.append(fp)
    if not entries:
        print(f"no source texts found in {args.sources_dir}", file=sys.stderr)
        return 2
    out = args.knowledge / "fingerprints.yaml"
    yaml = YAML()
    yaml.width = 100
    with out.open("w", encoding="utf-8") as f:
        f.write(HEADER)
        yaml.dump({"fingerprints": entries}, f)
        f.write(MODELINE)
    print(f"{out}: {', '.join(str(e['source']) for e in entries)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

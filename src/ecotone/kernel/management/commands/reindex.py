"""``ecotone reindex [SOURCE ...]``: rebuild the search index from the apps' current rows.

ecotone reindex              every source that can be rebuilt
ecotone reindex skills       one source (names: ``ecotone reindex --list``)

Each source is rebuilt in one transaction, so searches see the old index until the new one is
complete. Needed after an import that bypassed the services, or to index existing rows.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from ecotone.kernel import search


class Command(BaseCommand):
    help = "Rebuild the full-text search index of every source, or of the sources named."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("sources", nargs="*", help="source names (default: all)")
        parser.add_argument("--list", action="store_true", help="list the sources and stop")

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console(file=self.stdout, highlight=False)  # type: ignore[arg-type]
        rebuildable = [source for source in search.sources() if source.documents is not None]
        if options["list"]:
            for source in search.sources():
                kind = "live" if source.live else "indexed"
                console.print(f"{source.name}\t{source.label}\t{kind}")
            return
        names = options["sources"] or [source.name for source in rebuildable]
        known = {source.name for source in rebuildable}
        unknown = [name for name in names if name not in known]
        if unknown:
            raise CommandError(
                f"Cannot reindex {', '.join(unknown)}; sources: {', '.join(sorted(known))}."
            )
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as progress:
            for name in names:
                source = search.get_source(name)
                assert source.documents is not None
                documents = list(source.documents())
                task = progress.add_task(source.label, total=len(documents))

                def advance(n: int, task: TaskID = task) -> None:
                    progress.advance(task, n)

                count = search.reindex(name, documents=documents, progress=advance)
                progress.update(task, completed=count)
        console.print(f"Reindexed {len(names)} source(s).")

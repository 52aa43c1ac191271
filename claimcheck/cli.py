"""The ``claimcheck`` command: commands, their options and how their answers are printed.

The work happens in a backend (``claimcheck.backends``): the local data directory in this
process, or with ``--url`` (``CLAIMCHECK_URL``) a running service. Tables and results go to
stdout, the progress bar and failures to stderr. Exit codes: 0 when everything asked for was
done, 1 when anything failed (a document not ingested, an unknown id, the service unreachable or
refusing the key), 2 for a usage error.

``claimcheck --help`` stays fast: this module imports only typer; the backends, rich and the
models' packages are imported inside the commands that need them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from claimcheck.backends import Backend, Json, Outcome
    from claimcheck.inputs import Failure, Item
    from claimcheck.shards import Piece

# The bounds of a check in the v1 contract (``claimcheck.requests``; not imported here: it loads spaCy).
MAX_CLAIM_CHARS = 2000
MAX_LIMIT = 50
MAX_PAGE = 500
PIPED_WIDTH = 120

app = typer.Typer(
    name="claimcheck",
    help=(
        "Find which indexed sentences support a claim, who carries them, and whether each reports "
        "it as an allegation.\n\n"
        "Commands work on the local data directory ($CLAIMCHECK_DATA, default ./data), or with "
        "--url ($CLAIMCHECK_URL) on a running service; writes to a service send $CLAIMCHECK_API_KEY."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: rich's help formatting would double --help's start-up time
)
documents_app = typer.Typer(
    help="List, show or delete indexed documents.", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(documents_app, name="documents")


@dataclass
class State:
    """What the top-level options set for a command; ``open_local`` lets tests hand in their checker."""

    url: str | None = None
    open_local: Callable[[], Backend] | None = None


UrlOption = Annotated[
    str | None,
    typer.Option(
        "--url",
        metavar="URL",
        help="A running service (http://host:port) instead of the local data directory.",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the API's JSON answer instead of a table.")]


@app.callback()
def _main(
    ctx: typer.Context,
    url: Annotated[
        str | None,
        typer.Option(
            "--url",
            envvar="CLAIMCHECK_URL",
            metavar="URL",
            help="A running service (http://host:port) instead of the local data directory.",
            show_default=False,
        ),
    ] = None,
) -> None:
    state = ctx.obj if isinstance(ctx.obj, State) else State()
    ctx.obj = State(url=url or state.url, open_local=state.open_local)


@contextmanager
def _backend(ctx: typer.Context, url: str | None) -> Iterator[Backend]:
    """The backend a command runs on; a :class:`BackendError` becomes its message and exit 1."""
    from claimcheck.backends import BackendError, LocalBackend, RemoteBackend

    state = ctx.find_object(State) or State()
    target = url or state.url
    try:
        if target:
            backend: Backend = RemoteBackend(target, os.environ.get("CLAIMCHECK_API_KEY"))
        else:
            with _stderr().status("Loading the models and the index…"):
                backend = (state.open_local or LocalBackend.open)()
    except BackendError as error:
        _fail(str(error))
    try:
        yield backend
    except BackendError as error:
        _fail(str(error))
    finally:
        backend.close()


def _fail(message: str) -> NoReturn:
    _stderr().print(f"[bold red]error:[/] {_escape(message)}")
    raise typer.Exit(1)


def _stdout() -> Console:
    """Tables at the terminal's width; piped (no terminal), at $COLUMNS or 120 rather than rich's 80."""
    from rich.console import Console

    piped = not sys.stdout.isatty() and not os.environ.get("COLUMNS")
    return Console(highlight=False, width=PIPED_WIDTH if piped else None)


def _stderr() -> Console:
    """Messages, one line each however long (a log reader greps them), and the progress bar."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _print_json(value: Any) -> None:
    import msgspec

    sys.stdout.write(msgspec.json.format(msgspec.json.encode(value), indent=2).decode() + "\n")


# -- serve ----------------------------------------------------------------------------------------


@app.command()
def serve(
    host: Annotated[
        str, typer.Option(envvar="HOST", metavar="HOST", help="Address to listen on.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(envvar="PORT", metavar="PORT", help="Port to listen on.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            envvar="WORKERS", metavar="N", min=1, help="Processes; each loads its own models and index."
        ),
    ] = 1,
) -> None:
    """Run the HTTP API over the local data directory.

    The data directory is $CLAIMCHECK_DATA (default ./data); an empty one first gets the seed
    articles ($CLAIMCHECK_SEEDS, default ./seeds).
    """
    from claimcheck.startup import serve as run
    from claimcheck.vectorspace import EncoderMismatchError

    try:
        run(host, port, workers)
    except EncoderMismatchError as error:
        _fail(str(error))


# -- ingest ---------------------------------------------------------------------------------------


@app.command()
def ingest(
    ctx: typer.Context,
    paths: Annotated[
        list[Path],
        typer.Argument(
            exists=True,
            metavar="PATH",
            show_default=False,
            help="Files or folders: .txt .md .markdown .html .htm, and .jsonl with one JSON document a line"
            " (with --ray also .parquet, the same fields as columns).",
        ),
    ],
    url: UrlOption = None,
    ray: Annotated[
        bool,
        typer.Option(
            "--ray",
            help="Parse and embed in a Ray Data pipeline: on this machine's cores, or on --ray-address.",
        ),
    ] = False,
    ray_address: Annotated[
        str | None,
        typer.Option(
            "--ray-address",
            envvar="CLAIMCHECK_RAY_ADDRESS",
            metavar="ADDRESS",
            help="A running Ray cluster (host:port, ray://host:10001 or auto) for --ray (implies it).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Ingest files and folders of documents.

    A document's id is its file name without the extension. A folder is searched recursively;
    other files in it are skipped and listed. Each line of a .jsonl file is a document with the
    fields of POST /v1/documents ("text"; optional "id", "format", "title", "url", "outlet",
    "byline", "published"). A file or line that cannot be ingested is reported and nothing of it
    is written; the others go in. Exit code 1 if any failed.

    With --ray (or --ray-address) the documents are parsed and embedded by Ray actors, on this
    machine or on a cluster, and written to the local data directory in input order; .parquet
    files are read too, one document a row.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from claimcheck.backends import Ingested
    from claimcheck.inputs import SUPPORTED, Failure, expected, find, read

    on_ray = ray or bool(ray_address)
    pieces: list[Piece] = []
    if on_ray and (url or (ctx.find_object(State) or State()).url):
        raise typer.BadParameter("--ray ingests into the local data directory: leave out --url")
    if on_ray:
        from claimcheck.shards import SUPPORTED as RAY_SUPPORTED
        from claimcheck.shards import expected as pieces_expected
        from claimcheck.shards import plan

        found = find(paths, RAY_SUPPORTED)
        pieces = plan(found.files)
        total = pieces_expected(pieces)
    else:
        found = find(paths, SUPPORTED)
        total = expected(found.files)
    err = _stderr()
    for path in found.skipped:
        err.print(f"skipped {_escape(str(path))}: not a supported file type")
    failures: list[Failure] = []
    documents = sentences = 0
    with _backend(ctx, url) as backend:
        progress = Progress(
            TextColumn("Ingesting"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
            disable=not err.is_terminal,
        )

        def report(failure: Failure) -> None:
            failures.append(failure)
            progress.console.print(f"[red]failed[/] {_escape(failure.label)}: {_escape(failure.reason)}")
            progress.advance(task)

        def readable() -> Iterator[Item]:
            for entry in read(found.files):
                if isinstance(entry, Failure):
                    report(entry)
                else:
                    yield entry

        with progress:
            task = progress.add_task("ingest", total=total)
            outcomes = _on_ray(backend, pieces, ray_address) if on_ray else backend.ingest(readable())
            for outcome in outcomes:
                if isinstance(outcome, Ingested):
                    documents += 1
                    sentences += int(outcome.receipt.get("sentences", 0))
                    progress.advance(task)
                else:
                    report(outcome)
    summary = (
        f"Ingested {documents} document{_s(documents)} ({sentences} sentence{_s(sentences)}); "
        f"{len(failures)} failed"
    )
    if found.skipped:
        summary += f"; {len(found.skipped)} skipped"
    _stdout().print(summary + ".")
    if failures:
        raise typer.Exit(1)


def _on_ray(backend: Backend, pieces: list[Piece], address: str | None) -> Iterator[Outcome]:
    """The outcomes of a Ray ingest into the local backend's data directory."""
    from claimcheck.backends import BackendError, LocalBackend
    from claimcheck.cluster import RayOptions
    from claimcheck.cluster import ingest as ray_ingest
    from claimcheck.settings import Settings

    if not isinstance(backend, LocalBackend):
        raise BackendError("--ray needs the local data directory")
    try:
        settings = Settings.from_env()
    except ValueError as error:
        raise BackendError(str(error)) from None
    # The workers load the models the way this process did: the model cache defaults to the data
    # directory's, and documents are held to the backend's size limit.
    data_dir = backend.checker.indexes.data_dir
    settings = replace(settings, data_dir=data_dir, max_document_chars=backend.max_document_chars)
    return ray_ingest(backend.checker, pieces, RayOptions(settings=settings, address=address))


def _s(count: int) -> str:
    return "" if count == 1 else "s"


# -- check ----------------------------------------------------------------------------------------


@app.command()
def check(
    ctx: typer.Context,
    claim: Annotated[str, typer.Argument(metavar="CLAIM", help="The claim, in quotes.", show_default=False)],
    limit: Annotated[
        int,
        typer.Option(min=1, max=MAX_LIMIT, metavar="N", help="At most this many sentences in each list."),
    ] = 10,
    published_after: Annotated[
        str | None,
        typer.Option(metavar="DATE", help="Only sources published on or after this date (YYYY-MM-DD)."),
    ] = None,
    published_before: Annotated[
        str | None,
        typer.Option(metavar="DATE", help="Only sources published on or before this date (YYYY-MM-DD)."),
    ] = None,
    outlet: Annotated[
        list[str] | None,
        typer.Option(metavar="NAME", help="Only sources from this outlet (repeat for several)."),
    ] = None,
    exclude_outlet: Annotated[
        list[str] | None,
        typer.Option(metavar="NAME", help="Never sources from this outlet (repeat for several)."),
    ] = None,
    json: JsonOption = False,
    url: UrlOption = None,
) -> None:
    """Check a claim against the indexed articles.

    Prints the sentences that support the claim and those that contradict it, each with how it is
    reported (asserted by the outlet, or an allegation and whose) and every source that carries it.
    """
    text = claim.strip()
    if not text:
        raise typer.BadParameter("the claim is empty", param_hint="CLAIM")
    if len(text) > MAX_CLAIM_CHARS:
        raise typer.BadParameter(
            f"the claim is too long: at most {MAX_CLAIM_CHARS} characters", param_hint="CLAIM"
        )
    after, before = _day(published_after, "--published-after"), _day(published_before, "--published-before")
    if after and before and after > before:
        raise typer.BadParameter("--published-after is later than --published-before: no source could match")
    body: dict[str, Any] = {"claim": text, "limit": limit}
    optional = {
        "published_after": published_after,
        "published_before": published_before,
        "outlets": outlet or None,
        "exclude_outlets": exclude_outlet or None,
    }
    body.update({key: value for key, value in optional.items() if value is not None})
    with _backend(ctx, url) as backend:
        answer = backend.check(body)
    if json:
        _print_json(answer)
    else:
        _render_check(_stdout(), answer)


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date written YYYY-MM-DD", param_hint=option) from None


def _render_check(console: Console, answer: Json) -> None:
    from rich.text import Text

    console.print(Text(f"Claim: {answer['claim']}", style="bold"))
    evidence, contradicting = answer.get("evidence") or [], answer.get("contradicting") or []
    if evidence:
        console.print(_evidence_table("Supporting sentences", evidence))
    else:
        console.print("No evidence in the indexed articles.")
    if contradicting:
        console.print(_evidence_table("Contradicting sentences", contradicting))
    if evidence or contradicting:
        console.print(Text(_summary_line(answer.get("summary") or {})))


def _evidence_table(title: str, items: list[Json]) -> Table:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, title_justify="left", show_lines=True, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Sentence", ratio=5)
    table.add_column("Reported as", ratio=2)
    table.add_column("Stance", no_wrap=True)
    table.add_column("Sources", ratio=3, overflow="fold")
    table.add_column("Score", justify="right", no_wrap=True)
    for number, item in enumerate(items, start=1):
        table.add_row(
            str(number),
            Text(item["sentence"]),
            Text(_reported_as(item)),
            Text(str(item.get("stance", ""))),
            Text("\n".join(_source(source) for source in item.get("sources") or [])),
            f"{item.get('score', 0.0):.2f}",
        )
    return table


def _reported_as(item: Json) -> str:
    """ "allegation: <speaker> (<cue>)", or what the outlet asserts, and who denies it."""
    attribution = item.get("attribution")
    lines = ["allegation" if item.get("allegation") else "asserted by the outlet"]
    if attribution:
        kind = attribution.get("kind")
        how = attribution.get("cue") if kind == "statement" else f"{attribution.get('cue')}, {kind}"
        lines.append(f"{attribution.get('speaker') or 'an unnamed source'} ({how})")
    for denial in item.get("denied_by") or []:
        lines.append(f"denied by {denial.get('speaker') or 'an unnamed source'} ({denial.get('cue')})")
    return "\n".join(lines)


def _source(source: Json) -> str:
    """The document id (to copy into ``documents show``), then outlet and date."""
    outlet, published = source.get("outlet") or "no outlet", source.get("published") or "no date"
    return f"{source['document_id']}\n  {outlet}, {published}"


def _summary_line(summary: Json) -> str:
    stories = int(summary.get("independent_stories", 0))
    parts = [f"{stories} independent stor{'y' if stories == 1 else 'ies'}"]
    for key, label in (
        ("asserted_by", "asserted by"),
        ("alleged_by", "alleged by"),
        ("denied_by", "denied by"),
        ("contradicted_by", "contradicted by"),
    ):
        if summary.get(key):
            parts.append(f"{label} {', '.join(summary[key])}")
    first = summary.get("first_appearance")
    if first:
        where = first.get("outlet") or first.get("document_id")
        parts.append(f"first seen in {where} ({first.get('published') or 'no date'})")
    return "Summary: " + "; ".join(parts) + "."


# -- documents ------------------------------------------------------------------------------------


@documents_app.command("list")
def list_documents(
    ctx: typer.Context,
    offset: Annotated[
        int, typer.Option(min=0, metavar="N", help="Skip this many (documents are ordered by id).")
    ] = 0,
    limit: Annotated[
        int, typer.Option(min=1, max=MAX_PAGE, metavar="N", help="Show at most this many.")
    ] = 50,
    json: JsonOption = False,
    url: UrlOption = None,
) -> None:
    """List indexed documents, a page at a time."""
    with _backend(ctx, url) as backend:
        page = backend.documents(offset, limit)
    if json:
        _print_json(page)
        return
    from rich.table import Table
    from rich.text import Text

    console, items, total = _stdout(), page.get("items") or [], int(page.get("total", 0))
    if not items:
        console.print(f"No documents{' at this offset' if total else ''} ({total} in all).")
        return
    table = Table(title_justify="left", expand=False)
    # Ids are never cut short (they are what the other commands take): at worst folded.
    table.add_column("ID", overflow="fold", min_width=max(len(item["id"]) for item in items))
    for name, justify in (
        ("Title", "left"),
        ("Outlet", "left"),
        ("Published", "left"),
        ("Paragraphs", "right"),
        ("Sentences", "right"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for item in items:
        table.add_row(
            Text(item["id"]),
            Text(item.get("title") or ""),
            Text(item.get("outlet") or ""),
            item.get("published") or "",
            str(item.get("paragraphs", "")),
            str(item.get("sentences", "")),
        )
    console.print(table)
    shown = f"Documents {offset + 1} to {offset + len(items)} of {total}."
    if offset + len(items) < total:
        shown += f" Next page: --offset {offset + len(items)}"
    console.print(shown)


@documents_app.command("show")
def show_document(
    ctx: typer.Context,
    document_id: Annotated[str, typer.Argument(metavar="ID", help="The document's id.", show_default=False)],
    json: JsonOption = False,
    url: UrlOption = None,
) -> None:
    """Show a document's metadata and how much of it is indexed."""
    with _backend(ctx, url) as backend:
        view = backend.document(document_id)
    if view is None:
        _fail(f"unknown document id: {document_id!r}")
    if json:
        _print_json(view)
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(show_header=False, box=None, padding=(0, 2, 0, 0))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for field in ("id", "title", "outlet", "byline", "published", "url", "agency", "story_id", "format"):
        table.add_row(field, Text(str(view.get(field) or "—")))
    table.add_row("ingested", Text(str(view.get("ingested_at") or "—")))
    paragraphs = view.get("paragraphs") or []
    sentences = [s for p in paragraphs for s in p.get("sentences") or []]
    frames = sum(len(s.get("attributions") or []) for s in sentences)
    indexed = (
        f"{len(paragraphs)} paragraph{_s(len(paragraphs))}, {len(sentences)} sentence{_s(len(sentences))}, "
        f"{frames} attribution{_s(frames)}"
    )
    table.add_row("indexed", indexed)
    _stdout().print(table)


@documents_app.command("delete")
def delete_document(
    ctx: typer.Context,
    document_id: Annotated[str, typer.Argument(metavar="ID", help="The document's id.", show_default=False)],
    url: UrlOption = None,
) -> None:
    """Delete a document: its sentences are never evidence again.

    Exit code 1 for an unknown id.
    """
    with _backend(ctx, url) as backend:
        deleted = backend.delete(document_id)
    if not deleted:
        _fail(f"unknown document id: {document_id!r}")
    from rich.text import Text

    _stdout().print(Text(f"Deleted {document_id}."))


def main() -> None:
    """Entry point of the ``claimcheck`` script (and ``python -m claimcheck.cli``)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # the CLI draws its own progress bar
    app()


if __name__ == "__main__":
    main()

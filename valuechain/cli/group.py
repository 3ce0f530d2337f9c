"""The `valuechain` command group and its own options (--lang, -v,
--no-cache); each module of the package adds its commands to `main`."""

from __future__ import annotations

import click

from valuechain.cli.language import environment_language
from valuechain.i18n import LANGS, Language

__all__ = ["main", "Group"]


def _commands_word(ctx: click.Context) -> str:
    """click's own heading for the list of commands, in the user's language."""
    import click.core

    return click.core._("Commands")  # answered in the user's language (cli/language.py)


class Group(click.Group):
    """The `valuechain` group: speaks the user's language before click parses,
    so help, usage and click's own errors come in it too."""

    def main(self, args=None, *rest, **options):  # noqa: ANN001 (click's signature)
        import sys

        from valuechain.cli.language import language_of, speak

        speak(language_of(sys.argv[1:] if args is None else list(args)), self)
        try:
            return super().main(args, *rest, **options)
        finally:  # the commands' help back as the code wrote it, for the next caller
            speak("en", self)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The commands with their whole first sentence (click would cut it at the
        width with "..." mid-phrase); long ones wrap."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=10_000)))
        if rows:
            with formatter.section(_commands_word(ctx)):
                formatter.write_dl(rows)


@click.group(
    cls=Group,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="Example:\n\n\b\n  valuechain summary\n  valuechain --lang en unlinked "
    "--type farm\n  valuechain map -o graphs/linkage_map.html",
)
@click.option(
    "--lang",
    type=click.Choice(LANGS),
    default=None,
    help="Language of tables, maps and messages (default vi, or $VALUECHAIN_LANG).",
)
@click.option("-v", "--verbose", count=True, help="Say what is being done, on stderr.")
@click.option(
    "--no-cache",
    is_flag=True,
    help="Read and validate the inputs again instead of reusing the validated copy "
    "kept in the user's cache (also: VALUECHAIN_CACHE=0).",
)
@click.version_option(package_name="valuechain")
@click.pass_context
def main(ctx: click.Context, lang: str | None, verbose: int, no_cache: bool) -> None:
    """Find where a region's value chains are broken.

    DATASET is a folder of CSV files (enterprises.csv, links.csv, optional
    products.csv and clusters.csv) or one .xlsx workbook with those sheets; it
    defaults to the bundled Bắc Kạn sample. How each figure is computed:
    docs/methods.md.
    """
    ctx.obj = {
        "lang": Language(lang) if lang else environment_language(),
        "verbose": verbose,
        "cache": not no_cache,
    }

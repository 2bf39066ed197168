"""report.html (and, for corpora, index.html and one page per article): self-contained, escaped.

Pages are rendered from the view model through Jinja2 with autoescaping on;
CSS and JavaScript are inline and a Content-Security-Policy allows nothing
else: no network, and no script but ours (pinned by its hash), so even text
that escaped escaping could not run.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ..files.fileio import visible_controls
from ..types import Report
from ._view import build_view
from .viewmodel import View


@lru_cache(maxsize=1)
def _environment() -> Any:
    return Environment(
        loader=PackageLoader("backtrans.report", "templates"),
        autoescape=select_autoescape(enabled_extensions=("j2", "html"), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_visible,
    )


def _visible(value: Any) -> Any:
    """Every value a template prints: control characters (an ESC, a NUL) shown as symbols, never raw."""
    if isinstance(value, Markup):
        return Markup(visible_controls(str(value)))  # markup made by our code: its text was escaped, tags stay
    if isinstance(value, str):
        return visible_controls(value)
    return value


@lru_cache(maxsize=1)
def _assets() -> tuple[str, str, str]:
    folder = resources.files("backtrans.report") / "templates"
    style = (folder / "style.css").read_text(encoding="utf-8")
    script = (folder / "script.js").read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return style, script, f"sha256-{digest}"


def render_page(template: str, **context: Any) -> str:
    """One page from a template of ``templates/``, with the shared inline CSS, script and its CSP hash."""
    style, script, script_hash = _assets()
    return (
        _environment()
        .get_template(template)
        .render(style=Markup(style), script=Markup(script), script_hash=script_hash, **context)
    )


def render_html(report: Report, view: View | None = None) -> dict[str, str]:
    """Pages of the report: ``{"report.html": ..., "index.html": ..., "articles/<id>.html": ...}``."""
    view = view or build_view(report)
    pages = {"report.html": render_page("report.html.j2", v=view)}
    if view.corpus:
        pages["index.html"] = render_page("index.html.j2", v=view)
        for article in view.articles:
            pages[article.href] = render_page("article.html.j2", v=view, a=article)
    return pages

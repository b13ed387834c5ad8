"""HTML for the map's popups and tooltips, with every text from the data escaped."""
from __future__ import annotations

import html
from urllib.parse import urlparse

import pandas as pd

from dashboard.core.data.columns import STATUS_LABELS, COORD_PRECISIONS
from dashboard.core.data.validate import is_http_url

from dashboard.render.style import event_colour, event_label

#: Incidents listed in one site popup before "and N more".
MAX_LISTED = 40


def safe(value) -> str:
    """Text made safe for HTML and for the JavaScript template literal folium puts popups in.

    ``html.escape`` handles ``< > & " '``; backticks, ``$`` and backslashes
    would otherwise end or alter folium's template literal.
    """
    if value is None or (not isinstance(value, (str, tuple, list)) and pd.isna(value)):
        return ""
    text = html.escape(str(value), quote=True)
    return text.replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")


def source_link(source: str) -> str:
    """A link for an http(s) URL (showing its host), escaped plain text for anything else."""
    source = source.strip()
    if is_http_url(source):
        host = urlparse(source).netloc.removeprefix("www.")
        return f'<a href="{safe(source)}" target="_blank" rel="noopener noreferrer">{safe(host)}</a>'
    return safe(source)


def sources_html(sources) -> str:
    return " · ".join(source_link(s) for s in sources or ()) or "<i>no source given</i>"


def figure_text(low, high) -> str | None:
    """``3``, ``3–7``, ``up to 7`` or None when no figure is stated."""
    has_low, has_high = not pd.isna(low) if low is not None else False, not pd.isna(high) if high is not None else False
    if has_low and has_high and int(high) != int(low):
        return f"{int(low)}–{int(high)}"
    if has_low:
        return str(int(low))
    if has_high:
        return f"up to {int(high)}"
    return None


def casualty_summary(row) -> str:
    """``killed 3, injured 34–47`` from the numeric columns, or ``no figures stated``."""
    parts = []
    for word, low, high in (("killed", row.killed, row.killed_max), ("injured", row.injured, row.injured_max)):
        text = figure_text(low, high)
        if text is not None:
            parts.append(f"{word} {text}")
    return ", ".join(parts) or "no figures stated"


def incident_html(row, site_names: dict[str, str]) -> str:
    """The details of one incident (a row of the incidents table)."""
    date = row.date.date().isoformat()
    certainty = "" if row.date_certainty == "reported" else f" <i>(date {safe(row.date_certainty)})</i>"
    sites = ", ".join(safe(site_names.get(s, s)) for s in row.site_id) or "<i>no site named</i>"
    colour = event_colour(row.event_type)
    lines = [
        f'<div class="incident"><b>{safe(date)}</b>{certainty} · '
        f'<span style="color:{colour}">&#9679;</span> {safe(event_label(row.event_type))} · {safe(row.incident_id)}',
        f"<br><b>Place:</b> {safe(row.place)}",
        f"<br><b>Sites:</b> {sites}",
    ]
    if row.actor:
        lines.append(f"<br><b>Claimed / blamed:</b> {safe(row.actor)}")
    lines.append(f"<br><b>Casualties:</b> {safe(casualty_summary(row))}")
    if row.casualties:
        lines.append(f" <i>({safe(row.casualties)})</i>")
    lines.append(f"<br><b>Status:</b> {safe(STATUS_LABELS.get(row.confirmation, row.confirmation))}")
    if row.notes:
        lines.append(f"<br><b>Notes:</b> {safe(row.notes)}")
    lines.append(f"<br><b>Sources:</b> {sources_html(row.sources)}</div>")
    return "".join(lines)


def timeline_svg(months: pd.Series | None, start: pd.Timestamp, end: pd.Timestamp, width: int = 260,
                 height: int = 40) -> str:
    """A small bar chart of incidents per month between ``start`` and ``end`` (numbers only, no text from data).

    ``months`` holds counts indexed by the first day of their month.
    """
    if start is None or end is None:
        return ""
    months_shown = pd.period_range(pd.Timestamp(start).to_period("M"), pd.Timestamp(end).to_period("M"), freq="M")
    if len(months_shown) == 0:
        return ""
    counts = pd.Series(0, index=months_shown, dtype="int64")
    if months is not None and len(months):
        given = pd.Series(months.to_numpy(), index=pd.DatetimeIndex(months.index).to_period("M"))
        counts = given.groupby(level=0).sum().reindex(months_shown, fill_value=0)
    peak = max(int(counts.max()), 1)
    bar = width / len(months_shown)
    rects = []
    for index, (month, count) in enumerate(counts.items()):
        h = (height - 12) * int(count) / peak
        rects.append(
            f'<rect x="{index * bar:.1f}" y="{height - 12 - h:.1f}" width="{max(bar - 1, 1):.1f}" height="{h:.1f}" '
            f'fill="#444"><title>{month.strftime("%b %Y")}: {int(count)}</title></rect>'
        )
    labels = (f'<text x="0" y="{height - 1}" font-size="9">{months_shown[0].strftime("%b %Y")}</text>'
              f'<text x="{width}" y="{height - 1}" font-size="9" text-anchor="end">{months_shown[-1].strftime("%b %Y")}</text>')
    return (f'<svg width="{width}" height="{height}" role="img" aria-label="incidents per month">'
            f'{"".join(rects)}{labels}</svg>')


def site_popup_html(site: dict, incidents: pd.DataFrame, total: int, months: pd.Series | None,
                    site_names: dict[str, str], span: tuple[pd.Timestamp, pd.Timestamp], limit: int = MAX_LISTED) -> str:
    """The popup of a site: what the site is, how well it is located, a timeline and its first incidents.

    ``incidents`` holds the first ``limit`` (or more) of the ``total`` incidents
    there; ``months`` their counts per month, for the timeline.
    """
    precision = site.get("coord_precision") or ""
    head = [
        f'<div class="site-popup" style="max-height:320px;overflow:auto">',
        f"<b>{safe(site['name'])}</b> ({safe(site['site_id'])})<br>",
        f"{safe(site.get('site_type'))}, {safe(site.get('admin1'))}, {safe(site.get('country'))}<br>",
        f"<b>{total} incident{'s' if total != 1 else ''}</b> in the current filter<br>",
        f"<b>Location:</b> {safe(COORD_PRECISIONS.get(precision, precision))}",
    ]
    if site.get("uncertainty_km"):
        radius = f"{float(site['uncertainty_km']):g}"
        head.append(f", within about {radius} km")
    head.append(f"<br><b>Coordinates from:</b> {sources_html(_sources_of(site.get('source', '')))}<br>")
    if total:
        head.append(timeline_svg(months, span[0], span[1]))
    items = [f"<li>{incident_html(row, site_names)}</li>" for row in incidents.head(limit).itertuples(index=False)]
    more = total - min(limit, len(incidents))
    tail = f"<p>… and {more} more: choose the site under the map to list them all</p>" if more > 0 else ""
    return "".join(head) + f'<ol style="padding-left:1.2em">{"".join(items)}</ol>{tail}</div>'


def _sources_of(text: str) -> list[str]:
    """Split a gazetteer source cell into URLs and text fragments."""
    parts = []
    for chunk in str(text).replace(";", " ; ").split(" ; "):
        words = chunk.split()
        urls = [w.strip("()") for w in words if w.strip("()").startswith(("http://", "https://"))]
        rest = " ".join(w for w in words if w.strip("()") not in urls).strip(" ;,:()")
        if rest:
            parts.append(rest)
        parts.extend(urls)
    return parts


def tooltip_text(name: str, count: int) -> str:
    return f"{safe(name)}: {count} incident{'s' if count != 1 else ''}"

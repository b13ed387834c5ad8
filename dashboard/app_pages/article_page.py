"""Add from an article: extract incidents and counts from a news text, review them, and save them with provenance."""
import datetime as dt
from pathlib import Path

import streamlit as st

from dashboard.core.articles.curation import build_seed_record, proposed_rows
from dashboard.core.articles import MAX_ARTICLE_CHARS, ArticleTooLongError, check_article_length, load_actors
from dashboard.core.data.problems import DataValidationError
from dashboard.core.data.storage import append_incidents
from dashboard.ui import article_review as review
from dashboard.ui import context
from dashboard.ui.markdown import escape_markdown
from dashboard.ui.workers import extract_article_in_worker

RESULT = "_article_extraction"
loaded, _ = context.current()
st.header("Add incidents from a news article")
st.caption("Paste the text of a report. The extractor marks the sites, dates, running totals and actors it finds "
           "(each highlighted where it was read), proposes incidents for you to check, and shows existing incidents "
           "that may be the same event. Nothing is saved until you press Save.")

with st.form("article"):
    # No max_chars: the browser would silently ignore a longer paste; the check below says why it is refused.
    text = st.text_area("Article text", height=220, key="article_text",
                        help=f"One article at a time, up to {MAX_ARTICLE_CHARS:,} characters.")
    left, middle, right = st.columns(3)
    published = left.date_input("Published", value=dt.date.today(), key="article_published", format="YYYY-MM-DD")
    publisher = middle.text_input("Publisher or wire", key="article_publisher")
    url = right.text_input("URL (optional)", key="article_url")
    document_id = st.text_input("Document id (optional, e.g. the wire's item code)", key="article_id")
    submitted = st.form_submit_button("Extract")

if submitted and text.strip():
    try:
        check_article_length(len(text), "The pasted text")
        actors = load_actors()
    except ArticleTooLongError as exc:
        st.error(escape_markdown(exc))
        st.stop()
    except DataValidationError as exc:
        st.error(f"geodata/actors.csv has problems: {escape_markdown(exc)}")
        st.stop()
    try:
        extraction = extract_article_in_worker(text, published, loaded.sites, actors,
                                               source=publisher or None, document_id=document_id or None,
                                               url=url or None)
    except ValueError as exc:  # a URL or document id that is not one
        st.error(escape_markdown(exc))
        st.stop()
    st.session_state[RESULT] = (text, extraction)

if RESULT not in st.session_state:
    st.stop()
text, extraction = st.session_state[RESULT]
st.markdown(review.highlighted_markdown(text, extraction))
st.caption("Colours: :blue-background[site] :green-background[date] :orange-background[running total] "
           ":violet-background[actor]")

if extraction["counts"]:
    st.subheader("Running totals")
    st.dataframe([{k: c.get(k) for k in ("total", "qualifier", "by_country", "since", "as_of", "reported_by")}
                  | {"does not add up": "; ".join(c.get("flags", [])), "notes": "; ".join(c.get("notes", [])),
                     "evidence": c["evidence"]["text"]} for c in extraction["counts"]], hide_index=True)
unresolved = [s for s in extraction["sites"] if s["status"] != "resolved"]
if unresolved:
    st.warning("Places not in the gazetteer (not guessed): " + ", ".join(escape_markdown(s["text"]) for s in unresolved))

if extraction.get("set_aside"):
    with st.expander(f"Set aside as background, not proposed ({len(extraction['set_aside'])})"):
        st.dataframe([{"sentence": a["sentence"], "place": a["place"], "why": a["reason"], "text": a["evidence"]["text"]}
                      for a in extraction["set_aside"]], hide_index=True)

rows = proposed_rows(extraction)
if rows.empty:
    st.info("No incident was found in this text.")
    st.stop()
st.subheader("Proposed incidents")
st.caption("Edit any cell; untick *keep* to leave a row out. Review notes and possible duplicates are listed below.")
rows.insert(0, "keep", True)
edited = st.data_editor(rows, key="article_rows", num_rows="fixed", width="stretch")
candidates = review.candidates_for(rows.drop(columns="keep"), loaded.source, extraction)
for (label, row), item in zip(rows.iterrows(), extraction["incidents"]):
    close = candidates[label]
    title = escape_markdown(f"{label}: {row['date']} · {row['event_type']} · {row['place']} · "
                            f"{len(close)} possible duplicate(s)")
    with st.expander(title, expanded=bool(len(close))):
        spans = [item["evidence"], *item.get("more_evidence", [])]
        st.text(f"Read from {len(spans)} sentence(s):")
        for span in spans:
            st.text("  " + span["text"])
        for note in item.get("review", []):
            st.text("Check: " + note)
        if len(close):
            st.dataframe(close, hide_index=True)

kept = edited[edited["keep"]].drop(columns="keep")
if not review.writing_enabled():
    st.info(f"Saving is switched off on this server. Start it with {review.WRITE_ENV}=1 to add reviewed rows "
            "to the data folder (see the README).")
    st.stop()
if st.button(f"Save {len(kept)} incident(s) and record the article in seeds/", type="primary", disabled=kept.empty):
    try:
        result = append_incidents(loaded.folder, kept, build_seed_record(extraction, kept))
    except DataValidationError as exc:
        st.error("Nothing was saved; the rows have problems:\n\n" + "\n".join(f"- {escape_markdown(p)}" for p in exc.problems))
        st.stop()
    folder = Path(loaded.folder)
    if len(result.added):
        st.success(f"Added {len(result.added)} incident(s): {', '.join(result.added['incident_id'])}. The previous "
                   f"incidents.csv is kept as {escape_markdown(result.backup_path.relative_to(folder))}; the article is "
                   f"recorded in {escape_markdown(result.seed_path.name)}.")
    else:
        st.info(f"No incident was added: every row kept duplicates one already in the data. The article is recorded "
                f"in {escape_markdown(result.seed_path.name)}.")
    if len(result.refused):
        st.warning("Left out as duplicates of existing incidents:")
        st.dataframe(result.refused, hide_index=True)
    st.cache_data.clear()  # the data folder changed: its new files are loaded on the next run

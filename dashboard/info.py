"""The Info tab: what the model is, what the findings concluded, and where the data come from.

Read from the project's own documents when the tab opens (``docs/ODD.md``: purpose, input data and
references; ``docs/findings.md``: each claim's verdict), so the page says what the documents say; a
section that is not found is named as missing rather than made up.
"""

from __future__ import annotations

import re
from pathlib import Path

import solara

DOCS = Path(__file__).resolve().parent.parent / "docs"
VERDICT = re.compile(r"^Verdict on (.+?): \*\*(.+?)\*\*(.*)$")


def section(text: str, heading: str) -> str | None:
    """The body under the Markdown heading that starts with ``heading`` (up to the next heading of its level or
    higher), or None."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        m = re.match(r"^(#+)\s+(.*)$", line)
        if m and m.group(2).startswith(heading):
            level = len(m.group(1))
            body = []
            for rest in lines[i + 1 :]:
                n = re.match(r"^(#+)\s", rest)
                if n and len(n.group(1)) <= level:
                    break
                body.append(rest)
            return "\n".join(body).strip()
    return None


def verdicts(text: str) -> list[tuple[str, str, str, str]]:
    """(question, claim, verdict, why) for each 'Verdict on ...' line, under its numbered section."""
    out, question = [], ""
    for line in text.splitlines():
        if line.startswith("## "):
            question = line[3:].strip()
        m = VERDICT.match(line.strip())
        if m:
            claim, verdict, why = m.group(1), m.group(2), m.group(3).strip(" .()")
            out.append((question, claim, verdict, why))
    return out


def read(name: str) -> str:
    path = DOCS / name
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def info_markdown() -> str:
    odd, findings = read("ODD.md"), read("findings.md")
    purpose = section(odd, "1.1 Purpose") or "(docs/ODD.md §1.1 Purpose not found)"
    rows = verdicts(findings)
    table = "\n".join(f"| {q} | {c} | **{v}** | {w} |" for q, c, v, w in rows) or "| (none found) | | | |"
    data = section(odd, "6. Input data") or "(docs/ODD.md §6 Input data not found)"
    references = section(odd, "References") or "(docs/ODD.md References not found)"
    return (
        "## What the model is\n\n"
        f"{purpose}\n\n*From docs/ODD.md (ODD+D description), §1.1.*\n\n"
        "## What the findings concluded\n\n"
        "| question | claim | verdict | why |\n|---|---|---|---|\n"
        f"{table}\n\n*From docs/findings.md: supported, conditional or not supported, each from a paired "
        "experiment over 50 replicates.*\n\n"
        f"## Where the data come from\n\n{data}\n\n### References\n\n{references}\n"
    )


@solara.component
def Info():
    text = solara.use_memo(info_markdown, [])
    with solara.Column(classes=["gg-info"], style={"max-width": "1000px"}) as main:
        solara.Markdown(text)
    return main

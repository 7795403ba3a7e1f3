"""Download the run: its tables (``experiments.runner.tables.run_tables``, what ``python run.py run`` writes) in
one zip, as Parquet or CSV. The charts and the map download themselves as PNG or SVG (vega_view.vue).
"""

from __future__ import annotations

import io
import zipfile

import solara

from experiments.runner.tables import run_tables

FORMATS = ("Parquet", "CSV")


def tables_zip(session, fmt: str) -> bytes:
    """Every table of the run so far, one file each, in a zip."""
    model = session.model
    with session.reading():
        tables = run_tables(model, model.scenario_name, model.seed)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, frame in tables.items():
            if fmt == "CSV":
                archive.writestr(f"{name}.csv", frame.to_csv(index=False))
            else:
                data = io.BytesIO()
                frame.to_parquet(data, index=False)
                archive.writestr(f"{name}.parquet", data.getvalue())
    return out.getvalue()


@solara.component
def Export(session):
    fmt, set_fmt = solara.use_state(FORMATS[0])
    model = session.model
    with solara.Card("Download", classes=["gg-export"], margin=0):
        solara.ToggleButtonsSingle(value=fmt, values=list(FORMATS), on_value=set_fmt)
        solara.FileDownload(
            lambda: tables_zip(session, fmt),
            filename=f"{model.scenario_name}-seed{model.seed}-{fmt.lower()}.zip",
            label=f"The run's tables ({fmt}, zip)",
            icon_name="mdi-table-arrow-down",
        )
        solara.Text(
            "The run so far: series, timeseries, events, deposits and more, as python run.py run writes them. "
            "Each chart and the map have PNG and SVG buttons.",
            style={"font-size": "12px"},
            classes=["text--secondary"],
        )

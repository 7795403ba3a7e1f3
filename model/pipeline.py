"""The state's own pipeline: plots on the state balance and Soviet-era classified deposits, released over time.

``data/state_pipeline.csv`` gives, per row, either a named deposit of the table and the year the state offers
it, or a *typical* plot released at a rate a year (state-balance plots of the 2023–25 auction pace) or as a
count in a year (the classified indium, scandium, thallium, gallium and vanadium deposits the government said
it will open). The schedule is fixed by the data and ``explore.state_release_scale``; no draw decides it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from model.commodities import INDEX as COMMODITY_INDEX
from model.deposit_load import check_id
from model.deposit_table import DepositTable, new_rows, table_path
from model.errors import InputError
from model.file_cache import by_file
from model.inputs import read_csv
from model.vocabulary import Channel

COLUMNS = (
    "id",
    "name",
    "commodity",
    "contained_t",
    "count",
    "release_year",
    "release_rate_per_year",
    "region",
    "lon",
    "lat",
    "channel",
    "in_deposits_csv",
)
STATE_BALANCE_LEAD_Q = 16  # confirmed reserves: development only (data/README.md lead-time tiers)
CLASSIFIED_LEAD_Q = 28  # Soviet-era historical resources: exploration + development (same tiers)


class StatePipeline:
    """The release schedule: named table deposits freed in their year, and new plots added each quarter."""

    def __init__(
        self,
        path: str,
        scale: float,
        start_year: int,
        until_year: int,
        table_ids: list[str],
        direct: float = 0.0,
        inventory: int = 10**6,
    ) -> None:
        full = table_path(path)
        self.where, self.scale, self.start_year = str(full), scale, start_year
        self.direct = direct  # share of typical plots moved to direct negotiation (every k-th, no draw)
        named, rows = _read(full)
        self.named: dict[str, tuple[int, int]] = {  # table id -> (first step it may be offered, its channel)
            # the first quarter of its release year (step 1 is the start year's first quarter)
            dep: (max(0, ((year or start_year) - start_year) * 4 + 1), channel)
            for dep, year, channel in named
            if dep in table_ids
        }
        self.rows = [
            {**row, "year": row["year"] or start_year, "until": until_year or row["until"] or row["year"] or start_year}
            for row in rows
        ]
        self.owed = np.zeros(len(self.rows))  # plots due but not yet released (fractions accumulate)
        self.released = np.zeros(len(self.rows), dtype=np.int64)
        self.left = inventory  # plots the state still holds to release: a finite inventory, gone when allocated

    def due(self, step: int) -> list[tuple[int, int]]:
        """(row, how many) released at ``step`` (step 1 is the first quarter of the start year): the state
        releases its plots once a year, in the first quarter, as its auction rounds come about yearly (R100–R103).
        """
        year, quarter = self.start_year + (step - 1) // 4, (step - 1) % 4
        if quarter != 0:
            return []
        out = []
        for i, row in enumerate(self.rows):
            if row["rate"] > 0:
                if row["year"] <= year <= row["until"]:
                    self.owed[i] += row["rate"] * self.scale
            elif year == row["year"]:
                self.owed[i] += row["count"] * self.scale
            n = int(np.floor(self.owed[i] + 1e-9))
            if n:
                self.owed[i] -= n
                n = min(n, self.left)
                self.left -= n
                if n:
                    out.append((i, n))
        return out

    def plots(self, step: int, law) -> DepositTable | None:
        """The new plots of ``step`` as deposit rows (sizes from the file, capacity by Taylor's rule)."""
        due = self.due(step)
        if not due:
            return None
        idx = np.repeat([i for i, _ in due], [n for _, n in due])
        rows = [self.rows[i] for i in idx]
        numbers = []
        for i in idx:
            self.released[i] += 1
            numbers.append(int(self.released[i]))
        commodity = np.array([r["commodity"] for r in rows])
        contained = np.array([r["contained"] for r in rows])
        typical = np.array([r["rate"] > 0 for r in rows])
        k = np.array(numbers)
        moved = typical & (np.floor(k * self.direct) > np.floor((k - 1) * self.direct))
        channel = np.where(moved, Channel.NEGOTIATION, [r["channel"] for r in rows])
        return new_rows(
            ids=[f"{r['id']}_{k}" for r, k in zip(rows, numbers)],
            names=[f"{r['name']} #{k}" for r, k in zip(rows, numbers)],
            regions=[r["region"] for r in rows],
            commodity=commodity,
            contained=contained,
            capacity=law.capacity(commodity, contained),
            lead_time=np.where(typical, STATE_BALANCE_LEAD_Q, CLASSIFIED_LEAD_Q),
            lon=np.array([r["lon"] for r in rows]),
            lat=np.array([r["lat"] for r in rows]),
            channel=channel,
            strategic=np.zeros(len(rows), dtype=bool),
            origin=1,
        )


@by_file
def _read(full: Path) -> tuple[list[tuple[str, int | None, Channel]], list[dict]]:
    """The file's named deposits (id, release year or None, channel) and typical plots (``year`` None: the start)."""
    where = str(full)
    df = read_csv(
        full, "a CSV of state releases (data/pipeline_and_rules.md)", "run.state_pipeline", COLUMNS, text=True
    )
    named, rows = [], []
    for i, r in df.iterrows():
        if r["commodity"] not in COMMODITY_INDEX or r["channel"] not in Channel.labels():
            raise InputError(where, f"row {i + 2}", "allowed: a model commodity and a channel")
        check_id(r["id"], where, f"row {i + 2} column id")
        span = str(r["release_year"]).strip()
        year = int(span.split("-")[0]) if span else None
        until = int(span.split("-")[1]) if "-" in span else None  # "2026-2035": released each year of the span
        if r["in_deposits_csv"].strip().lower() == "true":
            named.append((r["id"], year, Channel.parse(r["channel"])))
            continue
        try:
            row = {
                "id": r["id"],
                "name": r["name"],
                "commodity": COMMODITY_INDEX[r["commodity"]],
                "contained": float(r["contained_t"]),
                "count": float(r["count"] or 1),
                "year": year,
                "until": until,
                "rate": float(r["release_rate_per_year"] or 0.0),
                "region": r["region"],
                "lon": float(r["lon"]),
                "lat": float(r["lat"]),
                "channel": Channel.parse(r["channel"]),
            }
        except ValueError:
            raise InputError(where, f"row {i + 2}", "allowed: numbers for size, count, rate, lon, lat") from None
        if not (0 < row["contained"] <= 1e11 and 0 <= row["count"] <= 1e4 and 0 <= row["rate"] <= 1e4):
            raise InputError(where, f"row {i + 2}", "allowed: size in (0, 1e11], count and rate in [0, 1e4]")
        rows.append(row)
    return named, rows

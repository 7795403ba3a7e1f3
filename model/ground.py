"""Exploration ground: blocks licensed first come, first served, worked or not, relinquished, and discoveries.

The blocks come from ``data/exploration_ground.csv`` (one block ≈ one licence; region, commodity and
prospectivity from the real table's geology), the chance of a discovery per worked licence-year from
``data/discovery_rates.csv``. Known prospects of the deposit table (channel ``exploration``) are blocks too:
their licence turns the prospect into a defined deposit after ``explore.definition_q`` worked quarters. Every draw
comes from the ``ground`` stream, one number per block and quarter.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from numba import njit

from model.commodities import INDEX as COMMODITY_INDEX
from model.deposit_table import table_path
from model.errors import InputError
from model.file_cache import by_file
from model.inputs import read_csv
from model.libm import log
from model.streams import gumbel


@by_file
def _read(full: Path, key: str, columns: tuple[str, ...]) -> pd.DataFrame:
    df = read_csv(full, f"a CSV with columns {', '.join(columns)}", key, columns)
    bad = ~df["commodity"].isin(list(COMMODITY_INDEX))
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(str(full), f"row {row + 2} column commodity", f"got {df['commodity'].iloc[row]!r}")
    for col in columns[2:]:
        values = pd.to_numeric(df[col], errors="coerce")
        if values.isna().any() or (values < 0).any() or (values > 1e6).any():
            row = int(np.flatnonzero((values.isna() | (values < 0) | (values > 1e6)).to_numpy())[0])
            raise InputError(str(full), f"row {row + 2} column {col}", "allowed: a number in [0, 1e6]")
    return df


def discovery_rates(path: str) -> np.ndarray:
    """Chance of a discovery per worked licence-year, by commodity index (0 where the file has none)."""
    return _rates(table_path(path)).copy()


@by_file
def _rates(full: Path) -> np.ndarray:
    df = _read(full, "run.discovery_rates", ("commodity", "p_discovery_per_licence_year"))
    out = np.zeros(len(COMMODITY_INDEX))
    out[df["commodity"].map(COMMODITY_INDEX).to_numpy()] = df["p_discovery_per_licence_year"].to_numpy(float)
    return np.minimum(out, 1.0)


@by_file
def _plain_blocks(full: Path) -> tuple:
    """Region, commodity, lon, lat and weight of each plain block of a ground file, in file order (read-only,
    shared by every build: a batch builds thousands of models from one file).
    """
    df = _read(full, "run.exploration_ground", ("region", "commodity", "blocks", "lon", "lat", "prospectivity"))
    counts = df["blocks"].to_numpy(int)
    rows = np.repeat(np.arange(len(df)), counts)
    arrays = (
        df["commodity"].map(COMMODITY_INDEX).to_numpy(int)[rows],
        df["lon"].to_numpy(float)[rows],
        df["lat"].to_numpy(float)[rows],
        (df["prospectivity"].to_numpy(float) / np.maximum(counts, 1))[rows],
    )
    for a in arrays:
        a.flags.writeable = False
    return (tuple(df["region"].to_numpy(str)[rows].tolist()), *arrays)


class Ground:
    """Blocks of exploration ground and their licences (arrays, one entry per block)."""

    def __init__(self, path: str, rates: np.ndarray, prospects: dict[int, tuple[int, float, float]], rng) -> None:
        """``prospects``: deposit row → (commodity, lon, lat) of the table's known prospects (channel exploration)."""
        region, commodity, lon, lat, weight = _plain_blocks(table_path(path))
        n_plain = len(region)
        extra = sorted(prospects)
        self.n = n_plain + len(extra)
        self.region = [*region, *[""] * len(extra)]
        self.commodity = np.r_[commodity, [prospects[d][0] for d in extra]].astype(np.int64)
        jitter = rng.uniform(-0.4, 0.4, (2, n_plain))
        self.lon = np.r_[lon + jitter[0], [prospects[d][1] for d in extra]]
        self.lat = np.r_[lat + jitter[1], [prospects[d][2] for d in extra]]
        # a known prospect is the most attractive ground there is: it gets the largest block weight
        self.weight = np.r_[weight, np.full(len(extra), weight.max() if n_plain else 1.0)]
        self.deposit = np.r_[np.full(n_plain, -1), extra].astype(np.int64)  # deposit row of a known prospect
        self.prospects = np.arange(n_plain, self.n)  # the blocks that are known prospects (deposit >= 0)
        self.rate_q = rates[self.commodity] / 4.0
        self.holder = np.full(self.n, -1, dtype=np.int64)
        self.investor = np.full(self.n, -1, dtype=np.int64)
        self.expires = np.zeros(self.n, dtype=np.int64)
        self.extended = np.zeros(self.n, dtype=bool)
        self.ever_worked = np.zeros(self.n, dtype=bool)
        self.worked_q = np.zeros(self.n, dtype=np.int64)  # worked quarters in the current licence
        self.factor = np.ones(self.n)  # share of the ground left after relinquishment
        self.done = np.zeros(self.n, dtype=bool)  # a known prospect already defined
        self.licence_quarters = 0  # licensed block-quarters so far (exposure for revocation rates)

    def licensed(self) -> np.ndarray:
        """Blocks under an exploration licence."""
        return (self.holder >= 0).nonzero()[0]

    def release(self, blocks: np.ndarray) -> None:
        """End the licences of ``blocks`` (expired, revoked, converted)."""
        self.holder[blocks], self.investor[blocks] = -1, -1
        self.extended[blocks], self.ever_worked[blocks], self.worked_q[blocks] = False, False, 0

    def file(self, step: int, u: np.ndarray, filers: np.ndarray, homes: np.ndarray, term_q: int) -> np.ndarray:
        """First come, first served: ``filers`` (investor rows, in filing order) take the most attractive free
        blocks (log weight + a Gumbel draw per block); returns the blocks filed.
        """
        free = ((self.holder < 0) & ~self.done).nonzero()[0]
        k = min(free.size, filers.size)
        if k == 0:
            return free[:0]
        taste = log(self.weight[free] * self.factor[free]) + gumbel(u[free])
        top = (-taste).argpartition(k - 1)[:k] if k < free.size else np.arange(free.size)
        blocks = free[top[(-taste[top]).argsort(kind="stable")]]
        self.holder[blocks], self.investor[blocks] = homes[:k], filers[:k]
        self.expires[blocks], self.worked_q[blocks] = step + term_q, 0
        return blocks

    def quarter(self, step: int, u: np.ndarray, p, worth: np.ndarray, capital: np.ndarray, revoked_by: np.ndarray):
        """A quarter of the licences held: terms end (a worked licence is extended once, giving up
        ``p.relinquish_share`` of its ground); each licensee works its ground if a quarter's chance of a find is
        worth the work programme (``worth``: per commodity, what a find is worth times the discovery scale) or the
        block is a known prospect, and pays it from its ``capital`` if it can; an unworked licence is revoked with
        chance ``p.revocation_unworked_q`` (``revoked_by`` counts, per holder, the quarters with a revocation);
        worked plain ground finds a deposit by chance, a worked prospect once defined.

        Returns the number of licences held, the blocks revoked and the blocks that found (or defined) a deposit,
        plain ground first, in block order. ``u`` is the quarter's revocation and discovery draws per block.
        """
        return _quarter(
            step,
            u[0],
            u[1],
            p.extension_q,
            p.relinquish_share,
            p.work_usd_m_per_q,
            p.revocation_unworked_q,
            p.discovery_scale,
            p.definition_q,
            worth,
            capital,
            revoked_by,
            self.holder,
            self.investor,
            self.expires,
            self.extended,
            self.ever_worked,
            self.worked_q,
            self.factor,
            self.deposit,
            self.rate_q,
            self.commodity,
        )


@njit(cache=True)
def _quarter(
    step, u_revoke, u_find, extension_q, relinquish, work, revocation, scale, definition_q, worth, capital, revoked_by,
    holder, investor, expires, extended, ever_worked, worked_q, factor, deposit, rate_q, commodity,
):  # fmt: skip
    """``Ground.quarter`` in one pass; every product in the order the numpy code had it."""
    n = holder.size
    for b in range(n):  # terms end: worked licences are extended once, the others released
        if holder[b] >= 0 and expires[b] <= step:
            if ever_worked[b] and not extended[b] and extension_q > 0:
                extended[b], expires[b] = True, step + extension_q
                factor[b] *= 1.0 - relinquish
            else:
                holder[b], investor[b] = -1, -1
                extended[b], ever_worked[b], worked_q[b] = False, False, 0
    held = np.flatnonzero(holder >= 0)
    paid = np.zeros(held.size, dtype=np.bool_)
    for k in range(held.size):  # every keen licensee's capital is checked before any pays
        b = held[k]
        if rate_q[b] * factor[b] * scale * worth[commodity[b]] >= work or deposit[b] >= 0:
            paid[k] = capital[investor[b]] >= work
    revoked = np.empty(held.size, dtype=np.int64)
    plain, known = np.empty(held.size, dtype=np.int64), np.empty(held.size, dtype=np.int64)
    n_revoked = n_plain = n_known = 0
    hit = np.zeros(revoked_by.size, dtype=np.bool_)
    for k in range(held.size):  # pay, or risk revocation; then a find, plain ground by chance, prospects once defined
        b = held[k]
        if paid[k]:
            capital[investor[b]] -= work
            worked_q[b] += 1
            ever_worked[b] = True
            if deposit[b] < 0 and u_find[b] < rate_q[b] * factor[b] * scale:
                plain[n_plain] = b
                n_plain += 1
            elif deposit[b] >= 0 and worked_q[b] >= definition_q:
                known[n_known] = b
                n_known += 1
        elif u_revoke[b] < revocation:
            revoked[n_revoked] = b
            n_revoked += 1
            hit[holder[b]] = True
            holder[b], investor[b] = -1, -1
            extended[b], ever_worked[b], worked_q[b] = False, False, 0
    for h in range(revoked_by.size):  # one per holder and quarter, as numpy's fancy += counts it
        if hit[h]:
            revoked_by[h] += 1
    found = np.empty(n_plain + n_known, dtype=np.int64)
    found[:n_plain], found[n_plain:] = plain[:n_plain], known[:n_known]
    return held.size, revoked[:n_revoked], found

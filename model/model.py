"""The competition model: a ``mesa.Model`` whose quarter runs tenders, pursuits, awards and production."""

from __future__ import annotations

import json
from pathlib import Path

import mesa
import numpy as np
import pandas as pd

from agents import Deposit, Host, Investor, InvestorPool, Power
from model import params as P
from model.commodities import NAMES as COMMODITIES
from model.deposit_table import STAGE, STAGES, load_deposits
from model.events import EventLog
from model.measures import commodity_matrix, compute_measures, reporters
from model.powers import HOST, POWERS, PRIVATE
from model.prices import PriceProcess
from model.state import WITHDRAWN, WON, Deposits, Pursuits
from model.synthetic import synthetic_deposits
from model.trust import update_trust

ROOT = Path(__file__).resolve().parent.parent


def quarter_label(start_year: int, step: int) -> str:
    """Label of the quarter that ends at ``step`` (step 0 is the state before the first quarter)."""
    q = start_year * 4 + step - 1
    return f"{q // 4}Q{q % 4 + 1}"


class GreatGameModel(mesa.Model):
    """EU, China, US, Russia, Japan/Korea and private investors compete for Kazakhstan's deposits.

    Every keyword is a parameter of ``model.params`` (dotted key with '.' → '_'); ``extra_powers`` is a JSON
    object declaring further powers (see ``model.params.resolve_extra_powers``).
    """

    # fmt: off
    def __init__(
        self,
        *,
        # BEGIN PARAMETERS (generated from model.params; tests check they match)
        eu_budget_usd_m: float = 21.0,
        eu_start_year: int = 2022,
        eu_delay_mean_q: float = 6.0,
        eu_delay_sd_q: float = 2.0,
        eu_approval_cap_q: float = 0.0,
        eu_approval_prob: float = 0.8,
        eu_engagement: float = 0.5,
        eu_trust0: float = 0.55,
        eu_trust_build_rate: float = 1.0,
        eu_premium: float = 0.002,
        eu_processing: float = 0.6,
        eu_finance_share: float = 0.3,
        eu_offtake_share: float = 0.3,
        eu_max_pursuits: int = 3,
        eu_priorities: str = 'chromium:0.6;cobalt:0.8;copper:0.8;graphite:1;lithium:1;manganese:0.5;nickel:0.8;rare_earths:1;titanium:0.6;tungsten:1;uranium:0.7;vanadium:0.6',
        cn_budget_usd_m: float = 111.0,
        cn_start_year: int = 2009,
        cn_delay_mean_q: float = 1.5,
        cn_delay_sd_q: float = 0.7,
        cn_approval_cap_q: float = 0.0,
        cn_approval_prob: float = 0.9,
        cn_engagement: float = 0.9,
        cn_trust0: float = 0.5,
        cn_trust_build_rate: float = 1.0,
        cn_premium: float = 0.006,
        cn_processing: float = 0.5,
        cn_finance_share: float = 0.7,
        cn_offtake_share: float = 0.8,
        cn_max_pursuits: int = 6,
        cn_priorities: str = 'chromium:0.6;cobalt:0.7;copper:1;graphite:0.5;lead:0.5;lithium:0.7;manganese:0.5;nickel:0.7;rare_earths:0.8;titanium:0.5;tungsten:0.9;uranium:1;vanadium:0.5;zinc:0.6',
        us_budget_usd_m: float = 100.0,
        us_start_year: int = 2023,
        us_delay_mean_q: float = 3.0,
        us_delay_sd_q: float = 1.0,
        us_approval_cap_q: float = 0.0,
        us_approval_prob: float = 0.7,
        us_engagement: float = 0.5,
        us_trust0: float = 0.4,
        us_trust_build_rate: float = 1.0,
        us_premium: float = 0.004,
        us_processing: float = 0.6,
        us_finance_share: float = 0.8,
        us_offtake_share: float = 1.0,
        us_max_pursuits: int = 2,
        us_priorities: str = 'cobalt:0.4;graphite:0.5;lithium:0.7;nickel:0.4;rare_earths:1;tungsten:1;uranium:0.5',
        ru_budget_usd_m: float = 75.0,
        ru_start_year: int = 1990,
        ru_delay_mean_q: float = 2.0,
        ru_delay_sd_q: float = 1.0,
        ru_approval_cap_q: float = 0.0,
        ru_approval_prob: float = 0.8,
        ru_engagement: float = 0.4,
        ru_trust0: float = 0.65,
        ru_trust_build_rate: float = 1.0,
        ru_premium: float = 0.003,
        ru_processing: float = 0.3,
        ru_finance_share: float = 0.5,
        ru_offtake_share: float = 0.5,
        ru_max_pursuits: int = 2,
        ru_priorities: str = 'uranium:1',
        jk_budget_usd_m: float = 10.0,
        jk_start_year: int = 2015,
        jk_delay_mean_q: float = 6.0,
        jk_delay_sd_q: float = 3.0,
        jk_approval_cap_q: float = 0.0,
        jk_approval_prob: float = 0.3,
        jk_engagement: float = 0.3,
        jk_trust0: float = 0.5,
        jk_trust_build_rate: float = 1.0,
        jk_premium: float = 0.002,
        jk_processing: float = 0.4,
        jk_finance_share: float = 0.3,
        jk_offtake_share: float = 0.5,
        jk_max_pursuits: int = 1,
        jk_priorities: str = 'lithium:0.6;rare_earths:1;uranium:0.6',
        eu_demand_usd_m: float = 1200.0,
        run_start_year: int = 2026,
        run_deposits: str = 'data/deposits.csv',
        run_synthetic_deposits: int = 0,
        host_tender_rate: float = 0.08,
        host_tender_window_q: int = 4,
        host_retender_q: int = 4,
        host_w_money: float = 0.3,
        host_w_processing: float = 0.2,
        host_w_finance: float = 0.2,
        host_w_speed: float = 0.15,
        host_w_diversification: float = 0.15,
        host_reservation_score: float = 0.55,
        host_incumbency: float = 0.5,
        host_state_stake_uranium: float = 0.75,
        host_state_stake_other: float = 0.3,
        host_export_cn: float = 0.55,
        host_export_eu: float = 0.25,
        host_export_us: float = 0.12,
        host_trust_gain_engagement: float = 0.008,
        host_trust_gain_delivery: float = 0.03,
        host_trust_loss_missed: float = 0.05,
        host_trust_loss_withdrawal: float = 0.08,
        host_trust_loss_slip: float = 0.02,
        host_trust_drift: float = 0.02,
        host_trust_baseline: float = 0.5,
        host_revocation_overrun: float = 2.0,
        host_revocation_hazard: float = 0.004,
        econ_capex_per_annual_revenue: float = 1.5,
        econ_margin: float = 0.35,
        econ_slip_prob: float = 0.08,
        econ_lead_time_sd: float = 0.15,
        investors_count: int = 300,
        investors_capital_median_usd_m: float = 25.0,
        investors_capital_sigma: float = 1.2,
        investors_capital_inflow: float = 0.02,
        investors_hurdle_mean: float = 0.12,
        investors_hurdle_sd: float = 0.02,
        investors_patience_mean_q: float = 8.0,
        investors_patience_sd_q: float = 3.0,
        investors_share_eu: float = 0.3,
        investors_share_us: float = 0.2,
        investors_share_cn: float = 0.2,
        investors_affinity_bonus: float = 0.03,
        investors_trust_weight: float = 0.1,
        investors_solo_max_capex_usd_m: float = 300.0,
        price_vol_base: float = 0.1,
        price_vol_high: float = 0.15,
        price_vol_speculative: float = 0.25,
        price_jump_prob: float = 0.02,
        price_jump_max: float = 3.0,
        price_reversion: float = 0.05,
        shock_sanctions_power: str = 'none',
        shock_sanctions_year: int = 2030,
        shock_price_commodity: str = 'none',
        shock_price_year: int = 2030,
        shock_price_factor: float = 2.0,
        price_copper: float = 9500.0,
        price_uranium: float = 207984.0,
        price_chromium: float = 280.0,
        price_tungsten: float = 50440.0,
        price_rare_earths: float = 11000.0,
        price_nickel: float = 16000.0,
        price_cobalt: float = 25000.0,
        price_lithium: float = 11000.0,
        price_zinc: float = 2750.0,
        price_lead: float = 2000.0,
        price_manganese: float = 198.0,
        price_vanadium: float = 13228.0,
        price_graphite: float = 500.0,
        price_titanium: float = 600.0,
        # END PARAMETERS
        extra_powers: str = "",
        rng=None,
    ):
        # fmt: on
        if isinstance(rng, str):  # SolaraViz's seed box hands over text
            rng = int(rng)
        super().__init__(rng=rng)
        kwargs = {k: v for k, v in locals().items() if k in P.BY_KWARG}
        self.v = P.from_kwargs(kwargs)
        extras = P.resolve_extra_powers(extra_powers)
        self.start_year = int(self.v["run.start_year"])
        self.holders: tuple[str, ...] = (HOST, *POWERS, *extras, PRIVATE)
        self.host_index, self.private_index = 0, len(self.holders) - 1
        self.index = {code: i for i, code in enumerate(self.holders)}
        h = len(self.holders)

        self.base_price = np.array([self.v[f"price.{c}"] for c in COMMODITIES])
        self.prices = PriceProcess(self.base_price, self.v, self.rng)
        n_syn = int(self.v["run.synthetic_deposits"])
        if n_syn:
            table = synthetic_deposits(n_syn, self.rng, self.base_price, self.holders)
        else:
            path = Path(self.v["run.deposits"])
            table = load_deposits(path if path.is_absolute() else ROOT / path, self.holders)
        self.deposits = Deposits(table, h)
        self._initial_holdings(table)
        annual_revenue = table.capacity * 4 * self.base_price[table.commodity] / 1e6
        self.capex_usd_m = self.v["econ.capex_per_annual_revenue"] * annual_revenue
        self.pursuits = Pursuits()
        self.events = EventLog()

        self.trust = np.full(h, self.v["host.trust_baseline"])
        self.trust[self.host_index] = 1.0
        self.trust_gain, self.trust_loss = np.zeros(h), np.zeros(h)
        self.missed, self.missed_value = np.zeros(h), np.zeros(h)
        self.invested_public, self.invested_private = np.zeros(h), np.zeros(h)
        self.private_walked = np.zeros(h)
        self.awards, self.award_lag = np.zeros(h), np.zeros(h)

        self.host = Host(self)
        blocks = {code: {f: self.v[f"{code.lower()}.{f}"] for f in P.POWER_FIELDS} for code in POWERS}
        blocks.update(extras)
        self.power_by_index = {}
        for code, block in blocks.items():
            power = Power(self, code, self.index[code], block)
            self.trust[power.index] = block["trust0"]
            self.power_by_index[power.index] = power
        affinity = (self.index["EU"], self.index["US"], self.index["CN"])
        self.investors = InvestorPool(self, int(self.v["investors.count"]), affinity)
        for row in range(int(self.v["investors.count"])):
            Investor(self, row)
        for row in range(len(table)):
            Deposit(self, row)

        self.measures: dict[str, float] = {}
        self._history: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self._commodity_history: list[np.ndarray] = []
        self.datacollector = mesa.DataCollector(model_reporters=reporters(self.holders, POWERS + tuple(extras)))
        self._observe()

    # --- set-up ------------------------------------------------------------------------------------
    def _initial_holdings(self, table) -> None:
        d = self.deposits
        for row, (holders, offtake) in enumerate(zip(table.holders, table.offtake)):
            for code, share in holders.items():
                d.equity[row, self.index[code]] = share
            for code, share in offtake.items():
                d.offtake[row, self.index[code]] = share
            if holders:
                foreign = {c: s for c, s in holders.items() if c != HOST}
                d.leader[row] = self.index[max(foreign, key=foreign.get) if foreign else HOST]

    # --- the quarter ---------------------------------------------------------------------------------
    @property
    def year(self) -> int:
        return self.start_year + max(self.steps - 1, 0) // 4

    @property
    def quarter(self) -> str:
        return quarter_label(self.start_year, self.steps)

    def step(self) -> None:
        self.trust_gain[:] = 0.0
        self.trust_loss[:] = 0.0
        self.prices.step()
        self._shocks()
        self.host.open_tenders()
        self.agents_by_type[Power].shuffle_do("pursue")
        self.investors.step()
        self.host.receive_offers()
        self.host.award()
        self.host.supervise()
        self._produce()
        gains = self.trust_gain * np.array([self._build_rate(i) for i in range(len(self.holders))])
        self.trust = update_trust(self.trust, gains, self.trust_loss, np.ones_like(gains),
                                  self.v["host.trust_drift"], self.v["host.trust_baseline"])
        self.trust[self.host_index] = 1.0
        self._observe()
        if not (self.deposits.remaining > 0).any():
            self.running = False

    def _build_rate(self, index: int) -> float:
        power = self.power_by_index.get(index)
        return power.p["trust_build_rate"] if power else 1.0

    def _due(self, year_key: str) -> bool:
        return self.steps - 1 == (self.v[year_key] - self.start_year) * 4

    def _shocks(self) -> None:
        if self.v["shock.sanctions_power"] != "none" and self._due("shock.sanctions_year"):
            self._sanction(self.v["shock.sanctions_power"])
        if self.v["shock.price_commodity"] != "none" and self._due("shock.price_year"):
            c = COMMODITIES.index(self.v["shock.price_commodity"])
            self.prices.shock(c, self.v["shock.price_factor"])
            self.log("shock", -1, "", detail=f"{COMMODITIES[c]} price ×{self.v['shock.price_factor']:g}")

    def _sanction(self, code: str) -> None:
        """The sanctioned power sells every holding to other powers (weighted by trust × budget)."""
        s = self.index[code]
        power = self.power_by_index[s]
        power.sanctioned = True
        act = self.pursuits.active()
        self.end_pursuits(act[self.pursuits.power[act] == s], WITHDRAWN)
        buyers = [p for p in self.power_by_index.values() if p.index != s and p.p["budget_usd_m"] > 0]
        weight = np.array([self.trust[p.index] * p.p["budget_usd_m"] for p in buyers])
        d = self.deposits
        for dep in np.flatnonzero(d.equity[:, s] > 0):
            buyer = buyers[self.rng.choice(len(buyers), p=weight / weight.sum())].index
            share = d.equity[dep, s]
            value = self.reserve_value_usd_m(np.array([dep]))[0] * share
            d.equity[dep, buyer] += share
            d.offtake[dep, buyer] += d.offtake[dep, s]
            d.equity[dep, s] = d.offtake[dep, s] = 0.0
            if d.leader[dep] == s:
                d.leader[dep] = buyer
            self.log("shock", int(dep), code, self.holders[buyer], value,
                     f"sanctions: {code} sells {share:.0%} to {self.holders[buyer]}")

    def _produce(self) -> None:
        d = self.deposits
        prod = d.stage == STAGE["producing"]
        out = np.where(prod, np.minimum(d.table.capacity, d.remaining), 0.0)
        d.remaining -= out
        d.stage[prod & (d.remaining <= 1e-9 * d.table.contained)] = STAGE["depleted"]
        self.output_t = out

    # --- helpers the agents use ----------------------------------------------------------------------
    def open_tenders(self) -> np.ndarray:
        d = self.deposits
        return np.flatnonzero((d.stage == STAGE["tendered"]) & (d.tender_close > self.steps))

    def reserve_value_usd_m(self, deposits: np.ndarray) -> np.ndarray:
        d = self.deposits
        return d.remaining[deposits] * self.prices.price[d.table.commodity[deposits]] / 1e6

    def licensed_value(self) -> np.ndarray:
        d = self.deposits
        licensed = (d.stage >= STAGE["awarded"]) & (d.stage <= STAGE["producing"])
        return np.where(licensed, d.remaining * self.prices.price[d.table.commodity] / 1e6, 0.0)

    def commodity_share_matrix(self) -> np.ndarray:
        """Commodities × holders: each holder's share of the licensed value of that commodity."""
        m = commodity_matrix(self.deposits.table.commodity, self.licensed_value(), self.deposits.equity)
        total = m.sum(axis=1, keepdims=True)
        return np.divide(m, total, out=np.zeros_like(m), where=total > 0)

    def commodity_share(self, holder: int) -> np.ndarray:
        return self.commodity_share_matrix()[:, holder]

    def foreign_share(self) -> np.ndarray:
        """Each holder's share of the licensed value held by foreign partners (the host excluded)."""
        value = self.licensed_value() @ self.deposits.equity
        value[self.host_index] = 0.0
        total = value.sum()
        return value / total if total > 0 else value

    def state_stake(self, dep: int) -> float:
        return self.v["host.state_stake_uranium"] if COMMODITIES[self.deposits.table.commodity[dep]] == "uranium" \
            else self.v["host.state_stake_other"]

    def offtake_split(self, equity: np.ndarray, winner: int, offtake_share: float) -> np.ndarray:
        """The winner takes at least its equity share; the host exports the rest of its part."""
        out = equity.copy()
        extra = min(max(0.0, offtake_share - out[winner]), out[self.host_index])
        out[winner] += extra
        out[self.host_index] -= extra
        kz = out[self.host_index]
        for code, key in (("CN", "host.export_cn"), ("EU", "host.export_eu"), ("US", "host.export_us")):
            share = kz * self.v[key]
            out[self.index[code]] += share
            out[self.host_index] -= share
        return out

    def end_pursuits(self, ids: np.ndarray, status: int) -> None:
        """Close pursuits; budgets tied up by pursuits that did not win are released."""
        if len(ids) == 0:
            return
        pur = self.pursuits
        pur.status[ids], pur.end[ids] = status, self.steps
        if status != WON:
            for i in ids:
                power = self.power_by_index.get(int(pur.power[i]))
                if power is not None:
                    power.committed_rate = max(0.0, power.committed_rate - pur.tranche[i])
        self.investors.release(ids, invested=status == WON)

    def release_tranches(self, deposits: np.ndarray) -> None:
        d = self.deposits
        for dep in deposits:
            power = self.power_by_index.get(int(d.leader[dep]))
            if power is not None:
                power.committed_rate = max(0.0, power.committed_rate - d.tranche[dep])
            d.tranche[dep] = 0.0

    def record_award(self, pursuit: int) -> None:
        pur = self.pursuits
        p = int(pur.power[pursuit])
        self.invested_public[p] += pur.public[pursuit] + pur.bonus[pursuit]
        self.invested_private[p] += pur.private[pursuit]
        self.awards[p] += 1
        self.award_lag[p] += self.steps - pur.start[pursuit]

    def log(self, kind: str, dep: int, power: str, others: str = "", amount: float = 0.0, detail: str = "") -> None:
        table = self.deposits.table
        self.events.add(self.steps, self.quarter, kind, table.names[dep] if dep >= 0 else "",
                        COMMODITIES[table.commodity[dep]] if dep >= 0 else "", power, others, amount, detail)

    # --- observation ---------------------------------------------------------------------------------
    def _observe(self) -> None:
        d = self.deposits
        self.measures = compute_measures(self)
        self._commodity_history.append(self.commodity_share_matrix())
        self._history.append((d.stage.astype(np.int8), d.remaining.copy(), d.leader.astype(np.int16)))
        self.datacollector.collect(self)

    def timeseries(self) -> pd.DataFrame:
        """One row per step (0 = initial state): every per-quarter measure."""
        return self.datacollector.get_model_vars_dataframe().reset_index(drop=True)

    def commodity_shares(self) -> pd.DataFrame:
        """Long table: step, commodity, holder, share of that commodity's licensed reserve value."""
        arr = np.stack(self._commodity_history)  # steps × commodities × holders
        s, c, h = np.meshgrid(np.arange(arr.shape[0]), np.arange(arr.shape[1]), np.arange(arr.shape[2]), indexing="ij")
        return pd.DataFrame({"step": s.ravel(), "commodity": np.array(COMMODITIES)[c.ravel()],
                             "holder": np.array(self.holders)[h.ravel()], "share": arr.ravel()})

    def deposit_frame(self, step: int | None = None) -> pd.DataFrame:
        """Per-deposit state at ``step`` (default: now): stage, remaining tonnes, controller."""
        t, d = self.deposits.table, self.deposits
        stage, remaining, leader = self._history[self.steps if step is None else step]
        now = step is None or step == self.steps
        frame = pd.DataFrame({
            "id": t.ids, "name": t.names, "commodity": np.array(COMMODITIES)[t.commodity], "region": t.regions,
            "lon": t.lon, "lat": t.lat, "coord_approx": t.approx, "stage": np.array(STAGES)[stage],
            "remaining_t": remaining, "contained_t": t.contained,
            "reserve_value_usd_m": remaining * self.base_price[t.commodity] / 1e6,
            "controller": [self.holders[i] if i >= 0 else "" for i in leader],
        })
        if now:
            frame["holders"] = [";".join(f"{self.holders[j]}:{e[j]:.3f}" for j in np.flatnonzero(e > 0))
                                for e in d.equity]
        return frame

    def parameters(self) -> dict:
        """The resolved parameters (dotted keys) and the declared extra powers."""
        return {**self.v, "extra_powers": json.dumps({c: self.power_by_index[self.index[c]].p
                                                      for c in self.holders[1 + len(POWERS):-1]})}

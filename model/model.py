"""The competition model: builds the run from its parameters and steps it, quarter by quarter."""

from __future__ import annotations

from collections.abc import Iterable

import mesa
import numpy as np
import pandas as pd
from mesa.space import ContinuousSpace

from agents import Deposit, Host, Investor, InvestorPool, Power, Powers
from model import params as P
from model import start
from model.budgets import Budgets
from model.chains import Chains
from model.commodities import NAMES as COMMODITIES
from model.commodity_rules import load_rules
from model.deposit_table import LAT_RANGE, LON_RANGE, DepositTable
from model.errors import InputError
from model.events import EventLog
from model.licences import Licences
from model.markets import Markets
from model.observe import Recorder, parse_quarter, quarter_label, quarters, result_names
from model.powers import HOST, POWERS, holder_codes
from model.prices import PriceProcess
from model.pursuits import Pursuits
from model.resources import SizeLaw
from model.routes import Routes
from model.state import Deposits
from model.streams import Streams, root_sequence
from model.tally import Tally
from model.trust import update_trust
from model.vocabulary import Stage


class GreatGameModel(mesa.Model):
    """EU, China, US, Russia, Japan/Korea and private investors compete for Kazakhstan's deposits.

    Every keyword is a parameter of the registry (``model.params``), by its dotted key
    (``GreatGameModel(**{"eu.delay_mean_q": 6})``) or by Mesa's underscore alias (``eu_delay_mean_q=6``);
    ``extra_powers`` declares further powers (codes, or one comma-separated string), whose parameters then
    exist too (``gulf.budget_usd_m``); ``shocks`` are dated shocks (``model.shocks``).
    """

    def __init__(self, *, rng=None, extra_powers: Iterable[str] | str = (), shocks: Iterable = (), **overrides):
        super().__init__(rng=start.seed(rng))
        codes = start.power_codes(extra_powers)
        self.params = p = P.resolve(P.from_model_kwargs(overrides), extra_powers=codes, shocks=shocks)
        self.streams = Streams(root_sequence(self.rng), (*POWERS, *codes))
        self.start_year = p.run.start_year
        self.holders = holder_codes(codes)
        self.index = {code: i for i, code in enumerate(self.holders)}
        self.host_index, self.private_index = self.index[HOST], self.index["PRIVATE"]
        self.power_index = np.array([self.index[c] for c in (*POWERS, *codes)], dtype=np.int64)
        h = len(self.holders)
        self.is_power = np.zeros(h, dtype=bool)  # by holder: a power (a lookup, cheaper than np.isin each quarter)
        self.is_power[self.power_index] = True

        self.base_price = np.array([p.price.base[c] for c in COMMODITIES])
        self.markets = Markets(self)  # demand and supply paths, and the markets that answer them
        term = self.markets.term_share
        self.prices = PriceProcess(self.base_price, p.price, self.streams["prices"], term, p.markets.term_reset_q)
        self.rules = load_rules(p.run.commodity_rules, (*POWERS, *codes))
        table = start.table(self)
        self.size_law = SizeLaw.fit(table.commodity, table.contained, table.capacity)
        self.deposits = Deposits(table, h, start.capex(self, table), self.params.host.channel_rule)
        self.events = EventLog(self)
        self.licences = Licences(self.deposits, self.events, self.holders, self.host_index, lambda: self.steps)
        start.initial_holdings(self, table)
        self.budgets = Budgets(h)
        self.pursuits = Pursuits(self.budgets, n_holders=h)
        self.tally = Tally(h)
        self._shocks = {}
        for shock in p.shocks:
            self._shocks.setdefault(shock.step(self.start_year), []).append(shock)

        self.trust = np.full(h, p.host.trust_baseline)
        self.sanctioned = np.zeros(h, dtype=bool)  # powers under sanctions: they sell and stop bidding
        self.trust_gain, self.trust_loss = np.zeros(h), np.zeros(h)
        self.build_rate = np.ones(h)  # multiplier on trust gains; each power sets its own
        self.power_delay = np.zeros(h)  # each power's mean approval time (what investors expect)
        self.host = Host(self)
        for code in (*POWERS, *codes):
            power = Power(self, code, self.index[code], p.powers[code])
            self.trust[power.index] = power.p.trust0
            self.build_rate[power.index] = power.p.trust_build_rate
            cap = power.p.approval_cap_q  # investors expect the delay the power will have, fast track included
            self.power_delay[power.index] = min(power.p.delay_mean_q, cap) if cap > 0 else power.p.delay_mean_q
        self.power_turns = Powers(self.agents_by_type[Power])  # what they consider, then each one's pursuits
        self.investors = InvestorPool(self, p.investors.count, self.streams["investors.init"])
        self.pursuits.investors = self.investors
        for row in range(p.investors.count):  # a loop: Mesa's create_agents builds an AgentSet we do not need
            Investor(self, row)
        for row in range(len(table)):
            Deposit(self, row)
        self.ground, self.pipeline, self.filing_carry = start.resources(self, table)
        self.chains = Chains(self)  # plants, contracts and frameworks known by the start
        self.routes = Routes(self)  # export corridors

        self.output_t = np.zeros(len(table))  # tonnes produced in the last quarter
        self.collect_every = p.run.collect_every
        self.datacollector = Recorder(result_names(self.holders, (*POWERS, *codes)))
        self._observe()

    def add_deposits(self, rows: DepositTable) -> np.ndarray:
        """Deposits that enter the run (state releases, discoveries): state, agents and views grow."""
        new = self.deposits.append(rows, start.capex(self, rows))
        self.output_t = np.concatenate([self.output_t, np.zeros(len(rows))])
        for row in new:
            Deposit(self, int(row))
        return new

    def active_powers(self) -> list[int]:
        """Holder indices of the powers pursuing tenders this quarter (the buyers a forced sale may go to)."""
        return [a.index for a in self.agents_by_type[Power] if a.active]

    def sanction(self, holder: int) -> None:
        """Sanctions on a power: it stops bidding (its holdings are sold by the shock)."""
        self.sanctioned[holder] = True

    @property
    def year(self) -> int:
        """Calendar year of the quarter now running (of the last one, between steps)."""
        return self.start_year + max(self.steps - 1, 0) // 4

    @property
    def quarter(self) -> str:
        """Label of the quarter that ended at this step (``2030Q4``)."""
        return quarter_label(self.start_year, self.steps)

    def step(self) -> None:
        """One quarter: prices and shocks, state releases, exploration licensing, offers of plots, pursuits,
        investors, binding offers, decisions, development, output, trust, observation.
        """
        self.trust_gain[:] = 0.0
        self.trust_loss[:] = 0.0
        self.tally.new_awards[:] = 0.0
        self.prices.step(self.markets.drift(self.steps, self.prices.spot, self.prices.price))
        self.markets.follow(self.prices.price)
        for shock in self._shocks.get(self.steps, ()):
            shock.apply(self)
        if self.pipeline is not None and (plots := self.pipeline.plots(self.steps, self.size_law)) is not None:
            self.add_deposits(plots)
        self.host.license_ground()
        self.host.offer()
        self.host.survey()
        self.power_turns.pursue(self)
        self.investors.step()
        self.host.receive_offers()
        self.host.decide()
        self.host.supervise()
        self._produce()
        self.chains.quarter()
        self.trust = update_trust(
            self.trust,
            self.trust_gain,
            self.trust_loss,
            self.build_rate,
            self.params.host.trust_drift,
            self.params.host.trust_baseline,
        )
        if self.steps % self.collect_every == 0:
            self._observe()
        if not (self.deposits.remaining > 0).any():
            self.running = False

    def _wrapped_step(self) -> None:  # Mesa binds this as ``model.step``: give it step's docstring
        super()._wrapped_step()

    _wrapped_step.__doc__ = step.__doc__

    def _produce(self) -> None:
        d = self.deposits
        prod = d.stage == Stage.PRODUCING
        out = np.where(prod, np.minimum(d.table.capacity, d.remaining), 0.0)
        d.remaining -= out
        if (done := (prod & (d.remaining <= 1e-9 * d.table.contained)).nonzero()[0]).size:
            self.licences.deplete(done)
        self.output_t = out

    # --- observation (model/observe.py) ---------------------------------------------------------------
    def _observe(self) -> None:
        self.datacollector.collect(self)

    @property
    def measures(self) -> dict[str, float | str]:
        """The last observation, by result name."""
        return self.datacollector.last()

    def timeseries(self) -> pd.DataFrame:
        """One row per observed quarter, indexed by quarter (a ``pandas.Period``; step 0's is the quarter before
        the start): ``step`` and every declared result (``model.observe.RESULTS``), in snake_case.
        """
        return self.datacollector.frame()

    def at(self, quarter) -> pd.Series:
        """The observed measures at ``quarter`` (``"2040Q4"``), as ``timeseries()`` has them."""
        when = parse_quarter(quarter, "at")
        frame = self.timeseries()
        if when not in frame.index:
            seen = f"{frame.index[0]} to {frame.index[-1]}, every {self.collect_every} quarter(s)"
            raise InputError("at", str(when), f"not observed; allowed: an observed quarter ({seen})")
        return frame.loc[when]

    def run_until(self, end_time) -> None:
        """Run to the end of a quarter (``"2040Q4"``: run.start_year's first quarter is step 1); a number is
        Mesa's model time, as in ``mesa.Model.run_until``.
        """
        if not isinstance(end_time, str | pd.Period):
            super().run_until(end_time)
            return
        step = parse_quarter(end_time, "run_until").ordinal - quarters(self.start_year, [0])[0].ordinal
        if step < self.steps:
            raise InputError("run_until", str(end_time), f"already past; allowed: {self.quarter} or a later quarter")
        self.run_for(step - self.steps)

    def commodity_shares(self) -> pd.DataFrame:
        """Long table by step, commodity and holder: share of the commodity's licensed reserve value (equity)
        and of its output value in that quarter (offtake).
        """
        return self.datacollector.commodity_frame(self.holders)

    def deposit_frame(self, step: int | None = None) -> pd.DataFrame:
        """Per-deposit state at an observed ``step`` (default: now): stage, remaining tonnes, reserve value,
        controller, award and first output (null: not yet). The same columns at every step; a step that was
        not observed (every ``run.collect_every`` quarters) is a one-line error naming those that were.
        """
        return self.datacollector.deposit_frame(self, self.datacollector.observed(step, self.steps, "deposit_frame"))

    def deposit_holders(self, step: int | None = None) -> pd.DataFrame:
        """Who holds each deposit at an observed ``step`` (default: now): one row per deposit and holder, with
        its equity and offtake shares.
        """
        return self.datacollector.holders_frame(self, self.datacollector.observed(step, self.steps, "deposit_holders"))

    @property
    def space(self) -> ContinuousSpace:
        """The deposits in a Mesa ``ContinuousSpace`` at their (lon, lat), for Mesa's space components
        (``SolaraViz(model, components="default")``); kept up to date with the deposits that enter the run.
        """
        if self._space is None:
            (x0, x1), (y0, y1) = LON_RANGE, LAT_RANGE
            self._space = ContinuousSpace(x1, y1, False, x0, y0)
        placed = len(self._space._agent_to_index)
        table = self.deposits.table
        for agent in sorted(self.agents_by_type.get(Deposit, ()), key=lambda a: a.row)[placed:]:
            self._space.place_agent(agent, (float(table.lon[agent.row]), float(table.lat[agent.row])))
        return self._space

    _space: ContinuousSpace | None = None
    state_stakes: tuple | None = None  # model.host_picture.stakes keeps the state's stakes here, with their key


GreatGameModel.__init__.__signature__ = P.signature()
GreatGameModel.__init__.__doc__ = (
    "Build a run. Keywords (alias (dotted key; unit; default): meaning):\n\n"
    "    rng: the seed (an integer >= 0, or a numpy Generator); every stream is spawned from it.\n"
    "    extra_powers: codes of further powers (their keys are <code>.<field>, from Japan/Korea's values).\n"
    "    shocks: dated shocks (model.shocks.Sanctions, PriceShock, ExportControl, or their TOML tables).\n"
    + P.keyword_doc()
)

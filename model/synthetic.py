"""Synthetic deposit tables of any size, for scaling benchmarks (drawn from the model's rng)."""

from __future__ import annotations

import math

import numpy as np

from model.commodities import INDEX as COMMODITY_INDEX
from model.commodities import NAMES
from model.deposit_table import LAT_RANGE, LON_RANGE, DepositTable
from model.libm import exp
from model.vocabulary import Channel, Stage


def synthetic_deposits(n: int, rng: np.random.Generator, prices: np.ndarray, codes: tuple[str, ...]) -> DepositTable:
    """``n`` deposits with reserve values log-normal around $2bn; 30% producing, 10% developing."""
    commodity = rng.integers(0, len(NAMES), n)
    value_usd = exp(rng.normal(math.log(2e9), 1.2, n))
    contained = value_usd / prices[commodity]
    life_q = rng.uniform(60, 160, n)
    stage = rng.choice([Stage.UNLICENSED, Stage.DEVELOPING, Stage.PRODUCING], n, p=[0.6, 0.1, 0.3])
    holder_of = rng.integers(0, len(codes), n)
    holders = [{} if s == Stage.UNLICENSED else {codes[h]: 1.0} for s, h in zip(stage, holder_of)]
    return DepositTable(
        ids=[f"syn{i}" for i in range(n)],
        names=[f"Synthetic {i}" for i in range(n)],
        regions=["synthetic"] * n,
        commodity=commodity,
        contained=contained,
        capacity=contained / life_q,
        lead_time=rng.integers(10, 25, n),
        stage=stage,
        holders=holders,
        offtake=holders,
        lon=rng.uniform(*LON_RANGE, n),
        lat=rng.uniform(*LAT_RANGE, n),
        approx=np.ones(n, bool),
        channel=rng.choice([Channel.AUCTION, Channel.NEGOTIATION], n, p=[0.6, 0.4]),
        strategic=commodity == COMMODITY_INDEX["uranium"],
        capex=np.full(n, np.nan),
        origin=np.zeros(n, dtype=np.int64),
        start=np.where(stage == Stage.PRODUCING, 2015.0, np.nan),
    )

"""Independent random streams, one per stochastic process, spawned from the run's ``SeedSequence``.

Each stream's seed is derived from the run's seed and the stream's *name* (not its position), so adding a
stream or a power never shifts another's draws. Each process draws a fixed-size block per quarter (one number
per deposit, per investor or per commodity, whether used or not), so what one power does never changes the
numbers another process sees: a change of the EU's delay leaves the price path, China's approval draws and the
host's tender draws exactly as they were (common random numbers, as in Starsim). Two streams draw per event
instead (``discovery``: the size of each find; ``sanctions``: each forced sale), so a find or a sale never moves
another process's numbers either.
"""

from __future__ import annotations

import zlib

import numpy as np

from model.libm import cos, log, log1p
from model.params.spec import closest

NAMES = (  # the model also spawns "power.<code>" per power (taste, approval time and outcome)
    "prices",  # price process
    "tenders",  # which free deposits the host tenders
    "tiebreak",  # equal scores
    "investors.init",  # the investor population
    "investors",  # investors' quarterly choices
    "development",  # lead times and slippage
    "revocation",  # early revocation of slipping licences
    "sanctions",  # who buys a sanctioned power's stakes
    "synthetic",  # synthetic deposit tables (benchmarks)
    "ground",  # exploration: revocation of unworked licences, discovery, filers' taste (a block per quarter)
    "ground.layout",  # where each exploration block lies (once, at the start)
    "discovery",  # the size of each discovery and its finder's choice (per event)
    "filers",  # which investors file for exploration ground
    "routes",  # random disruptions of the export routes (a block per quarter)
)


def _key(name: str) -> int:
    return zlib.crc32(name.encode())


class Streams:
    """Named generators: ``streams["prices"]``, ``streams.power("EU")`` (that power's approvals and choices).

    The registry is fixed when the run is built: ``NAMES`` plus ``power.<code>`` for each of the run's powers. An
    unknown name is refused with the closest valid ones (a typo would otherwise make a new stream and silently
    break the common random numbers); the names' keys are checked to be distinct.
    """

    def __init__(self, root: np.random.SeedSequence, powers: tuple[str, ...] = ()) -> None:
        self.root = root
        self.names = (*NAMES, *(f"power.{code}" for code in powers))
        keys = [_key(n) for n in self.names]
        if len(set(keys)) != len(keys):
            raise ValueError(f"two stream names share a key: {self.names}")
        self._gens: dict[str, np.random.Generator] = {}

    def __getitem__(self, name: str) -> np.random.Generator:
        gen = self._gens.get(name)
        if gen is None:
            if name not in self.names:
                raise KeyError(f"unknown stream {name!r}; did you mean {closest(name, self.names)}?")
            seq = np.random.SeedSequence(self.root.entropy, spawn_key=(*self.root.spawn_key, _key(name)))
            gen = self._gens[name] = np.random.Generator(np.random.PCG64(seq))
        return gen

    def power(self, code: str) -> np.random.Generator:
        """The stream of one power's approval times, approval outcomes and tender preferences."""
        return self[f"power.{code}"]


class Block:
    """A quarter's block of ``size`` uniforms on ``gen``, drawn only where it is read.

    A process that reads few of its block's numbers (a power reads the approval draws of the two or three plots it
    takes out of ten thousand) need not make the rest: numpy's ``random`` takes one 64-bit output of PCG64 per
    double, and PCG64 jumps ahead exactly (``advance``), so ``take(start, cols)`` returns the numbers a full
    ``gen.random(size)`` gives at ``start + cols``, and ``close()`` leaves ``gen`` where that draw leaves it. Reads
    go forward (each ``take`` starts at or after the end of the last); a dense read draws its span at once, and a
    small block is drawn whole.
    """

    SPARSE = 600  # a jump and a lone draw cost about as much as drawing this many numbers in one call
    WHOLE = 4096  # a block this small is drawn whole at its first read: one call costs less than a few jumps

    def __init__(self, gen: np.random.Generator, size: int) -> None:
        self.gen, self.size, self.at = gen, int(size), 0
        self._whole: np.ndarray | None = None

    def take(self, start: int, cols: np.ndarray) -> np.ndarray:
        """The block's numbers at ``start + cols`` (in the order of ``cols``, no repeats)."""
        pos = start + np.asarray(cols, dtype=np.int64)
        if self._whole is None and self.at == 0 and self.size <= self.WHOLE:
            self._whole, self.at = self.gen.random(self.size), self.size
        if self._whole is not None:
            return self._whole[pos]
        if pos.size == 0:
            return np.empty(0)
        lo, hi = int(pos.min()), int(pos.max()) + 1
        if lo < self.at or hi > self.size:
            raise ValueError(f"block read at {lo}..{hi}: reads go forward within {self.at}..{self.size}")
        bg = self.gen.bit_generator
        if pos.size * self.SPARSE >= hi - lo:  # dense: draw the span
            bg.advance(lo - self.at)
            self.at = hi
            return self.gen.random(hi - lo)[pos - lo]
        order = pos.argsort()
        if (np.diff(pos[order]) == 0).any():  # a jump back would go round the generator's whole period
            raise ValueError("block read twice at one place")
        out = np.empty(pos.size)
        for i in order.tolist():
            bg.advance(int(pos[i]) - self.at)
            out[i] = self.gen.random()
            self.at = int(pos[i]) + 1
        return out

    def close(self) -> None:
        """Leave the generator where drawing the whole block leaves it."""
        if self.at < self.size:  # a block drawn whole is there already
            self.gen.bit_generator.advance(self.size - self.at)
            self.at = self.size


def gumbel(u: np.ndarray) -> np.ndarray:
    """Standard Gumbel variates from uniforms in [0, 1) (inverse transform)."""
    return -log(-log(np.minimum(np.maximum(u, 1e-300), 1.0 - 1e-16)))  # np.clip's numbers


def normal(u1: np.ndarray, u2: np.ndarray) -> np.ndarray:
    """Standard normal variates from two uniforms in [0, 1) (Box–Muller).

    Drawing uniforms only, a process consumes exactly as many numbers each quarter whatever it uses, and turns
    into variates only the few it needs.
    """
    return np.sqrt(-2.0 * log1p(-u1)) * cos(2.0 * np.pi * u2)


def root_sequence(rng: np.random.Generator) -> np.random.SeedSequence:
    """The ``SeedSequence`` behind Mesa's ``model.rng`` (the run's seed)."""
    seq = rng.bit_generator.seed_seq
    if isinstance(seq, np.random.SeedSequence):
        return seq
    return np.random.SeedSequence(int(rng.integers(2**63)))

"""Mesa agents: the host, the powers, private investors and the deposits they compete for."""

from agents.deposit import Deposit
from agents.host import Host
from agents.investor import Investor, InvestorPool
from agents.power import Power, Powers

__all__ = ["Deposit", "Host", "Investor", "InvestorPool", "Power", "Powers"]

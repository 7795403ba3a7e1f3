"""Parameter sets that switch one of the model's rules off, shared by the validation's wrong variants and the
study's ablations (so that a variant and an ablation of the same name switch off the same thing)."""

TRUST_RATES_OFF = {
    f"host.trust_{k}": 0.0
    for k in (
        "gain_engagement",
        "gain_delivery",
        "gain_processing",
        "loss_missed",
        "loss_withdrawal",
        "loss_slip",
        "drift",
    )
}
OBJECTIVE_OFF = {  # no weights in the host's objective, no reservation, no legal conditions at auction
    "host.w_revenue": 0.0,
    "host.w_processing": 0.0,
    "host.w_finance": 0.0,
    "host.w_diversification": 0.0,
    "host.min_objective": 0.0,
    "host.reservation_score": 0.0,
    "host.auction_min_processing": 0.0,
    "host.auction_min_coverage": 0.0,
}

"""The live dashboard (``solara run server.py``): map, charts, event log and a compare page.

The model knows nothing of this package; it reads the model's public API only (``timeseries()``,
``deposit_frame()``, ``events.latest()``, ``holders``, ``quarter``).
"""

"""Running the model: scenarios, single runs, batch experiments and reports."""

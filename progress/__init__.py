"""Progress toward the plan: counts per stage, batch status, forecast, reports."""
